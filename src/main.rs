//! Thin entry point: parse the command line, install error reporting,
//! dispatch to a face of the program.

use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::Result;

use brevo_users::cli::{Cli, Command, GlobalOptions};
use brevo_users::connect::{ConnectError, connect, process_env};

fn main() -> Result<ExitCode> {
    color_eyre::install()?;
    let cli = Cli::try_parse().unwrap_or_else(|e| brevo_users::commands::exit_on_parse_error(e));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match &cli.command {
            Some(Command::MockServer(args)) => {
                brevo_users::mock::serve_cli(args.clone()).await?;
                Ok(ExitCode::SUCCESS)
            }
            Some(command) => {
                let code = brevo_users::commands::main(&cli.global, command).await;
                Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
            }
            None => dashboard(&cli.global).await,
        }
    })
}

/// `brevo-users` with no command: the dashboard, on the account of
/// BREVO_API_KEY or, with --demo, on the in-process mock.
async fn dashboard(global: &GlobalOptions) -> Result<ExitCode> {
    // The log goes to a file, never to the screen the dashboard draws on.
    if let Err(message) =
        brevo_users::logging::init_from_settings(global.log_level.as_deref(), &process_env)
    {
        eprintln!("brevo-users: {message}");
        return Ok(ExitCode::from(2));
    }
    let connection = match connect(global, &process_env).await {
        Ok(connection) => connection,
        Err(ConnectError::NoKey) => {
            eprintln!("brevo-users: {}", ConnectError::NoKey);
            return Ok(ExitCode::from(2));
        }
        Err(error) => return Err(error.into()),
    };
    // Shown before the dashboard takes the screen, and still there after.
    for warning in &connection.warnings {
        eprintln!("brevo-users: warning: {warning}");
    }
    if let Err(message) = brevo_users::tui::check_terminal() {
        eprintln!("{message}");
        return Ok(ExitCode::from(2));
    }
    // `connection.demo` keeps the demo's mock server alive until we return.
    let demo = connection.demo.is_some();
    brevo_users::tui::run(connection.client, demo).await
}
