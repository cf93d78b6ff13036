//! `racesim`: the command line. Parses arguments, calls the library, prints and writes.
//!
//! Exit status: 0 on success, 2 for bad input (a scenario, a race record or an argument), 1 for
//! anything else (a file that cannot be written...). Errors are one line on stderr.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

/// `eprintln!` that cannot panic. Rust ignores SIGPIPE, so `eprintln!` panics when stderr is a
/// pipe whose reader has gone (a harness that died, `2>&1 | head` that exited): a finished run
/// then ended with status 101, and the interrupt thread died on its last line and left SIGINT
/// and SIGTERM blocked with nobody to take them — a process only SIGKILL could stop. A line
/// nobody can read is dropped instead.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    if !matches!(args.command, cli::Command::Serve(_)) {
        // `serve` stops on Ctrl-C by itself, gracefully (`web::server`)
        handle_interrupts();
    }
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
                    let esc: Vec<char> = if racesim::base::error::breaks_line(c) {
                        c.escape_default().collect()
                    } else {
                        vec![c]
                    };
                    esc
                })
                .collect();
            stderr_line!("racesim: error: {msg}");
            ExitCode::from(if user { 2 } else { 1 })
        }
    }
}

/// A bad command line: clap's message on one line (its first, which names the argument), then
/// where to look, exit status 2. Help and version are printed as clap writes them (status 0).
fn usage_error(e: &clap::Error) -> ExitCode {
    let text = e.render().to_string();
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // `racesim` or `racesim plot` alone: one line naming the commands, like every error
        let usage = (text.lines())
            .find_map(|l| l.trim().strip_prefix("Usage: "))
            .unwrap_or("racesim <COMMAND>");
        let prefix = usage.split(" <").next().unwrap_or("racesim");
        let cmds: Vec<&str> = (text.lines())
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .filter_map(|l| l.split_whitespace().next())
            .filter(|c| *c != "help")
            .collect();
        stderr_line!(
            "racesim: error: `{prefix}` needs a command: {} ({prefix} --help)",
            cmds.join(", ")
        );
        return ExitCode::from(2);
    }
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    // the message is the lines before clap's usage and tips, joined
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty() && !l.starts_with("tip:"))
        .collect();
    let msg = lines.join(" ");
    let msg = msg.strip_prefix("error: ").unwrap_or(&msg);
    stderr_line!("racesim: error: {msg} (racesim --help)");
    ExitCode::from(2)
}

/// Ctrl-C (SIGINT) and SIGTERM end the program with status 130 (143), after removing the
/// staging folder of an output being written (`report::output::abandon`): nothing is left
/// half-written. The signals are blocked in every thread (this runs before any other thread is
/// started, and threads inherit the mask) and taken by one waiting thread, which can do that
/// clean-up safely, outside a signal handler.
fn handle_interrupts() {
    // SAFETY: plain libc calls on a signal set owned here; `sigset_t` is plain data for which
    // all-zero bytes are a valid value, and `sigemptyset` initialises it.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        set
    };
    std::thread::spawn(move || {
        let mut sig: libc::c_int = 0;
        // SAFETY: `set` is an initialised signal set; `sig` receives the signal's number.
        if unsafe { libc::sigwait(&set, &mut sig) } != 0 {
            return;
        }
        racesim::report::output::abandon();
        stderr_line!("racesim: interrupted");
        std::process::exit(128 + sig);
    });
}
