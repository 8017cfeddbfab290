//! Command-line definitions (clap) and nothing else: what each face of the
//! program accepts. The API key is deliberately absent: it is never a flag
//! (shell history, process lists) and never read through clap's `env`
//! support (which would print it in `--help`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod access_args;
mod everywhere_args;
mod json_arg;
pub use access_args::*;
pub use everywhere_args::*;
pub use json_arg::JsonArg;

#[derive(Debug, Parser)]
#[command(
    name = "brevo-users",
    // The version and, built from a git checkout, the commit (build.rs).
    version = env!("BREVO_USERS_VERSION"),
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

    /// List everyone with access: the owner, active users, pending invitations.
    List(ListArgs),

    /// Show one user's permissions, feature by feature.
    Show(ShowArgs),

    /// Invite someone with exactly the permissions they need. Reads the
    /// account's seats first (one request, GET /account) to say which seat
    /// the invitation takes.
    Invite(InviteArgs),

    /// Change a user's permissions: prints the difference, then applies it.
    /// A change that takes or frees a seat reads the account's seats first
    /// (one request, GET /account).
    Update(UpdateArgs),

    /// Send a pending invitation again.
    Resend(TargetArgs),

    /// Withdraw a pending invitation (asks for confirmation).
    Cancel(ConfirmedTargetArgs),

    /// Remove an active user's access (asks for confirmation).
    Revoke(ConfirmedTargetArgs),

    /// Write the whole organization as JSON or CSV, optionally with every
    /// user's permissions (one request per user).
    Export(ExportArgs),

    /// Invite people in bulk from a CSV file (`email,preset,grants`). Reads
    /// the user list and the account's seats (two requests) before the plan.
    Import(ImportArgs),

    /// Write the account's users and their permissions as an access file
    /// (TOML): one request for the list, one for the account, one per user.
    Snapshot(SnapshotArgs),

    /// What applying an access file would change, per user, and what it
    /// costs (one request per managed user, plus two).
    Plan(PlanArgs),

    /// Make the account match an access file (or apply a saved plan
    /// exactly): invites, updates and, with --prune, removals.
    Apply(ApplyAccessArgs),

    /// Compare two access files (or one and the account, --live): who was
    /// added, removed, widened or narrowed.
    Diff(DiffArgs),

    /// Print a shell completion script (profile names complete after
    /// --profile in bash, zsh and fish).
    Completions(CompletionsArgs),

    /// Print the manual page brevo-users(1), or one command's page, or write
    /// every page into a directory.
    Man(ManArgs),

    /// For the completion scripts: the configuration's profile names, one a
    /// line; nothing (and success) when there are none.
    #[command(name = "__complete-profiles", hide = true)]
    CompleteProfiles,

    /// Show the configuration file, the log file, the profile in force, the
    /// API host and where the API key comes from (never the key itself).
    /// Exits 2 when the configuration has an error.
    Info(InfoArgs),

    /// Manage the configuration file.
    #[command(subcommand)]
    Config(ConfigCommand),

    /// The account the key reaches: email, company, plan, seats per
    /// vertical, the requests left in the quota, the profile and where the
    /// key comes from (never the key). One request (GET /account).
    Whoami(JsonArg),
    /// Where one person has access: their status, owner or not, and access
    /// in each account of the configuration (one request per account).
    Find(FindArgs),

    /// Remove one person from every account: revoke an active member,
    /// cancel a pending invitation (shows the plan, asks once).
    Offboard(OffboardArgs),
}

#[derive(Debug, Clone, Subcommand)]
pub enum ConfigCommand {
    /// Write the commented example configuration (refuses to overwrite).
    Init,
}

/// `--json` on a command that otherwise prints for people.
/// `--allow-billing` on a change that may need a seat beyond those bought.
#[derive(Debug, Clone, Default, Args)]
pub struct BillingArg {
    /// Go ahead when the change needs a seat beyond those bought (Brevo may
    /// bill an extra seat). Needed then when stdin is not a terminal; --yes
    /// does not cover it. The seats are read first: one request (GET /account).
    #[arg(long)]
    pub allow_billing: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct InfoArgs {
    /// Get the key as the other commands would: runs the profile's
    /// api_key_command (without this, `info` only says where the key would
    /// come from, and runs nothing).
    #[arg(long)]
    pub check_key: bool,
    /// Machine-readable output: one JSON document on stdout, errors included.
    #[arg(long)]
    pub json: bool,
}

/// `--json` or `--csv` on a command that prints a table.
#[derive(Debug, Clone, Default, Args)]
pub struct FormatArgs {
    /// One JSON document on stdout, errors included.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// CSV for spreadsheets (formula-like cells are neutralised).
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    pub email: String,
    #[command(flatten)]
    pub output: JsonArg,
}

/// What access to give: exactly one of the three.
#[derive(Debug, Clone, Default, Args)]
#[group(required = true, multiple = false)]
pub struct AccessArgs {
    /// Every feature, user management included.
    #[arg(long)]
    pub all: bool,

    /// A feature and its permissions, e.g. `contacts=view,import`;
    /// repeat for more features. `FEATURE=none` removes a feature (update).
    #[arg(long, value_name = "FEATURE=PERM[,PERM...]")]
    pub grant: Vec<String>,

    /// A named bundle: viewer, campaign-manager, sales, developer, full-access.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct InviteArgs {
    pub email: String,
    #[command(flatten)]
    pub access: AccessArgs,
    /// Grant all features or user management without asking (a seat beyond
    /// those bought needs --allow-billing).
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub billing: BillingArg,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Debug, Clone, Args)]
pub struct UpdateArgs {
    pub email: String,
    #[command(flatten)]
    pub access: AccessArgs,
    /// Print the difference and stop: nothing is changed.
    #[arg(long)]
    pub dry_run: bool,
    /// Grant all features or user management without asking (a seat beyond
    /// those bought needs --allow-billing).
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub billing: BillingArg,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    pub email: String,
    /// Check that the change applies (one request: the user list), send nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Debug, Clone, Args)]
pub struct ConfirmedTargetArgs {
    pub email: String,
    /// Do it without asking (needed when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Check that the change applies (one request: the user list), send nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub format: FormatArgs,
    /// Also read every user's permissions: one request per user.
    #[arg(long)]
    pub with_permissions: bool,
    /// Longest wait for Brevo's rate-limit window to reset before stopping.
    #[arg(long, value_name = "SECONDS", default_value_t = 90)]
    pub max_wait: u64,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// CSV with a header row naming the columns `email`, `preset`, `grants`.
    pub file: PathBuf,
    /// Check the file and print what would be done; nothing is changed.
    #[arg(long)]
    pub dry_run: bool,
    /// Send without asking (needed for rows granting all features or user
    /// management when stdin is not a terminal; seats beyond those bought
    /// need --allow-billing).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Longest wait for Brevo's rate-limit window to reset before stopping.
    #[arg(long, value_name = "SECONDS", default_value_t = 90)]
    pub max_wait: u64,
    #[command(flatten)]
    pub billing: BillingArg,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// The command whose page to print (`config init` for a nested one);
    /// without it, brevo-users(1).
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Vec<String>,

    /// Write every page (brevo-users.1, brevo-users-list.1, ...) into DIR,
    /// creating it if needed.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct MockServerArgs {
    /// Address to listen on, HOST:PORT (a name such as localhost is
    /// resolved); port 0 picks a free port. Anything but loopback lets the
    /// network reach the mock and its request log.
    #[arg(long, default_value = "127.0.0.1:0", value_name = "HOST:PORT")]
    pub listen: String,

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

impl From<&MockServerArgs> for crate::mock::ServeOptions {
    fn from(args: &MockServerArgs) -> Self {
        Self {
            listen: args.listen.clone(),
            seed: args.seed.clone(),
            api_key: args.api_key.clone(),
            latency: std::time::Duration::from_millis(args.latency_ms),
            rate_limit: args.rate_limit,
            rate_window: std::time::Duration::from_secs(args.rate_window_secs),
            permissions_as_keys: args.keys,
        }
    }
}
