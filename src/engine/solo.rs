//! The calibration's solo time trial, integrated on its own: the race step's equations for one
//! runner alone on the track, without the pack machinery.
//!
//! A lone chase-clock runner ([`crate::engine::tactics::Tactic::time_trial`]) in [`crate::engine::race::Simulator`]
//! has no neighbour, no draft, no blocker, no pacer, no regime and no surge; he never kicks (his
//! kick distance is 0) and never moves off the line of running (y = 0). What remains of the race
//! step (model notes §9.4) is, per step of `dt`:
//!
//! 1. the chase clock: `v_des = min(d_rem / (target − t), MSS)`, or MSS in the last second
//!    (`target − t ≤ 1 s`: the clock's "run for the line");
//! 2. inertia: `a = clamp((v_des − v)/τ_resp, −a_max, max(0, (MSS − v)/τ_K))` (Keller), then the
//!    Morton cap with the tie-up ([`physiology::speed_cap_frac`]);
//! 3. the move along lane 1, the bend's curvature read at the start of the step
//!    ([`Track::curvature`]), and the reserve at the metabolic speed
//!    `u = v·m_air·m_bend` ([`physiology::step_reserve_inv`]);
//! 4. the finish time interpolated within the step that crosses the line.
//!
//! [`SoloTrial::finish_stepped`] does exactly that, step by step, in the engine's order of
//! operations: bit for bit the engine's finish time (test `stepped_solo_is_the_engine_bit_for_bit`),
//! at a fifth of its cost (no setup, no neighbour scans, no tactics dispatch, no splits).
//!
//! # Stretches in closed form
//! Most of a time trial is one of two linear recurrences, which [`SoloTrial::finish`] advances
//! in closed form; it steps exactly only through what is not (the approach to each change of
//! curvature, the onset of the fade, the clock's last second, the finish):
//!
//! * **The clock's linear response.** With the lag e = v_des − v, a step gives
//!   v' = v + e·dt/τ_resp; the clock then asks v_des' = v_des + β·e·dt/(L − dt)
//!   (L = target − t, β = 1 − dt/τ_resp), so the lag decays, e' = β·e·L/(L − dt). Nothing else
//!   is in the step while Keller's limit and the largest deceleration do not bind, the clock is
//!   below MSS and not in its last second, the cap is clear of the speed and the curvature does
//!   not change — which from the gun on holds for a time trial (τ_resp > τ_K: the clock's pull
//!   never exceeds Keller's). The start (the standing start's ~1 s lag decaying) is followed term
//!   by term, without the step's chain of dependent operations; once the lag is below
//!   [`SETTLED_REL`] of the speed the runner holds the clock's speed, and a whole stretch to the
//!   next bend or straight is one multiplication.
//! * **The fade on a straight.** When the cap is below his speed (a target too fast), he runs
//!   at the cap, v' = CS + (MSS − CS)·D/D′₀, and on a straight (u = v) spends
//!   (v' − CS)·dt = (MSS − CS)·(D/D′₀)·dt: the reserve falls geometrically. (On a bend the cost
//!   is not linear in v; that fade is stepped.)
//!
//! The closed forms are the same arithmetic in another order: [`SoloTrial::finish`] is within
//! [`FINISH_TOLERANCE_S`] of the engine (test `solo_matches_the_engine_race`).

use crate::base::params::ModelParams;
use crate::base::rng::{self, Purpose};
use crate::base::track::{Track, TrackKind};
use crate::engine::physiology::{self, Physiology};

/// Relative lag of the runner behind the clock's speed below which it counts as gone,
/// 1e-13 [U, numerical]: a few ulps above rounding.
pub const SETTLED_REL: f64 = 1e-13;
/// Bound on |[`SoloTrial::finish`] − the engine's finish| [s], 1e-8 s [D]: the largest difference
/// measured on 6 804 runs (CS 5–6.2 m/s, D′ 120–600 m, MSS/CS 1.2–1.8, 800 m to 2 miles and
/// 5000 m, both tracks, targets from 3 % too fast to 7 % too slow) is 2.2e-10 s; the test
/// `solo_matches_the_engine_race` holds it on a smaller grid.
pub const FINISH_TOLERANCE_S: f64 = 1e-8;
/// The clock's linear response is advanced in closed form only while more than this many
/// response times are left, 10 [U, numerical]: the lag then decays at every step, by a factor
/// (1 − dt/τ_resp)·L/(L − dt) < 0.91 at dt = τ_resp/10, and the clock drifts by less than
/// 2·|e|·τ_resp/L over the stretch (the bound the stretch is checked with).
const LAG_MIN_LEFT_RESP: f64 = 10.0;

/// Distance the Morton cap must stay above the speed through a stretch of the linear response,
/// 1e-6 m/s [U, numerical]: the last steps before the cap binds are stepped one by one.
const CAP_MARGIN_MPS: f64 = 1e-6;

/// Steps left to exact stepping before each event that ends a closed-form stretch (a change of
/// curvature, the finish, the clock's last second, the cap, the tie-up), 2 [U, numerical]: the
/// event itself is always met by the step-by-step integrator, so rounding in the closed form
/// cannot move it.
const GUARD_STEPS: f64 = 2.0;

/// A runner's solo, evenly paced time trial over one distance on one track: everything that does
/// not depend on the target time, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct SoloTrial {
    track: Track,
    distance_m: f64,
    cs: f64,
    mss: f64,
    d0: f64,
    inv_d0: f64,
    dt: f64,
    tau_resp: f64,
    inv_tau_resp: f64,
    inv_tau_k: f64,
    max_decel: f64,
    floor: f64,
    onset: f64,
    k_rec: f64,
    bend_psi: f64,
    /// Where the runner stands at the gun [m] (the engine's few centimetres of stagger).
    s_start: f64,
    /// The engine's safety net on the race's duration [s].
    t_max: f64,
}

/// The state of the runner at the start of a step.
#[derive(Debug, Clone, Copy)]
struct State {
    t: f64,
    s: f64,
    lp: f64,
    v: f64,
    d: f64,
    /// Steps taken.
    k: f64,
    /// The curvature of the last step.
    kappa: f64,
    /// The course so far ([`Course`]).
    course: u64,
    /// Whether the clock's last second has begun.
    last_second: bool,
}

/// The discrete course of a solo run: the step at which each change of curvature was met, the
/// step at which the clock's last second began, and whether the race's safety net ended it.
///
/// These are the only places where the race step is not a continuous function of the target:
/// every other branch of the step (the clock's cap at MSS, the limits on acceleration, the
/// Morton cap, the reserve's floor and ceiling, the crossing of the line) switches between two
/// expressions that agree at the switch. So two targets run with the same course, and every
/// target between them (the steps at which a runner meets a point of the track move steadily
/// with his target), finish as one continuous function of the target: the threshold search
/// ([`crate::field::calibrate::time_trial_near`]) reads the finish between them from their
/// two runs where it may. A fingerprint (a hash of the events), compared for equality only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Course(u64);

/// Fold an event (`what`, at the present step) into the course.
#[inline]
fn mark(x: &mut State, what: u64) {
    let ev = ((x.k as u64) << 2) | what;
    x.course = (x.course ^ ev).wrapping_mul(0x0100_0000_01b3);
}

/// Note the curvature of the step about to be taken.
#[inline]
fn note_curvature(x: &mut State, kappa: f64) {
    if kappa != x.kappa {
        x.kappa = kappa;
        mark(x, if kappa > 0.0 { 1 } else { 2 });
    }
}

impl SoloTrial {
    /// The time trial of `ph` over `distance_m` on `track`, with the race model `params`.
    ///
    /// Only the step, the dynamics, the energetics and the bend cost of `params` matter (a lone
    /// runner has no draft, and the calibration's time trial has no day form or tactical noise:
    /// [`crate::field::calibrate::time_trial_params`]), so the runner is `ph` itself.
    pub fn new(
        ph: &Physiology,
        track: TrackKind,
        distance_m: f64,
        params: &ModelParams,
    ) -> SoloTrial {
        let track = Track::new(track);
        // The start line as `race::Simulator::run` draws it for a field of one (race 0 of seed 0,
        // as `calibrate::solo_run` runs it): the start-order salt, then this runner's stagger.
        let mut st = rng::stream(0, 0, Purpose::Start, 0);
        let _salt = rng::uniform(&mut st);
        let s_start = 0.01 * rng::uniform(&mut st);
        SoloTrial {
            track,
            distance_m,
            cs: ph.cs,
            mss: ph.mss,
            d0: ph.d_prime,
            inv_d0: 1.0 / ph.d_prime,
            dt: params.dt_s,
            tau_resp: params.tau_response_s,
            inv_tau_resp: 1.0 / params.tau_response_s,
            inv_tau_k: 1.0 / params.tau_keller_s,
            max_decel: params.max_decel_mps2,
            floor: params.tie_up_floor,
            onset: params.tie_up_onset,
            k_rec: params.k_rec,
            bend_psi: if track.banked {
                params.bend_psi * params.banked_factor
            } else {
                params.bend_psi
            },
            s_start,
            // the field's median CS is his own
            t_max: 3.0 * distance_m / (0.9 * ph.cs).max(1.0) + 60.0,
        }
    }

    fn start(&self) -> State {
        let lp = self.track.lap_position(self.distance_m, 0.0) + self.s_start;
        State {
            t: 0.0,
            s: self.s_start,
            lp,
            v: 0.0,
            d: self.d0,
            k: 0.0,
            kappa: self.track.curvature(lp, 0.0),
            course: 0xcbf2_9ce4_8422_2325,
            last_second: false,
        }
    }

    /// The chase clock's desired speed at `x` for a target of `target_s`.
    #[inline]
    fn desired(&self, x: &State, target_s: f64) -> f64 {
        let left = target_s - x.t;
        let clock = if left > 1.0 {
            (self.distance_m - x.s) / left
        } else {
            f64::INFINITY
        };
        clock.min(self.mss)
    }

    /// One step of the race loop for the lone runner; the finish time if he crosses the line.
    #[inline]
    fn step(&self, x: &mut State, v_des: f64) -> Option<f64> {
        let dt = self.dt;
        let a_up = (self.mss - x.v) * self.inv_tau_k;
        let acc = ((v_des - x.v) * self.inv_tau_resp).clamp(-self.max_decel, a_up.max(0.0));
        let cap = physiology::speed_cap_frac(
            self.cs,
            self.mss,
            x.d * self.inv_d0,
            self.floor,
            self.onset,
        );
        let v1 = (x.v + acc * dt).min(cap).max(0.0);
        let kappa = self.track.curvature(x.lp, 0.0);
        note_curvature(x, kappa);
        let s0 = x.s;
        let s1 = if kappa > 0.0 {
            s0 + v1 * dt * self.track.bend_radius_m * kappa
        } else {
            s0 + v1 * dt
        };
        let mut lp1 = x.lp + (s1 - s0);
        if lp1 >= self.track.lap_m {
            lp1 -= self.track.lap_m;
        }
        // the engine's u = v·m_air·m_bend, with m_air = 1 exactly for a runner without draft
        let u = v1 * physiology::bend_multiplier(v1, kappa, self.bend_psi);
        x.d = physiology::step_reserve_inv(x.d, self.d0, self.inv_d0, self.cs, u, self.k_rec, dt);
        x.v = v1;
        x.s = s1;
        x.lp = lp1;
        if s1 >= self.distance_m {
            return Some(x.t + dt * (self.distance_m - s0) / (s1 - s0));
        }
        x.t += dt;
        x.k += 1.0;
        None
    }

    /// The engine's safety net: past `t_max` the race ends every runner at his current speed.
    #[inline]
    fn timed_out(&self, x: &State) -> Option<f64> {
        (x.t > self.t_max).then(|| x.t + (self.distance_m - x.s) / x.v.max(1.0))
    }

    /// Finish time for an even-paced `target_s`, every step integrated (the engine's arithmetic,
    /// in the engine's order).
    pub fn finish_stepped(&self, target_s: f64) -> f64 {
        let mut x = self.start();
        loop {
            if let Some(f) = self.timed_out(&x) {
                return f;
            }
            let v_des = self.desired(&x, target_s);
            if let Some(f) = self.step(&mut x, v_des) {
                return f;
            }
        }
    }

    /// Finish time for an even-paced `target_s`: [`SoloTrial::finish_stepped`] with every
    /// stretch where the chase clock's linear response runs unclamped on one kind of track
    /// advanced in closed form (see the module notes); within [`FINISH_TOLERANCE_S`] of it.
    pub fn finish(&self, target_s: f64) -> f64 {
        self.finish_course(target_s).0
    }

    /// [`SoloTrial::finish`], with the run's discrete [`Course`].
    pub fn finish_course(&self, target_s: f64) -> (f64, Course) {
        let mut x = self.start();
        // no closed-form stretch is possible before this time (the runner is near an event)
        let mut next_try = 0.0;
        loop {
            if let Some(f) = self.timed_out(&x) {
                mark(&mut x, 3);
                return (f, Course(x.course));
            }
            let v_des = self.desired(&x, target_s);
            // the clock's "run for the line" (`desired`'s branch, the same expression)
            if !x.last_second && target_s - x.t <= 1.0 {
                x.last_second = true;
                mark(&mut x, 0);
            }
            if x.t >= next_try {
                let (n, retry) = self.linear_steps(&x, target_s, v_des);
                if n >= 1.0 {
                    self.advance_linear(&mut x, target_s, v_des, n);
                    continue;
                }
                next_try = x.t + retry * self.dt;
            }
            let n = self.fade_steps(&x, v_des);
            if n >= 1.0 {
                self.advance_fade(&mut x, n);
                continue;
            }
            if let Some(f) = self.step(&mut x, v_des) {
                return (f, Course(x.course));
            }
        }
    }

    /// Lane-1 advance per step at speed `v` on curvature `kappa`, as [`SoloTrial::step`] does it.
    #[inline]
    fn advance(&self, v: f64, kappa: f64) -> f64 {
        if kappa > 0.0 {
            v * self.dt * self.track.bend_radius_m * kappa
        } else {
            v * self.dt
        }
    }

    /// The metabolic speed of the lone runner at `v` on curvature `kappa` (the engine's
    /// u = v·m_air·m_bend, with m_air = 1 exactly without draft).
    #[inline]
    fn metabolic(&self, v: f64, kappa: f64) -> f64 {
        v * physiology::bend_multiplier(v, kappa, self.bend_psi)
    }

    /// How many whole steps from `x` the race step is the clock's linear response and nothing
    /// else: no limit on the acceleration, the clock below MSS and in its last-second branch
    /// neither, the same curvature, the cap clear of the speed, the reserve draining (or full and
    /// staying full) — each with [`GUARD_STEPS`] to spare. With it, in steps, when to try again
    /// (after the change of curvature; never when the end is what stops him).
    fn linear_steps(&self, x: &State, target_s: f64, v_des: f64) -> (f64, f64) {
        let left = target_s - x.t;
        let e = v_des - x.v;
        let settled = e.abs() <= SETTLED_REL * x.v;
        // While the runner is catching up with the clock, the lag e decays by (1 − dt/τ_resp)
        // per step only while more than τ_resp is left (module notes); keep well clear of that.
        let lag_left = if settled {
            f64::INFINITY
        } else {
            (left - LAG_MIN_LEFT_RESP * self.tau_resp) / self.dt
        };
        // bounds on the speeds and the clock over the stretch: the speed moves monotonically
        // from v to the clock's, which itself drifts by less than 2·|e|·τ_resp/left
        let v_lo = x.v.min(v_des);
        let v_hi = x.v.max(v_des) + 2.0 * e.abs() * self.tau_resp / left + 1e-12;
        if !(v_hi < self.mss && lag_left >= 1.0) {
            return (0.0, 1.0);
        }
        // Keller's limit (MSS − v)/τ_K and the largest deceleration never bind: |acc| ≤ |e|/τ_resp
        let unclamped = if e >= 0.0 {
            e * (self.inv_tau_resp - self.inv_tau_k).max(0.0) < (self.mss - v_hi) * self.inv_tau_k
        } else {
            -e * self.inv_tau_resp < self.max_decel
        };
        if !unclamped {
            return (0.0, 1.0);
        }
        let f_min = ((v_hi + CAP_MARGIN_MPS - self.cs) / (self.mss - self.cs)).max(self.onset);
        if x.d < f_min * self.d0 {
            // the cap is (about to be) on him: from here the reserve only falls
            return (0.0, f64::INFINITY);
        }
        let kappa = self.track.curvature(x.lp, 0.0);
        let u_lo = self.metabolic(v_lo, kappa);
        let u_hi = self.metabolic(v_hi, kappa);
        // the reserve drains at every step, or stays full (a full reserve below CS stays full,
        // and the speed only rises, so every step below CS comes first)
        let full = x.d == self.d0 && e >= 0.0;
        if !(u_lo > self.cs || full) || u_hi <= self.cs {
            return (0.0, 1.0);
        }
        let ds_hi = self.advance(v_hi, kappa);
        let drain_hi = (u_hi - self.cs) * self.dt;
        let tr = &self.track;
        let half = tr.bend_m + tr.straight_m;
        // lap positions where the curvature changes: bend 1 | back straight | bend 2 | home straight
        let next_change = [tr.bend_m, half, half + tr.bend_m, tr.lap_m]
            .into_iter()
            .find(|&b| b > x.lp)
            .unwrap_or(tr.lap_m);
        let by_track = (next_change - x.lp) / ds_hi;
        let by_finish = (self.distance_m - x.s) / ds_hi;
        let by_clock = (left - 1.0) / self.dt;
        let by_timeout = (self.t_max - x.t) / self.dt;
        let by_cap = (x.d - f_min * self.d0) / drain_hi;
        let by_end = by_finish
            .min(by_clock)
            .min(by_timeout)
            .min(by_cap)
            .min(lag_left);
        let n = (by_track.min(by_end).floor() - GUARD_STEPS).max(0.0);
        let retry = if !settled {
            1.0
        } else if by_track < by_end {
            by_track.floor() + 1.0
        } else {
            f64::INFINITY
        };
        (n, retry)
    }

    /// How many whole steps from `x` the runner fades on a straight under the Morton cap: the
    /// cap is at or below his speed and his speed at or below the clock's (so the clock asks for
    /// more at every step, and he gets the cap: v' = CS + (MSS − CS)·D/D′₀), the reserve above
    /// the tie-up's onset, the same straight, the finish not reached — each with
    /// [`GUARD_STEPS`] to spare.
    fn fade_steps(&self, x: &State, v_des: f64) -> f64 {
        if self.track.on_bend(x.lp) || x.v > v_des || x.d >= self.d0 {
            return 0.0;
        }
        let f = x.d * self.inv_d0;
        if f <= self.onset {
            return 0.0;
        }
        let cap = physiology::speed_cap_frac(self.cs, self.mss, f, self.floor, self.onset);
        if !(cap <= x.v && cap > self.cs) {
            return 0.0;
        }
        let tr = &self.track;
        let half = tr.bend_m + tr.straight_m;
        let next_change = if x.lp < half { half } else { tr.lap_m };
        // his speed only falls: the current one bounds the distance per step
        let ds = x.v * self.dt;
        let by_track = (next_change - x.lp) / ds;
        let by_finish = (self.distance_m - x.s) / ds;
        let by_timeout = (self.t_max - x.t) / self.dt;
        // D_n = D·q^n with q = 1 − (MSS − CS)·dt/D′₀ stays above the onset of the tie-up
        let q = 1.0 - (self.mss - self.cs) * self.inv_d0 * self.dt;
        let by_onset = (self.onset / f).ln() / q.ln();
        (by_track
            .min(by_finish)
            .min(by_timeout)
            .min(by_onset)
            .floor()
            - GUARD_STEPS)
            .max(0.0)
    }

    /// Advance `n` steps of a fade on a straight (checked by [`SoloTrial::fade_steps`]). On a
    /// straight u = v, so each step spends (v' − CS)·dt = (MSS − CS)·(D/D′₀)·dt: the reserve
    /// falls geometrically, D_j = D·q^j, and the speeds with it, v_j = CS + (MSS − CS)·D_{j−1}/D′₀.
    fn advance_fade(&self, x: &mut State, n: f64) {
        let dt = self.dt;
        let a = (self.mss - self.cs) * self.inv_d0;
        let q = 1.0 - a * dt;
        let qn = q.powi(n as i32);
        note_curvature(x, 0.0);
        // Σ_{j=1..n} v_j·dt = n·CS·dt + a·D·dt·(1 − qⁿ)/(1 − q) = n·CS·dt + D·(1 − qⁿ)
        let adv = n * self.cs * dt + x.d * (1.0 - qn);
        x.v = self.cs + a * x.d * qn / q;
        x.d *= qn;
        x.s += adv;
        x.lp += adv;
        x.t += n * dt;
        x.k += n;
    }

    /// Advance `n` steps of the clock's linear response (checked by [`SoloTrial::linear_steps`]).
    ///
    /// With e = v_des − v and L = target − t, one step gives v' = v + e·dt/τ_resp, and the clock
    /// (v_des = d_rem/L) then asks v_des' = v_des + β·e·dt/(L − dt) with β = 1 − dt/τ_resp, so
    /// e' = β·e·L/(L − dt): after j steps e_j = e·β^j·L/L_j and
    /// v_des,j = v_des + β·dt·e·L·Σ_{i<j} β^i/(L_i·L_{i+1}); the runner is where the clock says,
    /// s_j = D − v_des,j·L_j, and v_j = v_des,j − e_j. The reserve drains by (u(v_j) − CS)·dt.
    /// The lag is followed step by step (a few operations, none waiting on the last step's
    /// division) until it is below [`SETTLED_REL`] of the speed; the rest is n − j steps at one
    /// speed.
    fn advance_linear(&self, x: &mut State, target_s: f64, v_des: f64, n: f64) {
        let dt = self.dt;
        let kappa = self.track.curvature(x.lp, 0.0);
        note_curvature(x, kappa);
        let full = x.d == self.d0;
        let e0 = v_des - x.v;
        let l0 = target_s - x.t;
        let beta = 1.0 - dt * self.inv_tau_resp;
        let s0 = x.s;
        let mut v = x.v;
        let mut s = x.s;
        let mut done = 0.0;
        // the reserve spent, in units of dt
        let mut spent = 0.0;
        if e0.abs() > SETTLED_REL * x.v {
            let (mut bpow, mut p, mut inv_l) = (1.0, 0.0, 1.0 / l0);
            let mut l = l0;
            let mut v_des_j = v_des;
            while done < n {
                let l1 = l - dt;
                let inv_l1 = 1.0 / l1;
                p += bpow * inv_l * inv_l1;
                bpow *= beta;
                v_des_j = v_des + beta * dt * e0 * l0 * p;
                let e_j = e0 * bpow * l0 * inv_l1;
                v = v_des_j - e_j;
                let over = self.metabolic(v, kappa) - self.cs;
                spent += if full { over.max(0.0) } else { over };
                done += 1.0;
                (l, inv_l) = (l1, inv_l1);
                if e_j.abs() <= SETTLED_REL * v {
                    break;
                }
            }
            s = self.distance_m - v_des_j * l;
        }
        let rest = n - done;
        if rest > 0.0 {
            s += rest * self.advance(v, kappa);
            let over = self.metabolic(v, kappa) - self.cs;
            spent += rest * if full { over.max(0.0) } else { over };
        }
        x.lp += s - s0;
        x.s = s;
        x.v = v;
        x.d -= spent * dt;
        x.t += n * dt;
        x.k += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::units::MILE_M;
    use crate::field::calibrate::{solo_run, time_trial, time_trial_params};

    /// A kicker with a small engine, Kerr as fitted for Paris, a fast runner with a small reserve.
    const RUNNERS: [Physiology; 3] = [
        Physiology {
            cs: 5.2,
            d_prime: 450.0,
            mss: 7.5,
        },
        Physiology {
            cs: 6.165728,
            d_prime: 331.2883,
            mss: 9.05338,
        },
        Physiology {
            cs: 6.5,
            d_prime: 150.0,
            mss: 9.8,
        },
    ];
    const TRACKS: [TrackKind; 2] = [TrackKind::Outdoor400, TrackKind::Indoor200];
    const DISTANCES: [f64; 6] = [800.0, 1500.0, MILE_M, 3000.0, 2.0 * MILE_M, 5000.0];

    /// Targets from 3 % too fast (a long fade) to 3 % slower than the closed-form even pace.
    fn targets(ph: &Physiology, dist: f64) -> [f64; 5] {
        let v0 = physiology::sustainable_speed(ph.cs, ph.mss, ph.d_prime, ph.d_prime, dist, 1.0);
        let t0 = dist / v0;
        [0.97, 0.995, 1.002, 1.01, 1.03].map(|r| r * t0)
    }

    #[test]
    fn stepped_solo_is_the_engine_bit_for_bit() {
        let p = ModelParams::default();
        let tp = time_trial_params(&p);
        for ph in &RUNNERS {
            for track in TRACKS {
                for dist in DISTANCES {
                    let tt = SoloTrial::new(ph, track, dist, &p);
                    for target in targets(ph, dist) {
                        assert_eq!(
                            tt.finish_stepped(target),
                            solo_run(ph, track, dist, target, &tp),
                            "{ph:?} {track} {dist} m, target {target}"
                        );
                    }
                }
            }
        }
    }

    /// The consistency contract: the fast solver is the engine's one-runner race (a
    /// `race::Simulator` with one chase-clock runner) to within [`FINISH_TOLERANCE_S`], held,
    /// fading and in between, on both tracks from 800 m to 5000 m. An engine change that the
    /// solver does not follow fails here.
    #[test]
    fn solo_matches_the_engine_race() {
        let p = ModelParams::default();
        let tp = time_trial_params(&p);
        let mut worst: f64 = 0.0;
        for ph in &RUNNERS {
            for track in TRACKS {
                for dist in DISTANCES {
                    let tt = SoloTrial::new(ph, track, dist, &p);
                    for target in targets(ph, dist) {
                        let engine = solo_run(ph, track, dist, target, &tp);
                        let fast = tt.finish(target);
                        worst = worst.max((fast - engine).abs());
                        assert!(
                            (fast - engine).abs() <= FINISH_TOLERANCE_S,
                            "{ph:?} {track} {dist} m, target {target}: {fast} vs engine {engine}"
                        );
                    }
                }
            }
        }
        assert!(worst > 0.0, "the closed forms are used (not bit-identical)");
    }

    #[test]
    fn a_lone_runner_pays_no_air_multiplier() {
        // the solver takes u = v·m_bend: the engine's m_air is exactly 1 without draft, x/x
        for i in 0..2000 {
            let v = 0.01 * i as f64;
            for phi in [0.0, 0.04, 0.055, 0.08] {
                assert_eq!(physiology::air_multiplier(v, 0.0, phi), 1.0, "{v} {phi}");
            }
        }
    }

    /// The premise of the threshold search's answers by continuity (`calibrate`'s
    /// `HoldOracle::by_course`): between two nearby targets run with the same [`Course`],
    /// `finish − target` falls smoothly (no jump); the step grid's jumps come with a change of
    /// course.
    /// Tracks and distances the threshold tests walk: both tracks, 800 m to 5000 m.
    const COURSES: [(TrackKind, f64); 5] = [
        (TrackKind::Outdoor400, 800.0),
        (TrackKind::Indoor200, 800.0),
        (TrackKind::Outdoor400, 1500.0),
        (TrackKind::Indoor200, 3000.0),
        (TrackKind::Outdoor400, 5000.0),
    ];

    #[test]
    fn finish_minus_target_falls_smoothly_along_a_course() {
        let p = ModelParams::default();
        let mut changes = 0;
        for ph in &RUNNERS {
            for (track, dist) in COURSES {
                let tt = SoloTrial::new(ph, track, dist, &p);
                let t_star =
                    time_trial(ph, track, dist, &p) - crate::field::calibrate::HOLD_TOLERANCE_S;
                let g = |t: f64| {
                    let (f, course) = tt.finish_course(t);
                    (f - t, course)
                };
                // 0.02 s around the threshold in 0.1 ms steps
                let h = 1e-4;
                let (mut last, mut last_course) = g(t_star - 0.01);
                for k in 1..=200 {
                    let t = t_star - 0.01 + k as f64 * h;
                    let (now, course) = g(t);
                    if course == last_course {
                        let slope = (now - last) / h;
                        assert!(
                            slope < -0.02 && slope > -0.5,
                            "{ph:?} {track} {dist} m at {t}: slope {slope} along one course"
                        );
                    } else {
                        changes += 1;
                    }
                    (last, last_course) = (now, course);
                }
            }
        }
        // the course does change within such windows (the test sees both cases)
        assert!(changes > 0);
    }

    /// The premise of the threshold search (`calibrate::HOLD_JUMP_S`): near the fastest held
    /// target, `finish − target` falls with the target except for jumps from the step grid that
    /// stay well below the bound.
    #[test]
    fn finish_minus_target_jumps_less_than_the_bound() {
        let p = ModelParams::default();
        for ph in &RUNNERS {
            for (track, dist) in COURSES {
                let tt = SoloTrial::new(ph, track, dist, &p);
                let t_star =
                    time_trial(ph, track, dist, &p) - crate::field::calibrate::HOLD_TOLERANCE_S;
                let g = |t: f64| tt.finish(t) - t;
                // 0.1 s either side in 0.5 ms steps: the rise from one target to the next faster
                let h = 5e-4;
                let mut last = g(t_star + 0.1);
                let mut k = 1;
                while k <= 400 {
                    let t = t_star + 0.1 - k as f64 * h;
                    let now = g(t);
                    // a faster target never finishes further behind it by more than the bound
                    assert!(
                        last - now < 0.5 * crate::field::calibrate::HOLD_JUMP_S,
                        "{ph:?} {track} {dist} m at {t}: {last} then {now}"
                    );
                    last = now;
                    k += 1;
                }
            }
        }
    }
}
