//! Thin entry point: parse the command line, install error reporting,
//! dispatch to a face of the program.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use color_eyre::eyre::Result;

use brevo_users::cli::{Cli, Command, GlobalOptions};
use brevo_users::config::Config;
use brevo_users::config::credentials::{Prompter, terminal_prompt};
use brevo_users::connect::{ConnectError, Reconnect, connect_with, process_env};
use brevo_users::tui::demo::demo_accounts;

use brevo_users::tui::{Keymap, Launch};

fn main() -> Result<ExitCode> {
    color_eyre::install()?;
    let cli = Cli::try_parse().unwrap_or_else(|e| brevo_users::commands::exit_on_parse_error(e));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match &cli.command {
            Some(Command::MockServer(args)) => {
                match brevo_users::mock::serve_cli(args.into()).await {
                    Ok(()) => Ok(ExitCode::SUCCESS),
                    // Expected failures (a busy port, a bad seed): one sentence.
                    Err(error) => {
                        eprintln!("error: {error}");
                        Ok(ExitCode::from(error.exit_code()))
                    }
                }
            }
            Some(command) => {
                let code = brevo_users::commands::main(&cli.global, command).await;
                Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
            }
            None => dashboard(&cli.global).await,
        }
    })
}

/// `brevo-users` with no command: the dashboard, on the account of the
/// profile or BREVO_API_KEY or, with --demo, on the in-process mock.
async fn dashboard(global: &GlobalOptions) -> Result<ExitCode> {
    // An expected failure is an `error:` line and exit 2 (1 if the demo
    // cannot start), never a crash report.
    let usage_error = |message: &dyn std::fmt::Display| {
        eprintln!("error: {message}");
        Ok(ExitCode::from(2))
    };
    // The log goes to a file, never to the screen the dashboard draws on.
    if let Err(message) =
        brevo_users::logging::init_from_settings(global.log_level.as_deref(), &process_env)
    {
        return usage_error(&message);
    }
    // Everything the file says is checked before a key is asked for or the
    // terminal is taken: a bad binding ends here, with its file and line.
    let config = match Config::load(&process_env) {
        Ok(config) => Arc::new(config),
        Err(error) => return usage_error(&error),
    };
    let keymap = match Keymap::from_config(&config) {
        Ok(keymap) => keymap,
        Err(error) => return usage_error(&error),
    };
    let prompt = terminal_prompt();
    let prompt = prompt.as_ref().map(|p| p as Prompter<'_>);
    let connection = match connect_with(global, &config, &process_env, prompt, |b| b).await {
        Ok(connection) => connection,
        Err(error @ ConnectError::Demo(_)) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(1));
        }
        // No key, an empty key at the prompt, a failing key command, a bad
        // profile, URL or file: the person can fix it (exit 2).
        Err(error) => return usage_error(&error),
    };
    // Shown before the dashboard takes the screen, and still there after.
    for warning in &connection.warnings {
        eprintln!("brevo-users: warning: {warning}");
    }
    if let Err(message) = brevo_users::tui::check_terminal() {
        eprintln!("{message}");
        return Ok(ExitCode::from(2));
    }
    // The demo never sends BREVO_API_KEY: it reaches no profile there.
    let env_key =
        !global.demo && process_env("BREVO_API_KEY").is_some_and(|k| !k.trim().is_empty());
    let demo = if global.demo {
        match demo_accounts(&connection, global.read_only).await {
            Ok(demo) => Some(demo),
            Err(error) => {
                eprintln!("error: {error}");
                return Ok(ExitCode::from(1));
            }
        }
    } else {
        None
    };
    let launch = Launch {
        keymap,
        theme: brevo_users::tui::chosen_theme(config.theme, process_env("NO_COLOR").as_deref()),
        profiles: config.profiles.keys().cloned().collect(),
        key_from_env: env_key,
        reconnect: (!global.demo)
            .then(|| Reconnect::new(global, Arc::clone(&config), Arc::new(process_env), true)),
        demo,
    };
    brevo_users::tui::run(connection, launch).await
}
