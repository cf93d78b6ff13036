//! Runner physiology: critical speed, the finite reserve D′, the sprint cap, and what a metre costs.
//!
//! The energetic core is the critical-speed model in running units (Monod & Scherrer 1965;
//! Jones & Vanhatalo 2017; Skiba et al. 2012 — model notes §1.3): above the critical speed CS a
//! runner spends a finite distance reserve D′ at the rate (u − CS); below it the reserve refills by
//! the differential law of Skiba et al. 2015 as implemented in GoldenCheetah `WPrime.cpp`
//! (§1.5). Morton's three-parameter model (Morton 1996, §1.4) caps speed in proportion to what is
//! left: `v_cap = CS + (MSS − CS)·D′bal/D′₀`, which is what gives a kick that fades as the reserve
//! empties, and an even pace that cannot use the last of the reserve.
//!
//! Everything that changes what a metre costs — drafting and bends — enters through one
//! metabolic-equivalent speed u (§9.1 principle 2, §9.4 step 3): the reserve sees u, the track sees v.

use crate::base::params::ModelParams;

/// Parameters that describe no possible runner ([`Physiology::check`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PhysiologyError {
    /// Critical speed outside 2–8 m/s.
    #[error("critical speed {0:.3} m/s is outside 2–8 m/s")]
    CriticalSpeed(f64),
    /// D′ outside 20–1500 m.
    #[error("D′ {0:.1} m is outside 20–1500 m")]
    Reserve(f64),
    /// Sprint speed not above 1.05 × CS, or above 13 m/s.
    #[error(
        "sprint speed {mss:.2} m/s must exceed 1.05 × CS ({min:.2}) and be at most 13 m/s",
        min = cs * 1.05
    )]
    SprintSpeed {
        /// The sprint speed given [m/s].
        mss: f64,
        /// The critical speed [m/s].
        cs: f64,
    },
}

/// Standard gravity [m/s²].
pub const G: f64 = 9.80665;

/// The three per-runner parameters of the model (all SI).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Physiology {
    /// Critical speed, solo, on a straight, in still air [m/s].
    pub cs: f64,
    /// Anaerobic distance reserve D′₀ [m].
    pub d_prime: f64,
    /// Maximal sprint speed MSS [m/s].
    pub mss: f64,
}

impl Physiology {
    /// Check that the parameters describe a possible runner: the race loop divides by D′ and by
    /// MSS − CS, and a fit or a scenario can give anything.
    ///
    /// # Errors
    /// [`PhysiologyError`] naming the first parameter out of range.
    pub fn check(&self) -> Result<(), PhysiologyError> {
        if !(self.cs.is_finite() && (2.0..=8.0).contains(&self.cs)) {
            return Err(PhysiologyError::CriticalSpeed(self.cs));
        }
        if !(self.d_prime.is_finite() && (20.0..=1500.0).contains(&self.d_prime)) {
            return Err(PhysiologyError::Reserve(self.d_prime));
        }
        if !(self.mss.is_finite() && self.mss > self.cs * 1.05 && self.mss <= 13.0) {
            return Err(PhysiologyError::SprintSpeed {
                mss: self.mss,
                cs: self.cs,
            });
        }
        Ok(())
    }
}

/// Morton speed cap for a reserve of `d_bal` out of `d0` metres, with the tie-up below
/// `onset·d0`: the cap then falls smoothly to `floor·CS` at an empty reserve (§9.4 step 5 [U]).
#[inline]
pub fn speed_cap(cs: f64, mss: f64, d0: f64, d_bal: f64, floor: f64, onset: f64) -> f64 {
    speed_cap_frac(cs, mss, d_bal / d0, floor, onset)
}

/// [`speed_cap`] with the reserve given as a fraction of D′₀.
#[inline]
pub fn speed_cap_frac(cs: f64, mss: f64, frac: f64, floor: f64, onset: f64) -> f64 {
    let f = frac.max(0.0);
    let morton = cs + (mss - cs) * f;
    if f < onset {
        morton - (1.0 - floor) * cs * (1.0 - f / onset)
    } else {
        morton
    }
}

/// Metabolic multiplier of air resistance for draft fraction `r` at speed `v` (§9.4 step 3):
/// `m_air = [1 + (1 − r)·φ(v)] / [1 + φ(v)]` with `φ(v) = φ₆·(v/6)²`. Equals 1 when solo, so CS
/// stays the solo still-air speed.
#[inline]
pub fn air_multiplier(v: f64, r: f64, air_share_at_6: f64) -> f64 {
    let phi = air_share_at_6 * (v * (1.0 / 6.0)) * (v * (1.0 / 6.0));
    (1.0 + (1.0 - r) * phi) / (1.0 + phi)
}

/// Metabolic multiplier of running a curve of curvature `kappa` [1/m] at `v` (§3.3, §9.4 step 3):
/// `m_bend = 1 + ψ·(√(1 + (v²κ/g)²) − 1)`, ψ = 0.39 from Taboga & Kram 2019 [D].
#[inline]
pub fn bend_multiplier(v: f64, kappa: f64, psi: f64) -> f64 {
    if kappa == 0.0 {
        return 1.0;
    }
    let a = v * v * kappa * (1.0 / G);
    let x = a * a;
    // √(1+x) − 1 by its series: x ≤ 0.6 even for a 10 m/s sprint on a 17.5 m indoor bend,
    // where the third-order truncation error is below 1 % of the (small) penalty; at race
    // speeds outdoors (x ≈ 0.02–0.04) it is below 1e-5 of it.
    1.0 + psi * x * (0.5 - x * (0.125 - x * 0.0625))
}

/// Advance the reserve by one step of `dt` at metabolic speed `u` (§1.5, §9.4 step 4), clamped
/// to its floor 0 and its ceiling `d0`.
///
/// Above CS: dD/dt = −(u − CS). Below: dD/dt = k_rec·(CS − u)·(D′₀ − D)/D′₀.
#[inline]
pub fn step_reserve(d_bal: f64, d0: f64, cs: f64, u: f64, k_rec: f64, dt: f64) -> f64 {
    step_reserve_inv(d_bal, d0, 1.0 / d0, cs, u, k_rec, dt)
}

/// [`step_reserve`] with 1/D′₀ precomputed.
#[inline]
pub fn step_reserve_inv(
    d_bal: f64,
    d0: f64,
    inv_d0: f64,
    cs: f64,
    u: f64,
    k_rec: f64,
    dt: f64,
) -> f64 {
    let next = if u > cs {
        d_bal - (u - cs) * dt
    } else {
        d_bal + k_rec * (cs - u) * (d0 - d_bal) * inv_d0 * dt
    };
    next.clamp(0.0, d0)
}

/// Largest acceleration at speed `v` (Keller 1974: dv/dt ≤ F − v/τ with F = MSS/τ, §9.4 step 6).
#[inline]
pub fn max_accel(v: f64, mss: f64, tau_keller: f64) -> f64 {
    (mss - v) / tau_keller
}

/// Fastest even pace that a runner with reserve `d_bal` (of `d0`) can hold for `dist` metres
/// without the Morton cap binding, at metabolic multiplier `m` (1 = solo on a straight).
///
/// Holding v for t = dist/v spends (m·v − CS)·t, and the cap stays above v while
/// `D_end ≥ D′₀·(v − CS)/(MSS − CS)`. Equality gives a quadratic in v:
/// `(D′₀/a)·v² − (D − m·dist + D′₀·CS/a)·v − CS·dist = 0`, a = MSS − CS; its positive root.
/// For Josh Kerr's parameters of model notes §11 (CS 6.152, D′ 312, MSS 9.5) this gives 7.18 m/s
/// over 1500 m, i.e. the notes' even-paced 3:28.8.
#[inline]
pub fn sustainable_speed(cs: f64, mss: f64, d0: f64, d_bal: f64, dist: f64, m: f64) -> f64 {
    let a = (mss - cs).max(1e-6);
    let q = d0 / a;
    let b = d_bal.max(0.0) - m * dist + q * cs;
    let disc = b * b + 4.0 * q * cs * dist;
    (b + disc.sqrt()) / (2.0 * q)
}

/// [`sustainable_speed`] with the race-constant parts precomputed for one runner (no division
/// in the race loop).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sustainable {
    cs: f64,
    /// q = D′₀ / (MSS − CS)
    q: f64,
    inv_2q: f64,
    four_q_cs: f64,
}

impl Sustainable {
    /// The constants of one runner on one day.
    pub fn new(cs: f64, mss: f64, d0: f64) -> Sustainable {
        let q = d0 / (mss - cs).max(1e-6);
        Sustainable {
            cs,
            q,
            inv_2q: 0.5 / q,
            four_q_cs: 4.0 * q * cs,
        }
    }

    /// Same as `sustainable_speed(cs, mss, d0, d_bal, dist, m)`.
    #[inline]
    pub fn speed(&self, d_bal: f64, dist: f64, m: f64) -> f64 {
        let b = d_bal.max(0.0) - m * dist + self.q * self.cs;
        (b + (b * b + self.four_q_cs * dist).sqrt()) * self.inv_2q
    }
}

/// Draft fraction r obtained from one runner ahead (§2.3):
/// `r = r_max·exp(−max(0, g − 1)/λ_g)·exp(−(Δy/w)²)` for a gap g (back of the leader to the
/// front of the follower) and lateral offset Δy.
#[inline]
pub fn draft_from(gap_m: f64, dy_m: f64, p: &ModelParams) -> f64 {
    let g = (gap_m - 1.0).max(0.0);
    let dy = dy_m / p.draft_width_m;
    p.draft_max * (-g / p.draft_gap_decay_m - dy * dy).exp()
}

/// The draft function with its constants pre-inverted, for the race loop (same values as
/// [`draft_from`] to within 1e-9 relative).
#[derive(Debug, Clone, Copy)]
pub struct DraftFn {
    r_max: f64,
    inv_decay: f64,
    inv_w2: f64,
}

impl DraftFn {
    /// The draft function of these model parameters.
    pub fn new(p: &ModelParams) -> DraftFn {
        DraftFn {
            r_max: p.draft_max,
            inv_decay: 1.0 / p.draft_gap_decay_m,
            inv_w2: 1.0 / (p.draft_width_m * p.draft_width_m),
        }
    }

    /// Draft fraction behind one runner at gap `gap_m` and lateral offset `dy_m`.
    #[inline]
    pub fn eval(&self, gap_m: f64, dy_m: f64) -> f64 {
        self.from_exponent(self.exponent(gap_m, dy_m))
    }

    /// The (positive) exponent of the draft from one runner: smaller means more draft, so the
    /// best of several runners ahead is the one with the smallest exponent (one `exp` per step).
    #[inline]
    pub fn exponent(&self, gap_m: f64, dy_m: f64) -> f64 {
        let g = (gap_m - 1.0).max(0.0);
        g * self.inv_decay + dy_m * dy_m * self.inv_w2
    }

    /// The draft fraction of an exponent from [`DraftFn::exponent`] (0 for an infinite one:
    /// nobody ahead).
    #[inline]
    pub fn from_exponent(&self, z: f64) -> f64 {
        if z.is_finite() {
            self.r_max * exp_neg(-z)
        } else {
            0.0
        }
    }
}

/// 2^(j/64) for j = 0..63, for [`exp_neg`] (each a Taylor series summed to full precision at
/// compile time).
const EXP2_64THS: [f64; 64] = {
    let mut t = [0.0; 64];
    let mut j = 0;
    while j < 64 {
        let x = j as f64 / 64.0 * std::f64::consts::LN_2;
        let mut term = 1.0;
        let mut sum = 1.0;
        let mut k = 1;
        while k < 30 {
            term = term * x / k as f64;
            sum += term;
            k += 1;
        }
        t[j] = sum;
        j += 1;
    }
    t
};

/// exp(x) for x ≤ 0, to about 2e-12 relative, without a libm call: 2^(x·log2 e) split into an
/// integer power (set in the exponent bits), a 64th from a table of 2^(j/64), and a remainder
/// f < ln 2 / 64 whose e^f is a degree-4 Taylor polynomial (truncation error f⁵/5! < 1.3e-12).
/// A short dependency chain: it runs once per runner-step for the draft. Returns 0 below −700.
#[inline]
pub fn exp_neg(x: f64) -> f64 {
    if x < -700.0 {
        return 0.0;
    }
    let y = x * (64.0 * std::f64::consts::LOG2_E);
    // floor without a libm call (the baseline x86-64 target has no rounding instruction)
    let mut k = y as i64;
    if (k as f64) > y {
        k -= 1;
    }
    let f = (y - k as f64) * (std::f64::consts::LN_2 / 64.0); // in [0, ln 2 / 64)
    let q = 1.0 + f * (1.0 + f * (0.5 + f * (1.0 / 6.0 + f * (1.0 / 24.0))));
    let bits = (((k >> 6) + 1023) as u64) << 52;
    q * EXP2_64THS[(k & 63) as usize] * f64::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_is_morton_and_ties_up() {
        let (cs, mss, d0) = (6.15, 9.5, 300.0);
        assert!((speed_cap(cs, mss, d0, d0, 0.97, 0.05) - mss).abs() < 1e-12);
        assert!(
            (speed_cap(cs, mss, d0, 150.0, 0.97, 0.05) - (cs + 0.5 * (mss - cs))).abs() < 1e-12
        );
        assert!((speed_cap(cs, mss, d0, 0.0, 0.97, 0.05) - 0.97 * cs).abs() < 1e-12);
        // monotone in the reserve
        let mut last = 0.0;
        for i in 0..=300 {
            let c = speed_cap(cs, mss, d0, i as f64, 0.97, 0.05);
            assert!(c > last);
            last = c;
        }
    }

    #[test]
    fn multipliers() {
        assert!((air_multiplier(7.0, 0.0, 0.055) - 1.0).abs() < 1e-12);
        // notes §2.3 sanity check: φ(7) ≈ 7.5 %, r = 0.6 → ≈ 4.2–4.5 % saving
        let saving = 1.0 - air_multiplier(7.0, 0.6, 0.055);
        assert!(saving > 0.04 && saving < 0.046, "{saving}");
        // notes §3.3: ≈0.36 % at 7 m/s on the 36.8 m bend, ≈0.61 % at 8 m/s
        let b7 = bend_multiplier(7.0, 1.0 / 36.8, 0.39) - 1.0;
        let b8 = bend_multiplier(8.0, 1.0 / 36.8, 0.39) - 1.0;
        assert!((b7 - 0.0036).abs() < 0.0004, "{b7}");
        assert!((b8 - 0.0061).abs() < 0.0006, "{b8}");
        assert_eq!(bend_multiplier(8.0, 0.0, 0.39), 1.0);
    }

    #[test]
    fn reserve_bounds_and_directions() {
        let (d0, cs) = (300.0, 6.0);
        assert!(step_reserve(100.0, d0, cs, 7.0, 1.0, 0.1) < 100.0);
        assert!(step_reserve(100.0, d0, cs, 5.0, 1.0, 0.1) > 100.0);
        assert_eq!(step_reserve(0.05, d0, cs, 9.0, 1.0, 0.1), 0.0);
        assert_eq!(step_reserve(d0, d0, cs, 1.0, 1.0, 0.1), d0);
    }

    #[test]
    fn sustainable_speed_matches_notes_and_is_consistent() {
        let v = sustainable_speed(6.152, 9.5, 312.0, 312.0, 1500.0, 1.0);
        assert!((1500.0 / v - 208.8).abs() < 0.3, "{}", 1500.0 / v);
        // holding v exactly meets the cap at the finish
        let t = 1500.0 / v;
        let d_end = 312.0 - (v - 6.152) * t;
        let cap = 6.152 + (9.5 - 6.152) * d_end / 312.0;
        assert!((cap - v).abs() < 1e-9);
        let pre = Sustainable::new(6.152, 9.5, 312.0);
        assert!((pre.speed(312.0, 1500.0, 1.0) - v).abs() < 1e-12);
        // more reserve or a draft allows a faster pace
        assert!(sustainable_speed(6.152, 9.5, 312.0, 312.0, 1500.0, 0.97) > v);
        assert!(sustainable_speed(6.152, 9.5, 312.0, 200.0, 1500.0, 1.0) < v);
    }

    #[test]
    fn fast_exp_and_draft_agree() {
        for i in 0..200_000 {
            let x = -(i as f64) * 0.000_17;
            let e = x.exp();
            assert!((exp_neg(x) - e).abs() <= 1e-11 * e, "{x}");
        }
        assert_eq!(exp_neg(0.0), 1.0);
        assert_eq!(exp_neg(-800.0), 0.0);
        let p = ModelParams::default();
        let d = DraftFn::new(&p);
        for (g, dy) in [(0.5, 0.0), (1.3, 0.2), (3.0, 0.7), (5.9, 1.2)] {
            assert!((d.eval(g, dy) - draft_from(g, dy, &p)).abs() < 1e-12);
        }
    }

    #[test]
    fn impossible_runners_are_named() {
        let ok = Physiology {
            cs: 6.1,
            d_prime: 300.0,
            mss: 8.8,
        };
        assert!(ok.check().is_ok());
        let slow = Physiology { cs: 1.0, ..ok };
        assert_eq!(
            slow.check().unwrap_err().to_string(),
            "critical speed 1.000 m/s is outside 2–8 m/s"
        );
        let flat = Physiology { mss: 6.2, ..ok };
        assert_eq!(
            flat.check().unwrap_err().to_string(),
            "sprint speed 6.20 m/s must exceed 1.05 × CS (6.41) and be at most 13 m/s"
        );
        assert!(matches!(
            Physiology { d_prime: 5.0, ..ok }.check(),
            Err(PhysiologyError::Reserve(_))
        ));
    }

    #[test]
    fn draft_function() {
        let p = ModelParams::default();
        assert!((draft_from(1.0, 0.0, &p) - 0.6).abs() < 1e-12);
        assert!(draft_from(2.5, 0.0, &p) < 0.6 * 0.4);
        assert!(draft_from(1.0, 0.75, &p) < 0.07);
    }
}
