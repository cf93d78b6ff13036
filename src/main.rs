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
            // the library's errors already say everything on one line; others get their chain
            let (msg, user) = match e.downcast_ref::<racesim::error::Error>() {
                Some(le) => (le.to_string(), le.is_user_error()),
                None => (format!("{e:#}"), false),
            };
            // one line whatever a file put in a name or a value (a newline, a terminal escape)
            let msg: String = msg
                .chars()
                .flat_map(|c| {
                    let esc: Vec<char> = if c.is_control() {
                        c.escape_default().collect()
                    } else {
                        vec![c]
                    };
                    esc
                })
                .collect();
            eprintln!("racesim: error: {msg}");
            ExitCode::from(if user { 2 } else { 1 })
        }
    }
}
