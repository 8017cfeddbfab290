//! Why a plan refuses: one sentence each, before anything is sent.

use crate::brevo::removal;
use crate::brevo::sanitize::sanitize;

/// Why nothing was planned: one sentence each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanRefusal {
    WrongAccount {
        file: String,
        key: String,
    },
    /// The file names an account and `/account` could not be read.
    AccountNotConfirmed {
        file: String,
    },
    /// The file lists the owner: the owner is never a target.
    OwnerInFile {
        email: String,
        line: usize,
    },
    UnknownPreset {
        email: String,
        preset: String,
        line: usize,
    },
    /// A core removal guard (owner, more than 25 %).
    Removal(removal::RemovalRefusal),
    /// The plan would leave nobody besides the owner with User management
    /// (or cannot tell, having not read the permissions involved).
    LastUserManager(removal::RemovalWarning),
}

impl std::fmt::Display for PlanRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::WrongAccount { file, key } => write!(
                f,
                "the file is for account {} but the key is for {}: refusing to plan",
                sanitize(file),
                sanitize(key)
            ),
            Self::AccountNotConfirmed { file } => write!(
                f,
                "could not confirm that the key is for account {} (/account could not be read): \
                 pass --no-account-check to plan anyway",
                sanitize(file)
            ),
            Self::OwnerInFile { email, line } => write!(
                f,
                "line {line}: {} is the owner of the account, which is never managed by the file: remove the entry",
                sanitize(email)
            ),
            Self::UnknownPreset {
                email,
                preset,
                line,
            } => write!(
                f,
                "line {line}: {} names preset \"{}\", which this profile does not have",
                sanitize(email),
                sanitize(preset)
            ),
            Self::Removal(refusal) => refusal.fmt(f),
            Self::LastUserManager(warning) => write!(f, "refusing: {warning}"),
        }
    }
}

impl std::error::Error for PlanRefusal {}
