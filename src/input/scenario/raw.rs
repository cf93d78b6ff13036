//! A scenario as written: serde structs that mirror the file and reject unknown fields and wrong
//! types (stage 1 of two; [`super::check`] is stage 2).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDoc {
    pub(super) race: RawRace,
    #[serde(default)]
    pub(super) model: Option<toml::Table>,
    #[serde(default)]
    pub(super) runner: Vec<RawRunner>,
    #[serde(default)]
    pub(super) pacer: Vec<RawPacer>,
    #[serde(default)]
    pub(super) wavelight: Option<RawPlan>,
    #[serde(default)]
    pub(super) variant: Vec<RawVariant>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRace {
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: Option<String>,
    pub(super) track: String,
    pub(super) distance: toml::Value,
    #[serde(default)]
    pub(super) date: Option<String>,
    #[serde(default)]
    pub(super) runs: Option<i64>,
    #[serde(default)]
    pub(super) seed: Option<i64>,
    #[serde(default)]
    pub(super) splits: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRunner {
    pub(super) name: String,
    #[serde(default)]
    pub(super) country: Option<String>,
    /// A table of times by event (one mark per event), or a list of marks each naming its
    /// event (any number per event, kept in order): see `check::check_reported`.
    #[serde(default)]
    pub(super) reported: Option<toml::Value>,
    #[serde(default)]
    pub(super) prior: Option<String>,
    #[serde(default)]
    pub(super) cs: Option<f64>,
    #[serde(default)]
    pub(super) d_prime: Option<f64>,
    #[serde(default)]
    pub(super) mss: Option<f64>,
    #[serde(default)]
    pub(super) tactic: Option<String>,
    #[serde(default)]
    pub(super) kick_m: Option<f64>,
    #[serde(default)]
    pub(super) drive_m: Option<f64>,
    #[serde(default)]
    pub(super) pace: Option<toml::Value>,
    #[serde(default)]
    pub(super) target: Option<toml::Value>,
    #[serde(default)]
    pub(super) max_place: Option<f64>,
    #[serde(default)]
    pub(super) surge_at_m: Option<f64>,
    #[serde(default)]
    pub(super) surge_len_m: Option<f64>,
    #[serde(default)]
    pub(super) surge_rise: Option<f64>,
    #[serde(default)]
    pub(super) follow_pacers: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSplit {
    pub(super) at_m: f64,
    pub(super) time: toml::Value,
}

/// A pace plan: explicit splits, an even lap time, or an even target over the race.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlan {
    #[serde(default)]
    pub(super) splits: Option<Vec<RawSplit>>,
    #[serde(default)]
    pub(super) lap: Option<toml::Value>,
    #[serde(default)]
    pub(super) target: Option<toml::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPacer {
    pub(super) name: String,
    pub(super) drop_out_m: f64,
    #[serde(default)]
    pub(super) splits: Option<Vec<RawSplit>>,
    #[serde(default)]
    pub(super) lap: Option<toml::Value>,
    #[serde(default)]
    pub(super) target: Option<toml::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVariant {
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) runner: Option<toml::Table>,
    #[serde(default)]
    pub(super) pacer: Option<toml::Table>,
    #[serde(default)]
    pub(super) model: Option<toml::Table>,
    #[serde(default)]
    pub(super) race: Option<toml::Table>,
    #[serde(default)]
    pub(super) wavelight: Option<toml::Table>,
    #[serde(default)]
    pub(super) remove: Option<Vec<String>>,
}
