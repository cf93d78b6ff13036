//! One race, step by step: the pack on the track.
//!
//! Each agent (runner or pacer) has a position `s` along the lane-1 line of running, a lateral
//! offset `y` from it, a speed `v` along its own path and, for runners, a reserve `D′bal`. Every
//! step of `dt` (model notes §9.3–9.4):
//!
//! 1. agents are kept sorted by position (an insertion sort: the order barely changes);
//! 2. each agent looks at its neighbours: who is directly in front (and blocks), whom it follows,
//!    who is at its shoulders (and stops it moving out or in), how much draft it gets;
//! 3. pacers aim at their next scheduled split; runners ask their tactic
//!    ([`crate::engine::tactics`]);
//! 4. the answer goes through inertia (Keller), the Morton cap, blocking and lateral limits;
//! 5. positions, reserves, splits and finishes are updated.
//!
//! The loop allocates nothing: [`Simulator`] owns every buffer and reuses it across races.

use rand::Rng;

use super::outcome::{RaceOutcome, Trace};
use super::setup::{RaceSetup, RunnerSpec};
use crate::base::params::{ModelParams, Regime};
use crate::base::rng::{self, Purpose};
use crate::engine::physiology;
use crate::engine::tactics::{self, Ahead, DecideConfig, Situation, TacticKind, TacticState};

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

/// The air multiplier a runner judges his hang-on limit with ([`ModelParams::hang_on_pack_draft`]):
/// in touch with the group (the man he follows within `hang_on_reach_m`), the shelter he would
/// have in it if that is better than the air he has this instant (wide at the start, out on a
/// pass, a few metres off the back); otherwise the air he has. Without it a runner who loses
/// the draft for a moment judges he can hold only his solo pace, drops to it, and the gap
/// never closes.
pub(super) fn hang_on_air(m_now: f64, v: f64, gap_ahead_m: f64, p: &ModelParams) -> f64 {
    if p.hang_on_pack_draft > 0.0 && gap_ahead_m <= p.hang_on_reach_m {
        m_now.min(physiology::air_multiplier(
            v,
            p.hang_on_pack_draft * p.draft_max * p.draft_scale,
            p.air_share_at_6,
        ))
    } else {
        m_now
    }
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
    /// Metabolic air multiplier at the last update (for the hang-on limit).
    m_air: f64,
    /// 1 / D′₀.
    inv_d0: f64,
    /// The hang-on limit's race constants.
    sus: physiology::Sustainable,
    /// Position on the lap [0, lap), kept incrementally (no fmod in the loop).
    lp: f64,
    new_v: f64,
    new_y: f64,
    next_split: usize,
    active: bool,
    runner: bool,
}

/// Reusable simulation state for one thread.
pub struct Simulator<'a> {
    setup: &'a RaceSetup,
    n_r: usize,
    n: usize,
    ag: Vec<Agent>,
    order: Vec<usize>,
    /// Active agents in order, packed for the neighbour scans.
    pk: Vec<Packed>,
    tstate: Vec<TacticState>,
    /// Whether each runner's tactic uses the driver's hang-on limit.
    uses_drive_limit: Vec<bool>,
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
        Simulator {
            setup,
            n_r,
            n,
            ag: vec![Agent::default(); n],
            order: (0..n).collect(),
            pk: Vec::with_capacity(n),
            tstate: vec![TacticState::new(0.0, 1.0, 1.0); n_r],
            uses_drive_limit: setup
                .runners
                .iter()
                .map(|r| {
                    matches!(
                        r.tactic.kind,
                        TacticKind::FrontRun
                            | TacticKind::LongDrive
                            | TacticKind::Surge
                            | TacticKind::RaceTheField
                    )
                })
                .collect(),
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
        }
    }

    /// Run race number `race` of a run seeded with `seed`, writing into `out` (which must come from
    /// [`Simulator::new_outcome`]) and, if given, recording a trace.
    pub fn run(&mut self, seed: u64, race: u64, out: &mut RaceOutcome, trace: Option<&mut Trace>) {
        let su = self.setup;
        let p = &su.params;
        let dt = p.dt_s;
        let dist = su.distance_m;
        let track = su.track;
        let n_r = self.n_r;
        let n = self.n;
        let nk = su.n_splits();
        let championship = su.is_championship();
        let pace_sd = if su.wavelight.is_some() {
            p.pace_sd_wavelight
        } else {
            p.pace_sd
        };
        let cfg = DecideConfig {
            follow_gap_m: p.follow_gap_m,
            cover_factor: p.cover_window_factor,
        };

        // ---- race-level draws ----
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
        let medium_pace = 0.5 * (p.regime_pace[1][0] + p.regime_pace[1][1]) * su.v_ref;
        let sag = 1.0 - p.post_pacer_sag * u_sag;
        self.n_surges = 0;
        {
            let n_extra = rng::poisson(&mut rr, (p.regime_surges[ri] - 1.0).max(0.0)) as usize;
            let zf = rng::normal(&mut rr);
            let final_from_finish = (p.final_surge_m[ri][0] + p.final_surge_m[ri][1] * zf)
                .clamp(150.0, (dist - 300.0).max(150.0));
            let final_at = dist - final_from_finish;
            let add = |at: f64, rr: &mut rng::RaceRng, this: &mut Self| {
                let rise = p.surge_rise[0] + (p.surge_rise[1] - p.surge_rise[0]) * rng::uniform(rr);
                let len =
                    p.surge_len_m[0] + (p.surge_len_m[1] - p.surge_len_m[0]) * rng::uniform(rr);
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
        }
        out.regime = championship.then_some(regime);

        // ---- runners ----
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
        // ---- pacers ----
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
        // ---- start line: pacers on the inside, runners in a random order outside them ----
        let mut st = rng::stream(seed, race, Purpose::Start, 0);
        for a in 0..n {
            self.order[a] = a;
        }
        // start positions: runners ordered by a score drawn from (race, name), so each runner's
        // relative place on the line does not depend on who else is in the field
        let salt = st.next_u64();
        let keys = &self.name_keys;
        self.order[..n_r].sort_by_key(|&i| rng::mix64(salt ^ keys[i]));
        self.order.rotate_left(n_r);
        let lp0 = track.lap_position(dist, 0.0);
        // a waterfall start across the track; a big field closes up to fit
        let spacing = START_SPACING_M.min(START_WIDTH_M / n.max(1) as f64);
        for (slot, &a) in self.order.iter().enumerate() {
            let g = &mut self.ag[a];
            g.y = slot as f64 * spacing;
            // a few centimetres of stagger so that nobody starts exactly level
            g.s = 0.01 * rng::uniform(&mut st);
            g.lp = lp0 + g.s;
            g.active = true;
        }
        for k in 0..nk {
            out.leader_splits_s[k] = f64::INFINITY;
        }
        out.pacer_errors_s.clear();

        let bell = dist - track.lap_m;
        let t_max = 3.0 * dist / (0.9 * su.cs_ref).max(1.0) + 60.0;
        let mut t = 0.0;
        let mut finished = 0usize;
        let mut trace = trace;
        let mut next_frame = 0.0;
        if let Some(tr) = trace.as_deref_mut() {
            tr.t.clear();
            tr.s = vec![Vec::new(); n];
            tr.v = vec![Vec::new(); n];
            tr.y = vec![Vec::new(); n];
            tr.reserve = vec![Vec::new(); n];
        }
        let bend_psi = if track.banked {
            p.bend_psi * p.banked_factor
        } else {
            p.bend_psi
        };
        let slot = p.lane_slot_m;
        let side = slot + 0.35;
        let draft_fn = physiology::DraftFn::new(p);
        let inv_tau_resp = 1.0 / p.tau_response_s;
        let inv_tau_k = 1.0 / p.tau_keller_s;

        while finished < n_r {
            if let Some(tr) = trace.as_deref_mut() {
                if t >= next_frame - 1e-9 {
                    tr.t.push(t);
                    for (a, g) in self.ag.iter().enumerate() {
                        let on = g.active;
                        let nan = f64::NAN;
                        tr.s[a].push(if on { g.s } else { nan });
                        tr.v[a].push(if on { g.v } else { nan });
                        tr.y[a].push(if on { g.y } else { nan });
                        tr.reserve[a].push(if on && g.runner { g.d / g.d0 } else { nan });
                    }
                    next_frame += tr.every_s;
                }
            }
            if t > t_max {
                // Safety net; the dynamics keep everyone moving, so this should never happen.
                for i in 0..n_r {
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
                break;
            }

            // 1. order by position, furthest first (insertion sort: nearly sorted already)
            for i in 1..n {
                let a = self.order[i];
                let sa = self.ag[a].s;
                let mut j = i;
                while j > 0 && self.ag[self.order[j - 1]].s < sa {
                    self.order[j] = self.order[j - 1];
                    j -= 1;
                }
                self.order[j] = a;
            }

            // race-level context, and the field packed in order (contiguous, for the scans)
            let mut field_lead_s = f64::NEG_INFINITY;
            let mut pacers_on = false;
            self.pk.clear();
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
                self.pk.push(Packed {
                    s: g.s,
                    y: g.y,
                    v: g.v,
                    idx: a as u32,
                    runner: g.runner,
                    kicking: g.runner && self.tstate[a].kicking,
                });
            }
            let light_s = su.wavelight.as_ref().map(|w| w.distance_at(t));

            // 2–4. decisions
            let mut runners_ahead = finished as u32; // runners already home are ahead of everyone
            let pk = std::mem::take(&mut self.pk);
            for (oi, me) in pk.iter().enumerate() {
                let a = me.idx as usize;
                let is_pacer = !me.runner;
                let sa = me.s;
                let ya = me.y;
                // --- neighbourhood ---
                let mut best_z = f64::INFINITY;
                let mut close_ahead = 0u32;
                let mut abreast = false;
                let mut blocker: Option<Packed> = None;
                // (agent, its index in `pk`)
                let mut nearest: Option<(Packed, usize)> = None;
                let mut nearest_runner: Option<(Packed, usize)> = None;
                let mut out_blocked = ya > MAX_Y - slot;
                let mut in_blocked = ya <= 0.0;
                let mut inside_ahead = false;
                let mut rival_kicking = false;
                for (q, o) in pk[..oi].iter().enumerate().rev() {
                    let ds = o.s - sa;
                    if ds > tactics::CONTACT_M {
                        break;
                    }
                    let dy = o.y - ya;
                    let ady = dy.abs();
                    if ds < 3.0 {
                        if ds < 1.2 {
                            if dy > 0.2 && dy < side {
                                out_blocked = true;
                            }
                            if ds < 0.5 && ady < 1.0 {
                                abreast = true;
                            }
                        }
                        if ds < p.min_gap_m + 0.7 {
                            // no room to tuck in behind him yet
                            if dy < -0.2 && dy > -side {
                                in_blocked = true;
                            }
                        } else if dy < -0.2 && dy > -side {
                            // someone just ahead on the inside: a runner going past stays out
                            // (moving in would box him in again); anyone else tucks in behind
                            inside_ahead = true;
                        }
                    }
                    if ds > 0.05 {
                        // draft beyond 6 m or 1.25 m to the side is below 0.5 % of r_max: skip
                        if ds < 6.0 && ady < 1.25 {
                            best_z = best_z.min(draft_fn.exponent(ds - p.body_depth_m, ady));
                            if ds < 2.0 + p.body_depth_m && ady < 1.0 {
                                close_ahead += 1;
                            }
                            if blocker.is_none() && ady < 0.6 && ds < 3.0 {
                                blocker = Some(*o);
                            }
                        }
                        if ady < 2.2 * slot {
                            if nearest.is_none() {
                                nearest = Some((*o, q));
                            }
                            if nearest_runner.is_none() && o.runner {
                                nearest_runner = Some((*o, q));
                            }
                        }
                        rival_kicking |= o.kicking && ds < RIVAL_KICK_M;
                    }
                    // nothing further ahead can change the answers once these are known
                    if ds > RIVAL_KICK_M && nearest.is_some() && nearest_runner.is_some() {
                        break;
                    }
                }
                for o in &pk[oi + 1..] {
                    let ds = sa - o.s;
                    if ds > 1.2 {
                        break;
                    }
                    let dy = o.y - ya;
                    if dy > 0.2 && dy < side {
                        out_blocked = true;
                    }
                    if dy < -0.2 && dy > -side {
                        in_blocked = true;
                    }
                    if ds < 0.5 && dy.abs() < 1.0 {
                        abreast = true;
                    }
                }
                let mut r = draft_fn.from_exponent(best_z);
                if close_ahead >= 2 {
                    r += p.draft_pack_bonus;
                }
                if r <= 0.0 && abreast {
                    r = p.abreast_penalty;
                }
                let draft = r * p.draft_scale;

                let g = self.ag[a];
                // --- desired speed ---
                let mut v_des;
                let mut want_pass = false;
                if is_pacer {
                    let j = a - n_r;
                    let ps = &su.pacers[j];
                    let k = ps.schedule.segment(sa);
                    let seg_v = ps.schedule.seg_speed(k);
                    let (at, _) = ps.schedule.points()[k];
                    let t_at = self.pacer_times[self.pacer_off[j] + k];
                    v_des = if at > sa && t_at - t > 2.0 {
                        ((at - sa) / (t_at - t)).clamp(0.85 * seg_v, 1.15 * seg_v)
                    } else {
                        seg_v
                    };
                    // wait for the field (pacers further ahead of the field allow more)
                    let behind_pacers = pk[oi + 1..].iter().filter(|o| !o.runner).count() as f64;
                    if field_lead_s.is_finite()
                        && sa - field_lead_s > p.pacer_wait_gap_m * (1.0 + behind_pacers)
                    {
                        v_des *= 1.0 - p.pacer_wait_slow;
                    }
                } else {
                    let i = a;
                    let tac = &su.runners[i].tactic;
                    let place = runners_ahead + 1;
                    runners_ahead += 1;
                    let d_rem = dist - sa;
                    let mut follow = if tac.follow_pacers {
                        nearest
                    } else {
                        nearest_runner
                    };
                    // Bridging: if the man he follows has dropped off his group (a gap has opened
                    // in front of him), a racer follows the group instead — and goes round the
                    // fader, if the group's pace is one he believes he can hold.
                    let mut bridging = false;
                    if let Some((f, fq)) = follow {
                        if tac.kind.races_rivals() && sa > tactics::START_PHASE_M {
                            let group = pk[..fq]
                                .iter()
                                .rev()
                                .find(|o| o.s > f.s + 0.05 && (tac.follow_pacers || o.runner));
                            if let Some(g) = group {
                                if g.s - f.s > BRIDGE_GAP_M && g.s - sa < tactics::CONTACT_M {
                                    follow = Some((*g, fq));
                                    bridging = true;
                                }
                            }
                        }
                    }
                    let follow = follow.map(|(o, _)| o);
                    let ahead = follow.map(|o| Ahead {
                        gap_m: o.s - sa,
                        v: o.v,
                        is_pacer: !o.runner,
                        kicking: o.kicking,
                    });
                    // the pace a leader runs when nobody is in front of him
                    let lead_pace = if let (Some(ls), Some(w)) = (light_s, su.wavelight.as_ref()) {
                        if tac.follow_pacers || tac.kind == TacticKind::ChaseClock {
                            w.speed_at(sa) + ((ls - sa) * 0.2).clamp(-0.3, 0.3)
                        } else {
                            medium_pace
                        }
                    } else if let Some(j) = su.plan_pacer {
                        if tac.follow_pacers {
                            su.pacers[j].schedule.speed_at(sa) * sag
                        } else {
                            medium_pace
                        }
                    } else if championship {
                        champ_pace
                    } else {
                        dist / su.runners[i].solo_time_s
                    };
                    // hang-on limits (judged with the runner's own, noisy, idea of his reserve)
                    let m_now = g.m_air;
                    let gap_ahead = follow
                        .filter(|o| tac.follow_pacers || o.runner)
                        .map_or(f64::INFINITY, |o| o.s - sa);
                    let m_judge = hang_on_air(m_now, g.v, gap_ahead, p);
                    let d_seen = g.d * g.reserve_mult;
                    let floor = p.tie_up_floor * g.cs;
                    let limit_follow = g
                        .sus
                        .speed(d_seen, d_rem * (1.0 + p.follow_margin), m_judge)
                        .max(floor);
                    let limit_kick = g.sus.speed(d_seen, d_rem, m_now).max(floor);
                    let limit_drive = if self.uses_drive_limit[i] {
                        g.sus
                            .speed(d_seen, d_rem * (1.0 + p.drive_margin), m_judge)
                            .max(floor)
                    } else {
                        limit_follow
                    };
                    let mut race_surge = 0.0;
                    for sg in &self.surges[..self.n_surges] {
                        if sg.runner == i && sa >= sg.from_s && sa < sg.to_s {
                            race_surge = sg.rise;
                        }
                    }
                    let sit = Situation {
                        t,
                        s: sa,
                        v: g.v,
                        d_rem,
                        place,
                        ahead,
                        rival_kicking,
                        lead_pace,
                        limit_follow,
                        limit_drive,
                        limit_kick,
                        race_surge,
                        pacers_on,
                    };
                    let was_kicking = self.tstate[i].kicking;
                    let dec = tactics::decide(tac, &mut self.tstate[i], &sit, &cfg);
                    if !was_kicking && self.tstate[i].kicking {
                        out.kick_from_m[i] = self.tstate[i].kick_started_m;
                    }
                    v_des = dec.v_des.min(g.mss);
                    want_pass = dec.want_pass || bridging;
                }

                // --- blocking and lateral intent ---
                // wanting to pass only counts when he is actually faster than the man ahead:
                // otherwise he tucks in rather than run wide for nothing
                if let Some((n, _)) = nearest {
                    if v_des <= n.v + 0.1 {
                        want_pass = false;
                    }
                }
                let mut y_target = if is_pacer { 0.0 } else { ya };
                if !is_pacer {
                    if let Some(b) = blocker {
                        let gap = b.s - sa;
                        let wants = want_pass || v_des > b.v + 0.15;
                        // moves are made on the straights (no π·Δy to pay; model notes §3.4,
                        // the BBC's Beijing 2008 transponder analysis [S]) — unless kicking
                        let may_move_out = !track.on_bend(g.lp)
                            || (!is_pacer && self.tstate[a].kicking)
                            || ya > b.y + 0.2;
                        if wants && !out_blocked && may_move_out {
                            y_target = b.y + slot;
                        } else if !wants && !in_blocked {
                            y_target = 0.0;
                        }
                        // do not run into him: close up (or drop back) gently
                        v_des = v_des.min((b.v + (gap - p.min_gap_m)).max(b.v - 0.5));
                    } else if !in_blocked && !want_pass {
                        y_target = 0.0;
                    } else if !in_blocked && !inside_ahead {
                        // a runner going past drifts in only once clear
                        y_target = (ya - slot).max(0.0);
                    }
                }

                // --- inertia, cap ---
                let a_up = (g.mss - g.v) * inv_tau_k; // Keller: F − v/τ with F = MSS/τ
                let acc = ((v_des - g.v) * inv_tau_resp).clamp(-p.max_decel_mps2, a_up.max(0.0));
                let mut v1 = g.v + acc * dt;
                if !is_pacer {
                    let cap = physiology::speed_cap_frac(
                        g.cs,
                        g.mss,
                        g.d * g.inv_d0,
                        p.tie_up_floor,
                        p.tie_up_onset,
                    );
                    v1 = v1.min(cap);
                }
                let dy = (y_target - ya).clamp(-p.lateral_speed_mps * dt, p.lateral_speed_mps * dt);
                let gm = &mut self.ag[a];
                gm.draft = draft;
                gm.new_v = v1.max(0.0);
                gm.new_y = (ya + dy).clamp(0.0, MAX_Y);
            }
            self.pk = pk;

            // 5. move, spend, record
            for a in 0..n {
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
                    s0 + v1 * dt * track.bend_radius_m * kappa
                } else {
                    s0 + v1 * dt
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
                    let u = v1 * m_air * physiology::bend_multiplier(v1, kappa, bend_psi);
                    let d1 =
                        physiology::step_reserve_inv(g.d, g.d0, g.inv_d0, g.cs, u, p.k_rec, dt);
                    g.d = d1;
                    let f = d1 * g.inv_d0;
                    if f < out.min_reserve_frac[a] {
                        out.min_reserve_frac[a] = f;
                    }
                    if f > out.max_reserve_frac[a] {
                        out.max_reserve_frac[a] = f;
                    }
                    if s0 < bell && s1 >= bell {
                        out.reserve_at_bell[a] = f;
                    }
                } else {
                    let j = a - n_r;
                    let ps = &su.pacers[j];
                    if self.record_pacer_errors {
                        for &(at, t_plan) in ps.schedule.points() {
                            if s0 < at && s1 >= at && at <= ps.drop_out_m + 1e-9 {
                                let tc = t + dt * (at - s0) / (s1 - s0);
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
                    let tc = t + dt * (su.split_points_m[k] - s0) / (s1 - s0);
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
            t += dt;
        }

        // places: by finish time, ties by index
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
}

/// A follower whose man is more than this far behind the next runner ahead (chest to chest) has
/// lost the group; the follower then aims at the group [m] [U] (about two following gaps).
const BRIDGE_GAP_M: f64 = 3.0;
/// A rival's kick is noticed within this distance ahead [m] [U].
const RIVAL_KICK_M: f64 = 15.0;
/// Nominal sprint speed of a pacer: only limits his acceleration [U].
const PACER_MSS: f64 = 9.0;
/// Lateral spacing on the start line [m] [U].
const START_SPACING_M: f64 = 0.6;
/// Width of the (curved, waterfall) start line that a field spreads over: lanes 1–7 [m] [U].
const START_WIDTH_M: f64 = 7.5;
/// Widest lateral offset a runner takes (the start line, then about lane 7) [m] [U].
const MAX_Y: f64 = 8.0;
