//! Input files, read and checked: scenarios (TOML), real race records and the athlete database
//! (JSON), model files; and the parameters a variant or a sweep may set.
//!
//! Every input ends in the same value, a [`FieldSpec`](crate::field::FieldSpec): a scenario
//! ([`scenario::Scenario::field_spec`]) and a race record ([`record::RaceRecord::field`]) describe
//! a field the same way, and the field room builds it. Every problem found on the way is an input
//! error naming the file, the line and the field ([`source::Source`], which locates a field path
//! in TOML ([`toml`]) and JSON ([`json`]) alike).

pub mod json;
pub mod model;
pub mod params;
pub mod record;
pub mod scenario;
pub mod source;
pub mod toml;
