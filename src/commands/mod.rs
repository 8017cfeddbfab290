//! The scriptable subcommands: `list`, `show`, `invite`, `update`, `resend`,
//! `cancel`, `revoke`, `export`, `import`, `find`, `offboard`, `completions`, `man`,
//! `whoami`.
//!
//! Every command is an async function of a [`Client`] and a [`Console`] (the
//! output writers, whether stdin is a terminal, and who answers a
//! confirmation), so that each one runs the same in the binary and in-process
//! in tests. Data goes to stdout, progress and messages to stderr; a failure
//! becomes a [`Failure`], which decides the exit code and, under `--json`,
//! the one JSON error document on stdout.

mod access;
mod access_apply;
mod access_diff;
mod access_print;
mod access_read;
mod access_report;
mod accounts;
mod apply;
mod change;
mod completions;
mod confirm;
mod console;
mod export;
mod failure;
mod find;
mod grants_arg;
mod import;
mod import_plan;
mod import_report;
mod info;
mod list;
mod lookup;
mod man;
mod offboard;
mod output;
mod rate_wait;
mod report;
mod seats;
mod show;
pub mod stdout;
mod whoami;

use std::io::IsTerminal;

use crate::brevo::{Client, Preset};
use crate::cli::{Command, ConfigCommand, GlobalOptions, ManArgs};
use crate::connect::{ConnectError, Connection};

pub use confirm::StdinPrompter;
pub use console::{Console, Prompter};
pub use failure::{Failure, exit_code};
pub use output::Style;

/// Whether the command asked for machine-readable output (and errors).
pub fn wants_json(command: &Command) -> bool {
    match command {
        Command::List(args) => args.format.json,
        Command::Export(args) => args.format.json,
        Command::Show(args) => args.output.json,
        Command::Invite(args) => args.output.json,
        Command::Update(args) => args.output.json,
        Command::Resend(args) => args.output.json,
        Command::Cancel(args) | Command::Revoke(args) => args.output.json,
        Command::Import(args) => args.output.json,
        Command::Info(args) => args.json,
        Command::Plan(args) => args.json,
        Command::Apply(args) => args.json,
        Command::Diff(args) => args.format == "json",
        Command::Snapshot(_) => false,
        Command::Whoami(args) => args.json,
        Command::Find(args) => args.output.json,
        Command::Offboard(args) => args.output.json,
        Command::MockServer(_)
        | Command::Completions(_)
        | Command::Man(_)
        | Command::CompleteProfiles
        | Command::Config(_) => false,
    }
}

/// Runs one command against `client`.
pub async fn run(
    command: &Command,
    client: &Client,
    presets: &[Preset],
    console: &mut Console<'_>,
) -> Result<(), Failure> {
    match command {
        Command::List(args) => list::list(client, console, &args.format).await,
        Command::Show(args) => show::show(client, console, &args.email, args.output.json).await,
        Command::Invite(args) => change::invite(client, console, args, presets).await,
        Command::Update(args) => change::update(client, console, args, presets).await,
        Command::Resend(args) => change::resend(client, console, args).await,
        Command::Cancel(args) => change::cancel(client, console, args).await,
        Command::Revoke(args) => change::revoke(client, console, args).await,
        Command::Export(args) => export::export(client, console, args).await,
        Command::Import(args) => import::import(client, console, args, presets).await,
        Command::Snapshot(args) => access::snapshot(client, console, args, presets).await,
        Command::Plan(args) => access::plan(client, console, args, presets).await,
        Command::Apply(args) => access_apply::apply(client, console, args, presets).await,
        Command::Diff(args) => access_diff::diff(client, console, args, presets).await,
        Command::Completions(args) => completions(console, args.shell),
        Command::Man(args) => man(console, args),
        Command::CompleteProfiles => complete_profiles(console),
        Command::MockServer(_) | Command::Info(_) | Command::Config(_) | Command::Whoami(_) => Err(
            Failure::Usage("this command does not run against an account".to_owned()),
        ),
        Command::Find(_) | Command::Offboard(_) => Err(Failure::Usage(
            "this command connects to its accounts itself".to_owned(),
        )),
    }
}

/// Rendered in memory, then written: a reader that stops early
/// (`| head`) ends the command quietly instead of a panic.
fn completions(console: &mut Console<'_>, shell: clap_complete::Shell) -> Result<(), Failure> {
    let script = completions::script(shell).map_err(Failure::General)?;
    print_all(console, script.as_bytes())
}

fn man(console: &mut Console<'_>, args: &ManArgs) -> Result<(), Failure> {
    if let Some(dir) = &args.dir {
        let written = man::write_all(dir).map_err(Failure::General)?;
        console.note(format!(
            "wrote {} pages into {} (try: man -l {})",
            written.len(),
            dir.display(),
            dir.join("brevo-users.1").display()
        ));
        return Ok(());
    }
    let page = man::page(&args.command).map_err(Failure::Usage)?;
    print_all(console, &page)
}

fn complete_profiles(console: &mut Console<'_>) -> Result<(), Failure> {
    let names = completions::profile_names(&crate::connect::process_env);
    print_all(console, names.as_bytes())
}

fn print_all(console: &mut Console<'_>, bytes: &[u8]) -> Result<(), Failure> {
    stdout::write_all_or_quiet_end(console.out, bytes)
        .map_err(|e| Failure::General(format!("cannot write the output: {e}")))
}

/// The binary's entry for a scriptable command: connect, run, report.
/// Returns the process exit code.
pub async fn main(global: &GlobalOptions, command: &Command) -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let mut prompter = StdinPrompter;
    let mut console = Console {
        stdin_is_terminal: std::io::stdin().is_terminal(),
        stderr_is_terminal: std::io::stderr().is_terminal(),
        out_style: Style::new(!no_color && std::io::stdout().is_terminal()),
        err_style: Style::new(!no_color && std::io::stderr().is_terminal()),
        out: &mut out,
        err: &mut err,
        prompter: &mut prompter,
    };
    let json = wants_json(command);
    // Reference output needs no account and writes no log.
    let reference = match command {
        Command::Completions(args) => Some(completions(&mut console, args.shell)),
        Command::Man(args) => Some(man(&mut console, args)),
        Command::CompleteProfiles => Some(complete_profiles(&mut console)),
        _ => None,
    };
    if let Some(result) = reference {
        return match result {
            Ok(()) => 0,
            Err(failure) => failure::report(&failure, json, &mut console),
        };
    }
    // The log file, when asked for, records API calls, never the key.
    if let Err(message) = crate::logging::init_from_settings(
        global.log_level.as_deref(),
        &crate::connect::process_env,
    ) {
        return failure::report(&Failure::Usage(message), json, &mut console);
    }
    let result = match command {
        Command::Info(args) => {
            info::info(global, args, &crate::connect::process_env, &mut console).await
        }
        Command::Config(ConfigCommand::Init) => {
            info::config_init(&crate::connect::process_env, &mut console)
        }
        Command::Find(args) => {
            find::find(
                global,
                args,
                std::sync::Arc::new(crate::connect::process_env),
                &mut console,
            )
            .await
        }
        Command::Offboard(args) => {
            offboard::offboard(
                global,
                args,
                std::sync::Arc::new(crate::connect::process_env),
                &mut console,
            )
            .await
        }
        _ => match connect(global, command).await {
            Ok(connection) => {
                for warning in &connection.warnings {
                    console.warn(warning);
                }
                if let Command::Whoami(args) = command {
                    let origin = whoami::Origin {
                        profile: connection.profile.as_deref(),
                        key_source: &connection.key_source,
                    };
                    return match whoami::whoami(
                        &connection.client,
                        &origin,
                        &mut console,
                        args.json,
                    )
                    .await
                    {
                        Ok(()) => 0,
                        Err(failure) => failure::report(&failure, json, &mut console),
                    };
                }
                run(
                    command,
                    &connection.client,
                    &connection.presets,
                    &mut console,
                )
                .await
            }
            Err(failure) => Err(failure),
        },
    };
    match result {
        Ok(()) => 0,
        Err(failure) => failure::report(&failure, json, &mut console),
    }
}

/// A command line clap refused. Under `--json` it becomes the usual JSON
/// error (kind `usage`, exit 2), so a script parsing stdout is not left
/// with nothing; help, version and plain runs keep clap's own output.
pub fn exit_on_parse_error(error: clap::Error) -> ! {
    let wants_json = std::env::args_os().any(|arg| arg == "--json");
    if wants_json && error.use_stderr() {
        let rendered = error.render().to_string();
        let message = rendered
            .lines()
            .take_while(|line| !line.starts_with("Usage:"))
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let message = message.trim_start_matches("error: ").to_owned();
        let failure = Failure::Usage(message);
        let _ = output::write_json(&mut std::io::stdout(), &failure.to_json());
        std::process::exit(exit_code(&failure));
    }
    error.exit()
}

/// Connects through the one `connect` every face uses (environment,
/// configuration profile, demo); the demo's mock, when there is one, lives
/// as long as the returned connection.
async fn connect(global: &GlobalOptions, command: &Command) -> Result<Connection, Failure> {
    // Import and export decide themselves how to wait out a rate limit, and
    // say so; the client must not wait silently underneath them.
    let waits_itself = matches!(
        command,
        Command::Import(_)
            | Command::Export(_)
            | Command::Snapshot(_)
            | Command::Plan(_)
            | Command::Apply(_)
            | Command::Diff(_)
    );
    let tune = move |builder: crate::brevo::ClientBuilder| {
        if waits_itself {
            builder.max_rate_limit_wait(std::time::Duration::ZERO)
        } else {
            builder
        }
    };
    crate::connect::connect_tuned(global, &crate::connect::process_env, tune)
        .await
        .map_err(connect_failure)
}

/// A connection that could not be made, as the failure to report.
fn connect_failure(error: ConnectError) -> Failure {
    match error {
        ConnectError::NoKey => Failure::NoKey,
        ConnectError::Client(error) => Failure::Api(error),
        ConnectError::Demo(error) => Failure::General(error.to_string()),
        ConnectError::Config(_) | ConnectError::Profile(_) => Failure::Setup {
            kind: "config",
            message: error.to_string(),
        },
        ConnectError::Credential(_) => Failure::Setup {
            kind: "credential",
            message: error.to_string(),
        },
    }
}

#[cfg(test)]
mod tests;
