//! The arguments of access as code (issue 13): `snapshot`, `plan`,
//! `apply FILE|PLAN.json` and `diff`.

use std::path::PathBuf;

use clap::Args;

/// How `plan`, `apply` and `snapshot` read the account.
#[derive(Debug, Clone, Default, Args)]
pub struct LiveReadArgs {
    /// Neither read nor write the local cache of permissions (it holds
    /// emails and permissions, never the key).
    #[arg(long)]
    pub no_cache: bool,
    /// Longest wait for Brevo's rate-limit window to reset before stopping.
    #[arg(long, value_name = "SECONDS", default_value_t = 90)]
    pub max_wait: u64,
}

#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    /// Write the file here instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub read: LiveReadArgs,
}

/// What `plan` and `apply` share.
#[derive(Debug, Clone, Default, Args)]
pub struct PlanOptions {
    /// Authoritative mode: users with access who are not in the file are
    /// removed (revoked, or their invitation cancelled).
    #[arg(long)]
    pub prune: bool,
    /// With --prune: remove at most N users (without it, at most 25 % of
    /// the users with access).
    #[arg(long, value_name = "N")]
    pub max_removals: Option<usize>,
    /// Run removals before invites (when the invites need the seats the
    /// removals free).
    #[arg(long)]
    pub removals_first: bool,
    /// Go ahead when the account of the key cannot be read to confirm it
    /// is the file's `account`.
    #[arg(long)]
    pub no_account_check: bool,
    #[command(flatten)]
    pub read: LiveReadArgs,
}

#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    /// The access file (TOML).
    pub file: PathBuf,
    #[command(flatten)]
    pub options: PlanOptions,
    /// Also save the plan as JSON, for `apply PLAN.json`.
    #[arg(long, short = 'o', value_name = "PLAN.json")]
    pub output: Option<PathBuf>,
    /// Exit 0 when in sync, 6 when changes are pending, 7 when not
    /// everything could be checked (the quota, or answers from the cache).
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Which permissions to read from Brevo: all (the default when the
    /// quota allows it), none (the cache answers where it can), stale
    /// (only entries read over an hour ago).
    #[arg(long, value_name = "WHICH", value_parser = ["all", "none", "stale"])]
    pub refresh: Option<String>,
    /// Machine-readable output: the plan as one JSON document on stdout
    /// (the saved plan's shape), errors included.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ApplyAccessArgs {
    /// The access file (TOML), or a plan saved by `plan -o PLAN.json`
    /// (applied exactly as reviewed).
    pub file: PathBuf,
    #[command(flatten)]
    pub options: PlanOptions,
    /// Apply without asking (needed when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Go ahead when the invites need seats beyond those bought (Brevo may
    /// bill extra seats). Needed then when stdin is not a terminal; --yes
    /// does not cover it.
    #[arg(long)]
    pub allow_billing: bool,
    /// Machine-readable output: one JSON document on stdout (every user's
    /// outcome), errors included.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// OLD.toml, or `--live`: the account as it is now.
    #[arg(value_name = "OLD", allow_hyphen_values = true)]
    pub old: String,
    /// NEW.toml, or `--live`: the account as it is now.
    #[arg(value_name = "NEW", allow_hyphen_values = true)]
    pub new: String,
    /// text (the default), markdown (a report an auditor can file), json.
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "markdown", "json"])]
    pub format: String,
    #[command(flatten)]
    pub read: LiveReadArgs,
}
