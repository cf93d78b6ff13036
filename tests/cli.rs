//! Integration tests, one target (they compile once): each feature in its own module under
//! `tests/cli/`.

#[path = "cli/common.rs"]
mod common;

#[path = "cli/bad_input.rs"]
mod bad_input;
#[path = "cli/engine.rs"]
mod engine;
