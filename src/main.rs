//! Thin entry point: parse the command line, install error reporting,
//! dispatch to a face of the program.

use clap::Parser;
use color_eyre::eyre::Result;

use brevo_users::cli::{Cli, Command};

fn main() -> Result<()> {
    color_eyre::install()?;
    let cli = Cli::try_parse().unwrap_or_else(|e| brevo_users::commands::exit_on_parse_error(e));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match &cli.command {
            Some(Command::MockServer(args)) => brevo_users::mock::serve_cli(args.clone()).await,
            Some(command) => {
                let code = brevo_users::commands::main(&cli.global, command).await;
                std::process::exit(code)
            }
            None => Ok(()),
        }
    })
}
