//! `--json`, shared by most subcommands.

use clap::Args;

#[derive(Debug, Clone, Default, Args)]
pub struct JsonArg {
    /// Machine-readable output: one JSON document on stdout, errors included.
    #[arg(long)]
    pub json: bool,
}
