//! Integration tests: one test target (`cargo test --test cli`), one module per feature. (The
//! root is `tests/cli/main.rs`, not `tests/cli.rs`: a root `tests/cli.rs` would look for its
//! modules in `tests/`, not in `tests/cli/`.)

mod common;

mod bad_input;
mod charts;
mod compare;
mod engine;
mod odds;
mod scenario_writer;
mod tables;
mod validate;
