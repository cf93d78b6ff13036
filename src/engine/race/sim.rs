//! One race, step by step: the pack on the track.
//!
//! Each agent (runner or pacer) has a position `s` along the lane-1 line of running, a lateral
//! offset `y` from it, a speed `v` along its own path and, for runners, a reserve `D′bal`. Every
//! step of `dt` (model notes §9.3–9.4) runs named phases, each a small function:
//!
//! 0. `Simulator::sort_field` keeps the agents sorted by position (an insertion sort: the order
//!    barely changes) and `Simulator::pack_field` copies the active ones, in order, into one
//!    contiguous array that every later phase reads (a snapshot: nobody moves until phase 4);
//! 1. **sense** (`sense`): each runner walks back from himself through the sorted field to see
//!    who is directly in front (and blocks), whom he follows, who is at his shoulders (and stops
//!    him moving out or in) and how much draft he gets; the walk stops as soon as nothing further
//!    ahead can change an answer. Whether a rival just ahead is kicking comes from a window on
//!    the sorted field that only moves forward (`KickWindow`): O(1) amortised per runner;
//! 2. **decide** (`Simulator::decide_runner`): the lead pace, the race surges and the runner's
//!    tactic ([`crate::engine::tactics`]), which asks for the one hang-on limit it uses (each is
//!    a square root); pacers aim at their next scheduled split in their own pass
//!    (`Simulator::decide_pacers`), so the runners' loop carries no pacer branch;
//! 3. **steer and respond** (`Simulator::steer`, `respond`): blocking and lateral intent, then
//!    inertia (Keller), the Morton cap and the lateral speed limit;
//! 4. **move and record** (`Simulator::advance`): positions, reserves, splits and finishes.
//!
//! Tracing (`record_frame`) and the safety net (`time_out`) sit outside the phases. A new
//! behaviour goes into the phase it belongs to: something a runner perceives into `Senses`,
//! a judgement into the tactic or its `Situation`, a physical limit into `respond`.
//!
//! The loop allocates nothing: [`Simulator`] owns every buffer and reuses it across races.

use rand::Rng;

use super::outcome::{RaceOutcome, Trace, Unfinished};
use super::setup::{RaceSetup, RunnerSpec};
use crate::base::params::{ModelParams, Regime};
use crate::base::rng::{self, Purpose};
use crate::engine::physiology;
use crate::engine::tactics::{
    self, Ahead, DecideConfig, GroupAir, HangOn, Situation, TacticKind, TacticState,
};

#[cfg(test)]
mod pack_before;

/// Largest number of race-level surges drawn per race.
const MAX_SURGES: usize = 16;

/// A runner's draws for one race: day form and tactical noise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunnerDraw {
    /// The day's critical speed [m/s].
    pub cs: f64,
    /// The day's reserve D′₀ [m].
    pub d0: f64,
    /// The day's sprint speed [m/s] (moves with CS).
    pub mss: f64,
    /// Kick point this race [m from the finish].
    pub kick_m: f64,
    /// Pace-judgement factor on self-paced speeds.
    pub pace_mult: f64,
    /// Factor on his own estimate of his reserve.
    pub reserve_mult: f64,
    /// Reaction delay to a rival's kick [s].
    pub reaction_s: f64,
}

/// Stream key of the race-level common day form. A runner's key is the hash of his name
/// (`rng::name_key`), which no real name maps to 0 in practice; and the common draw is made from
/// its own (seed, race) stream, so it is the same for every runner of the race whoever else runs.
const COMMON_FORM_KEY: u64 = 0;

/// A runner's standard-normal day-form draw with the race's common part mixed in
/// ([`ModelParams::form_common_share`] `c`): `√(1 − c)·z_own + √c·z_race`. The variance stays 1,
/// so a lone runner's race-to-race spread is unchanged; only the share the field has in common
/// moves (conditions are the same for everyone in a race). `c = 0` gives `z_own` exactly and
/// draws nothing more.
pub(super) fn with_common_form(z_own: f64, c: f64, seed: u64, race: u64) -> f64 {
    if c > 0.0 {
        let zc = rng::normal(&mut rng::stream(seed, race, Purpose::Form, COMMON_FORM_KEY));
        (1.0 - c).sqrt() * z_own + c.sqrt() * zc
    } else {
        z_own
    }
}

/// A runner's draws with his ability factor ([`RaceSetup::ability`]) applied: CS, MSS and D′
/// scaled together, and the pace he sets from his own ability with them.
fn with_ability(mut dr: RunnerDraw, ability: f64, pace_from_ability: bool) -> RunnerDraw {
    if ability != 1.0 {
        dr.cs *= ability;
        dr.mss *= ability;
        dr.d0 *= ability;
        if pace_from_ability {
            dr.pace_mult *= ability;
        }
    }
    dr
}

/// What a runner judges his hang-on limit with ([`ModelParams::hang_on_pack_draft`]): in touch
/// with the group (the man he follows within `hang_on_reach_m`), the shelter he would have in it
/// if that is better than the air he has this instant (wide at the start, out on a pass, a few
/// metres off the back); otherwise the air he has. Without it a runner who loses the draft for a
/// moment judges he can hold only his solo pace, drops to it, and the gap never closes.
/// `m_group` is the air multiplier at his speed in the group's shelter, worked out in the move
/// phase (`Simulator::advance`) beside his own.
#[inline]
fn group_air(gap_ahead_m: f64, m_group: f64, p: &ModelParams) -> GroupAir {
    GroupAir {
        in_touch: p.hang_on_pack_draft > 0.0 && gap_ahead_m <= p.hang_on_reach_m,
        m: m_group,
    }
}

/// The air multiplier of the hang-on judgement for a runner whose own is `m_now` (see
/// `group_air`).
#[cfg(test)]
pub(super) fn hang_on_air(m_now: f64, v: f64, gap_ahead_m: f64, p: &ModelParams) -> f64 {
    let r_group = p.hang_on_pack_draft * p.draft_max * p.draft_scale;
    let m_group = physiology::air_multiplier(v, r_group, p.air_share_at_6);
    group_air(gap_ahead_m, m_group, p).multiplier(m_now)
}

/// Draw one runner's day form and tactical noise. The same (seed, race, name) always gives the
/// same draws, whatever else is in the field and whatever the tactic: each stream draws the same
/// numbers in the same order.
pub fn draw_runner(
    spec: &RunnerSpec,
    p: &ModelParams,
    seed: u64,
    race: u64,
    pace_sd: f64,
) -> RunnerDraw {
    let key = rng::name_key(&spec.name);
    let mut f = rng::stream(seed, race, Purpose::Form, key);
    let z_own = rng::normal(&mut f);
    let z2 = rng::normal(&mut f);
    let z1 = with_common_form(z_own, p.form_common_share, seed, race);
    let zd = p.form_rho * z1 + (1.0 - p.form_rho * p.form_rho).sqrt() * z2;
    let form = (p.form_sd_cs * z1).exp();
    let mut t = rng::stream(seed, race, Purpose::Tactics, key);
    let zk = rng::normal(&mut t);
    let zp = rng::normal(&mut t);
    let zr = rng::normal(&mut t);
    let ur = rng::uniform(&mut t);
    let ph = &spec.physiology;
    RunnerDraw {
        cs: ph.cs * form,
        d0: ph.d_prime * (p.form_sd_dprime * zd).exp(),
        mss: ph.mss * form,
        kick_m: (spec.tactic.kick_m + p.kick_jitter_m * zk).max(0.0),
        pace_mult: (1.0 + pace_sd * zp)
            * if spec.tactic.pace_from_ability {
                form
            } else {
                1.0
            },
        reserve_mult: (1.0 + p.reserve_estimate_cv * zr).max(0.5),
        reaction_s: p.reaction_min_s + (p.reaction_max_s - p.reaction_min_s) * ur,
    }
}

/// One agent as the neighbour scans see it, copied once per step.
#[derive(Debug, Clone, Copy, Default)]
struct Packed {
    s: f64,
    y: f64,
    v: f64,
    idx: u32,
    runner: bool,
    kicking: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct Surge {
    from_s: f64,
    to_s: f64,
    rise: f64,
    runner: usize,
}

/// One agent's state during a race (runners first, then pacers).
#[derive(Debug, Clone, Copy, Default)]
struct Agent {
    /// Progress along the lane-1 line [m].
    s: f64,
    /// Lateral offset from the lane-1 line of running [m].
    y: f64,
    /// Speed along own path [m/s].
    v: f64,
    /// Reserve D′bal [m] (pacers: unused).
    d: f64,
    /// The day's D′₀, CS, MSS.
    d0: f64,
    cs: f64,
    mss: f64,
    /// Factor on the runner's own estimate of his reserve (misjudgement).
    reserve_mult: f64,
    /// Draft fraction this step.
    draft: f64,
    /// What the draft of this step is made of ([`Senses`]): the best exponent, runners close
    /// ahead, running abreast. Stored by the runners' pass, turned into `draft` after it.
    draft_z: f64,
    close_ahead: u32,
    abreast: bool,
    /// Metabolic air multiplier at the last update (for the hang-on limit).
    m_air: f64,
    /// The air multiplier he would have in the group's shelter at the last update (for the
    /// hang-on judgement, `group_air`).
    m_group: f64,
    /// 1 / D′₀.
    inv_d0: f64,
    /// The hang-on limit's race constants.
    sus: physiology::Sustainable,
    /// Position on the lap [0, lap), kept incrementally (no fmod in the loop).
    lp: f64,
    /// The speed and lateral offset he aimed at when he last decided (held between decisions,
    /// [`ModelParams::decision_steps`]).
    aim_v: f64,
    aim_y: f64,
    new_v: f64,
    new_y: f64,
    next_split: usize,
    active: bool,
    runner: bool,
}

/// Where a runner's lead pace (the pace he runs with nobody in front) comes from; fixed for a
/// setup, so the race loop does not re-derive it every step.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LeadRule {
    /// The wave light's speed, corrected towards the light's position.
    Light,
    /// The pace-plan pacer's schedule, sagging once the pacers are gone.
    Plan(usize),
    /// The middle of the medium regime (he ignores the light or the pacers).
    Medium,
    /// The championship pace drawn for the race.
    Championship,
    /// His own solo, evenly paced speed [m/s].
    Own(f64),
}

/// The constants of the step, derived once from the setup's model parameters.
#[derive(Debug, Clone, Copy)]
struct StepConsts {
    dt: f64,
    /// Steps from one decision to the next ([`ModelParams::decision_steps`]).
    decide_every: u32,
    dist: f64,
    /// The bell: one lap to go [m].
    bell: f64,
    /// Safety net on race time [s].
    t_max: f64,
    slot: f64,
    /// Lateral distance within which someone at the shoulder stops a move [m].
    side: f64,
    draft_fn: physiology::DraftFn,
    inv_tau_resp: f64,
    inv_tau_k: f64,
    bend_psi: f64,
    medium_pace: f64,
    cfg: DecideConfig,
    /// The group's draft fraction in the hang-on judgement (`group_air`).
    r_group: f64,
    /// `sense`'s thresholds: closer than this nobody tucks in behind the man ahead [m]
    /// (`min_gap_m + 0.7`), pack-bonus reach (`2 + body_depth_m`), the lateral reach of "the
    /// man ahead" (`2.2 · slot`), and the body depth [m].
    tuck_m: f64,
    close_m: f64,
    near_y: f64,
    body_depth: f64,
    /// The two-three-wide pack's gap on a shoulder, 0 = off
    /// ([`ModelParams::pack_shoulder_gap_m`]), and the closest following gap [m].
    shoulder_gap: f64,
    min_gap: f64,
    /// How far ahead a man in the column he moves into must be for a runner wide of the pack's
    /// columns to move in ([`ModelParams::wide_fold_in`]) [m].
    wide_clear: f64,
}

/// What a race draws before the gun, besides the runners' own draws.
#[derive(Debug, Clone, Copy)]
struct RaceDraws {
    champ_pace: f64,
    sag: f64,
}

/// The field as every runner sees it at one step.
#[derive(Debug, Clone, Copy)]
struct FieldNow {
    t: f64,
    /// Position of the leading runner (pacers excluded) [m].
    field_lead_s: f64,
    pacers_on: bool,
    /// The wave light's position, if the race has one [m].
    light_s: Option<f64>,
    /// Number of kicking runners on the track.
    kickers: u32,
}

/// What one agent senses of its neighbours (phase 1), from the sorted field. Indices are into
/// the packed field.
#[derive(Debug, Clone, Copy)]
struct Senses {
    /// Smallest draft exponent among those ahead ([`physiology::DraftFn::exponent`]).
    best_z: f64,
    /// Runners close ahead (pack bonus on the draft).
    close_ahead: u32,
    abreast: bool,
    blocker: Option<usize>,
    nearest: Option<usize>,
    nearest_runner: Option<usize>,
    out_blocked: bool,
    in_blocked: bool,
    /// The furthest in he can go beside the runners alongside him on the inside (one shoulder
    /// width outside the widest of them), 0 if nobody is there [m].
    in_floor: f64,
    /// The speed of the man who sets `in_floor` [m/s].
    in_floor_v: f64,
    inside_ahead: bool,
    /// His station in the two-three-wide pack (`pack_station`; only with
    /// [`ModelParams::pack_shoulder_gap_m`] on).
    station: Option<Station>,
}

impl Senses {
    /// A man less than 3 m ahead (`ds`) and `dy` to the side: too close to tuck in behind
    /// (closer than `min_gap_m` + 0.7 m), on the inside he stops a move in; further ahead, on
    /// the inside, a runner going past stays out (moving in would box him in again) and anyone
    /// else tucks in behind.
    #[inline(always)]
    fn step_across(&mut self, o: &Packed, ds: f64, dy: f64, c: &StepConsts) {
        if ds < c.tuck_m {
            // no room to tuck in behind him yet
            if dy < -0.2 {
                self.inside_of(o, dy, c.slot, c.side);
            }
        } else if dy < -0.2 && dy > -c.side {
            self.inside_ahead = true;
        }
    }

    /// The draft from the man at `q`, `ds` (0.05–6 m) ahead and `ady` to the side (beyond 6 m
    /// or 1.25 m to the side it is below 0.5 % of r_max: skipped), the pack bonus, and whether
    /// he blocks (`within_3m`: he is less than 3 m ahead).
    #[inline(always)]
    fn draft_from(&mut self, q: usize, ds: f64, ady: f64, c: &StepConsts, within_3m: bool) {
        if ady < 1.25 {
            // a plain comparison (one `minsd`): exponents are never NaN, so `f64::min`'s NaN
            // handling is not needed in the scan's inner loop
            let z = c.draft_fn.exponent(ds - c.body_depth, ady);
            if z < self.best_z {
                self.best_z = z;
            }
            if ds < c.close_m && ady < 1.0 {
                self.close_ahead += 1;
            }
            if within_3m && self.blocker.is_none() && ady < 0.6 {
                self.blocker = Some(q);
            }
        }
    }

    /// The nearest man ahead in his line (within `near_y` to the side), and the nearest
    /// runner: the first met walking back.
    #[inline(always)]
    fn follow_from(&mut self, o: &Packed, q: usize, ady: f64, c: &StepConsts) {
        if ady < c.near_y {
            if self.nearest.is_none() {
                self.nearest = Some(q);
            }
            if self.nearest_runner.is_none() && o.runner {
                self.nearest_runner = Some(q);
            }
        }
    }

    /// A man on the inside (`dy` < 0) whom this runner is not clear of: he cannot go further in
    /// than one shoulder width (`slot`) outside him, and within `side` he is blocked from moving
    /// in at all.
    #[inline(always)]
    fn inside_of(&mut self, o: &Packed, dy: f64, slot: f64, side: f64) {
        if o.y + slot > self.in_floor {
            self.in_floor = o.y + slot;
            self.in_floor_v = o.v;
        }
        if dy > -side {
            self.in_blocked = true;
        }
    }
}

/// The runners within [`RIVAL_KICK_M`] ahead, as a window on the packed field that only moves
/// forward while the field is read front to back: O(1) amortised per runner.
#[derive(Debug, Clone, Copy, Default)]
struct KickWindow {
    lo: usize,
    hi: usize,
}

impl KickWindow {
    /// Whether someone 0.05–15 m ahead of `pk[oi]` is kicking, from the prefix counts of kickers
    /// (`kick_prefix[q]` = kickers among `pk[..q]`). Calls must come in increasing `oi`.
    #[inline]
    fn any(&mut self, pk: &[Packed], kick_prefix: &[u32], oi: usize) -> bool {
        let sa = pk[oi].s;
        while self.lo < oi && pk[self.lo].s - sa >= RIVAL_KICK_M {
            self.lo += 1;
        }
        self.hi = self.hi.max(self.lo);
        while self.hi < oi && pk[self.hi].s - sa > 0.05 {
            self.hi += 1;
        }
        kick_prefix[self.hi] > kick_prefix[self.lo]
    }
}

/// Reusable simulation state for one thread.
pub struct Simulator<'a> {
    setup: &'a RaceSetup,
    n_r: usize,
    n: usize,
    c: StepConsts,
    ag: Vec<Agent>,
    order: Vec<usize>,
    /// Active agents in order, packed for the neighbour scans.
    /// (One slot per agent; the first `n_pk` are this step's.)
    pk: Vec<Packed>,
    /// Active agents this step.
    n_pk: usize,
    /// `kick_prefix[q]`: kicking runners among `pk[..q]`.
    kick_prefix: Vec<u32>,
    /// With the two-three-wide pack on: `pack_cols[q]` is the column of `pk[q]`
    /// (`pack_column_i16`), worked out once per deciding step for everyone rather than for
    /// every neighbour of every runner who looks for his station (`pack_station`).
    pack_cols: Vec<i16>,
    tstate: Vec<TacticState>,
    /// Each runner's lead-pace rule.
    lead: Vec<LeadRule>,
    // pacers: noisy schedule times, flattened with offsets
    pacer_times: Vec<f64>,
    pacer_off: Vec<usize>,
    surges: [Surge; MAX_SURGES],
    n_surges: usize,
    /// Each runner's name key ([`rng::name_key`]).
    name_keys: Vec<u64>,
    /// Whether to record pacer split errors in the outcome.
    pub record_pacer_errors: bool,
}

impl<'a> Simulator<'a> {
    /// A simulator for races of `setup`, with every buffer sized once.
    pub fn new(setup: &'a RaceSetup) -> Simulator<'a> {
        let n_r = setup.runners.len();
        let n = n_r + setup.pacers.len();
        let mut pacer_off = Vec::with_capacity(setup.pacers.len() + 1);
        let mut tot = 0;
        for p in &setup.pacers {
            pacer_off.push(tot);
            tot += p.schedule.points().len();
        }
        pacer_off.push(tot);
        let p = &setup.params;
        let dist = setup.distance_m;
        let track = setup.track;
        // the step budget: three times the slowest runner's time at 0.9 CS, and a minute
        let cs_slowest = (setup.runners.iter()).fold(setup.cs_ref, |m, r| m.min(r.physiology.cs));
        let c = StepConsts {
            dt: p.dt_s,
            // a whole number from 1 to 10 (`ModelParams::validate`)
            decide_every: (p.decision_steps as u32).max(1),
            dist,
            bell: dist - track.lap_m,
            t_max: 3.0 * dist / (0.9 * cs_slowest).max(1.0) + 60.0,
            slot: p.lane_slot_m,
            side: p.lane_slot_m + 0.35,
            draft_fn: physiology::DraftFn::new(p),
            inv_tau_resp: 1.0 / p.tau_response_s,
            inv_tau_k: 1.0 / p.tau_keller_s,
            bend_psi: if track.banked {
                p.bend_psi * p.banked_factor
            } else {
                p.bend_psi
            },
            medium_pace: 0.5 * (p.regime_pace[1][0] + p.regime_pace[1][1]) * setup.v_ref,
            cfg: DecideConfig {
                follow_gap_m: p.follow_gap_m,
                cover_factor: p.cover_window_factor,
                surge_from_start: p.surge_from_start,
            },
            r_group: p.hang_on_pack_draft * p.draft_max * p.draft_scale,
            tuck_m: p.min_gap_m + 0.7,
            close_m: 2.0 + p.body_depth_m,
            near_y: 2.2 * p.lane_slot_m,
            body_depth: p.body_depth_m,
            shoulder_gap: p.pack_shoulder_gap_m,
            min_gap: p.min_gap_m,
            wide_clear: p.min_gap_m + p.wide_fold_in * (p.body_depth_m - p.min_gap_m),
        };
        let lead = setup
            .runners
            .iter()
            .map(|r| {
                let tac = &r.tactic;
                if setup.wavelight.is_some() {
                    if tac.follow_pacers || tac.kind == TacticKind::ChaseClock {
                        LeadRule::Light
                    } else {
                        LeadRule::Medium
                    }
                } else if let Some(j) = setup.plan_pacer {
                    if tac.follow_pacers {
                        LeadRule::Plan(j)
                    } else {
                        LeadRule::Medium
                    }
                } else if setup.is_championship() {
                    LeadRule::Championship
                } else {
                    LeadRule::Own(dist / r.solo_time_s)
                }
            })
            .collect();
        Simulator {
            setup,
            n_r,
            n,
            c,
            ag: vec![Agent::default(); n],
            order: (0..n).collect(),
            pk: vec![Packed::default(); n],
            n_pk: 0,
            kick_prefix: vec![0; n + 1],
            pack_cols: vec![0; n],
            tstate: vec![TacticState::new(0.0, 1.0, 1.0); n_r],
            lead,
            pacer_times: vec![0.0; tot],
            pacer_off,
            surges: [Surge::default(); MAX_SURGES],
            n_surges: 0,
            name_keys: setup
                .runners
                .iter()
                .map(|r| rng::name_key(&r.name))
                .collect(),
            record_pacer_errors: false,
        }
    }

    /// An outcome with buffers sized for this race.
    pub fn new_outcome(&self) -> RaceOutcome {
        let k = self.setup.n_splits();
        RaceOutcome {
            finish_s: vec![0.0; self.n_r],
            place: vec![0; self.n_r],
            splits_s: vec![0.0; self.n_r * k],
            leader_splits_s: vec![0.0; k],
            reserve_at_bell: vec![0.0; self.n_r],
            min_reserve_frac: vec![0.0; self.n_r],
            max_reserve_frac: vec![0.0; self.n_r],
            kick_from_m: vec![0.0; self.n_r],
            pacer_errors_s: Vec::new(),
            regime: None,
            unfinished: None,
        }
    }

    /// Run race number `race` of a run seeded with `seed`, writing into `out` (which must come from
    /// [`Simulator::new_outcome`]) and, if given, recording a trace.
    ///
    /// Before the gun: the race's draws (`Simulator::draw_race`) and the field on the line
    /// (`Simulator::line_up`). Then every step of `dt`: order the field, sense the neighbours
    /// and decide (runners, then pacers), move and record (`Simulator::advance`).
    pub fn run(&mut self, seed: u64, race: u64, out: &mut RaceOutcome, trace: Option<&mut Trace>) {
        out.unfinished = None;
        let rd = self.draw_race(seed, race, out);
        self.line_up(seed, race, out);
        let mut trace = trace;
        if let Some(tr) = trace.as_deref_mut() {
            tr.t.clear();
            tr.s = vec![Vec::new(); self.n];
            tr.v = vec![Vec::new(); self.n];
            tr.y = vec![Vec::new(); self.n];
            tr.reserve = vec![Vec::new(); self.n];
        }
        let dt = self.c.dt;
        let mut t = 0.0;
        let mut finished = 0usize;
        let mut next_frame = 0.0;
        let mut to_decide = 0u32;
        while finished < self.n_r {
            if let Some(tr) = trace.as_deref_mut() {
                self.record_frame(tr, t, &mut next_frame);
            }
            if t > self.c.t_max {
                self.time_out(t, out);
                break;
            }
            if to_decide == 0 {
                self.sort_field();
                let now = self.pack_field(t);
                let pk = std::mem::take(&mut self.pk);
                let field = pk.get(..self.n_pk).unwrap_or_default();
                self.decide_runners(field, &now, &rd, finished as u32, out, true);
                if now.pacers_on {
                    self.decide_pacers(field, &now);
                }
                self.pk = pk;
                to_decide = self.c.decide_every;
            } else if self.ag[..self.n_r]
                .iter()
                .any(|g| g.active && moving_across(g))
            {
                // between decisions, a runner moving across re-decides every step (he sees
                // the man he is moving towards); the rest hold their aims
                self.sort_field();
                let now = self.pack_field(t);
                let pk = std::mem::take(&mut self.pk);
                let field = pk.get(..self.n_pk).unwrap_or_default();
                self.decide_runners(field, &now, &rd, finished as u32, out, false);
                self.pk = pk;
                self.hold_pacers();
            } else {
                self.hold_aims();
            }
            to_decide -= 1;
            finished += self.advance(t, out);
            t += dt;
        }
        place_by_finish(out, self.n_r);
    }

    /// The race-level draws: the championship regime and pace, the post-pacer sag, and the
    /// race-level surges (who surges, where, how hard).
    fn draw_race(&mut self, seed: u64, race: u64, out: &mut RaceOutcome) -> RaceDraws {
        let su = self.setup;
        let p = &su.params;
        let dist = su.distance_m;
        let n_r = self.n_r;
        let championship = su.is_championship();
        let mut rr = rng::stream(seed, race, Purpose::Race, 0);
        let u_regime = rng::uniform(&mut rr);
        let u_pace = rng::uniform(&mut rr);
        let u_sag = rng::uniform(&mut rr);
        let regime = if u_regime < p.regime_prob[0] {
            Regime::Fast
        } else if u_regime < p.regime_prob[0] + p.regime_prob[1] {
            Regime::Medium
        } else {
            Regime::Slow
        };
        let ri = regime.index();
        let lead_frac =
            p.regime_pace[ri][0] + (p.regime_pace[ri][1] - p.regime_pace[ri][0]) * u_pace;
        let champ_pace = lead_frac * su.v_ref;
        let sag = 1.0 - p.post_pacer_sag * u_sag;
        self.n_surges = 0;
        let n_extra = rng::poisson(&mut rr, (p.regime_surges[ri] - 1.0).max(0.0)) as usize;
        let zf = rng::normal(&mut rr);
        let final_from_finish = (p.final_surge_m[ri][0] + p.final_surge_m[ri][1] * zf)
            .clamp(150.0, (dist - 300.0).max(150.0));
        let final_at = dist - final_from_finish;
        let add = |at: f64, rr: &mut rng::RaceRng, this: &mut Self| {
            let rise = p.surge_rise[0] + (p.surge_rise[1] - p.surge_rise[0]) * rng::uniform(rr);
            let len = p.surge_len_m[0] + (p.surge_len_m[1] - p.surge_len_m[0]) * rng::uniform(rr);
            // the surger: the runner with the highest score drawn from (race, his name), so
            // that the choice survives adding or removing other runners (common random numbers)
            let salt = rr.next_u64();
            let who = (0..n_r)
                .max_by_key(|&i| rng::mix64(salt ^ this.name_keys[i]))
                .unwrap_or(0);
            if this.n_surges < MAX_SURGES {
                this.surges[this.n_surges] = Surge {
                    from_s: at,
                    to_s: at + len,
                    rise,
                    runner: who,
                };
                this.n_surges += 1;
            }
        };
        add(final_at, &mut rr, self);
        for _ in 0..n_extra.min(MAX_SURGES - 1) {
            let u = rng::uniform(&mut rr);
            let at = 300.0 + (final_at - 300.0).max(0.0) * u;
            add(at, &mut rr, self);
        }
        if !championship {
            self.n_surges = 0;
        }
        out.regime = championship.then_some(regime);
        RaceDraws { champ_pace, sag }
    }

    /// The runners' day form and tactical noise, the pacers' noisy schedules, and the start line:
    /// pacers on the inside, runners in a random order outside them.
    fn line_up(&mut self, seed: u64, race: u64, out: &mut RaceOutcome) {
        let su = self.setup;
        let p = &su.params;
        let n_r = self.n_r;
        let pace_sd = if su.wavelight.is_some() {
            p.pace_sd_wavelight
        } else {
            p.pace_sd
        };
        for i in 0..n_r {
            let spec = &su.runners[i];
            let dr = with_ability(
                draw_runner(spec, p, seed, race, pace_sd),
                su.ability[i],
                spec.tactic.pace_from_ability,
            );
            self.ag[i] = Agent {
                cs: dr.cs,
                d0: dr.d0,
                d: dr.d0,
                mss: dr.mss,
                inv_d0: 1.0 / dr.d0,
                m_air: 1.0,
                m_group: 1.0,
                sus: physiology::Sustainable::new(dr.cs, dr.mss, dr.d0),
                reserve_mult: dr.reserve_mult,
                runner: true,
                ..Agent::default()
            };
            self.tstate[i] = TacticState::new(dr.kick_m, dr.pace_mult, dr.reaction_s);
            out.min_reserve_frac[i] = 1.0;
            out.max_reserve_frac[i] = 1.0;
            out.reserve_at_bell[i] = f64::NAN;
            out.kick_from_m[i] = f64::NAN;
        }
        for (j, ps) in su.pacers.iter().enumerate() {
            self.ag[n_r + j] = Agent {
                cs: f64::INFINITY,
                d0: 1.0,
                d: 1.0,
                mss: PACER_MSS,
                reserve_mult: 1.0,
                runner: false,
                ..Agent::default()
            };
            let mut pr = rng::stream(seed, race, Purpose::Pacer, rng::name_key(&ps.name));
            let mut cum = 0.0;
            let mut last_d = 0.0;
            for (k, &(at, t)) in ps.schedule.points().iter().enumerate() {
                let sd = p.pacer_sd_per_400_s * ((at - last_d) / 400.0).sqrt();
                cum += sd * rng::normal(&mut pr);
                self.pacer_times[self.pacer_off[j] + k] = t + cum;
                last_d = at;
            }
        }
        let mut st = rng::stream(seed, race, Purpose::Start, 0);
        for a in 0..self.n {
            self.order[a] = a;
        }
        // start positions: runners ordered by a score drawn from (race, name), so each runner's
        // relative place on the line does not depend on who else is in the field
        let salt = st.next_u64();
        let keys = &self.name_keys;
        self.order[..n_r].sort_by_key(|&i| rng::mix64(salt ^ keys[i]));
        self.order.rotate_left(n_r);
        let lp0 = su.track.lap_position(su.distance_m, 0.0);
        // a waterfall start across the track; a big field closes up to fit
        let spacing = START_SPACING_M.min(START_WIDTH_M / self.n.max(1) as f64);
        for (slot, &a) in self.order.iter().enumerate() {
            let g = &mut self.ag[a];
            g.y = slot as f64 * spacing;
            // a few centimetres of stagger so that nobody starts exactly level
            g.s = 0.01 * rng::uniform(&mut st);
            g.lp = lp0 + g.s;
            g.active = true;
        }
        for k in 0..su.n_splits() {
            out.leader_splits_s[k] = f64::INFINITY;
        }
        out.pacer_errors_s.clear();
    }

    /// One trace frame, if one is due.
    fn record_frame(&self, tr: &mut Trace, t: f64, next_frame: &mut f64) {
        if t < *next_frame - 1e-9 {
            return;
        }
        tr.t.push(t);
        for (a, g) in self.ag.iter().enumerate() {
            let on = g.active;
            let nan = f64::NAN;
            tr.s[a].push(if on { g.s } else { nan });
            tr.v[a].push(if on { g.v } else { nan });
            tr.y[a].push(if on { g.y } else { nan });
            tr.reserve[a].push(if on && g.runner { g.d / g.d0 } else { nan });
        }
        *next_frame += tr.every_s;
    }

    /// Safety net; the dynamics keep everyone moving, so this should never happen: every runner
    /// still running finishes at his current speed.
    fn time_out(&mut self, t: f64, out: &mut RaceOutcome) {
        let nk = self.setup.n_splits();
        let dist = self.c.dist;
        // the race cannot finish: the runner furthest from the line is reported (the finish
        // times below are only placeholders, and the Monte Carlo run ends with an error)
        out.unfinished = (0..self.n_r)
            .filter(|&i| self.ag[i].active)
            .min_by(|&a, &b| self.ag[a].s.total_cmp(&self.ag[b].s))
            .map(|i| Unfinished {
                runner: i,
                reached_m: self.ag[i].s,
                budget_s: t,
            });
        for i in 0..self.n_r {
            let g = &mut self.ag[i];
            if g.active {
                let rest = (dist - g.s) / g.v.max(1.0);
                out.finish_s[i] = t + rest;
                for k in g.next_split..nk {
                    out.splits_s[i * nk + k] = t + rest;
                }
                g.active = false;
            }
        }
    }

    /// Phase 0: order by position, furthest first (an insertion sort: the order barely changes
    /// from one step to the next, so this is O(n) but for the few who overtake).
    #[inline]
    fn sort_field(&mut self) {
        for i in 1..self.n {
            let a = self.order[i];
            let sa = self.ag[a].s;
            let mut j = i;
            while j > 0 && self.ag[self.order[j - 1]].s < sa {
                self.order[j] = self.order[j - 1];
                j -= 1;
            }
            self.order[j] = a;
        }
    }

    /// The active field packed in order (contiguous, for the scans), the kickers' prefix counts,
    /// and the race-level context of this step.
    #[inline]
    fn pack_field(&mut self, t: f64) -> FieldNow {
        let mut field_lead_s = f64::NEG_INFINITY;
        let mut pacers_on = false;
        let mut kickers = 0u32;
        // every slot written in place (no push: the buffers are sized once, in `new`)
        let mut m = 0;
        for &a in &self.order {
            let g = &self.ag[a];
            if !g.active {
                continue;
            }
            if g.runner {
                field_lead_s = field_lead_s.max(g.s);
            } else {
                pacers_on = true;
            }
            let kicking = g.runner && self.tstate[a].kicking;
            kickers += kicking as u32;
            if let (Some(slot), Some(prefix)) =
                (self.pk.get_mut(m), self.kick_prefix.get_mut(m + 1))
            {
                *prefix = kickers;
                *slot = Packed {
                    s: g.s,
                    y: g.y,
                    v: g.v,
                    idx: a as u32,
                    runner: g.runner,
                    kicking,
                };
                m += 1;
            }
        }
        self.n_pk = m;
        FieldNow {
            t,
            field_lead_s,
            pacers_on,
            light_s: self.setup.wavelight.as_ref().map(|w| w.distance_at(t)),
            kickers,
        }
    }

    /// Phases 1–3 for every runner, front to back: sense the neighbours, decide (the tactic),
    /// then steer (blocking, lateral intent) and respond (inertia, the Morton cap). Writes each
    /// runner's draft, next speed and next lateral offset; positions move only in
    /// `Simulator::advance`, so every runner decides on the same snapshot.
    fn decide_runners(
        &mut self,
        pk: &[Packed],
        now: &FieldNow,
        rd: &RaceDraws,
        finished: u32,
        out: &mut RaceOutcome,
        all: bool,
    ) {
        let p = &self.setup.params;
        let c = self.c;
        // runners already home are ahead of everyone
        let mut runners_ahead = finished;
        let mut kw = KickWindow::default();
        let mut cols = std::mem::take(&mut self.pack_cols);
        if c.shoulder_gap > 0.0 {
            pack_columns(pk, c.slot, &mut cols);
        }
        for (oi, me) in pk.iter().enumerate() {
            if !me.runner {
                continue;
            }
            let i = me.idx as usize;
            let place = runners_ahead + 1;
            runners_ahead += 1;
            if !all && !moving_across(&self.ag[i]) {
                respond_runner(&mut self.ag[i], me.y, &c, p);
                continue;
            }
            let mut sn = sense(pk, oi, &c);
            if c.shoulder_gap > 0.0 {
                let on_bend = self.setup.track.on_bend(self.ag[i].lp);
                sn.station = pack_station(pk, &cols, oi, &c, on_bend);
            }
            let rival_kicking = now.kickers > 0 && kw.any(pk, &self.kick_prefix, oi);
            let (v_des, want_pass) =
                self.decide_runner(i, pk, oi, &sn, rival_kicking, place, now, rd, out);
            let (v_des, y_target) = self.steer(i, pk, oi, &sn, v_des, want_pass);
            let g = &mut self.ag[i];
            g.aim_v = v_des;
            g.aim_y = y_target;
            respond_runner(g, me.y, &c, p);
            g.draft_z = sn.best_z;
            g.close_ahead = sn.close_ahead;
            g.abreast = sn.abreast;
        }
        self.pack_cols = cols;
        // the draft's exponential for every runner in one short loop: independent evaluations
        // that the processor overlaps, instead of a long dependency chain inside each runner's
        // branchy step
        for me in pk {
            if me.runner {
                let g = &mut self.ag[me.idx as usize];
                g.draft = draft_of(g.draft_z, g.close_ahead, g.abreast, &c, p);
            }
        }
    }

    /// Phase 2 for one runner: whom he follows (bridging to the group if his man has lost it),
    /// the pace with nobody in front, his hang-on limits and any race surge, and his tactic's
    /// answer. Returns his desired speed and whether he wants to pass.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn decide_runner(
        &mut self,
        i: usize,
        pk: &[Packed],
        oi: usize,
        sn: &Senses,
        rival_kicking: bool,
        place: u32,
        now: &FieldNow,
        rd: &RaceDraws,
        out: &mut RaceOutcome,
    ) -> (f64, bool) {
        let su = self.setup;
        let p = &su.params;
        let sa = pk[oi].s;
        let tac = &su.runners[i].tactic;
        let d_rem = self.c.dist - sa;
        let mut follow = if tac.follow_pacers {
            sn.nearest
        } else {
            sn.nearest_runner
        };
        // Bridging: if the man he follows has dropped off his group (a gap has opened in front
        // of him), a racer follows the group instead — and goes round the fader, if the group's
        // pace is one he believes he can hold.
        let mut bridging = false;
        if let Some(fq) = follow {
            if tac.kind.races_rivals() && sa > tactics::START_PHASE_M {
                let f = pk[fq];
                let group = pk[..fq]
                    .iter()
                    .rposition(|o| o.s > f.s + 0.05 && (tac.follow_pacers || o.runner));
                if let Some(gq) = group {
                    let g = pk[gq];
                    if g.s - f.s > BRIDGE_GAP_M && g.s - sa < tactics::CONTACT_M {
                        follow = Some(gq);
                        bridging = true;
                    }
                }
            }
        }
        let ya = pk[oi].y;
        let mut ahead = follow.map(|q| {
            let o = pk[q];
            // a man in the next lane is no obstacle: running beside or just ahead of him, he
            // matches his speed rather than dropping back to a stride behind him (with
            // `close_in`; without it, every man alongside braked for the one beside him and a
            // bunched field sent a braking wave back through itself)
            let beside = p.close_in > 0.0 && (o.y - ya).abs() >= self.c.slot;
            let gap_m = o.s - sa;
            Ahead {
                gap_m: if beside {
                    gap_m.max(self.c.cfg.follow_gap_m)
                } else {
                    gap_m
                },
                v: o.v,
                is_pacer: !o.runner,
                kicking: o.kicking,
            }
        });
        // the two-three-wide pack: he keeps to his station (behind the man ahead in his column,
        // or on the shoulder of the man inside) rather than to a stride behind the nearest man
        if let (Some(a), Some((ds, v)), false) = (
            ahead.as_mut(),
            sn.station.and_then(|st| st.follow),
            bridging,
        ) {
            a.gap_m = ds + self.c.cfg.follow_gap_m;
            a.v = v;
        }
        // the pace a leader runs when nobody is in front of him
        let lead_pace = match (self.lead[i], now.light_s, su.wavelight.as_ref()) {
            (LeadRule::Light, Some(ls), Some(w)) => {
                w.speed_at(sa) + ((ls - sa) * 0.2).clamp(-0.3, 0.3)
            }
            (LeadRule::Plan(j), _, _) => su.pacers[j].schedule.speed_at(sa) * rd.sag,
            (LeadRule::Championship, _, _) => rd.champ_pace,
            (LeadRule::Own(v), _, _) => v,
            _ => self.c.medium_pace,
        };
        let g = &self.ag[i];
        // the man he follows, for the hang-on judgement with the group's draft
        let gap_ahead = follow
            .map(|q| pk[q])
            .filter(|o| tac.follow_pacers || o.runner)
            .map_or(f64::INFINITY, |o| o.s - sa);
        let mut race_surge = 0.0;
        for sg in &self.surges[..self.n_surges] {
            if sg.runner == i && sa >= sg.from_s && sa < sg.to_s {
                race_surge = sg.rise;
            }
        }
        let sit = Situation {
            t: now.t,
            s: sa,
            v: g.v,
            d_rem,
            place,
            ahead,
            rival_kicking,
            lead_pace,
            // judged with the runner's own, noisy, idea of his reserve
            limits: HangOn {
                sus: g.sus,
                d_seen: g.d * g.reserve_mult,
                d_rem,
                m: g.m_air,
                group: group_air(gap_ahead, g.m_group, p),
                floor: p.tie_up_floor * g.cs,
                follow_margin: p.follow_margin,
                drive_margin: p.drive_margin,
            },
            race_surge,
            pacers_on: now.pacers_on,
        };
        let mss = g.mss;
        let ts = &mut self.tstate[i];
        let was_kicking = ts.kicking;
        let dec = tactics::decide(tac, ts, &sit, &self.c.cfg);
        if !was_kicking && ts.kicking {
            out.kick_from_m[i] = ts.kick_started_m;
        }
        (dec.v_des.min(mss), dec.want_pass || bridging)
    }

    /// Phase 3 for one runner: blocking and lateral intent. Wanting to pass only counts when he
    /// is actually faster than the man ahead (otherwise he tucks in rather than run wide for
    /// nothing); moves out are made on the straights unless kicking; he does not run into the
    /// man in front. Returns the desired speed and the lateral target.
    #[inline]
    fn steer(
        &self,
        i: usize,
        pk: &[Packed],
        oi: usize,
        sn: &Senses,
        v_des: f64,
        want_pass: bool,
    ) -> (f64, f64) {
        let p = &self.setup.params;
        let slot = self.c.slot;
        let (sa, ya) = (pk[oi].s, pk[oi].y);
        let mut v_des = v_des;
        let mut want_pass = want_pass;
        if let Some(q) = sn.nearest {
            if v_des <= pk[q].v + 0.1 {
                want_pass = false;
            }
        }
        // how far in he moves towards `target`: with someone at his inside shoulder he holds his
        // line (`close_in` 0) or closes in to a shoulder width outside the men alongside him on
        // the inside (`close_in` 1), never moving out for it; the line collapses to the kerb as
        // a whole, each man drifting in with the man inside him
        let inward = |target: f64| {
            let free = if sn.in_blocked { ya } else { target };
            let closed = target.max(sn.in_floor).min(ya);
            free + p.close_in * (closed - free)
        };
        // the line he settles to when not passing: his station's in the two-three-wide pack,
        // else the kerb
        let home = sn.station.map_or_else(|| inward(0.0), |st| st.y);
        // third wide or wider with men alongside on his inside, and not going past: he eases
        // off to drop in behind them rather than run a lane out round the next bend (π·Δy
        // metres per bend, model notes §3.1) — how a bunched start sorts itself into a file two
        // or three wide
        // (below the man at his inside shoulder, or below his own aim if that is faster — both
        // accelerate off the line —, never on top of an easing he already follows: a chain of
        // followers easing each below the next would brake the back of the field)
        if !want_pass && sn.in_floor >= 2.0 * slot - 0.05 && ya >= 2.0 * slot - 0.05 {
            v_des = v_des.min(v_des.max(sn.in_floor_v) - p.tuck_in_ease_mps);
        }
        let mut y_target = ya;
        if let Some(bq) = sn.blocker {
            let b = pk[bq];
            let gap = b.s - sa;
            let wants = want_pass || v_des > b.v + 0.15;
            // moves are made on the straights (no π·Δy to pay; model notes §3.4, the BBC's
            // Beijing 2008 transponder analysis [S]) — unless kicking
            let may_move_out = !self.setup.track.on_bend(self.ag[i].lp)
                || self.tstate[i].kicking
                || ya > b.y + 0.2;
            if wants && !sn.out_blocked && may_move_out {
                y_target = b.y + slot;
            } else if !wants {
                y_target = home;
            }
            // do not run into him: close up (or drop back) gently
            v_des = v_des.min((b.v + (gap - p.min_gap_m)).max(b.v - 0.5));
        } else if !want_pass {
            y_target = home;
        } else if !sn.inside_ahead {
            // a runner going past drifts in only once clear
            y_target = inward((ya - slot).max(0.0));
        }
        (v_des, y_target)
    }

    /// Phases 2–3 for the pacers: aim at the next scheduled split (noisy times), wait for the
    /// field if too far ahead of it, run the inside line. Pacers draft nobody and have no reserve.
    fn decide_pacers(&mut self, pk: &[Packed], now: &FieldNow) {
        let su = self.setup;
        let p = &su.params;
        let c = self.c;
        let n_r = self.n_r;
        let n_pacers = pk.iter().filter(|o| !o.runner).count();
        let mut seen = 0;
        for me in pk {
            if me.runner {
                continue;
            }
            seen += 1;
            let a = me.idx as usize;
            let sa = me.s;
            let j = a - n_r;
            let ps = &su.pacers[j];
            let k = ps.schedule.segment(sa);
            let seg_v = ps.schedule.seg_speed(k);
            let (at, _) = ps.schedule.points()[k];
            let t_at = self.pacer_times[self.pacer_off[j] + k];
            let mut v_des = if at > sa && t_at - now.t > 2.0 {
                ((at - sa) / (t_at - now.t)).clamp(0.85 * seg_v, 1.15 * seg_v)
            } else {
                seg_v
            };
            // wait for the field (pacers further ahead of the field allow more)
            let behind_pacers = (n_pacers - seen) as f64;
            if now.field_lead_s.is_finite()
                && sa - now.field_lead_s > p.pacer_wait_gap_m * (1.0 + behind_pacers)
            {
                v_des *= 1.0 - p.pacer_wait_slow;
            }
            let g = &mut self.ag[a];
            g.aim_v = v_des;
            g.aim_y = 0.0;
            respond_pacer(g, me.y, &c, p);
            g.draft = 0.0;
        }
    }

    /// Phase 3 between decisions ([`ModelParams::decision_steps`]): every agent on the
    /// track responds to the speed and line he aimed at when he last decided, through inertia
    /// and (runners) the Morton cap at his present reserve; his draft stays the one he last
    /// sensed. No sort, no scan, no tactic.
    fn hold_aims(&mut self) {
        let p = &self.setup.params;
        let c = self.c;
        for g in self.ag.iter_mut().filter(|g| g.active) {
            let ya = g.y;
            if g.runner {
                respond_runner(g, ya, &c, p);
            } else {
                respond_pacer(g, ya, &c, p);
            }
        }
    }

    /// [`Self::hold_aims`] for the pacers only.
    fn hold_pacers(&mut self) {
        let p = &self.setup.params;
        let c = self.c;
        for g in self.ag[self.n_r..].iter_mut().filter(|g| g.active) {
            let ya = g.y;
            respond_pacer(g, ya, &c, p);
        }
    }

    /// Phase 4: move every agent, spend and refill the runners' reserves, record splits,
    /// finishes and pacer drop-outs. Returns the number of runners who finished this step.
    fn advance(&mut self, t: f64, out: &mut RaceOutcome) -> usize {
        let su = self.setup;
        let p = &su.params;
        let c = self.c;
        let track = su.track;
        let nk = su.n_splits();
        let n_r = self.n_r;
        let mut finished = 0;
        for a in 0..self.n {
            let g = &mut self.ag[a];
            if !g.active {
                continue;
            }
            let v1 = g.new_v;
            let y1 = g.new_y;
            let s0 = g.s;
            let lp = g.lp;
            // on a bend: curvature 1/(R+y) and progress factor R/(R+y) share one division
            let kappa = track.curvature(lp, y1);
            let s1 = if kappa > 0.0 {
                s0 + v1 * c.dt * track.bend_radius_m * kappa
            } else {
                s0 + v1 * c.dt
            };
            let mut lp1 = lp + (s1 - s0);
            if lp1 >= track.lap_m {
                lp1 -= track.lap_m;
            }
            g.lp = lp1;
            g.v = v1;
            g.y = y1;
            g.s = s1;
            if g.runner {
                let m_air = physiology::air_multiplier(v1, g.draft, p.air_share_at_6);
                g.m_air = m_air;
                // the group's shelter at the same speed, for the next hang-on judgement: an
                // independent division here rather than one in the decision's chain to the
                // limit's square root
                g.m_group = physiology::air_multiplier(v1, c.r_group, p.air_share_at_6);
                let u = v1 * m_air * physiology::bend_multiplier(v1, kappa, c.bend_psi);
                let d1 = physiology::step_reserve_inv(g.d, g.d0, g.inv_d0, g.cs, u, p.k_rec, c.dt);
                g.d = d1;
                let f = d1 * g.inv_d0;
                if f < out.min_reserve_frac[a] {
                    out.min_reserve_frac[a] = f;
                }
                if f > out.max_reserve_frac[a] {
                    out.max_reserve_frac[a] = f;
                }
                if s0 < c.bell && s1 >= c.bell {
                    out.reserve_at_bell[a] = f;
                }
            } else {
                let j = a - n_r;
                let ps = &su.pacers[j];
                if self.record_pacer_errors {
                    for &(at, t_plan) in ps.schedule.points() {
                        if s0 < at && s1 >= at && at <= ps.drop_out_m + 1e-9 {
                            let tc = t + c.dt * (at - s0) / (s1 - s0);
                            out.pacer_errors_s.push((j, at, tc - t_plan));
                        }
                    }
                }
                if s1 >= ps.drop_out_m {
                    g.active = false;
                }
            }
            // splits
            let mut k = g.next_split;
            while k < nk && s1 >= su.split_points_m[k] {
                let tc = t + c.dt * (su.split_points_m[k] - s0) / (s1 - s0);
                if tc < out.leader_splits_s[k] {
                    out.leader_splits_s[k] = tc;
                }
                if g.runner {
                    out.splits_s[a * nk + k] = tc;
                }
                k += 1;
            }
            g.next_split = k;
            if g.runner && k == nk {
                out.finish_s[a] = out.splits_s[a * nk + nk - 1];
                g.active = false;
                finished += 1;
            }
        }
        finished
    }
}

/// Phase 1 for the runner at `pk[oi]`: who is directly in front (and blocks), whom he would
/// follow, who is at his shoulders (and stops him moving out or in), how much draft he gets.
///
/// The field is sorted by position, so walking back from him the distance ahead `ds` only
/// grows: the walk is cut into zones at the distances where a question stops applying —
/// alongside (`ds` < 1.2 m: shoulders, running abreast), within reach of a step across
/// (< 3 m: the man directly in front, tucking in), the draft's reach
/// ([`DRAFT_REACH_M`]) and contact ([`tactics::CONTACT_M`]) — and each zone's loop asks only
/// its own questions. Each neighbour gets exactly the tests, in the same order, that one loop
/// asking every question of every neighbour would give him (the zone bounds replace the
/// distance tests, which were the scan's worst-predicted branches). The walk stops as soon as
/// nothing further ahead can change an answer: beyond the draft's reach once he has someone to
/// follow, at the latest at contact.
#[inline]
fn sense(pk: &[Packed], oi: usize, c: &StepConsts) -> Senses {
    let me = &pk[oi];
    let (sa, ya) = (me.s, me.y);
    let mut sn = Senses {
        best_z: f64::INFINITY,
        close_ahead: 0,
        abreast: false,
        blocker: None,
        nearest: None,
        nearest_runner: None,
        out_blocked: ya > MAX_Y - c.slot,
        in_blocked: ya <= 0.0,
        in_floor: 0.0,
        in_floor_v: f64::INFINITY,
        inside_ahead: false,
        station: None,
    };
    // `rest` holds everyone ahead not yet looked at; the man looked at is `rest`'s last, at
    // index `rest.len()` once he is split off
    let mut rest = pk.get(..oi).unwrap_or_default();
    // alongside: ds < 1.2 m
    while let Some((o, before)) = rest.split_last() {
        let ds = o.s - sa;
        if ds >= 1.2 {
            break;
        }
        rest = before;
        let q = rest.len();
        let dy = o.y - ya;
        let ady = dy.abs();
        if dy > 0.2 && dy < c.side {
            sn.out_blocked = true;
        }
        if ds < 0.5 && ady < 1.0 {
            sn.abreast = true;
        }
        sn.step_across(o, ds, dy, c);
        if ds > 0.05 {
            sn.draft_from(q, ds, ady, c, true);
            sn.follow_from(o, q, ady, c);
        }
    }
    // a step across: 1.2 ≤ ds < 3 m
    while let Some((o, before)) = rest.split_last() {
        let ds = o.s - sa;
        if ds >= 3.0 {
            break;
        }
        rest = before;
        let q = rest.len();
        let dy = o.y - ya;
        let ady = dy.abs();
        sn.step_across(o, ds, dy, c);
        sn.draft_from(q, ds, ady, c, true);
        sn.follow_from(o, q, ady, c);
    }
    // the draft's reach: 3 ≤ ds < 6 m
    while let Some((o, before)) = rest.split_last() {
        let ds = o.s - sa;
        if ds >= DRAFT_REACH_M {
            break;
        }
        rest = before;
        let q = rest.len();
        let ady = (o.y - ya).abs();
        sn.draft_from(q, ds, ady, c, false);
        sn.follow_from(o, q, ady, c);
    }
    // contact: whom to follow, up to 25 m, until both are found
    while let Some((o, before)) = rest.split_last() {
        let ds = o.s - sa;
        if ds > tactics::CONTACT_M || (sn.nearest.is_some() && sn.nearest_runner.is_some()) {
            break;
        }
        rest = before;
        let q = rest.len();
        sn.follow_from(o, q, (o.y - ya).abs(), c);
    }
    for o in &pk[oi + 1..] {
        let ds = sa - o.s;
        if ds > 1.2 {
            break;
        }
        let dy = o.y - ya;
        if dy > 0.2 && dy < c.side {
            sn.out_blocked = true;
        }
        if dy < -0.2 {
            // not clear ahead of him yet: no cutting across his path
            sn.inside_of(o, dy, c.slot, c.side);
        }
        if ds < 0.5 && dy.abs() < 1.0 {
            sn.abreast = true;
        }
    }
    sn
}

/// A man as a station is kept to: how far his chest is ahead of the runner's [m], his speed
/// [m/s].
type Ref = (f64, f64);

/// A runner's station in the two-three-wide pack ([`ModelParams::pack_shoulder_gap_m`]).
#[derive(Debug, Clone, Copy)]
struct Station {
    /// Where his station is, chest to chest ahead of him (negative: behind him, he drops back
    /// to it) [m], and the speed of the man it is kept to [m/s]; `None` when the column he
    /// chose has nobody in it within reach (he runs free there, the tactic's follow stays as it
    /// was).
    follow: Option<(f64, f64)>,
    /// The line he aims at: the centre of the column he chose, once the move there is clear of
    /// everyone in it (nobody within `min_gap_m` ahead or behind), else his own line [m].
    y: f64,
}

/// Columns of the pack: lane 1's line of running, one and two shoulder widths out [U] (the
/// issue's "two or three wide"; Rome 2024's thirteen women were within 0.6–1.2 s, 4–8 m, from
/// 200 to 800 m, ../shared/data/races — three or four rows of three).
const PACK_COLUMNS: i64 = 3;
/// How far ahead a runner looks for his station [m] [U]: about six following gaps, beyond the
/// draft's reach (`DRAFT_REACH_M`); further ahead nobody constrains where he runs.
const PACK_REACH_M: f64 = 8.0;
/// What a column out is worth to him in place, on a straight and on a bend [m of station] [U].
/// On a straight moving out costs nothing yet (the bend's π·Δy comes later; moves are made on
/// the straights, model notes §3.4), so he takes a shoulder that gains him more than 0.4 m (with
/// the stay bonus), i.e. the shoulder of the man he queues behind (a gain of `follow_gap_m` −
/// `pack_shoulder_gap_m`, 0.65 m shipped). On a bend a column out costs π·`lane_slot_m` = 2.4 m
/// per bend (§3.1): he gives up to 0.9 m of station (less than one place) to drop in behind a
/// gap on his inside, so an outer runner with room inside him does not run the bend wide.
const PACK_WIDTH_STRAIGHT_M: f64 = 0.3;
const PACK_WIDTH_BEND_M: f64 = 1.0;
/// Bonus of the column he is in [m] [U]: a hysteresis so that two columns of equal worth do
/// not make him weave (a move across takes ~1 s at `lateral_speed_mps`).
const PACK_STAY_M: f64 = 0.1;

/// How many men ahead and behind in the sorted field the squeeze check of `pack_station` looks
/// at: more than can overlap a runner within `min_gap_m` in a pack three wide.
const PACK_SIDE_SCAN: usize = 6;

/// Column of a lateral offset `y` (nearest multiple of `slot`): `⌊y/slot + 0.5⌋`. The floor is
/// taken by truncation and a correction, not `f64::floor`, which on the baseline x86-64 target
/// is a call into libm (its branches were a tenth of the pack's mispredictions); the two agree
/// on every input (and saturate alike beyond the `i64` range: NaN gives 0 in both).
#[inline]
fn pack_column(y: f64, slot: f64) -> i64 {
    let x = y / slot + 0.5;
    let t = x as i64;
    if (t as f64) > x {
        t.saturating_sub(1)
    } else {
        t
    }
}

/// [`pack_column`] as stored in `Simulator::pack_cols`. A lateral offset is at most `MAX_Y` (8 m) and a
/// shoulder width at least 0.3 m (`ModelParams::validate`), so a column is at most 27: the
/// clamp never bites.
#[inline]
fn pack_column_i16(y: f64, slot: f64) -> i16 {
    pack_column(y, slot).clamp(i64::from(i16::MIN), i64::from(i16::MAX)) as i16
}

/// Every packed agent's column (`cols[q]` for `pk[q]`), for [`pack_station`].
#[inline(never)]
fn pack_columns(pk: &[Packed], slot: f64, cols: &mut [i16]) {
    for (col, o) in cols.iter_mut().zip(pk) {
        *col = pack_column_i16(o.y, slot);
    }
}

/// Phase 1 for the two-three-wide pack: the station of the runner at `pk[oi]` and the column he
/// runs in. The model: the field runs in columns a shoulder width (`lane_slot_m`) apart — lane
/// 1's line, one and two shoulder widths out ([`PACK_COLUMNS`]). In column `j` his station is
/// the tighter of
/// * `follow_gap_m` behind the nearest man ahead in column `j` (directly behind him: the full
///   draft, §2.2–2.3), and
/// * `pack_shoulder_gap_m` behind the nearest man ahead in column `j − 1`, on that man's outside
///   shoulder (diagonally behind him: a partial draft, the draft function's lateral decay; Pugh
///   via Noakes, "slightly to the side ≈ 1 s per lap" against ≈ 4 s directly behind, model notes
///   §2.2 [S]);
///
/// a column with nobody setting a station in it within [`PACK_REACH_M`] is free: worth the best
/// station of the columns he weighs (he could be as far forward there as anywhere: the width
/// decides) at or inside his own, not a station outward (going wide of the pack is a pass, the tactic's
/// business). He weighs his own column and the two beside it by how far forward the station is,
/// less the column's width ([`PACK_WIDTH_STRAIGHT_M`], [`PACK_WIDTH_BEND_M`] per column out),
/// plus [`PACK_STAY_M`] for staying; he moves out only on a straight, one column at a time,
/// never beyond the third; wider than that (after the waterfall start, or out on a pass) he
/// counts every column beyond the third at the bend's π·`lane_slot_m` (2.4 m, §3.1 [D]) and
/// only moves in. The lateral move waits until nobody in
/// the target column is within `min_gap_m` of him (he drops back or moves up to his station
/// first: dropping in behind a gap, giving way) — wide of the pack's columns, until the man
/// ahead there is a body depth clear of him (the waterfall's fold-in,
/// [`ModelParams::wide_fold_in`]); the blocking rules (`steer`) still stop him running into
/// anyone.
///
/// Against the first prototype's two failures (branch `pack`, ab100d2): the outer column is
/// not a box — a runner there drops in behind the first gap inside him on a bend, where width
/// costs, so he pays the bend's extra distance only while the inside is full; and nobody is
/// held behind a fader by a column — his station follows the man actually ahead in each
/// column, so a runner behind a fader takes the shoulder beside him.
///
/// Kept out of line: the decision loop it is called from is the engine's hottest code, and
/// inlined here it changed how that loop was compiled with the pack off (+5 % instructions).
#[inline(never)]
fn pack_station(
    pk: &[Packed],
    cols: &[i16],
    oi: usize,
    c: &StepConsts,
    on_bend: bool,
) -> Option<Station> {
    let me = pk.get(oi)?;
    let (sa, ya) = (me.s, me.y);
    let slot = c.slot;
    let k = i64::from(*cols.get(oi)?);
    // columns k − 2 ..= k + 1 (index m = column − k + 2; every other column, and anyone not
    // counted, lands in slot 4, which is never read): how far ahead the nearest man is who is
    // ahead or less than `min_gap_m` behind (a move's clearance; `own_d`) and the nearest
    // clearly ahead, with his speed (his own column's station, and the shoulder for the column
    // outside; `ahead_d`, `ahead_v`); [`PACK_NOBODY_M`] for nobody (finite, so that the
    // choice of a column can be made by arithmetic; any man noted is nearer). Each note is
    // straight arithmetic: `minsd`s into the slot an index chooses, no branch.
    let mut own_d = [PACK_NOBODY_M; 5];
    let mut ahead_d = [PACK_NOBODY_M; 5];
    let mut ahead_v = [0.0_f64; 5];
    // ahead of him (and level), nearest first, to the first out of reach: 0 ≤ ds (the field is
    // sorted), so ds > −`min_gap_m` (> 0)
    let before = pk.get(..oi).unwrap_or_default();
    let cols_before = cols.get(..oi).unwrap_or_default();
    for (o, &col) in before.iter().zip(cols_before).rev() {
        let ds = o.s - sa;
        if ds > PACK_REACH_M {
            break;
        }
        let m = slot_of(i64::from(col), k);
        // the nearest, as a `minsd` (only how `own_d` compares with 0, `ahead_clear` and
        // `PACK_NOBODY_M` is read: the sign of a zero does not matter)
        own_d[m] = min_sd(ds, own_d[m]);
        // the nearest clearly ahead (a man level is not): strictly nearer only, so of two men
        // at the same distance the first keeps his speed
        let ma = if ds > 0.0 { m } else { 4 };
        let mv = if ds < ahead_d[ma] { ma } else { 4 };
        ahead_v[mv] = o.v;
        ahead_d[ma] = min_sd(ds, ahead_d[ma]);
    }
    // behind him, nearest first, to the first beyond `min_gap_m`: ds ≤ 0, the clearance only
    let after = pk.get(oi + 1..).unwrap_or_default();
    let cols_after = cols.get(oi + 1..).unwrap_or_default();
    for (o, &col) in after.iter().zip(cols_after) {
        let ds = o.s - sa;
        if ds <= -c.min_gap {
            break;
        }
        let m = slot_of(i64::from(col), k);
        own_d[m] = min_sd(ds, own_d[m]);
    }
    // (a man clearly ahead is also ahead for `own_d`: one array says whether anyone is near)
    if own_d[..4].iter().all(|&d| d == PACK_NOBODY_M) {
        // nobody near: he runs as the engine always did
        return None;
    }
    let (j, follow) = choose_column(&own_d, &ahead_d, &ahead_v, k, c, on_bend)?;
    // how far ahead of him a man in the target column must be for the move: `min_gap_m`, or,
    // wide of the pack's columns, a body depth — the fold-in (`wide_fold_in`)
    let ahead_clear = blend(k > PACK_COLUMNS - 1, c.wide_clear, c.min_gap);
    let clear = own_d[slot_of(j, k)] >= ahead_clear;
    let target = j as f64 * slot;
    // a move across waits until the column is clear; nobody is squeezed (`squeezed`, asked
    // only when it can change the answer: on his line already, nobody is on a side he would
    // move to)
    let y = if (j != k && !clear) || (target != ya && squeezed(pk, oi, target, ahead_clear, c)) {
        ya
    } else {
        target
    };
    Some(Station { follow, y })
}

/// `a` if it is below `b`, else `b`: one `minsd` (`f64::min` also handles NaN, at the price of
/// a compare and a blend; nothing here is NaN).
#[inline(always)]
fn min_sd(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

/// `a` if it is above `b`, else `b`: one `maxsd`.
#[inline(always)]
fn max_sd(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// The notes' slot of column `j` for a runner in column `k` (4, never read, outside k − 2 ..= k + 1;
/// wrapping: a sentinel's column is `i64::MIN`).
#[inline(always)]
fn slot_of(j: i64, k: i64) -> usize {
    (j.wrapping_sub(k).wrapping_add(2) as u64).min(4) as usize
}

/// `a` if `pick`, else `b`, by arithmetic on a 0/1 factor (no branch, and no select the
/// compiler could turn back into one): exact for finite `a` and `b` other than −0
/// (x · 1 + y · 0 = x).
#[inline(always)]
fn blend(pick: bool, a: f64, b: f64) -> f64 {
    let f = f64::from(u8::from(pick));
    a * f + b * (1.0 - f)
}

/// How far ahead nobody is [m]: the notes' value for a column with nobody in it, finite (unlike
/// +∞) so that [`blend`] can choose with it, and far beyond any real distance, so that it
/// compares as +∞ did (a station less a gap stays above half of it).
const PACK_NOBODY_M: f64 = 1e300;
/// An excluded candidate column scores less than this [m] (a real score is a few metres), and
/// so does a candidate with nobody in it when the free column's worth is sought: each is
/// docked three times [`PACK_NOBODY_M`], so no branch is needed to leave it out.
const PACK_EXCLUDED_M: f64 = -1e300;

/// The column a runner in column `k` chooses from the notes of [`pack_station`] (index
/// m = column − k + 2; slot 5 never written), and the station he keeps there: the three
/// candidates k − 1, k, k + 1 each scored without a branch (an excluded candidate scores about
/// −[`PACK_EXCLUDED_M`]; values chosen by indexing, not by selects), the first best taken.
/// `None` only if no candidate is allowed (a column left of the kerb's).
#[inline]
fn choose_column(
    own_d: &[f64; 5],
    ahead_d: &[f64; 5],
    ahead_v: &[f64; 5],
    k: i64,
    c: &StepConsts,
    on_bend: bool,
) -> Option<(i64, Option<Ref>)> {
    let slot = c.slot;
    let width = blend(on_bend, PACK_WIDTH_BEND_M, PACK_WIDTH_STRAIGHT_M);
    // candidate i is column j = k − 1 + i (m = i + 1): in that column the station behind the
    // man directly ahead, or on the outside shoulder of the man ahead in the column inside it
    // (m − 1; there is none inside the kerb's column), the tighter of the two, the direct one
    // on a tie; about `PACK_NOBODY_M` for nobody. (Every value blended is finite and none is
    // −0: a man noted is strictly ahead.)
    let mut f_d = [0.0_f64; 3];
    let mut f_v = [0.0_f64; 3];
    let mut has = [false; 3];
    for i in 0..3 {
        let j = k - 1 + i as i64;
        let direct = ahead_d[i + 1] - c.cfg.follow_gap_m;
        let shoulder = blend(j >= 1, ahead_d[i] - c.shoulder_gap, PACK_NOBODY_M);
        f_d[i] = min_sd(shoulder, direct);
        f_v[i] = if shoulder < direct {
            ahead_v[i]
        } else {
            ahead_v[i + 1]
        };
        has[i] = f_d[i] < 0.5 * PACK_NOBODY_M;
    }
    // which candidates he may take: not left of the kerb's column; out only on a straight,
    // never wider than the pack's last column unless he is already wider, and only behind
    // someone (wide of everyone is a pass, not a station); in a column beside his own, nobody
    // level with him or just behind him there (he cannot cut in front of that man, and he does
    // not drop behind him either: only the man behind gives way — two men easing each for the
    // other would brake each other to a stop)
    let top = (PACK_COLUMNS - 1).max(k);
    let ok = [
        (k >= 1) & (own_d[1] > 0.0),
        k >= 0,
        (k + 1 >= 0) & (k < top) & !on_bend & (own_d[3] > 0.0) & has[2],
    ];
    // 1 for a candidate he may not take, else 0; and what it costs him, opaque to the
    // compiler (a constant factor on a 0/1 lets it fold the product back into a select, and
    // the select into a branch)
    let out = ok.map(|b| f64::from(u8::from(!b)));
    let dock = std::hint::black_box(3.0 * PACK_EXCLUDED_M);
    // a column nobody constrains (at or inside his own) is worth the best station anyone sets
    // in the columns he may take: he could be as far forward there as anywhere, and the width
    // decides
    let mut free = f64::NEG_INFINITY;
    for i in 0..3 {
        let no = f64::from(u8::from(!(ok[i] & has[i])));
        // x − 0 is x
        free = max_sd(f_d[i] + no * dock, free);
    }
    let free = blend(
        free > PACK_EXCLUDED_M,
        free,
        PACK_REACH_M - c.cfg.follow_gap_m,
    );
    let mut score = [0.0_f64; 3];
    for i in 0..3 {
        let j = k - 1 + i as i64;
        let at = blend(has[i], f_d[i], free);
        // wide of the pack's columns he pays the bend's full π·Δy per column, whatever the
        // straight: he is heading in
        let wide = (j - (PACK_COLUMNS - 1)).max(0) as f64 * std::f64::consts::PI * slot;
        let s = at - width * j as f64 - wide + if i == 1 { PACK_STAY_M } else { 0.0 };
        score[i] = s + out[i] * dock;
    }
    // the first best (a tie keeps the column further in)
    let up1 = score[1] > score[0];
    let best = max_sd(score[1], score[0]);
    let b = if score[2] > best { 2 } else { usize::from(up1) };
    if !(ok[0] | ok[1] | ok[2]) {
        return None;
    }
    let follow = has[b].then_some((f_d[b], f_v[b]));
    Some((k - 1 + b as i64, follow))
}

/// Whether the runner at `pk[oi]` would squeeze someone moving to the line `target`: a man
/// overlapping him (less than `ahead_clear` ahead, or within `min_gap_m` behind) on the side he
/// would move to, less than a shoulder width from `target` — then he holds his line (the
/// settling into his own column's line included). Only the [`PACK_SIDE_SCAN`] men each side of
/// him in the sorted field are looked at; walking out from him the distance only grows, so each
/// side's walk stops at the first man beyond the overlap.
#[inline]
fn squeezed(pk: &[Packed], oi: usize, target: f64, ahead_clear: f64, c: &StepConsts) -> bool {
    let Some(me) = pk.get(oi) else {
        return false;
    };
    let (sa, ya) = (me.s, me.y);
    let in_the_way =
        |o: &Packed| (o.y - target).abs() < c.slot - 0.05 && (o.y - ya) * (target - ya) > 0.0;
    let lo = oi.saturating_sub(PACK_SIDE_SCAN);
    let hi = (oi + 1 + PACK_SIDE_SCAN).min(pk.len());
    for o in pk.get(lo..oi).unwrap_or_default().iter().rev() {
        let ds = o.s - sa;
        if ds >= ahead_clear {
            break;
        }
        if ds > -c.min_gap && in_the_way(o) {
            return true;
        }
    }
    for o in pk.get(oi + 1..hi).unwrap_or_default() {
        let ds = o.s - sa;
        if ds <= -c.min_gap {
            break;
        }
        if ds < ahead_clear && in_the_way(o) {
            return true;
        }
    }
    false
}

/// The draft fraction a runner gets from what he senses: the best single draft ahead, a bonus
/// inside a pack, a small penalty running abreast in the open (§2.3).
#[inline]
fn draft_of(best_z: f64, close_ahead: u32, abreast: bool, c: &StepConsts, p: &ModelParams) -> f64 {
    let mut r = c.draft_fn.from_exponent(best_z);
    if close_ahead >= 2 {
        r += p.draft_pack_bonus;
    }
    if r <= 0.0 && abreast {
        r = p.abreast_penalty;
    }
    r * p.draft_scale
}

/// Phase 3's physics for one agent: the desired speed through inertia (Keller's acceleration
/// limit, a response time, a deceleration limit) and the lateral target through the lateral
/// speed limit. Returns the next speed (before the Morton cap) and lateral offset.
#[inline]
fn respond(
    g: &Agent,
    v_des: f64,
    y_target: f64,
    ya: f64,
    c: &StepConsts,
    p: &ModelParams,
) -> (f64, f64) {
    let a_up = (g.mss - g.v) * c.inv_tau_k; // Keller: F − v/τ with F = MSS/τ
    let acc = ((v_des - g.v) * c.inv_tau_resp).clamp(-p.max_decel_mps2, a_up.max(0.0));
    let v1 = g.v + acc * c.dt;
    let dy = (y_target - ya).clamp(-p.lateral_speed_mps * c.dt, p.lateral_speed_mps * c.dt);
    (v1, (ya + dy).clamp(0.0, MAX_Y))
}

/// Phase 3 for a runner: [`respond`] to his aim (`aim_v`, `aim_y`) from his line `ya`, capped
/// by Morton's speed cap at his present reserve; writes his next speed and lateral offset.
#[inline]
fn respond_runner(g: &mut Agent, ya: f64, c: &StepConsts, p: &ModelParams) {
    let (v1, y1) = respond(g, g.aim_v, g.aim_y, ya, c, p);
    let cap =
        physiology::speed_cap_frac(g.cs, g.mss, g.d * g.inv_d0, p.tie_up_floor, p.tie_up_onset);
    g.new_v = v1.min(cap).max(0.0);
    g.new_y = y1;
}

/// Phase 3 for a pacer: [`respond`] to his aim; pacers have no reserve and no cap.
#[inline]
fn respond_pacer(g: &mut Agent, ya: f64, c: &StepConsts, p: &ModelParams) {
    let (v1, y1) = respond(g, g.aim_v, g.aim_y, ya, c, p);
    g.new_v = v1.max(0.0);
    g.new_y = y1;
}

/// Whether a runner is still moving across to the line he last aimed at (more than a
/// micrometre from it). Such a runner re-decides every step even between decisions
/// ([`ModelParams::decision_steps`]): a held lateral aim carried him on into the man he was moving
/// towards (the line that would have stopped him is only seen by deciding), and fields deciding
/// every 0.2 s ran nearer the kerb and 0.09 s faster than fields deciding every step.
#[inline]
fn moving_across(g: &Agent) -> bool {
    (g.aim_y - g.y).abs() > 1e-6
}

/// Places by finish time, ties by index.
fn place_by_finish(out: &mut RaceOutcome, n_r: usize) {
    for i in 0..n_r {
        let fi = out.finish_s[i];
        let mut place = 1;
        for j in 0..n_r {
            let fj = out.finish_s[j];
            if fj < fi || (fj == fi && j < i) {
                place += 1;
            }
        }
        out.place[i] = place;
    }
}

/// A follower whose man is more than this far behind the next runner ahead (chest to chest) has
/// lost the group; the follower then aims at the group [m] [U] (about two following gaps).
const BRIDGE_GAP_M: f64 = 3.0;
/// A rival's kick is noticed within this distance ahead [m] [U].
const RIVAL_KICK_M: f64 = 15.0;
/// Beyond this distance ahead the draft is below 0.5 % of its maximum and is not computed [m] [U].
const DRAFT_REACH_M: f64 = 6.0;
/// Nominal sprint speed of a pacer: only limits his acceleration [U].
const PACER_MSS: f64 = 9.0;
/// Lateral spacing on the start line [m] [U].
const START_SPACING_M: f64 = 0.6;
/// Width of the (curved, waterfall) start line that a field spreads over: lanes 1–7 [m] [U].
const START_WIDTH_M: f64 = 7.5;
/// Widest lateral offset a runner takes (the start line, then about lane 7) [m] [U].
const MAX_Y: f64 = 8.0;
