//! Command-line definitions (clap) and nothing else: what each face of the
//! program accepts. The API key is deliberately absent: it is never a flag
//! (shell history, process lists) and never read through clap's `env`
//! support (which would print it in `--help`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "brevo-users",
    version,
    about = "See and manage who has access to a Brevo account"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every face understands.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalOptions {
    /// Use a built-in demo organization served by an in-process mock on
    /// 127.0.0.1: no key, no network. BREVO_API_KEY is never sent to it.
    #[arg(long, global = true)]
    pub demo: bool,

    /// Refuse every change (invite, update, resend, cancel, revoke): look only.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// The configuration profile to use (else BREVO_USERS_PROFILE, else the
    /// file's default_profile).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Write a log file (error, warn, info, debug, trace); also
    /// BREVO_USERS_LOG. `brevo-users info` shows where.
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve a Brevo-compatible mock of the user-management API.
    MockServer(MockServerArgs),
}

#[derive(Debug, Clone, Args)]
pub struct MockServerArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,

    /// Organization to start from (JSON, the shape of assets/demo-org.json).
    #[arg(long)]
    pub seed: Option<PathBuf>,

    /// Accept only this api-key header value (a test value, not a secret).
    /// Without it any non-empty key is accepted.
    #[arg(long)]
    pub api_key: Option<String>,

    /// Delay added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,

    /// Requests allowed per window before answering 429.
    #[arg(long)]
    pub rate_limit: Option<u32>,

    /// Length of the rate-limit window, in seconds.
    #[arg(long, default_value_t = 3600)]
    pub rate_window_secs: u64,

    /// Answer permissions with snake_case keys instead of documented labels.
    #[arg(long)]
    pub keys: bool,
}
