//! Thin entry point: parse the command line, install error reporting,
//! dispatch to a face of the program.

use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::Result;
use secrecy::SecretString;

use brevo_users::brevo::Client;
use brevo_users::cli::{Cli, Command, GlobalOptions};

fn main() -> Result<ExitCode> {
    color_eyre::install()?;
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match cli.command {
            Some(Command::MockServer(args)) => {
                brevo_users::mock::serve_cli(args).await?;
                Ok(ExitCode::SUCCESS)
            }
            None => dashboard(&cli.global).await,
        }
    })
}

/// `brevo-users` with no command: the dashboard.
async fn dashboard(global: &GlobalOptions) -> Result<ExitCode> {
    if global.demo {
        eprintln!("--demo needs the built-in mock server, which is not built yet.");
        return Ok(ExitCode::from(2));
    }
    let Some(key) = std::env::var("BREVO_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
    else {
        eprintln!(
            "No API key: set BREVO_API_KEY to a key of your Brevo account \
             (Settings → SMTP & API → API keys).\n\
             To see the tool without an account, run `brevo-users --demo`: \
             a demo organization, no key, no network."
        );
        return Ok(ExitCode::from(2));
    };
    let mut builder = Client::builder()
        .api_key(SecretString::from(key))
        .read_only(global.read_only);
    if let Ok(url) = std::env::var("BREVO_API_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;
    brevo_users::tui::run(client, false).await
}
