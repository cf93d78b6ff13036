//! Integration tests of the `racesim` binary: one test target (compiled once), one module per
//! feature under `tests/cli/`.

mod cli {
    mod charts;
}
