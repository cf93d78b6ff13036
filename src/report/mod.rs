//! Reports: what a person reads in the terminal, and the files a command writes.
//!
//! Every command's report lives here, one module per command — [`run`] (with its [`summary`], the
//! comparison with a real race [`versus`]), [`compare`], [`sweep`], [`optimize`], [`validate`],
//! [`calibrate`], [`tune`], and [`realrace`] (`plot race`) — and turns a study's result into text,
//! JSON, CSV and charts. Charts are drawn in memory by [`crate::plot`] and held as
//! [`chart::Rendered`]; every file a command writes is queued in an [`OutputSet`] and written at
//! the end, all or nothing.

pub mod calibrate;
pub mod chart;
pub mod compare;
pub mod format;
pub mod optimize;
pub mod output;
pub mod realrace;
pub mod run;
pub mod summary;
pub mod sweep;
pub mod table;
pub mod tune;
pub mod validate;
pub mod versus;

pub use output::OutputSet;
