//! The arguments of the commands that ask several accounts: `find` and
//! `offboard`.

use clap::Args;

use super::json_arg::JsonArg;

/// Which accounts of the configuration to ask (refused while BREVO_API_KEY
/// is set: that one key would reach one account under every name).
#[derive(Debug, Clone, Default, Args)]
#[group(multiple = false)]
pub struct ProfileSelection {
    /// Every profile of the configuration.
    #[arg(long)]
    pub all_profiles: bool,

    /// These profiles, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "NAME,NAME")]
    pub profiles: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct FindArgs {
    pub email: String,
    #[command(flatten)]
    pub accounts: ProfileSelection,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Debug, Clone, Args)]
pub struct OffboardArgs {
    pub email: String,
    #[command(flatten)]
    pub accounts: ProfileSelection,
    /// Show the plan (one list per account, one permissions read where the
    /// person is a member) and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Go ahead without asking (needed when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub output: JsonArg,
}
