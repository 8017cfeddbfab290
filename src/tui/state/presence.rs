//! One person in one account, as the Everywhere view holds it: whether they
//! are there, what offboarding would do, and what it did.
//!
//! Interim: these types and `decide` stand in for `crate::everywhere`
//! (the find-offboard module, shared with the CLI's `find`/`offboard`);
//! once it lands they are re-exported from it and `decide` goes.

use crate::brevo::removal::{KnownPermissions, Scope, check_removals};
use crate::brevo::summary::access_summary;
use crate::brevo::{Change, User};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Pending,
    Absent,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Absent => "absent",
        }
    }
}

/// The person in one account that answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presence {
    pub status: Status,
    pub owner: bool,
    /// The core's access summary ("all full", "crm:custom"); raw.
    pub access: String,
    /// What `O` does here.
    pub step: Step,
    /// The removal guards' warning (the last user besides the owner with
    /// User management), one sentence; `O`'s confirmation shows it.
    pub warning: Option<String>,
}

/// What offboarding does in one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Revoke,
    Cancel,
    /// The account's owner is never removed.
    RefusedOwner,
    /// The profile is read-only.
    SkippedReadOnly,
    AlreadyGone,
    /// The account could not be read: nothing is sent there.
    NotReached(String),
}

impl Step {
    /// The change sent for this step, if any.
    pub fn change(&self, email: &str) -> Option<Change> {
        match self {
            Self::Revoke => Some(Change::Revoke(email.to_owned())),
            Self::Cancel => Some(Change::CancelInvitation(email.to_owned())),
            _ => None,
        }
    }
}

/// What offboarding did in one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Revoked or cancelled; the credit notes Brevo returned, if any.
    Done {
        step: Step,
        credit_notes: Vec<String>,
    },
    AlreadyGone,
    Refused(String),
    Skipped(String),
    Failed(String),
}

/// The person in an account whose list is `users` (interim, see above).
pub fn decide(users: &[User], email: &str, read_only: bool) -> Presence {
    let Some(user) = users.iter().find(|u| u.has_email(email)) else {
        return Presence {
            status: Status::Absent,
            owner: false,
            access: String::new(),
            step: Step::AlreadyGone,
            warning: None,
        };
    };
    let status = if user.is_pending() {
        Status::Pending
    } else {
        Status::Active
    };
    let check = check_removals(users, &[email], &KnownPermissions::new(), Scope::Targeted);
    let step = if user.is_owner {
        Step::RefusedOwner
    } else if read_only {
        Step::SkippedReadOnly
    } else if status == Status::Pending {
        Step::Cancel
    } else {
        Step::Revoke
    };
    let warning = matches!(step, Step::Revoke)
        .then(|| check.warning.map(|w| w.to_string()))
        .flatten();
    Presence {
        status,
        owner: user.is_owner,
        access: access_summary(user),
        step,
        warning,
    }
}
