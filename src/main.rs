//! `racesim`: the command line. Parses arguments, calls the library, prints and writes.
//!
//! Exit status: 0 on success, 2 for bad input (a scenario, a race record or an argument), 1 for
//! anything else (a file that cannot be written...). Errors are one line on stderr.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::dispatch(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("racesim: error: {e:#}");
            let user = e
                .downcast_ref::<racesim::error::Error>()
                .map(|e| e.is_user_error())
                .unwrap_or(false);
            ExitCode::from(if user { 2 } else { 1 })
        }
    }
}
