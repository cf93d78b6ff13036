//! Random streams: one small generator per (seed, race, purpose, key).
//!
//! Race i's randomness is derived from (seed, i) only — never from the worker thread — so results
//! do not depend on how rayon splits the work (rand's `examples/rayon-monte-carlo.rs` pattern,
//! engineering notes). Within a race, each runner's day form, each runner's tactical noise, each
//! pacer's execution noise and the race-level draws (regime, surges, start order) come from
//! separate streams keyed by the runner's name. Two variants of a scenario that differ in one
//! runner's tactic therefore draw exactly the same day form and noise for everything else: common
//! random numbers (issue 5) by construction.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

/// The generator type used inside a race: xoshiro256++, 32 bytes of state, a few ns per draw.
pub type RaceRng = Xoshiro256PlusPlus;

/// What a stream is for; part of its key so that streams never coincide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// A runner's day form (CS, D′).
    Form = 0x0f0f_0001,
    /// A runner's tactical noise (kick point, reactions, pace judgement).
    Tactics = 0x0f0f_0002,
    /// A pacer's execution noise.
    Pacer = 0x0f0f_0003,
    /// Race-level draws: regime, surges.
    Race = 0x0f0f_0004,
    /// Start positions.
    Start = 0x0f0f_0005,
}

/// SplitMix64's finaliser: a bijective 64-bit mixer with good avalanche (Steele et al. 2014).
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A stable 64-bit key for a name (FNV-1a), so a runner's streams follow his name, not his index.
pub fn name_key(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The generator for one purpose and key in race `race` of a run seeded with `seed`.
#[inline]
pub fn stream(seed: u64, race: u64, purpose: Purpose, key: u64) -> RaceRng {
    let a = mix64(seed ^ 0x5851_f42d_4c95_7f2d);
    let b = mix64(a ^ race.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let c = mix64(b ^ purpose as u64);
    RaceRng::seed_from_u64(mix64(c ^ key))
}

/// A standard normal draw.
#[inline]
pub fn normal(rng: &mut RaceRng) -> f64 {
    StandardNormal.sample(rng)
}

/// A uniform draw on [0, 1).
#[inline]
pub fn uniform(rng: &mut RaceRng) -> f64 {
    use rand::Rng;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A Poisson draw with mean `lambda` (Knuth's product method; λ here is at most ~10).
pub fn poisson(rng: &mut RaceRng, lambda: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    let l = (-lambda).exp();
    let mut k = 0u32;
    let mut p = 1.0;
    loop {
        p *= uniform(rng);
        if p <= l || k > 100 {
            return k;
        }
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let mut a = stream(42, 7, Purpose::Form, name_key("Josh Kerr"));
        let mut b = stream(42, 7, Purpose::Form, name_key("Josh Kerr"));
        let mut c = stream(42, 7, Purpose::Tactics, name_key("Josh Kerr"));
        let mut d = stream(42, 8, Purpose::Form, name_key("Josh Kerr"));
        let xa = uniform(&mut a);
        assert_eq!(xa, uniform(&mut b));
        assert_ne!(xa, uniform(&mut c));
        assert_ne!(xa, uniform(&mut d));
    }

    #[test]
    fn uniform_and_normal_moments() {
        let mut r = stream(1, 0, Purpose::Race, 0);
        let n = 200_000;
        let (mut su, mut sn, mut sn2) = (0.0, 0.0, 0.0);
        for _ in 0..n {
            su += uniform(&mut r);
            let z = normal(&mut r);
            sn += z;
            sn2 += z * z;
        }
        assert!((su / n as f64 - 0.5).abs() < 0.005);
        assert!((sn / n as f64).abs() < 0.01);
        assert!((sn2 / n as f64 - 1.0).abs() < 0.02);
    }

    #[test]
    fn poisson_mean() {
        let mut r = stream(3, 0, Purpose::Race, 0);
        let n = 50_000;
        let s: u64 = (0..n).map(|_| poisson(&mut r, 3.0) as u64).sum();
        assert!((s as f64 / n as f64 - 3.0).abs() < 0.05);
    }
}
