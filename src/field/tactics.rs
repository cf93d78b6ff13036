//! A runner's tactic: what the input said (the overrides) and, for the rest, the defaults a
//! field gets from its runners' profiles.
//!
//! The engine ([`crate::engine::tactics`]) knows what each tactic does; this room knows what a
//! runner does when nobody said: which tactic a profile suggests ([`default_kinds`]) and which
//! parameter values a tactic starts from ([`Tactic::with_defaults`]).

use crate::base::params::ModelParams;
use crate::engine::physiology::Physiology;
use crate::engine::tactics::{Tactic, TacticKind};

/// Tactic parameters as an input file wrote them (`None`: the default).
///
/// Times are as written: a front-runner's `pace` is a lap time, a `target` a finish time; they
/// become speeds only in [`resolve_tactics`], which knows the lap.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TacticOverrides {
    /// The tactic.
    pub kind: Option<TacticKind>,
    /// Kick point [m from the finish].
    pub kick_m: Option<f64>,
    /// Start of a long drive [m from the finish].
    pub drive_m: Option<f64>,
    /// Lap time for front-running [s per lap].
    pub pace_lap_s: Option<f64>,
    /// Target finish time [s].
    pub target_s: Option<f64>,
    /// Worst place accepted before the kick (race-the-field).
    pub max_place: Option<u32>,
    /// Start of a surge [m from the finish].
    pub surge_at_m: Option<f64>,
    /// Length of a surge [m].
    pub surge_len_m: Option<f64>,
    /// Speed rise of a surge (fraction).
    pub surge_rise: Option<f64>,
    /// Whether he follows pacemakers.
    pub follow_pacers: Option<bool>,
}

/// What a runner's reported times say about him, for choosing a default tactic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    /// Solo, evenly paced time over the race distance [s].
    pub solo_time_s: f64,
    /// Fitted D′ [m]: a large reserve relative to the field marks a kicker.
    pub d_prime: f64,
}

/// Default tactics for a field, from the runners' profiles (used when a scenario gives none).
///
/// * One runner alone: `chase-clock` to his solo time (a time trial).
/// * Paced races (pacers or lights): `follow` — sit behind the pacers, then race.
/// * Championship races: the favourite on paper (fastest solo time) presses with `long-drive`
///   when he is at least `favourite_margin` faster than the field's median — the aerobic
///   favourite has most to gain from a hard last 700 m (Sandford et al.'s fast-race final surge,
///   704 m out [S]; Le Hyaric et al. 2024 on Ingebrigtsen [S]); the others `sit-and-kick` when
///   their reserve D′ is at or above the field median (kickers) and `race-the-field` otherwise.
///
/// These are modelling choices [U]; any runner's tactic can be set in the scenario.
pub fn default_kinds(profiles: &[Profile], paced: bool, favourite_margin: f64) -> Vec<TacticKind> {
    let n = profiles.len();
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![TacticKind::ChaseClock];
    }
    if paced {
        return vec![TacticKind::Follow; n];
    }
    let med = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        if n % 2 == 1 {
            v[n / 2]
        } else {
            0.5 * (v[n / 2 - 1] + v[n / 2])
        }
    };
    let med_solo = med(profiles.iter().map(|p| p.solo_time_s).collect());
    let med_d = med(profiles.iter().map(|p| p.d_prime).collect());
    // n ≥ 2 here, so there is a favourite; 0 is never used as a fallback.
    let fav = (0..n)
        .min_by(|&a, &b| profiles[a].solo_time_s.total_cmp(&profiles[b].solo_time_s))
        .unwrap_or(0);
    (0..n)
        .map(|i| {
            if i == fav && profiles[i].solo_time_s <= med_solo * (1.0 - favourite_margin) {
                TacticKind::LongDrive
            } else if profiles[i].d_prime >= med_d {
                TacticKind::SitAndKick
            } else {
                TacticKind::RaceTheField
            }
        })
        .collect()
}

/// Resolve tactics: the input's choices, profile defaults for the rest. Returns each runner's
/// tactic and whether its kind was the default (reports mark those).
pub fn resolve_tactics(
    overrides: &[TacticOverrides],
    physiology: &[Physiology],
    solo: &[f64],
    paced: bool,
    distance_m: f64,
    lap_m: f64,
    params: &ModelParams,
) -> Vec<(Tactic, bool)> {
    let profiles: Vec<Profile> = physiology
        .iter()
        .zip(solo)
        .map(|(ph, &t)| Profile {
            solo_time_s: t,
            d_prime: ph.d_prime,
        })
        .collect();
    let defaults = default_kinds(&profiles, paced, params.favourite_margin);
    overrides
        .iter()
        .enumerate()
        .map(|(i, ov)| {
            let kind = ov.kind.unwrap_or(defaults[i]);
            let mut t = Tactic::with_defaults(kind, params, distance_m, solo[i]);
            if let Some(x) = ov.kick_m {
                t.kick_m = x;
            }
            if let Some(x) = ov.drive_m {
                t.drive_m = x;
            }
            if let Some(x) = ov.target_s {
                t.target_s = x;
                t.pace_mps = distance_m / x;
                t.pace_from_ability = false;
            }
            if let Some(x) = ov.pace_lap_s {
                t.pace_mps = lap_m / x;
                t.pace_from_ability = false;
            }
            if let Some(x) = ov.max_place {
                t.max_place = x;
            }
            if let Some(x) = ov.surge_at_m {
                t.surge_at_m = x;
            }
            if let Some(x) = ov.surge_len_m {
                t.surge_len_m = x;
            }
            if let Some(x) = ov.surge_rise {
                t.surge_rise = x;
            }
            if let Some(x) = ov.follow_pacers {
                t.follow_pacers = x;
            }
            (t, ov.kind.is_none())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_kinds_rules() {
        let pr = |t: f64, d: f64| Profile {
            solo_time_s: t,
            d_prime: d,
        };
        assert_eq!(
            default_kinds(&[pr(210.0, 250.0)], false, 0.01),
            vec![TacticKind::ChaseClock]
        );
        let field = [
            pr(206.8, 300.0),
            pr(210.0, 320.0),
            pr(210.5, 240.0),
            pr(211.0, 260.0),
        ];
        let k = default_kinds(&field, false, 0.01);
        assert_eq!(k[0], TacticKind::LongDrive);
        assert_eq!(k[1], TacticKind::SitAndKick);
        assert_eq!(k[2], TacticKind::RaceTheField);
        assert_eq!(
            default_kinds(&field, true, 0.01),
            vec![TacticKind::Follow; 4]
        );
        // no clear favourite: nobody presses
        let even = [pr(210.0, 300.0), pr(210.1, 320.0), pr(210.2, 240.0)];
        assert!(!default_kinds(&even, false, 0.01).contains(&TacticKind::LongDrive));
    }

    #[test]
    fn overrides_win_over_defaults() {
        let p = ModelParams::default();
        let ph = |d: f64| Physiology {
            cs: 6.1,
            d_prime: d,
            mss: 8.8,
        };
        let phys = [ph(300.0), ph(250.0)];
        let solo = [210.0, 212.0];
        let ov = [
            TacticOverrides {
                kind: Some(TacticKind::FrontRun),
                pace_lap_s: Some(55.0),
                kick_m: Some(200.0),
                ..Default::default()
            },
            TacticOverrides {
                target_s: Some(209.0),
                ..Default::default()
            },
        ];
        let t = resolve_tactics(&ov, &phys, &solo, false, 1500.0, 400.0, &p);
        assert_eq!(t[0].0.kind, TacticKind::FrontRun);
        assert!(!t[0].1, "the kind was given");
        assert!((t[0].0.pace_mps - 400.0 / 55.0).abs() < 1e-12);
        assert_eq!(t[0].0.kick_m, 200.0);
        assert!(!t[0].0.pace_from_ability);
        // the second keeps his profile's kind, with the target set
        assert!(t[1].1);
        assert_eq!(t[1].0.target_s, 209.0);
        assert!((t[1].0.pace_mps - 1500.0 / 209.0).abs() < 1e-12);
        assert_eq!(t[1].0.drive_m, p.default_drive_m.min(1500.0 * 0.6));
        // paced races: everyone without a tactic follows
        let t = resolve_tactics(&ov, &phys, &solo, true, 1500.0, 400.0, &p);
        assert_eq!(t[1].0.kind, TacticKind::Follow);
    }
}
