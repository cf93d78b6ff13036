//! Tactics: what speed a runner wants, given where he is and what the others do.
//!
//! A tactic is a small rule-based controller with random parameters (model notes §9.1 principle
//! 3, §9.5). It never moves the runner itself: it returns a desired speed and whether the runner
//! wants to get past whoever is in front; the race step ([`crate::engine::race`]) applies inertia,
//! the Morton cap, blocking and lateral movement.
//!
//! Every tactic shares three pieces:
//! * **following**: hold a gap of about one stride behind the runner ahead (the draft, §2.3);
//! * **a hang-on limit** (the governor): a runner will not follow a pace he believes he could not
//!   hold for `1 + margin` times the remaining distance under the Morton cap
//!   ([`crate::engine::physiology::sustainable_speed`]), judged with his noisy estimate of his own
//!   reserve (CV 10 %, §9.5) — this is how runners drop off a pace that is too hot, and sometimes
//!   misjudge it and pay;
//! * **the kick**: from the kick point (or earlier, in answer to a rival's kick after a reaction
//!   delay, §9.5 "cover") he races to the line at the fastest even pace he believes he can hold to
//!   it — the hang-on limit with no margin — and goes past whoever is in the way. Not "all-out at
//!   the Morton cap": under the cap an all-out effort from far out spends the reserve cheaply (its
//!   speed decays exponentially, wasting little), so an all-out "kick" from 700 m would look like
//!   the best tactic, which no runner's experience supports; a drive to the line at the pace the
//!   reserve allows makes an early kick cost what it costs — the draft and a slower drive.

use serde::{Deserialize, Serialize};

use crate::engine::physiology;
use std::fmt;
use std::str::FromStr;

/// The named tactics a scenario can give a runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TacticKind {
    /// Follow the pacers or the runner ahead, then kick. The default in paced races.
    Follow,
    /// Stay in the pack, draft, kick from `kick_m` out.
    SitAndKick,
    /// Lead at a target pace (`pace_mps`), ignoring the others, then kick.
    FrontRun,
    /// Follow until `drive_m` from the finish, then run at the fastest pace he believes he can hold
    /// to the line, from the front (Ingebrigtsen's "very fast cruising pace", Le Hyaric et al.
    /// 2024 [S]).
    LongDrive,
    /// Even pace to a target time (`target_s`), ignoring rivals — the record attempt. Sits on the
    /// pacers while they are on schedule.
    ChaseClock,
    /// Cover moves, stay within the first `max_place`, kick: race the men, not the clock. He hangs
    /// on to the leaders with the driver's margin, not a follower's.
    RaceTheField,
    /// Follow, then surge by `surge_rise` for `surge_len_m` from `surge_at_m` out, then kick.
    Surge,
}

/// A tactic name that is not one of [`TacticKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown tactic `{0}` (known: {known})", known = TacticKind::known_names())]
pub struct UnknownTactic(pub String);

impl TacticKind {
    /// Every tactic, in the order help texts list them.
    pub const ALL: [TacticKind; 7] = [
        TacticKind::Follow,
        TacticKind::SitAndKick,
        TacticKind::FrontRun,
        TacticKind::LongDrive,
        TacticKind::ChaseClock,
        TacticKind::RaceTheField,
        TacticKind::Surge,
    ];

    /// The name in scenario files and reports (`sit-and-kick`, …).
    pub fn name(self) -> &'static str {
        match self {
            TacticKind::Follow => "follow",
            TacticKind::SitAndKick => "sit-and-kick",
            TacticKind::FrontRun => "front-run",
            TacticKind::LongDrive => "long-drive",
            TacticKind::ChaseClock => "chase-clock",
            TacticKind::RaceTheField => "race-the-field",
            TacticKind::Surge => "surge",
        }
    }

    /// Whether this tactic answers rivals' kicks and follows the pack.
    pub fn races_rivals(self) -> bool {
        !matches!(self, TacticKind::FrontRun | TacticKind::ChaseClock)
    }

    /// The known names, comma-separated, for error messages.
    pub fn known_names() -> String {
        TacticKind::ALL
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for TacticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TacticKind {
    type Err = UnknownTactic;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TacticKind::ALL
            .into_iter()
            .find(|k| k.name() == s.trim())
            .ok_or_else(|| UnknownTactic(s.to_string()))
    }
}

/// A runner's tactic with every parameter resolved to a number (SI units).
///
/// Parameters a tactic does not use are kept (with their defaults) so that any numeric field
/// can be swept or compared by name.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tactic {
    /// Which rule decides his speed.
    pub kind: TacticKind,
    /// Mean kick onset, distance from the finish [m].
    pub kick_m: f64,
    /// Start of the long drive, distance from the finish [m].
    pub drive_m: f64,
    /// Own pace for front-running [m/s].
    pub pace_mps: f64,
    /// Target finish time for chase-clock [s].
    pub target_s: f64,
    /// Race-the-field: the worst place he accepts before the kick.
    pub max_place: u32,
    /// Surge: start, distance from the finish [m].
    pub surge_at_m: f64,
    /// Surge: length [m].
    pub surge_len_m: f64,
    /// Surge: speed rise (fraction).
    pub surge_rise: f64,
    /// Whether he follows pacemakers (false: he races the runners, and ignores the rabbits).
    pub follow_pacers: bool,
    /// Whether `pace_mps` / `target_s` come from his own ability (the defaults) rather than from
    /// the scenario. A runner pacing himself to his ability runs to how he feels on the day, so
    /// such a pace scales with his day form; a set target (a record) does not.
    pub pace_from_ability: bool,
}

/// The nearest runner ahead that this runner is following.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ahead {
    /// Chest-to-chest distance [m].
    pub gap_m: f64,
    /// His speed [m/s].
    pub v: f64,
    /// Whether he is a pacemaker (some tactics ignore pacers).
    pub is_pacer: bool,
    /// Whether he is kicking.
    pub kicking: bool,
}

/// A runner's hang-on limits [m/s]. Each costs a square root in the race loop, and a tactic
/// reads at most one of them per step, so [`decide`] asks for the one it needs.
pub trait Limits {
    /// Hang-on limit with the follower's margin.
    fn follow(&self) -> f64;
    /// Hang-on limit with the driver's margin (front-runners, long drives, surgers, racers).
    fn drive(&self) -> f64;
    /// The fastest even pace he believes he can hold to the line (no margin): his kick.
    fn kick(&self) -> f64;
}

/// The hang-on limits of the race loop: [`physiology::Sustainable::speed`] over the distance
/// left times `1 + margin`, judged with his own (noisy) idea of his reserve, at the metabolic air
/// multiplier of his last step, never below the tie-up floor.
#[derive(Debug, Clone, Copy)]
pub struct HangOn {
    /// The runner's race constants.
    pub sus: physiology::Sustainable,
    /// The reserve he believes he has [m].
    pub d_seen: f64,
    /// Distance to the finish [m].
    pub d_rem: f64,
    /// Metabolic air multiplier he judges his kick with: the air he has (1 = solo).
    pub m: f64,
    /// The group's air, which he judges whether he can hang on with (follow and drive) when in
    /// touch with it (`ModelParams::hang_on_pack_draft`).
    pub group: GroupAir,
    /// Lowest limit: the tie-up floor times his CS [m/s].
    pub floor: f64,
    /// Follower's margin on the distance left.
    pub follow_margin: f64,
    /// Driver's margin on the distance left.
    pub drive_margin: f64,
}

/// The group's air in the hang-on judgement: whether he is in touch with the group, and the
/// metabolic air multiplier he would have in it at his speed (worked out with his own, in the
/// move phase, where the division is off the decision's critical path).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupAir {
    /// In touch with the group (and the mechanism on).
    pub in_touch: bool,
    /// The air multiplier in the group's shelter at his speed (1 = solo).
    pub m: f64,
}

impl GroupAir {
    /// The air multiplier a runner whose own is `m_now` judges his hang-on limit with: the
    /// group's shelter when in touch and better than the air he has, otherwise the air he has.
    #[inline]
    pub fn multiplier(&self, m_now: f64) -> f64 {
        if self.in_touch {
            m_now.min(self.m)
        } else {
            m_now
        }
    }
}

impl HangOn {
    /// The air multiplier of the follow and drive limits ([`GroupAir::multiplier`]).
    #[inline]
    pub fn m_group(&self) -> f64 {
        self.group.multiplier(self.m)
    }
}

impl Limits for HangOn {
    #[inline]
    fn follow(&self) -> f64 {
        self.sus
            .speed(
                self.d_seen,
                self.d_rem * (1.0 + self.follow_margin),
                self.m_group(),
            )
            .max(self.floor)
    }
    #[inline]
    fn drive(&self) -> f64 {
        self.sus
            .speed(
                self.d_seen,
                self.d_rem * (1.0 + self.drive_margin),
                self.m_group(),
            )
            .max(self.floor)
    }
    #[inline]
    fn kick(&self) -> f64 {
        self.sus
            .speed(self.d_seen, self.d_rem, self.m)
            .max(self.floor)
    }
}

/// Limits given as numbers (tests, and any caller that has them already).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FixedLimits {
    /// See [`Limits::follow`].
    pub follow: f64,
    /// See [`Limits::drive`].
    pub drive: f64,
    /// See [`Limits::kick`].
    pub kick: f64,
}

impl Limits for FixedLimits {
    fn follow(&self) -> f64 {
        self.follow
    }
    fn drive(&self) -> f64 {
        self.drive
    }
    fn kick(&self) -> f64 {
        self.kick
    }
}

/// What a runner sees at one step: computed by the race step, read by [`decide`].
#[derive(Debug, Clone, Copy)]
pub struct Situation<L: Limits> {
    /// Race time [s].
    pub t: f64,
    /// Distance run [m].
    pub s: f64,
    /// His speed [m/s].
    pub v: f64,
    /// Distance to the finish [m].
    pub d_rem: f64,
    /// Place among the runners (pacers excluded), 1-based.
    pub place: u32,
    /// The runner he follows, if any.
    pub ahead: Option<Ahead>,
    /// Whether a rival within reach ahead is kicking.
    pub rival_kicking: bool,
    /// The pace the leader of this race runs now when nobody is ahead of him [m/s].
    pub lead_pace: f64,
    /// His hang-on limits, computed only when the tactic asks for one ([`Limits`]).
    pub limits: L,
    /// Extra surge the race imposes on this runner now (race-level surge), as a fraction.
    pub race_surge: f64,
    /// Whether this race has pacemakers on the track now.
    pub pacers_on: bool,
}

/// Per-race, per-runner tactical state that persists between steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TacticState {
    /// The kick point actually used this race (mean kick point + jitter) [m from finish].
    pub kick_m: f64,
    /// Pace-judgement factor (1 + ε) on self-paced speeds.
    pub pace_mult: f64,
    /// Reaction delay to a rival's kick [s].
    pub reaction_s: f64,
    /// Time at which a rival's kick was first seen (NaN: not yet).
    pub kick_seen_t: f64,
    /// Whether the kick has started.
    pub kicking: bool,
    /// Distance to the finish when the kick started [m] (NaN: not yet).
    pub kick_started_m: f64,
    /// His speed when the surge he is in began [m/s]; 0 outside a surge (a race surge or his
    /// own `surge` tactic's).
    pub surge_v0: f64,
}

impl TacticState {
    /// A runner's state at the gun, from his draws for this race.
    pub fn new(kick_m: f64, pace_mult: f64, reaction_s: f64) -> Self {
        TacticState {
            kick_m,
            pace_mult,
            reaction_s,
            kick_seen_t: f64::NAN,
            kicking: false,
            kick_started_m: f64::NAN,
            surge_v0: 0.0,
        }
    }
}

/// What the runner wants this step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// Desired speed [m/s] (before inertia, the cap and blocking).
    pub v_des: f64,
    /// Whether he wants to get past the runner in front of him.
    pub want_pass: bool,
}

/// Gap-keeping behind the runner ahead: converge on the follow gap over ~2 s, closing at most
/// 0.35 m/s faster (a runner does not sprint to close a gap before the kick) and dropping back at
/// most 0.15 m/s slower — runners tolerate being close; a sharper drop-back makes each follower
/// brake harder than the one in front and sends a traffic-jam wave down the pack [U].
#[inline]
fn follow_speed(a: &Ahead, follow_gap_m: f64) -> f64 {
    a.v + ((a.gap_m - follow_gap_m) * 0.5).clamp(-0.15, 0.35)
}

/// Length of the start phase [m] [U]: peak speed comes within the first ~50 m of a 1500 m
/// (Le Hyaric, Aftalion & Hanley 2024 [S]); by 100 m the field has found its places.
pub const START_PHASE_M: f64 = 100.0;
/// Speed a runner aims at in the start phase, relative to the lead pace, 1.04 [U].
pub const START_SURGE: f64 = 1.04;

/// Beyond this chest-to-chest distance a runner is no longer "with" the one ahead [m] [U].
pub const CONTACT_M: f64 = 25.0;

/// Constants of the decision rule, taken from [`crate::base::params::ModelParams`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecideConfig {
    /// Preferred chest-to-chest following gap [m].
    pub follow_gap_m: f64,
    /// A runner answers a rival's kick when within this multiple of his own kick distance.
    pub cover_factor: f64,
    /// How much of a surge's rise is over his speed when the surge began rather than over
    /// his speed of the moment ([`crate::base::params::ModelParams::surge_from_start`]).
    pub surge_from_start: f64,
}

/// The speed a surge rises over: his speed of the moment, or — with `from_start` 1 — his speed
/// when the surge began (`st.surge_v0`, set on its first step), blended in between. Over his
/// speed of the moment, each decision lifts the aim by the rise again and the surge compounds
/// (at rise/τ per second through the 1 s response) until the Morton cap holds it.
#[inline]
fn surge_speed(st: &mut TacticState, v: f64, from_start: f64) -> f64 {
    if st.surge_v0 == 0.0 {
        st.surge_v0 = v;
    }
    v + from_start * (st.surge_v0 - v)
}

/// Which hang-on limit caps a cruising runner (asked for only if a race surge does not lift it).
#[derive(Clone, Copy)]
enum Limit {
    Follow,
    Drive,
    Value(f64),
    None,
}

/// Decide the desired speed for one runner at one step. Pure: reads the situation, updates only
/// the runner's own tactical state (kick onset).
#[inline]
pub fn decide<L: Limits>(
    tac: &Tactic,
    st: &mut TacticState,
    sit: &Situation<L>,
    cfg: &DecideConfig,
) -> Decision {
    // ---- the kick ----
    if !st.kicking {
        let mut go = sit.d_rem <= st.kick_m;
        if !go
            && tac.kind.races_rivals()
            && sit.rival_kicking
            && sit.d_rem <= st.kick_m * cfg.cover_factor
        {
            if st.kick_seen_t.is_nan() {
                st.kick_seen_t = sit.t;
            }
            go = sit.t - st.kick_seen_t >= st.reaction_s;
        }
        if go {
            st.kicking = true;
            st.kick_started_m = sit.d_rem;
        }
    }
    if st.kicking {
        return Decision {
            v_des: sit.limits.kick(),
            want_pass: true,
        };
    }

    // ---- cruising ----
    let follow_target = match sit.ahead {
        Some(a) if a.gap_m <= CONTACT_M && (tac.follow_pacers || !a.is_pacer) => Some(a),
        _ => None,
    };
    let v_follow = match follow_target {
        Some(a) => follow_speed(&a, cfg.follow_gap_m),
        None => sit.lead_pace,
    };

    let (mut v_des, mut want_pass, limit) = match tac.kind {
        TacticKind::Follow | TacticKind::SitAndKick => (v_follow, false, Limit::Follow),
        TacticKind::RaceTheField => {
            let mut v = v_follow;
            let mut pass = false;
            // outside the first `max_place`: move up (past whoever is in front, within contact)
            if sit.place > tac.max_place && sit.s > 300.0 {
                if let Some(a) = follow_target {
                    v = v.max(a.v + 0.3);
                    pass = true;
                }
            }
            // racing the men means covering their moves: he hangs on with the driver's (smaller)
            // margin rather than a follower's
            (v, pass, Limit::Drive)
        }
        TacticKind::FrontRun => (tac.pace_mps * st.pace_mult, true, Limit::Drive),
        TacticKind::ChaseClock => {
            let left = tac.target_s - sit.t;
            let clock = if left > 1.0 {
                sit.d_rem / left
            } else {
                f64::INFINITY
            } * st.pace_mult;
            let v = match follow_target {
                // sit on a pacer who is on (or near) the schedule
                Some(a) if a.is_pacer && a.gap_m < 4.0 && (a.v - clock).abs() < 0.03 * clock => {
                    follow_speed(&a, cfg.follow_gap_m)
                }
                _ => clock,
            };
            // a record chaser stops only when the cap stops him: no hang-on margin
            (v, true, Limit::None)
        }
        TacticKind::LongDrive => {
            if sit.d_rem <= tac.drive_m {
                {
                    let drive = sit.limits.drive();
                    (v_follow.max(drive), true, Limit::Value(drive))
                }
            } else {
                (v_follow, false, Limit::Follow)
            }
        }
        TacticKind::Surge => {
            if in_own_surge(tac, sit.d_rem) {
                let v_now = surge_speed(st, sit.v, cfg.surge_from_start);
                let base = v_follow.max(sit.lead_pace).max(v_now);
                (base * (1.0 + tac.surge_rise), true, Limit::None)
            } else {
                (v_follow, false, Limit::Follow)
            }
        }
    };
    // the start: get out and find a place; the runner in front is accelerating too, so
    // following him would hold the whole field back
    if sit.s < START_PHASE_M && tac.kind != TacticKind::ChaseClock {
        v_des = v_des.max(sit.lead_pace * START_SURGE);
    }
    if sit.race_surge > 0.0 {
        let v_now = surge_speed(st, sit.v, cfg.surge_from_start);
        let base = v_follow.max(sit.lead_pace).max(v_now);
        v_des = v_des.max(base * (1.0 + sit.race_surge));
        want_pass = true;
    } else {
        v_des = match limit {
            Limit::Follow => v_des.min(sit.limits.follow()),
            Limit::Drive => v_des.min(sit.limits.drive()),
            Limit::Value(l) => v_des.min(l),
            Limit::None => v_des,
        };
    }
    if sit.race_surge <= 0.0 && !in_own_surge(tac, sit.d_rem) {
        st.surge_v0 = 0.0;
    }
    Decision { v_des, want_pass }
}

/// Whether his own `surge` tactic has him surging `d_rem` metres from the finish.
#[inline]
fn in_own_surge(tac: &Tactic, d_rem: f64) -> bool {
    let into = tac.surge_at_m - d_rem;
    tac.kind == TacticKind::Surge && into >= 0.0 && into <= tac.surge_len_m
}

impl Tactic {
    /// A tactic of `kind` with every parameter at its default for a runner whose solo, evenly
    /// paced time over this race's `distance_m` is `solo_time_s`.
    ///
    /// Defaults: kick from `default_kick_m` (350 m [U, tuned]); drive from `default_drive_m` (704 m,
    /// Sandford [S]); front-run at his solo even pace; chase-clock to his solo time; race-the-field
    /// in the first 3; a surge of +4.5 % for 150 m from 600 m out [U]; pacers followed except by
    /// front-runners.
    pub fn with_defaults(
        kind: TacticKind,
        p: &crate::base::params::ModelParams,
        distance_m: f64,
        solo_time_s: f64,
    ) -> Tactic {
        Tactic {
            kind,
            kick_m: p.default_kick_m.min(distance_m * 0.5),
            drive_m: p.default_drive_m.min(distance_m * 0.6),
            pace_mps: distance_m / solo_time_s,
            target_s: solo_time_s,
            max_place: 3,
            surge_at_m: 600.0_f64.min(distance_m * 0.5),
            surge_len_m: 150.0,
            surge_rise: 0.045,
            follow_pacers: kind != TacticKind::FrontRun,
            pace_from_ability: true,
        }
    }

    /// The solo time-trial tactic of the calibration: even pace to `target_s`, no kick.
    pub fn time_trial(distance_m: f64, target_s: f64) -> Tactic {
        Tactic {
            kind: TacticKind::ChaseClock,
            kick_m: 0.0,
            drive_m: 0.0,
            pace_mps: distance_m / target_s,
            target_s,
            max_place: 1,
            surge_at_m: 0.0,
            surge_len_m: 0.0,
            surge_rise: 0.0,
            follow_pacers: false,
            pace_from_ability: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::params::ModelParams;

    fn sit(d_rem: f64, ahead: Option<Ahead>) -> Situation<FixedLimits> {
        Situation {
            t: 100.0,
            s: 1500.0 - d_rem,
            v: 7.0,
            d_rem,
            place: 5,
            ahead,
            rival_kicking: false,
            lead_pace: 6.8,
            limits: FixedLimits {
                follow: 7.5,
                drive: 7.6,
                kick: 8.1,
            },
            race_surge: 0.0,
            pacers_on: false,
        }
    }
    const CFG: DecideConfig = DecideConfig {
        follow_gap_m: 1.6,
        cover_factor: 1.6,
        surge_from_start: 0.0,
    };

    #[test]
    fn follower_follows_and_respects_limit() {
        let p = ModelParams::default();
        let tac = Tactic::with_defaults(TacticKind::SitAndKick, &p, 1500.0, 210.0);
        let mut st = TacticState::new(250.0, 1.0, 1.0);
        let a = Ahead {
            gap_m: 1.6,
            v: 7.1,
            is_pacer: false,
            kicking: false,
        };
        let d = decide(&tac, &mut st, &sit(800.0, Some(a)), &CFG);
        assert!((d.v_des - 7.1).abs() < 1e-9);
        // a pace above his hang-on limit is not followed
        let fast = Ahead { v: 8.0, ..a };
        let d = decide(&tac, &mut st, &sit(800.0, Some(fast)), &CFG);
        assert!((d.v_des - 7.5).abs() < 1e-9);
        // nobody ahead: lead pace
        let d = decide(&tac, &mut st, &sit(800.0, None), &CFG);
        assert!((d.v_des - 6.8).abs() < 1e-9);
    }

    #[test]
    fn kick_starts_at_kick_point_or_in_answer() {
        let p = ModelParams::default();
        let tac = Tactic::with_defaults(TacticKind::RaceTheField, &p, 1500.0, 210.0);
        let mut st = TacticState::new(250.0, 1.0, 1.0);
        assert!(decide(&tac, &mut st, &sit(300.0, None), &CFG).v_des < 8.0);
        // kicking: the fastest pace he believes he can hold to the line
        assert_eq!(decide(&tac, &mut st, &sit(249.0, None), &CFG).v_des, 8.1);
        assert!(st.kicking && (st.kick_started_m - 249.0).abs() < 1e-9);
        // answering a rival: only after the reaction delay
        let mut st = TacticState::new(250.0, 1.0, 1.0);
        let mut s = sit(350.0, None);
        s.rival_kicking = true;
        assert!(decide(&tac, &mut st, &s, &CFG).v_des < 8.0);
        s.t += 1.05;
        assert_eq!(decide(&tac, &mut st, &s, &CFG).v_des, 8.1);
        // a record chaser does not answer rivals
        let clock = Tactic::with_defaults(TacticKind::ChaseClock, &p, 1500.0, 210.0);
        let mut st = TacticState::new(250.0, 1.0, 1.0);
        s.t += 5.0;
        assert!(decide(&clock, &mut st, &s, &CFG).v_des < 8.0 && !st.kicking);
    }

    #[test]
    fn a_surge_rises_over_the_pace_it_started_from() {
        let p = ModelParams::default();
        let tac = Tactic::with_defaults(TacticKind::RaceTheField, &p, 1500.0, 210.0);
        // a race surge of +5 % for a runner leading at 7.0 m/s (lead pace 6.8), whose speed
        // then rises towards his aim, decision after decision
        let aims = |from_start: f64| {
            let cfg = DecideConfig {
                surge_from_start: from_start,
                ..CFG
            };
            let mut st = TacticState::new(250.0, 1.0, 1.0);
            let mut s = sit(900.0, None);
            s.race_surge = 0.05;
            let mut aims = Vec::new();
            for _ in 0..20 {
                let d = decide(&tac, &mut st, &s, &cfg);
                aims.push(d.v_des);
                s.v += 0.5 * (d.v_des - s.v);
            }
            (aims, st)
        };
        // over his speed when it began: +5 % over 7.0 m/s, however fast he goes
        let (held, st) = aims(1.0);
        assert!(held.iter().all(|&v| (v - 7.35).abs() < 1e-9), "{held:?}");
        assert_eq!(st.surge_v0, 7.0);
        // over his speed of the moment (the engine before): every decision lifts it again
        let (compounding, _) = aims(0.0);
        assert!(compounding.windows(2).all(|w| w[1] > w[0]));
        assert!(compounding[19] > 7.0 * 1.05 * 1.05, "{compounding:?}");
        // out of the surge, the start is forgotten: the next surge starts from the speed then
        let (_, mut st) = aims(1.0);
        let mut s = sit(700.0, None);
        decide(&tac, &mut st, &s, &CFG);
        assert_eq!(st.surge_v0, 0.0);
        s.race_surge = 0.04;
        s.v = 7.2;
        let cfg = DecideConfig {
            surge_from_start: 1.0,
            ..CFG
        };
        assert!((decide(&tac, &mut st, &s, &cfg).v_des - 7.2 * 1.04).abs() < 1e-9);
    }

    #[test]
    fn chase_clock_self_corrects() {
        let p = ModelParams::default();
        let tac = Tactic::with_defaults(TacticKind::ChaseClock, &p, 1500.0, 210.0);
        let mut st = TacticState::new(0.0, 1.0, 1.0);
        let mut s = sit(750.0, None);
        s.t = 105.0; // exactly on schedule
        let d = decide(&tac, &mut st, &s, &CFG);
        assert!((d.v_des - 750.0 / 105.0).abs() < 1e-9);
        s.t = 110.0; // behind: must speed up
        assert!(decide(&tac, &mut st, &s, &CFG).v_des > 750.0 / 105.0);
    }
}
