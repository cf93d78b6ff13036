//! Global model parameters: everything that is the same for every runner in every race.
//!
//! Each constant says where it comes from, with the labels of `../shared/docs/model-notes.md`:
//! **[S]** read in a source, **[D]** derived by arithmetic from sourced inputs, **[U]** a modelling
//! choice (a tunable default, not a fact). Section numbers (§) refer to those notes.
//!
//! The race-level [U] values were tuned by `racesim tune` (the procedure is in
//! `crate::study::tune`) on the real races in `../shared/data/races/`; the tuned values are
//! committed here, and `docs/validation.md` has the before/after scores.

use serde::{Deserialize, Serialize};

/// Race regime of a championship race without pacers (Sandford, Day & Rogers 2019 [S]).
///
/// A final without pacers is run fast, at a medium pace or slowly; the regime sets the lead pace
/// and the number of surges, which is why championship races are drawn regime first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// Run from the front at close to the field's solo pace.
    Fast,
    /// In between.
    Medium,
    /// A sit-and-wait race decided in the last lap.
    Slow,
}

impl Regime {
    /// The three regimes, in the order of [`ModelParams::regime_prob`].
    pub const ALL: [Regime; 3] = [Regime::Fast, Regime::Medium, Regime::Slow];

    /// Index into the per-regime parameter arrays.
    pub fn index(self) -> usize {
        match self {
            Regime::Fast => 0,
            Regime::Medium => 1,
            Regime::Slow => 2,
        }
    }
    /// The name reports print.
    pub fn name(self) -> &'static str {
        match self {
            Regime::Fast => "fast",
            Regime::Medium => "medium",
            Regime::Slow => "slow",
        }
    }
}

/// All global parameters. `ModelParams::default()` is the shipped, documented set.
///
/// One struct, passed by reference to every room that needs a constant, so that a `[model]`
/// table, a sweep or the tuning can change any of them without a recompile. The numeric ones are
/// listed, with labels and units, in the parameter table (`input::params`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelParams {
    // ---- integration ----
    /// Time step [s]. 0.1 s = 10 Hz, the rate of IsoLynx race tracking (§9.3, Le Hyaric 2024 [S]).
    pub dt_s: f64,
    /// Steps of `dt_s` from one of a runner's decisions (his speed and his line) to the next, a
    /// whole number: between decisions he holds the speed and line he aimed at, while inertia,
    /// the Morton cap, the move and the reserve still run every step — except a runner moving
    /// across to a new line, who re-decides every step until he is on it. 2 [U] (every 0.2 s,
    /// well inside a runner's reaction to a rival's move, `reaction_min_s` 0.5 s) costs ~32 %
    /// fewer instructions than 1 (the neighbour scan and the tactic are most of a step) and moves
    /// the validation's median finish times by −0.02 s on average (−0.11 to +0.07 s), win
    /// chances by 0.6 standard errors rms; 3 scatters single medians by up to 0.6 s.
    /// `docs/performance.md` has the study. 1 = every step, the engine before stop 20.
    pub decision_steps: f64,

    // ---- air resistance and drafting (§2) ----
    /// Share of running energy spent against the air at 6 m/s, φ₆. 0.055 is the midpoint [U] of
    /// Davies 1980 (4 %) and Pugh 1970/71 (7.5–8 %) [S]; the share scales as (v/6)² (§2.1 [D]).
    pub air_share_at_6: f64,
    /// Fraction of air drag removed directly behind a runner at ≤1 m, r_max = 0.6 [U] (between the
    /// 0.58 CFD value at 1.3 m and Pugh's ~0.8 at 1 m [S], §2.2–2.3).
    pub draft_max: f64,
    /// e-folding length of the draft beyond a 1 m gap, λ_g = 1.5 m [U] (§2.3).
    pub draft_gap_decay_m: f64,
    /// Lateral width of the draft, w = 0.5 m [U] (§2.3).
    pub draft_width_m: f64,
    /// Extra draft when two or more runners are within 2 m ahead, +0.05 [U] (CFD packs add a
    /// little, §2.3).
    pub draft_pack_bonus: f64,
    /// Drag change when running shoulder to shoulder, −0.05 [U] (direction from Brownlie 1987 and
    /// Schickhofer & Hanson 2021 [S], §2.3).
    pub abreast_penalty: f64,
    /// Multiplier on every draft effect: 1.0 is the notes' function (r_max = 0.6 directly behind,
    /// inside the sourced range from a field study's −33 % drag area to Pugh's ~80 %, §2.2).
    /// Tuning on the shared races (`racesim tune`, docs/validation.md) kept 1.0 against 0.5–1.33.
    pub draft_scale: f64,

    // ---- bends (§3.3) ----
    /// Weight ψ of the axial leg-force rise in the metabolic cost on a bend: 0.39 [D] from
    /// Taboga & Kram 2019's 400 m-track marathon figures (§3.3).
    pub bend_psi: f64,
    /// Factor on the bend penalty for banked indoor tracks, 0.5 [U] (banking unsourced, §3.3).
    pub banked_factor: f64,

    // ---- energetics (§1.3–1.5) ----
    /// Scale of D′ reconstitution below CS, k_rec = 1.0 [U] in the differential (Froncioni /
    /// Clarke, GoldenCheetah WPrime.cpp [S]) form (§1.5).
    pub k_rec: f64,
    /// Speed cap with an empty reserve, as a fraction of CS: 0.97 [U] (§9.4 step 5, "tie-up").
    pub tie_up_floor: f64,
    /// Reserve fraction below which the tie-up sets in smoothly, 0.05 [U].
    pub tie_up_onset: f64,

    // ---- dynamics (§9.4 step 6) ----
    /// Keller inertia time constant τ_K = 0.9 s [S-mem] (Keller 1973/74, §1.1); the propulsive
    /// limit is F = MSS/τ_K so that Keller's top speed F·τ equals MSS (§9.2 [D]).
    pub tau_keller_s: f64,
    /// Response time of the speed controller, τ_resp = 1.0 s [U] (§9.4).
    pub tau_response_s: f64,
    /// Largest deceleration a runner chooses, 1.5 m/s² [U] (§9.4).
    pub max_decel_mps2: f64,
    /// Largest lateral speed, 0.8 m/s [U] (§9.4 step 7).
    pub lateral_speed_mps: f64,
    /// Lateral spacing of two runners side by side (one shoulder width), 0.75 m [U].
    pub lane_slot_m: f64,
    /// Closest chest-to-chest spacing when following in line, 0.9 m [U].
    pub min_gap_m: f64,
    /// Preferred following gap, chest to chest: 1.3 m [U] — about one stride, the gap that keeps
    /// most of the draft (§9.5: follow at g* = 1.0–1.5 m [U]).
    pub follow_gap_m: f64,
    /// Body depth used to turn chest-to-chest spacing into the draft gap g, 0.5 m [U].
    pub body_depth_m: f64,
    /// How a runner with someone at his inside shoulder moves in [U]; shipped 0 (see below). 0:
    /// he holds his line
    /// until the man inside him is gone (the engine before the start model; with the waterfall
    /// start's runners 0.6 m apart, closer than the lateral clearance, the outer men then stayed
    /// 4–7 m wide into the first bend). 1: he closes in to one shoulder width (`lane_slot_m`)
    /// outside the runners alongside him on the inside, so the line collapses towards the kerb as
    /// a whole — each man drifting in with the man inside him — and a man clear ahead of those
    /// inside him (by `min_gap_m + 0.7` m; one stride behind him does not block) cuts in. This is
    /// what runners do at a waterfall start (the field breaks for the kerb and is two or three
    /// wide by the first bend, e.g. Rome 2024's 100 m split times within 0.75 s across the field,
    /// ../shared/data/races) and in a pack (nobody runs a lane out for nothing: π·Δy metres per
    /// bend, model notes §3.1). Values between blend the two targets; range 0–1. Not shipped:
    /// at 1 the start is narrower, but on the nine shared races (4000 races each) the winner
    /// log-loss rose from 2.149 to 2.190, above the uniform guess (2.17). A retune with it on
    /// (`racesim tune`, issue 11: kick 400 m, follow margin 0.1, docs/model-start-retuned.toml)
    /// still fails a bar out of sample — log-loss 2.192 at seed 1, all splits' 95 % coverage
    /// 89.7 % at seed 7 — and leaves the field's spread at 200–300 m where it was (mean 2.0 s
    /// for the last man in Paris, against 1.8–2.1 s without it), so the shipped model keeps 0
    /// (docs/validation.md, "The start" and "The retune with the start model on").
    pub close_in: f64,
    /// How much a runner third wide or wider, with men alongside on his inside and not going
    /// past, eases off to drop in behind them [U]: 0.3 m/s in the start model (a stride's worth,
    /// ~1.5 m, lost in 5 s; the runner behind a man is clear of his inside neighbour after `min_gap_m + 0.7` m).
    /// 0: he stays out there, a lane or more wide, and pays π·Δy metres on each bend (model notes
    /// §3.1); with a bunched waterfall start he then stays wide round the whole first bend. This
    /// and `close_in` turn the start into a file two or three wide by the first bend, as in real
    /// races; range 0–1 m/s. Shipped 0, as `close_in` (with both, finish times' 80 % coverage on
    /// the shared races rose to 89 %, outside 72–88 %; retuned, the coverage is back at 86.8 %
    /// but the winner log-loss is not, see `close_in`).
    pub tuck_in_ease_mps: f64,
    /// The two-three-wide pack [U]: the chest-to-chest gap a runner keeps behind a man one
    /// shoulder width (`lane_slot_m`) inside him when he holds station on that man's outside
    /// shoulder, diagonally behind him, instead of queueing directly behind him at
    /// `follow_gap_m`. 0 = off: every follower settles into lane 1 at the follow gap and the field
    /// runs one wide (twelve men ≈ 15 m, 2 s, where a real field is within ≈ 0.75 s: Rome 2024's
    /// 100 m splits, ../shared/data/races). On (shipped since stop 22, 0.65 m; docs/validation.md,
    /// "The two-three-wide pack, shipped"): the field runs in up to three columns (lane 1, one and
    /// two shoulder widths out), each runner choosing the column where he holds the station
    /// nearest the front, paying for width in the choice, moving out only on a straight and
    /// dropping in behind a gap on a bend (`engine::race::sim`, `pack_station`). Half the follow
    /// gap (0.65 m) puts a man's chest level with the back of the man on his inside [D from
    /// `body_depth_m` 0.5 m ≈ half a stride]; range 0–`follow_gap_m`. `docs/model-single-file.toml`
    /// switches it off.
    #[serde(skip_serializing_if = "is_zero")]
    pub pack_shoulder_gap_m: f64,
    /// The waterfall start's fold-in, with the pack on (`pack_shoulder_gap_m` > 0) [U]. A
    /// runner wide of the pack's three columns (the waterfall's outer men, 3–7 m out; or a man
    /// out on a pass) moves in towards the pack once the nearest man in the column inside him
    /// is a body depth (`body_depth_m`) ahead, chest to chest — his chest at that man's back,
    /// clear of his heels — not the in-line spacing `min_gap_m` a man keeps behind another;
    /// and he is not held out by a man that far ahead of him a shoulder width inside. Running a
    /// bend 3–6 m out costs (R + y)/R − 1 = 8–16 % more distance (model notes §3.1), so a wide
    /// starter takes the first room he has; real fields break for the kerb from a waterfall
    /// start and are two or three wide within ~100 m (Rome 2024: all thirteen within 0.58 s
    /// at 100 m and 0.68 s at 200 m, ../shared/data/races). 0: he waits for `min_gap_m` of
    /// room (the pack as first built: in a field of twelve identical runners the widest man
    /// is 5.1 m out at 100 m on average); 1 (shipped with the pack): a body depth (3.8 m out);
    /// values between blend the clearance; range 0–1. The men inside the pack's columns keep
    /// `min_gap_m`.
    #[serde(skip_serializing_if = "is_zero")]
    pub wide_fold_in: f64,

    // ---- race-day randomness (§6) ----
    /// SD of ln CS (and of ln MSS, which moves with it) on the day: 1.1 %. Set so that a lone
    /// runner's race-to-race CV of finish time is 0.8–1.0 % (Hopkins 2005 [S]: CV 1.0 % up to
    /// 1500 m, 0.8 % for the top half) — a calibration target, not an input (§6). Tuning on the
    /// shared races (1.1–1.3 % allowed) kept 1.2 % for the single-file engine; retuned with the
    /// two-three-wide pack (stop 21, `racesim tune` and a hand screen; docs/validation.md) the
    /// shared races' finish-time bands fit best at 1.1 % (1.2 % left them too wide: 89–90 % of
    /// real times in the 80 % bands), the bottom of that range. A solo 1500 m (scenarios/solo-time-trial.toml, 20 000 races)
    /// then has CV 0.90 % (0.96 % at 1.2 %).
    pub form_sd_cs: f64,
    /// SD of ln D′ on the day, 3 % [U] (inside D′'s 13 % test–retest CV, Galbraith 2014 [S],
    /// which includes measurement error). It was 6 % until the tuned 350 m kick made the finish
    /// time lean more on D′: with 6 % the lone runner's CV rose to 1.04 %, outside Hopkins'
    /// range; 3 % brings it back to 0.96 % at the smallest cost to the tuning objective of the
    /// options tried (9.40 against 9.45–9.55 for a smaller `form_sd_cs` or D′ spreads of 2 or
    /// 4 %; docs/validation.md).
    pub form_sd_dprime: f64,
    /// Share of the day-form variance (of ln CS and ln MSS) that is common to the whole field of
    /// a race (issue 11): 0 = every runner's form independent. The total per runner stays
    /// `form_sd_cs`, so a lone runner's race-to-race CV (Hopkins 2005 [S], §6) is unchanged;
    /// only how much of it the field shares moves. Hopkins' CV is a runner's variation from
    /// competition to competition, and the conditions of a race (wind, heat, the track, the
    /// occasion) are shared by everyone in it: in deep finals most of the field beats its marks
    /// together (8 of 12 in Paris 2024). [U: the share is not in the sources read; 0.3 from the
    /// issue-11 diagnosis (it balances the two sides of the gap bands' misses with
    /// `hang_on_pack_draft` and `field_shrinkage`); range 0–0.5.]
    pub form_common_share: f64,
    /// Shrinkage k of each runner's marks-implied ability toward his field (issue 11): his solo
    /// time is taken as `median + (1 − k)·(solo − median)` of the race's runners (CS, MSS and D′
    /// scaled together by one factor). 0 = the marks as they are. Reasoning: a mark is a noisy
    /// measure of what a runner can do on the day — Hopkins 2005 [S] puts a runner's
    /// competition-to-competition CV at 0.8–1.1 %, growing with the time since the mark (§6) —
    /// while finalists' solo times differ by SD ≈ 0.8–1.6 %; and being in the field (through the
    /// rounds, or invited to a fast paced race) is information too. The best linear predictor
    /// then shrinks toward the field (empirical Bayes). On the shared races real finish times
    /// move 0.29 (± 0.10) s per second of solo-time difference, the model's 0.64 without
    /// shrinkage [D, issue-11 diagnosis]. [U: 0.4; range 0–0.6.]
    pub field_shrinkage: f64,
    /// Correlation of the two day-form draws, ρ = 0.5 [U] (§9.2).
    pub form_rho: f64,
    /// Pace-judgement error of a runner holding his own pace without lights, SD 1 % [U] (§5).
    pub pace_sd: f64,
    /// The same with a WaveLight to follow, SD 0.3 % [U] (§5).
    pub pace_sd_wavelight: f64,
    /// Error of a runner's estimate of his own remaining reserve, CV 10 % [U] (§9.5).
    pub reserve_estimate_cv: f64,
    /// Jitter on the kick onset distance, SD 30 m [U] (§9.5).
    pub kick_jitter_m: f64,
    /// Reaction delay before covering a rival's kick, uniform on [min, max] s: 0.5–2 s [U]
    /// (Aftalion & Martinon 2019's "delay after being overtaken", qualitative [S]; §9.5).
    pub reaction_min_s: f64,
    /// The upper end of that reaction delay, 2 s [U].
    pub reaction_max_s: f64,
    /// Pacer execution noise per 400 m, SD 0.3 s [U] (§5).
    pub pacer_sd_per_400_s: f64,
    /// Pacers slow when the first follower is more than this far behind, 3 m [U] (§5,
    /// Runner's World "Run Rabbit Run" [S] qualitatively).
    pub pacer_wait_gap_m: f64,
    /// How much pacers slow while waiting, 1.5 % [U] (§5: "1–2 %").
    pub pacer_wait_slow: f64,

    // ---- tactics (§4, §9.5) ----
    /// Safety margin of a follower's hang-on limit: he will not follow a pace he believes he could
    /// not hold for `1 + margin` times the remaining distance. 0 [U, tuned from 0.25 on the shared
    /// races: followers hang on as long as they believe they can hold the pace to the line; the
    /// belief is noisy (`reserve_estimate_cv`), so some still hang on too long and tie up].
    pub follow_margin: f64,
    /// Share of the group's full draft (`draft_max × draft_scale`, directly behind) a runner
    /// counts on when he judges whether he can hold the pace while he is in touch with the group
    /// (the runner ahead within `hang_on_reach_m`), issue 11. 0: he judges with the air he has
    /// this instant — wide at the start, out on a pass or a few metres off the back he then sees
    /// no shelter, judges he can only hold his solo pace, drops to it and never closes the gap
    /// again (the positive feedback that strung the simulated fields out). 1: he judges the pace
    /// he could hold in the group. [U: 1; reasoning: dropping off is an active decision made on
    /// the effort of staying in the group (Thiel et al. 2012 [S]), and the draft is worth
    /// ~1 s per lap (§2.3 [D], Pugh's practical figure [S]); range 0–1. Shipped 0.75 since the
    /// pack (stop 22): in a two-three-wide pack a man's draft is rarely the full one directly
    /// behind, and at 1 the pack's finishes came out too tight (gaps misses 2 tight : 6 loose);
    /// 0.75 was the best of a hand screen of twelve sets with the pack on (docs/validation.md).]
    pub hang_on_pack_draft: f64,
    /// How far behind the runner ahead (chest to chest) a runner still counts himself in the
    /// group for `hang_on_pack_draft`: 25 m [U] (the tactics' contact distance); beyond it he
    /// judges with the air he has. Range 5–40 m.
    pub hang_on_reach_m: f64,
    /// The same margin for a runner driving from the front (long-drive, front-run) or racing the
    /// field: 0 [U, tuned from 0.08; in the last tuning pass the objective was flat within 0.11
    /// over 0–0.25, so this knob is weakly identified].
    pub drive_margin: f64,
    /// Default kick onset, distance from the finish: 350 m [U, tuned on the shared races over
    /// 200–400 m; the objective was 9.65 / 9.50 / 9.32 / 9.36 at 250 / 300 / 350 / 400 m]. The kick
    /// is a drive to the line at the fastest speed the runner believes he can hold that far (his
    /// Morton sustainable speed for the remaining distance, with his noisy reserve estimate), not
    /// an all-out sprint that fades, so an early kick is an even effort rather than a blow-up.
    /// (The mean kick onset of Sandford, Day & Rogers 2019 was not captured, §4.1; men's
    /// medallists separate in the last 100 m, Hettinga et al. 2019 [S].)
    pub default_kick_m: f64,
    /// Default drive distance of a long-drive runner: 704 m from the finish, the final surge of
    /// fast championship races (Sandford, Day & Rogers 2019 [S]).
    pub default_drive_m: f64,
    /// A kicker answers a rival's kick when within this multiple of his own kick distance.
    pub cover_window_factor: f64,
    /// Probabilities of the fast / medium / slow regime in a championship race without pacers.
    /// Sandford, Day & Rogers' 16 finals (2000s–2010s) were 5 / 7 / 4 [S]; tuned on the shared
    /// (2021–24) finals to 0.75 fast, keeping their 7 : 4 ratio of medium to slow — recent global
    /// finals have mostly been fast. [U, tuned]
    pub regime_prob: [f64; 3],
    /// Lead pace range (low, high) per regime, as a multiple of the field's median solo even
    /// pace (each runner's calibration time trial over the race distance). The notes express it
    /// on CS (§9.5: fast 1.12–1.15·CS, slow 0.95–1.00·CS [U]); on the Morton-fitted CS those
    /// ranges are too slow, so the scale here is the solo pace, which the fit pins to the marks.
    /// Fast 1.00–1.04 (Paris 2024 and Tokyo 2021 ran their first 800 m at ≈1.01 of the finalists'
    /// median solo pace, Paris its first 400 m at ≈1.03; the leader's own hang-on limit cuts
    /// the target, so the range sits above what leaders actually run; it was 0.99–1.02 before
    /// issue 11, when `field_shrinkage` did not yet pull the fast men's abilities toward the
    /// field and so lowered the median-relative pace they could press), medium 0.93–0.98, slow
    /// 0.82–0.90 (Rio 2016: 2:16.6 at 800 m [S] is ≈0.83) [U; tuned on the shared races, see
    /// docs/validation.md].
    pub regime_pace: [[f64; 2]; 3],
    /// Expected number of surges before the kick, per regime: fast 1, slow 5 (Sandford [S]);
    /// medium 3 [U, interpolated].
    pub regime_surges: [f64; 3],
    /// Final pre-kick surge, distance from the finish (mean, SD), per regime: 704 ± 133,
    /// 427 ± 83, 370 ± 137 m (Sandford [S]; the ± are 90 % confidence limits of a mean, used here
    /// as a spread [U]).
    pub final_surge_m: [[f64; 2]; 3],
    /// Size of a surge: speed rise (fraction) range, +3–6 % [U] (§9.5).
    pub surge_rise: [f64; 2],
    /// Length of a surge, 100–200 m [U] (§9.5).
    pub surge_len_m: [f64; 2],
    /// What a surge's rise (`surge_rise`, a runner's `surge` tactic) is a rise over [U]: 0,
    /// his speed of the moment, as the engine has always done — each decision lifts his aim by
    /// the rise again, so the surge compounds at rise/τ per second through the 1 s response
    /// until the Morton cap holds it (Paris, race 0 of seed 2024: a "+3.8 %" surge at 980 m to
    /// go reached 8.46 m/s, a 47 s lap pace, and the whole field let it go, 2.5 s in 100 m);
    /// 1, his speed when the surge began, so a surge of +3–6 % is that (model notes §9.5:
    /// a surge is a rise over the pace). Values between blend the two. 1 since stop 21
    /// (docs/validation.md, "The surge that compounded"); 0 gives the engine before.
    /// Range 0–1.
    pub surge_from_start: f64,
    /// After the pacers leave, the leader's pace sags from the plan by up to this fraction,
    /// uniform on [0, sag]. 0 [U, tuned from 0.03 (Millrose 2023's third quarter of 59.4 s after a
    /// 1:53 half [S data] suggested a sag; the shared races as a whole do not)].
    pub post_pacer_sag: f64,
    /// In a championship race the favourite on paper presses from `drive_m` out (long-drive) when
    /// his solo time is at least this fraction faster than the field's median, 1 % [U].
    pub favourite_margin: f64,

    // ---- calibration priors (see `crate::field::calibrate`) ----
    /// Prior median of D′ [m]: 250 [U], between 212 m (Ingebrigtsen, 2-parameter, §1.3 [D]) and
    /// ≈300 m (Kerr, Morton joint fit, §11 [D]).
    pub prior_d_prime_m: f64,
    /// Prior SD of ln D′: 0.35 [U], wide (D′ test–retest CV is 13 %, Galbraith 2014 [S]).
    pub prior_ln_d_prime_sd: f64,
    /// Prior median of MSS/CS − 1 for the Morton intercept MSS: 0.42 [U]. Sandford et al.'s
    /// speed-reserve ratios (MSS = 1.36–1.47 × vV̇O₂max for 800–1500 types [S]) with vV̇O₂max
    /// 6.3–6.6 m/s [U] give fresh 50 m sprint speeds of 8.6–9.7 m/s, MSS/CS ≈ 1.38–1.56. The
    /// Morton intercept is an extrapolation of constant-pace efforts, not a measured sprint, and
    /// with the upper half of that range a fresh runner's Morton kick covers the last 300 m of a
    /// slow race in ≈34 s, where slow championship finals close in ≈37–38 s; the low end of the
    /// range is used.
    pub prior_speed_reserve: f64,
    /// Prior SD of ln(MSS/CS − 1): 0.2 [D], the width of the range above.
    pub prior_ln_reserve_sd: f64,
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams {
            dt_s: 0.1,
            decision_steps: 2.0,
            air_share_at_6: 0.055,
            draft_max: 0.6,
            draft_gap_decay_m: 1.5,
            draft_width_m: 0.5,
            draft_pack_bonus: 0.05,
            abreast_penalty: -0.05,
            draft_scale: 1.0,
            bend_psi: 0.39,
            banked_factor: 0.5,
            k_rec: 1.0,
            tie_up_floor: 0.97,
            tie_up_onset: 0.05,
            tau_keller_s: 0.9,
            tau_response_s: 1.0,
            max_decel_mps2: 1.5,
            lateral_speed_mps: 0.8,
            lane_slot_m: 0.75,
            min_gap_m: 0.9,
            follow_gap_m: 1.3,
            body_depth_m: 0.5,
            close_in: 0.0,
            tuck_in_ease_mps: 0.0,
            pack_shoulder_gap_m: 0.65,
            wide_fold_in: 1.0,
            form_sd_cs: 0.011,
            form_sd_dprime: 0.03,
            form_common_share: 0.3,
            field_shrinkage: 0.4,
            form_rho: 0.5,
            pace_sd: 0.01,
            pace_sd_wavelight: 0.003,
            reserve_estimate_cv: 0.10,
            kick_jitter_m: 30.0,
            reaction_min_s: 0.5,
            reaction_max_s: 2.0,
            pacer_sd_per_400_s: 0.3,
            pacer_wait_gap_m: 3.0,
            pacer_wait_slow: 0.015,
            follow_margin: 0.0,
            hang_on_pack_draft: 0.75,
            hang_on_reach_m: 25.0,
            drive_margin: 0.0,
            default_kick_m: 350.0,
            default_drive_m: 704.0,
            cover_window_factor: 1.6,
            regime_prob: [0.75, 0.25 * 7.0 / 11.0, 0.25 * 4.0 / 11.0],
            regime_pace: [[1.00, 1.04], [0.93, 0.98], [0.82, 0.90]],
            regime_surges: [1.0, 3.0, 5.0],
            final_surge_m: [[704.0, 133.0], [427.0, 83.0], [370.0, 137.0]],
            surge_rise: [0.03, 0.06],
            surge_len_m: [100.0, 200.0],
            surge_from_start: 1.0,
            post_pacer_sag: 0.0,
            favourite_margin: 0.01,
            prior_d_prime_m: 250.0,
            prior_ln_d_prime_sd: 0.35,
            prior_speed_reserve: 0.42,
            prior_ln_reserve_sd: 0.2,
        }
    }
}

/// A model parameter outside its range ([`ModelParams::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{param}: {message}")]
pub struct ParamError {
    /// The parameter's name (its key in a `[model]` table).
    pub param: &'static str,
    /// What is wrong with its value.
    pub message: String,
}

impl ParamError {
    fn new(param: &'static str, message: impl Into<String>) -> ParamError {
        ParamError {
            param,
            message: message.into(),
        }
    }
}

/// The valid range of one scalar model parameter: a finite value with `lo ≤ v ≤ hi` (or
/// `lo < v` when `lo_open`). One table ([`MODEL_RANGES`]) that [`ModelParams::validate`] applies,
/// `docs/reliability.md` prints, and the parameter table (`input::params`) is tested against.
#[derive(Debug, Clone, Copy)]
pub struct ParamRange {
    /// The parameter's key in a `[model]` table.
    pub name: &'static str,
    /// Read it.
    pub get: fn(&ModelParams) -> f64,
    /// Lower bound.
    pub lo: f64,
    /// Whether the lower bound itself is excluded (a time constant must be positive).
    pub lo_open: bool,
    /// Upper bound (inclusive).
    pub hi: f64,
}

impl ParamRange {
    /// Whether `v` is inside the range (NaN and ±∞ never are).
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite()
            && (if self.lo_open {
                v > self.lo
            } else {
                v >= self.lo
            })
            && v <= self.hi
    }

    /// The range as people read it: `[0, 1]`, `(0, 0.5]`.
    pub fn describe(&self) -> String {
        format!(
            "{}{}, {}]",
            if self.lo_open { "(" } else { "[" },
            self.lo,
            self.hi
        )
    }
}

macro_rules! ranges {
    ($($field:ident: $open:tt $lo:expr, $hi:expr;)*) => {
        /// Valid range of every scalar model parameter (the arrays are checked in
        /// [`ModelParams::validate`]). The bounds are [U]: wide enough for any sweep or tuning
        /// that makes physical sense, narrow enough that the engine and the fit stay well-posed
        /// (e.g. the time step bounds a race's number of steps, the priors stay inside the fit's
        /// box of possible runners).
        pub const MODEL_RANGES: &[ParamRange] = &[$(ParamRange {
            name: stringify!($field),
            get: |p| p.$field,
            lo: $lo,
            lo_open: ranges!(@open $open),
            hi: $hi,
        }),*];
    };
    (@open "(") => { true };
    (@open "[") => { false };
}

ranges! {
    // 1 ms: 3 minutes of race is 180 000 steps; finer than that only burns time (and a race has a
    // step budget, see `engine::race`).
    dt_s: "[" 0.001, 0.5;
    decision_steps: "[" 1.0, 10.0;
    air_share_at_6: "[" 0.0, 0.3;
    draft_max: "[" 0.0, 0.95;
    draft_gap_decay_m: "(" 0.0, 20.0;
    draft_width_m: "(" 0.0, 5.0;
    draft_pack_bonus: "[" 0.0, 0.5;
    abreast_penalty: "[" -0.5, 0.5;
    draft_scale: "[" 0.0, 3.0;
    bend_psi: "[" 0.0, 3.0;
    banked_factor: "[" 0.0, 2.0;
    k_rec: "[" 0.0, 10.0;
    tie_up_floor: "(" 0.0, 1.0;
    tie_up_onset: "(" 0.0, 1.0;
    tau_keller_s: "[" 0.1, 10.0;
    tau_response_s: "[" 0.05, 10.0;
    max_decel_mps2: "(" 0.0, 20.0;
    lateral_speed_mps: "(" 0.0, 5.0;
    lane_slot_m: "[" 0.3, 3.0;
    min_gap_m: "(" 0.0, 5.0;
    follow_gap_m: "(" 0.0, 10.0;
    body_depth_m: "[" 0.0, 2.0;
    close_in: "[" 0.0, 1.0;
    tuck_in_ease_mps: "[" 0.0, 1.0;
    pack_shoulder_gap_m: "[" 0.0, 10.0;
    wide_fold_in: "[" 0.0, 1.0;
    surge_from_start: "[" 0.0, 1.0;
    form_sd_cs: "[" 0.0, 0.2;
    form_sd_dprime: "[" 0.0, 0.5;
    form_rho: "[" -1.0, 1.0;
    // issue 11's pack mechanisms: a share, a shrinkage below 1 (1 would erase the marks), a share
    // of the full draft, and a reach up to a straight's length
    form_common_share: "[" 0.0, 1.0;
    field_shrinkage: "[" 0.0, 0.99;
    hang_on_pack_draft: "[" 0.0, 1.0;
    hang_on_reach_m: "[" 0.0, 100.0;
    pace_sd: "[" 0.0, 0.2;
    pace_sd_wavelight: "[" 0.0, 0.2;
    reserve_estimate_cv: "[" 0.0, 1.0;
    kick_jitter_m: "[" 0.0, 1000.0;
    reaction_min_s: "[" 0.0, 30.0;
    reaction_max_s: "[" 0.0, 30.0;
    pacer_sd_per_400_s: "[" 0.0, 10.0;
    pacer_wait_gap_m: "[" 0.0, 100.0;
    pacer_wait_slow: "[" 0.0, 0.5;
    follow_margin: "[" 0.0, 2.0;
    drive_margin: "[" 0.0, 2.0;
    default_kick_m: "[" 0.0, 5000.0;
    default_drive_m: "[" 0.0, 5000.0;
    cover_window_factor: "[" 0.0, 10.0;
    post_pacer_sag: "[" 0.0, 0.5;
    favourite_margin: "[" 0.0, 1.0;
    // inside the fit's box of possible runners (D′ 30–1200 m, `field::calibrate`)
    prior_d_prime_m: "[" 30.0, 1200.0;
    prior_ln_d_prime_sd: "(" 0.0, 5.0;
    // MSS/CS − 1 up to 0.6 keeps a prior runner's sprint speed under the model's 13 m/s at the
    // highest CS (8 m/s); 0.1 keeps it above 1.05 × CS
    prior_speed_reserve: "[" 0.1, 0.6;
    prior_ln_reserve_sd: "(" 0.0, 5.0;
}

impl ModelParams {
    /// The single-file engine, as shipped up to stop 21: every follower queues in lane 1 behind
    /// the man ahead, the waterfall's wide starters wait for `min_gap_m` of room, and the two
    /// knobs retuned with the two-three-wide pack keep their earlier values
    /// (`hang_on_pack_draft` 1, `form_sd_cs` 1.2 %). The same as `docs/model-single-file.toml`
    /// (a test holds the two together); tests that measure what the pack changes compare with it.
    #[must_use]
    pub fn single_file() -> Self {
        Self {
            pack_shoulder_gap_m: 0.0,
            wide_fold_in: 0.0,
            hang_on_pack_draft: 1.0,
            form_sd_cs: 0.012,
            ..Self::default()
        }
    }

    /// Check ranges: a parameter file or a sweep must not run the engine with an impossible
    /// model (a negative time step, NaN, probabilities that do not sum to one). Every scalar
    /// against [`MODEL_RANGES`], then the arrays and the relations between parameters.
    ///
    /// # Errors
    /// The first bad parameter and why.
    pub fn validate(&self) -> Result<(), ParamError> {
        for r in MODEL_RANGES {
            let v = (r.get)(self);
            if !r.contains(v) {
                return Err(ParamError::new(
                    r.name,
                    format!("must be a number in {}, got {v}", r.describe()),
                ));
            }
        }
        if self.decision_steps.fract() != 0.0 {
            return Err(ParamError::new(
                "decision_steps",
                format!("must be a whole number, got {}", self.decision_steps),
            ));
        }
        if self.reaction_max_s < self.reaction_min_s {
            return Err(ParamError::new(
                "reaction_max_s",
                "must be at least reaction_min_s",
            ));
        }
        if self.follow_gap_m < self.min_gap_m {
            return Err(ParamError::new(
                "follow_gap_m",
                "must be at least min_gap_m",
            ));
        }
        if self.pack_shoulder_gap_m > self.follow_gap_m {
            return Err(ParamError::new(
                "pack_shoulder_gap_m",
                "must be at most follow_gap_m (the station on a shoulder is no further back than the one behind)",
            ));
        }
        let s: f64 = self.regime_prob.iter().sum();
        if self
            .regime_prob
            .iter()
            .any(|p| !(p.is_finite() && (0.0..=1.0).contains(p)))
            || (s - 1.0).abs().is_nan()
            || (s - 1.0).abs() > 1e-6
        {
            return Err(ParamError::new(
                "regime_prob",
                "must be three probabilities in [0, 1] summing to 1",
            ));
        }
        for r in &self.regime_pace {
            if !(r[0] > 0.5 && r[1] >= r[0] && r[1] < 2.0) {
                return Err(ParamError::new(
                    "regime_pace",
                    "each range must be 0.5 < lo ≤ hi < 2",
                ));
            }
        }
        if self
            .regime_surges
            .iter()
            .any(|n| !(n.is_finite() && (0.0..=50.0).contains(n)))
        {
            return Err(ParamError::new(
                "regime_surges",
                "must be three numbers in [0, 50]",
            ));
        }
        for [mean, sd] in self.final_surge_m {
            let ok = mean.is_finite()
                && (0.0..=5000.0).contains(&mean)
                && sd.is_finite()
                && (0.0..=2000.0).contains(&sd);
            if !ok {
                return Err(ParamError::new(
                    "final_surge_m",
                    "each pair must be a mean in [0, 5000] m and an SD in [0, 2000] m",
                ));
            }
        }
        let [lo, hi] = self.surge_rise;
        if !(lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo <= hi && hi <= 0.5) {
            return Err(ParamError::new(
                "surge_rise",
                "must be a range 0 ≤ lo ≤ hi ≤ 0.5",
            ));
        }
        let [lo, hi] = self.surge_len_m;
        if !(lo.is_finite() && hi.is_finite() && 0.0 < lo && lo <= hi && hi <= 2000.0) {
            return Err(ParamError::new(
                "surge_len_m",
                "must be a range 0 < lo ≤ hi ≤ 2000 m",
            ));
        }
        Ok(())
    }
}

/// Serde's test for leaving an off (zero) parameter out of `summary.json`, so that a model
/// without the feature writes the same bytes as before it existed.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_inside_every_range() {
        ModelParams::default().validate().unwrap();
    }

    #[test]
    fn nan_infinity_and_out_of_range_values_are_refused_for_every_parameter() {
        for r in MODEL_RANGES {
            for bad in [
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                r.hi * 2.0 + 1.0,
                r.lo - 1.0,
            ] {
                let mut p = ModelParams::default();
                set(&mut p, r.name, bad);
                let e = p.validate().unwrap_err();
                assert_eq!(e.param, r.name, "{bad}: {e}");
            }
        }
        let mut p = ModelParams {
            regime_prob: [f64::NAN, 0.2, 0.1],
            ..ModelParams::default()
        };
        assert_eq!(p.validate().unwrap_err().param, "regime_prob");
        p.regime_prob = [1.5, -0.25, -0.25];
        assert_eq!(p.validate().unwrap_err().param, "regime_prob");
        let p = ModelParams {
            surge_rise: [0.06, 0.03],
            ..ModelParams::default()
        };
        assert_eq!(p.validate().unwrap_err().param, "surge_rise");
        let mut p = ModelParams::default();
        p.final_surge_m[1][1] = f64::INFINITY;
        assert_eq!(p.validate().unwrap_err().param, "final_surge_m");
        let p = ModelParams {
            decision_steps: 2.5,
            ..ModelParams::default()
        };
        let e = p.validate().unwrap_err();
        assert_eq!(e.param, "decision_steps");
        assert!(e.to_string().contains("whole number"), "{e}");
        // inside its range but behind the follow gap: the relation names it too
        let p = ModelParams {
            pack_shoulder_gap_m: 2.0,
            ..ModelParams::default()
        };
        let e = p.validate().unwrap_err();
        assert_eq!(e.param, "pack_shoulder_gap_m");
        assert!(e.to_string().contains("follow_gap_m"), "{e}");
        let p = ModelParams {
            pack_shoulder_gap_m: 0.65,
            ..ModelParams::default()
        };
        p.validate().unwrap();
    }

    #[test]
    fn a_pack_switched_off_is_left_out_of_the_written_model() {
        // summary.json writes the model: with the pack off it must be the bytes of before
        let off = serde_json::to_string(&ModelParams::single_file()).unwrap();
        assert!(!off.contains("pack_shoulder_gap_m") && !off.contains("wide_fold_in"));
        // shipped on since stop 22
        let on = serde_json::to_string(&ModelParams::default()).unwrap();
        assert!(on.contains("\"pack_shoulder_gap_m\":0.65"), "{on}");
        let back: ModelParams = serde_json::from_str(&on).unwrap();
        assert_eq!(back.pack_shoulder_gap_m, 0.65);
    }

    fn set(p: &mut ModelParams, name: &str, v: f64) {
        // a tiny reflection for the test: round-trip through TOML text, which can say nan and inf
        let mut t = toml::Table::try_from(&*p).unwrap();
        t.insert(name.to_string(), toml::Value::Float(v));
        *p = t.try_into().unwrap();
    }
}
