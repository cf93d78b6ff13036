//! The numeric parameters a variant, a sweep or the optimiser may set: one table the compiler
//! checks.
//!
//! Each entry says where the parameter lives in a scenario (its [`Section`] and key, so its path
//! is `runner."NAME".kick_m`, `pacer.1.drop_out_m`, `race.seed` or `model.draft_scale`), what it
//! is for people (a label and a unit), how it is written into a document (a real number or a
//! whole one), how its resolved value is read back or set ([`Access`]: the getters and setters
//! name struct fields, so a renamed field does not compile), and, for a runner's tactic
//! parameters, which tactics actually use it ([`UsedBy`]: `surge_rise` matters only to `surge`,
//! `max_place` only to `race-the-field`).
//!
//! Patching ([`super::scenario`]), the help that lists the paths that exist, the optimiser's
//! "tactic fields" and the tuning knobs all read this table. The "used by" column is enforced
//! when a scenario is built ([`crate::input::scenario`]'s `noop` check): `surge_rise` on a
//! `follow` runner is an error naming the line, the variant or the `--param` path that set it.
//!
//! Which tactic reads which runner parameter (checked against `engine::tactics::decide` by the
//! test `used_by_names_the_tactics_that_read_each_parameter`):
//!
//! | parameter | read by |
//! |---|---|
//! | `kick_m`, `cs`, `d_prime`, `mss` | every tactic |
//! | `drive_m` | long-drive |
//! | `pace` | front-run |
//! | `target` | chase-clock; front-run (its pace, unless `pace` is given) |
//! | `max_place` | race-the-field |
//! | `surge_at_m`, `surge_len_m`, `surge_rise` | surge |
//! | `follow_pacers` (not a number) | every tactic, in a race with pacers or lights |

use crate::base::params::ModelParams;
use crate::engine::pacing::PacerSpec;
use crate::engine::physiology::Physiology;
use crate::engine::tactics::{Tactic, TacticKind};

/// Where in a scenario a parameter lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// A `[[runner]]`, addressed by name: `runner."Josh Kerr".kick_m`.
    Runner,
    /// A `[[pacer]]`, by name or 1-based number: `pacer.1.drop_out_m`.
    Pacer,
    /// The `[race]` table.
    Race,
    /// The `[wavelight]` table.
    Wavelight,
    /// The `[model]` table: any numeric [`ModelParams`] field.
    Model,
}

impl Section {
    /// The first segment of the parameter's path (the scenario's table name).
    pub fn key(self) -> &'static str {
        match self {
            Section::Runner => "runner",
            Section::Pacer => "pacer",
            Section::Race => "race",
            Section::Wavelight => "wavelight",
            Section::Model => "model",
        }
    }

    /// The section a path's first segment names.
    pub fn of_key(key: &str) -> Option<Section> {
        [
            Section::Runner,
            Section::Pacer,
            Section::Race,
            Section::Wavelight,
            Section::Model,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

    /// The parameters of this section, in table order.
    pub fn params(self) -> impl Iterator<Item = &'static Param> {
        PARAMS.iter().filter(move |p| p.section == self)
    }

    /// The parameter `key` of this section.
    pub fn param(self, key: &str) -> Option<&'static Param> {
        self.params().find(|p| p.key == key)
    }
}

/// How a value is written into a scenario document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A real number (times in seconds).
    Real,
    /// A whole number: the value is rounded (a place, a seed).
    Whole,
}

/// Which tactics a runner parameter changes anything for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsedBy {
    /// Every runner, whatever his tactic (his physiology, his kick point), and every non-runner
    /// parameter.
    Every,
    /// Only runners with one of these tactics.
    Kinds(&'static [TacticKind]),
}

impl UsedBy {
    /// Whether a runner with tactic `kind` uses the parameter.
    pub fn includes(self, kind: TacticKind) -> bool {
        match self {
            UsedBy::Every => true,
            UsedBy::Kinds(k) => k.contains(&kind),
        }
    }
}

/// How a parameter's resolved value is read back (and, for the model, set).
#[derive(Clone, Copy)]
pub enum Access {
    /// A field of the runner's resolved tactic; the lap length turns a speed back into a lap time.
    Tactic(fn(&Tactic, f64) -> f64),
    /// A field of the runner's physiology.
    Physiology(fn(&Physiology) -> f64),
    /// A field of a pacer.
    Pacer(fn(&PacerSpec) -> f64),
    /// A model parameter.
    Model {
        /// Read it.
        get: fn(&ModelParams) -> f64,
        /// Set it.
        set: fn(&mut ModelParams, f64),
    },
    /// Written into the scenario only (a pacer's lap time becomes a schedule; the seed is the
    /// run's).
    WriteOnly,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Access::Tactic(_) => "Tactic",
            Access::Physiology(_) => "Physiology",
            Access::Pacer(_) => "Pacer",
            Access::Model { .. } => "Model",
            Access::WriteOnly => "WriteOnly",
        })
    }
}

/// One settable numeric parameter (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Where it lives.
    pub section: Section,
    /// Its key in that table.
    pub key: &'static str,
    /// What it is, for people ("kick distance").
    pub label: &'static str,
    /// Its unit as written in a scenario ("m", "s", "m/s", "" for a number).
    pub unit: &'static str,
    /// How it is written.
    pub written: Written,
    /// Which tactics use it (runner parameters).
    pub used_by: UsedBy,
    /// How to read (and set) it.
    pub access: Access,
}

impl Param {
    /// Whether this is one of a runner's tactic parameters (what `racesim optimize` searches).
    pub fn is_tactic(&self) -> bool {
        matches!(self.access, Access::Tactic(_))
    }

    /// The value `tactic` gives it (tactic parameters only; `lap_m` turns a pace back into a lap
    /// time).
    pub fn tactic_value(&self, tactic: &Tactic, lap_m: f64) -> Option<f64> {
        match self.access {
            Access::Tactic(get) => Some(get(tactic, lap_m)),
            _ => None,
        }
    }

    /// The value of a model parameter in `p` (model parameters only).
    pub fn model_value(&self, p: &ModelParams) -> Option<f64> {
        match self.access {
            Access::Model { get, .. } => Some(get(p)),
            _ => None,
        }
    }

    /// Set a model parameter in `p` (model parameters only; `false` for any other).
    pub fn set_model(&self, p: &mut ModelParams, v: f64) -> bool {
        match self.access {
            Access::Model { set, .. } => {
                set(p, v);
                true
            }
            _ => false,
        }
    }
}

/// A parameter path in words for a chart axis or a table key: `runner."Josh Kerr".kick_m` →
/// `Josh Kerr: kick distance (m)`, `pacer.1.drop_out_m` → `pacer 1: …`, `model.draft_scale` →
/// `draft strength`. `None` if the path names no known parameter.
pub fn describe_path(path: &str) -> Option<String> {
    let (head, rest) = path.split_once('.')?;
    let section = Section::of_key(head)?;
    let (who, key) = match rest.rsplit_once('.') {
        Some((who, key)) => (Some(who.trim_matches('"')), key),
        None => (None, rest),
    };
    let p = section.param(key)?;
    let unit = if p.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", p.unit)
    };
    Some(match (section, who) {
        (Section::Runner, Some(w)) => format!("{w}: {}{unit}", p.label),
        (Section::Pacer, Some(w)) if w.chars().all(|c| c.is_ascii_digit()) => {
            format!("pacer {w}: {}{unit}", p.label)
        }
        (Section::Pacer, Some(w)) => format!("{w} (pacer): {}{unit}", p.label),
        _ => format!("{}{unit}", p.label),
    })
}

/// A parameter's value as people read it: distances to the metre, times to the hundredth, whole
/// numbers whole, anything else to three decimals at most (`465.625` m → `466`; `0.045` stays).
/// Unknown paths get the three-decimal form.
pub fn fmt_value(path: &str, v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    let param = path.split_once('.').and_then(|(head, rest)| {
        let key = rest.rsplit_once('.').map_or(rest, |(_, k)| k);
        Section::of_key(head)?.param(key)
    });
    match param {
        Some(p) if p.written == Written::Whole || p.unit == "m" => format!("{v:.0}"),
        Some(p) if p.unit == "s" => format!("{v:.2}"),
        _ => {
            let s = format!("{v:.3}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            s.to_string()
        }
    }
}

/// Split `PATH=VALUE` at the last `=` outside quotes: how a parameter is set on the command line
/// (`--param`, `--variants NAME@PATH=VALUE`).
pub fn split_assignment(s: &str) -> Option<(String, String)> {
    let mut quoted = false;
    let mut at = None;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '=' if !quoted => at = Some(i),
            _ => {}
        }
    }
    let i = at?;
    Some((s[..i].trim().to_string(), s[i + 1..].trim().to_string()))
}

const fn runner(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    used_by: UsedBy,
    access: Access,
) -> Param {
    Param {
        section: Section::Runner,
        key,
        label,
        unit,
        written: Written::Real,
        used_by,
        access,
    }
}

const fn other(
    section: Section,
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    access: Access,
) -> Param {
    Param {
        section,
        key,
        label,
        unit,
        written: Written::Real,
        used_by: UsedBy::Every,
        access,
    }
}

macro_rules! model_params {
    ($($name:ident = $field:ident: $label:literal, $unit:literal;)*) => {
        /// The model parameters one by one, for code that names one (the tuning knobs).
        pub mod model {
            use super::{Access, Param, Section, UsedBy, Written};
            $(
                #[doc = concat!("`model.", stringify!($field), "`: ", $label, ".")]
                pub const $name: Param = Param {
                    section: Section::Model,
                    key: stringify!($field),
                    label: $label,
                    unit: $unit,
                    written: Written::Real,
                    used_by: UsedBy::Every,
                    access: Access::Model {
                        get: |p| p.$field,
                        set: |p, v| p.$field = v,
                    },
                };
            )*
        }
        const MODEL_COUNT: usize = [$(stringify!($field)),*].len();
        const MODEL: [Param; MODEL_COUNT] = [$(model::$name),*];
    };
}

// In the order of the `[model]` keys (alphabetical): help texts list them so.
model_params! {
    ABREAST_PENALTY = abreast_penalty: "drag change running shoulder to shoulder", "";
    AIR_SHARE_AT_6 = air_share_at_6: "share of energy spent against the air at 6 m/s", "";
    BANKED_FACTOR = banked_factor: "bend penalty factor on banked tracks", "";
    BEND_PSI = bend_psi: "weight of the leg-force rise on a bend", "";
    BODY_DEPTH_M = body_depth_m: "body depth", "m";
    CLOSE_IN = close_in: "closing in beside the runner inside", "";
    COVER_WINDOW_FACTOR = cover_window_factor: "kick-answering window, multiple of the kick distance", "";
    DECISION_STEPS = decision_steps: "time steps from one of a runner's decisions to the next", "";
    DEFAULT_DRIVE_M = default_drive_m: "default long-drive distance", "m";
    DEFAULT_KICK_M = default_kick_m: "default kick distance", "m";
    DRAFT_GAP_DECAY_M = draft_gap_decay_m: "draft decay length beyond 1 m", "m";
    DRAFT_MAX = draft_max: "draft directly behind", "";
    DRAFT_PACK_BONUS = draft_pack_bonus: "extra draft in a pack", "";
    DRAFT_SCALE = draft_scale: "draft strength", "";
    DRAFT_WIDTH_M = draft_width_m: "draft width", "m";
    DRIVE_MARGIN = drive_margin: "driver's hang-on margin", "";
    DT_S = dt_s: "time step", "s";
    FAVOURITE_MARGIN = favourite_margin: "favourite's margin to press from the front", "";
    FIELD_SHRINKAGE = field_shrinkage: "ability shrunk toward the field's median", "";
    FOLLOW_GAP_M = follow_gap_m: "following gap", "m";
    FOLLOW_MARGIN = follow_margin: "follower's hang-on margin", "";
    FORM_COMMON_SHARE = form_common_share: "share of day form common to the field", "";
    FORM_RHO = form_rho: "correlation of the day-form draws", "";
    FORM_SD_CS = form_sd_cs: "day-form spread of CS", "";
    FORM_SD_DPRIME = form_sd_dprime: "day-form spread of D′", "";
    HANG_ON_PACK_DRAFT = hang_on_pack_draft: "share of the group's draft counted in the hang-on judgement", "";
    HANG_ON_REACH_M = hang_on_reach_m: "reach of the group for the hang-on judgement", "m";
    K_REC = k_rec: "D′ reconstitution scale", "";
    KICK_JITTER_M = kick_jitter_m: "kick point jitter", "m";
    LANE_SLOT_M = lane_slot_m: "shoulder width", "m";
    LATERAL_SPEED_MPS = lateral_speed_mps: "largest lateral speed", "m/s";
    MAX_DECEL_MPS2 = max_decel_mps2: "largest deceleration", "m/s²";
    MIN_GAP_M = min_gap_m: "closest following spacing", "m";
    PACE_SD = pace_sd: "pace-judgement error", "";
    PACE_SD_WAVELIGHT = pace_sd_wavelight: "pace-judgement error with lights", "";
    PACER_SD_PER_400_S = pacer_sd_per_400_s: "pacer noise per 400 m", "s";
    PACER_WAIT_GAP_M = pacer_wait_gap_m: "gap at which pacers wait", "m";
    PACER_WAIT_SLOW = pacer_wait_slow: "pacers' slowing while waiting", "";
    PACK_SHOULDER_GAP_M = pack_shoulder_gap_m: "gap kept on a shoulder in the pack", "m";
    POST_PACER_SAG = post_pacer_sag: "leader's sag after the pacers", "";
    PRIOR_D_PRIME_M = prior_d_prime_m: "prior median of D′", "m";
    PRIOR_LN_D_PRIME_SD = prior_ln_d_prime_sd: "prior SD of ln D′", "";
    PRIOR_LN_RESERVE_SD = prior_ln_reserve_sd: "prior SD of ln(MSS/CS − 1)", "";
    PRIOR_SPEED_RESERVE = prior_speed_reserve: "prior median of MSS/CS − 1", "";
    REACTION_MAX_S = reaction_max_s: "longest reaction to a kick", "s";
    REACTION_MIN_S = reaction_min_s: "shortest reaction to a kick", "s";
    RESERVE_ESTIMATE_CV = reserve_estimate_cv: "error of a runner's reserve estimate", "";
    SURGE_FROM_START = surge_from_start: "a surge rises over the speed at its start", "";
    TAU_KELLER_S = tau_keller_s: "Keller inertia time constant", "s";
    TAU_RESPONSE_S = tau_response_s: "speed response time", "s";
    TIE_UP_FLOOR = tie_up_floor: "speed cap with an empty reserve, fraction of CS", "";
    TIE_UP_ONSET = tie_up_onset: "reserve fraction where the tie-up starts", "";
    TUCK_IN_EASE_MPS = tuck_in_ease_mps: "easing off to drop in behind when wide", "m/s";
    WIDE_FOLD_IN = wide_fold_in: "fold-in of the wide men (pack)", "";
}

const RUNNER_COUNT: usize = 11;
const OTHER_COUNT: usize = 6;

const RUNNER: [Param; RUNNER_COUNT] = [
    runner(
        "kick_m",
        "kick distance",
        "m",
        UsedBy::Every,
        Access::Tactic(|t, _| t.kick_m),
    ),
    runner(
        "drive_m",
        "long-drive distance",
        "m",
        UsedBy::Kinds(&[TacticKind::LongDrive]),
        Access::Tactic(|t, _| t.drive_m),
    ),
    runner(
        "pace",
        "front-running lap time",
        "s",
        UsedBy::Kinds(&[TacticKind::FrontRun]),
        Access::Tactic(|t, lap_m| lap_m / t.pace_mps),
    ),
    runner(
        "target",
        "target finish time",
        "s",
        // chase-clock runs to it; front-run takes its pace from it too
        UsedBy::Kinds(&[TacticKind::ChaseClock, TacticKind::FrontRun]),
        Access::Tactic(|t, _| t.target_s),
    ),
    Param {
        written: Written::Whole,
        ..runner(
            "max_place",
            "worst place accepted before the kick",
            "",
            UsedBy::Kinds(&[TacticKind::RaceTheField]),
            Access::Tactic(|t, _| t.max_place as f64),
        )
    },
    runner(
        "surge_at_m",
        "surge start",
        "m",
        UsedBy::Kinds(&[TacticKind::Surge]),
        Access::Tactic(|t, _| t.surge_at_m),
    ),
    runner(
        "surge_len_m",
        "surge length",
        "m",
        UsedBy::Kinds(&[TacticKind::Surge]),
        Access::Tactic(|t, _| t.surge_len_m),
    ),
    runner(
        "surge_rise",
        "surge speed rise",
        "",
        UsedBy::Kinds(&[TacticKind::Surge]),
        Access::Tactic(|t, _| t.surge_rise),
    ),
    runner(
        "cs",
        "critical speed",
        "m/s",
        UsedBy::Every,
        Access::Physiology(|p| p.cs),
    ),
    runner(
        "d_prime",
        "anaerobic reserve D′",
        "m",
        UsedBy::Every,
        Access::Physiology(|p| p.d_prime),
    ),
    runner(
        "mss",
        "sprint speed",
        "m/s",
        UsedBy::Every,
        Access::Physiology(|p| p.mss),
    ),
];

const OTHER: [Param; OTHER_COUNT] = [
    other(
        Section::Pacer,
        "drop_out_m",
        "pacer drop-out point",
        "m",
        Access::Pacer(|p| p.drop_out_m),
    ),
    other(
        Section::Pacer,
        "lap",
        "pacer lap time",
        "s",
        Access::WriteOnly,
    ),
    other(
        Section::Pacer,
        "target",
        "pacer finish time",
        "s",
        Access::WriteOnly,
    ),
    Param {
        written: Written::Whole,
        ..other(Section::Race, "seed", "seed", "", Access::WriteOnly)
    },
    other(
        Section::Wavelight,
        "lap",
        "pace-light lap time",
        "s",
        Access::WriteOnly,
    ),
    other(
        Section::Wavelight,
        "target",
        "pace-light finish time",
        "s",
        Access::WriteOnly,
    ),
];

const fn concat_tables() -> [Param; RUNNER_COUNT + OTHER_COUNT + MODEL_COUNT] {
    let mut out = [RUNNER[0]; RUNNER_COUNT + OTHER_COUNT + MODEL_COUNT];
    let mut i = 0;
    while i < RUNNER_COUNT {
        out[i] = RUNNER[i];
        i += 1;
    }
    let mut j = 0;
    while j < OTHER_COUNT {
        out[RUNNER_COUNT + j] = OTHER[j];
        j += 1;
    }
    let mut k = 0;
    while k < MODEL_COUNT {
        out[RUNNER_COUNT + OTHER_COUNT + k] = MODEL[k];
        k += 1;
    }
    out
}

/// Every settable parameter: runners', pacers', the race's, the pace lights' and the model's,
/// each section in the order help texts list it.
pub const PARAMS: &[Param] = &concat_tables();

#[cfg(test)]
mod tests {
    #[test]
    fn paths_in_words() {
        assert_eq!(
            describe_path("runner.\"Josh Kerr\".kick_m").as_deref(),
            Some("Josh Kerr: kick distance (m)")
        );
        assert_eq!(
            describe_path("model.draft_scale").as_deref(),
            Some("draft strength")
        );
        assert!(
            describe_path("pacer.1.drop_out_m")
                .unwrap()
                .starts_with("pacer 1: ")
        );
        assert_eq!(describe_path("runner.\"X\".nonsense"), None);
    }

    use super::*;
    use crate::base::params::ModelParams;

    /// The defaults with every switched-off feature switched on, so that serde writes every
    /// field (an off `pack_shoulder_gap_m` or `wide_fold_in` is left out of the written model).
    fn every_field_written() -> ModelParams {
        ModelParams {
            pack_shoulder_gap_m: 0.65,
            wide_fold_in: 0.5,
            ..ModelParams::default()
        }
    }

    #[test]
    fn every_numeric_model_field_is_in_the_table_and_nothing_else() {
        let v = toml::Value::try_from(every_field_written()).unwrap();
        let serde_keys: Vec<String> = v
            .as_table()
            .unwrap()
            .iter()
            .filter(|(_, x)| x.is_float() || x.is_integer())
            .map(|(k, _)| k.clone())
            .collect();
        let table: Vec<String> = Section::Model.params().map(|p| p.key.to_string()).collect();
        assert_eq!(
            table, serde_keys,
            "the table lists the [model] keys in their order"
        );
    }

    #[test]
    fn model_getters_and_setters_name_the_same_field() {
        let d = every_field_written();
        let reference = toml::Value::try_from(&d).unwrap();
        for p in Section::Model.params() {
            let want = reference[p.key].as_float().unwrap();
            assert_eq!(p.model_value(&d), Some(want), "{}", p.key);
            let mut q = d.clone();
            assert!(p.set_model(&mut q, want + 0.125));
            let got = toml::Value::try_from(&q).unwrap()[p.key]
                .as_float()
                .unwrap();
            assert_eq!(got, want + 0.125, "{} sets its own field", p.key);
            assert!(!p.label.is_empty());
        }
    }

    #[test]
    fn runner_parameters_read_the_resolved_tactic() {
        let p = ModelParams::default();
        let mut t = Tactic::with_defaults(TacticKind::Surge, &p, 1500.0, 210.0);
        t.kick_m = 321.0;
        t.max_place = 4;
        let get = |key: &str| {
            Section::Runner
                .param(key)
                .unwrap()
                .tactic_value(&t, 400.0)
                .unwrap()
        };
        assert_eq!(get("kick_m"), 321.0);
        assert_eq!(get("max_place"), 4.0);
        assert!((get("pace") - 400.0 / (1500.0 / 210.0)).abs() < 1e-9);
        assert_eq!(get("surge_rise"), t.surge_rise);
        let tactic_keys: Vec<&str> = Section::Runner
            .params()
            .filter(|p| p.is_tactic())
            .map(|p| p.key)
            .collect();
        assert_eq!(
            tactic_keys,
            [
                "kick_m",
                "drive_m",
                "pace",
                "target",
                "max_place",
                "surge_at_m",
                "surge_len_m",
                "surge_rise"
            ]
        );
        let ph = Physiology {
            cs: 6.1,
            d_prime: 300.0,
            mss: 8.8,
        };
        match Section::Runner.param("d_prime").unwrap().access {
            Access::Physiology(get) => assert_eq!(get(&ph), 300.0),
            a => panic!("{a:?}"),
        }
    }

    #[test]
    fn used_by_names_the_tactics_that_read_each_parameter() {
        let used = |key: &str, kind| Section::Runner.param(key).unwrap().used_by.includes(kind);
        for kind in TacticKind::ALL {
            assert!(used("kick_m", kind) && used("cs", kind));
            assert_eq!(
                used("surge_rise", kind),
                kind == TacticKind::Surge,
                "{kind}"
            );
            assert_eq!(
                used("max_place", kind),
                kind == TacticKind::RaceTheField,
                "{kind}"
            );
            assert_eq!(used("pace", kind), kind == TacticKind::FrontRun, "{kind}");
            assert_eq!(
                used("drive_m", kind),
                kind == TacticKind::LongDrive,
                "{kind}"
            );
        }
        assert!(used("target", TacticKind::ChaseClock) && used("target", TacticKind::FrontRun));
        assert!(!used("target", TacticKind::SitAndKick));
        // and a tactic that does not use a parameter really ignores it: a follow runner races
        // the same with any surge_rise
        let p = ModelParams::default();
        let mut a = Tactic::with_defaults(TacticKind::Follow, &p, 1500.0, 210.0);
        let b = a;
        a.surge_rise = 0.25;
        assert_ne!(a, b);
        assert!(!used("surge_rise", a.kind));
    }

    #[test]
    fn values_read_as_people_write_them() {
        assert_eq!(fmt_value("runner.\"Josh Kerr\".kick_m", 465.625), "466");
        assert_eq!(fmt_value("pacer.1.drop_out_m", 1000.0), "1000");
        assert_eq!(fmt_value("runner.A.target", 209.456), "209.46");
        assert_eq!(fmt_value("runner.A.max_place", 2.0), "2");
        assert_eq!(fmt_value("runner.A.surge_rise", 0.045), "0.045");
        assert_eq!(fmt_value("model.draft_scale", 0.8), "0.8");
        assert_eq!(fmt_value("nonsense", 1.23456), "1.235");
    }

    #[test]
    fn assignments_split_at_the_last_unquoted_equals() {
        assert_eq!(
            split_assignment("runner.\"A=B\".kick_m = 300"),
            Some(("runner.\"A=B\".kick_m".into(), "300".into()))
        );
        assert_eq!(split_assignment("model.draft_scale"), None);
    }

    #[test]
    fn sections_and_whole_numbers() {
        assert_eq!(Section::of_key("pacer"), Some(Section::Pacer));
        assert_eq!(Section::of_key("runners"), None);
        let whole: Vec<(Section, &str)> = PARAMS
            .iter()
            .filter(|p| p.written == Written::Whole)
            .map(|p| (p.section, p.key))
            .collect();
        assert_eq!(
            whole,
            [(Section::Runner, "max_place"), (Section::Race, "seed")]
        );
        let keys = |s: Section| s.params().map(|p| p.key).collect::<Vec<_>>();
        assert_eq!(keys(Section::Pacer), ["drop_out_m", "lap", "target"]);
        assert_eq!(keys(Section::Race), ["seed"]);
        assert_eq!(keys(Section::Wavelight), ["lap", "target"]);
        assert_eq!(keys(Section::Runner).len(), 11);
    }
}
