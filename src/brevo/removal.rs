//! The guards for removing users (revoke, cancel), the same for `offboard`,
//! `apply --prune` and every face: the owner is never a target; removing
//! the last user besides the owner who holds *User management* is a
//! warning that needs a confirmation; a prune removes at most 25 % of the
//! users with access unless a maximum is given.
//!
//! The list's `feature_access` does not show *User management* (spec
//! §3.1), so who holds it is known only from permissions that were read
//! (one request per user). The guards work from what the caller read and
//! say so when something was not read, never guessing on the unsafe side.

use std::collections::BTreeMap;
use std::fmt;

use super::catalog::ESCALATING_FEATURE;
use super::grants::Grants;
use super::model::{User, UserPermissions};
use super::sanitize::sanitize;

/// A prune may remove at most this share of the users with access (in
/// percent) unless the caller gives a maximum of its own.
pub const PRUNE_SHARE_PERCENT: usize = 25;

/// Whether `grants` hold any permission of *User management* (all
/// features included: `Grants::everything` holds it too).
pub fn holds_user_management(grants: &Grants) -> bool {
    grants
        .get(ESCALATING_FEATURE)
        .is_some_and(|p| !p.is_empty())
}

/// Who is known to hold *User management*, from the permissions the caller
/// read. Emails compare without regard to case; an email not recorded is
/// "not read", which the guards treat as unknown, never as "no".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownPermissions {
    holds: BTreeMap<String, bool>,
}

impl KnownPermissions {
    pub fn new() -> Self {
        Self::default()
    }

    /// From permissions read with `GET /organization/user/{email}/permissions`.
    pub fn from_read(read: &[UserPermissions]) -> Self {
        let mut known = Self::new();
        for permissions in read {
            known.record(&permissions.email, &permissions.grants);
        }
        known
    }

    /// Records what `email` holds.
    pub fn record(&mut self, email: &str, grants: &Grants) {
        self.holds
            .insert(email.trim().to_lowercase(), holds_user_management(grants));
    }

    /// `Some(true)` / `Some(false)` when read, `None` when not.
    pub fn holds_user_management(&self, email: &str) -> Option<bool> {
        self.holds.get(&email.trim().to_lowercase()).copied()
    }
}

/// How many removals a run may make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Named targets (revoke, cancel, offboard): no share limit.
    Targeted,
    /// Everyone not in a desired-state file (`apply --prune`): at most
    /// [`PRUNE_SHARE_PERCENT`] of the users with access, or `max_removals`
    /// when given.
    Prune { max_removals: Option<usize> },
}

/// A removal that is refused before anything is sent. Display: one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemovalRefusal {
    /// The owner's access is never removed.
    Owner { email: String },
    /// A prune would remove more than its limit allows.
    TooMany {
        removals: usize,
        with_access: usize,
        /// The most allowed: the given maximum, or 25 % of `with_access`.
        allowed: usize,
        /// Whether `allowed` is a maximum the caller gave.
        max_given: bool,
    },
}

impl fmt::Display for RemovalRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Owner { email } => write!(
                f,
                "{} is the owner of the account: the owner's access is never removed",
                sanitize(email)
            ),
            Self::TooMany {
                removals,
                allowed,
                max_given: true,
                ..
            } => write!(
                f,
                "refusing to remove {removals} users: the maximum of removals given is {allowed}"
            ),
            Self::TooMany {
                removals,
                with_access,
                allowed,
                max_given: false,
            } => write!(
                f,
                "refusing to remove {removals} of the {with_access} users with access: more than \
                 {PRUNE_SHARE_PERCENT} % (at most {allowed}) needs an explicit maximum of removals"
            ),
        }
    }
}

/// A removal that may go ahead only after a confirmation. Display: one
/// sentence, saying what was not read when that is why it warns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemovalWarning {
    /// Removing these users (who hold *User management*) leaves nobody
    /// besides the owner known to hold it. `others_not_read` counts the
    /// remaining members whose permissions were not read: when it is 0 this
    /// is certain, otherwise one of them may still hold it.
    LastUserManager {
        emails: Vec<String>,
        others_not_read: usize,
    },
    /// Whether these users hold *User management* is not known (their
    /// permissions were not read), and nobody else besides the owner is
    /// known to hold it: they may be the last.
    NotKnown {
        emails: Vec<String>,
        others_not_read: usize,
    },
}

impl fmt::Display for RemovalWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |emails: &[String]| {
            emails
                .iter()
                .map(|e| sanitize(e).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Self::LastUserManager {
                emails,
                others_not_read: 0,
            } => write!(
                f,
                "{} {} the last user besides the owner who holds User management: afterwards only the owner can manage users",
                names(emails),
                if emails.len() == 1 { "is" } else { "are" }
            ),
            Self::LastUserManager {
                emails,
                others_not_read,
            } => write!(
                f,
                "{} {} User management and nobody else besides the owner is known to: \
                 the permissions of {others_not_read} other {} were not read, so {} may be the last",
                names(emails),
                if emails.len() == 1 { "holds" } else { "hold" },
                members(*others_not_read),
                if emails.len() == 1 { "this" } else { "these" }
            ),
            Self::NotKnown {
                emails,
                others_not_read,
            } => write!(
                f,
                "whether {} {} User management is not known (permissions not read), and of the \
                 others besides the owner none is known to ({others_not_read} not read): \
                 this may remove the last one",
                names(emails),
                if emails.len() == 1 { "holds" } else { "hold" },
            ),
        }
    }
}

fn members(count: usize) -> &'static str {
    if count == 1 { "member" } else { "members" }
}

/// What the guards found for a set of removals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemovalCheck {
    /// Refused: nothing of these may be sent.
    pub refusals: Vec<RemovalRefusal>,
    /// Allowed only after a confirmation.
    pub warning: Option<RemovalWarning>,
}

impl RemovalCheck {
    pub fn is_refused(&self) -> bool {
        !self.refusals.is_empty()
    }

    pub fn needs_confirmation(&self) -> bool {
        self.warning.is_some()
    }
}

/// The owner guard alone, for one user.
pub fn refuse_owner(user: &User) -> Result<(), RemovalRefusal> {
    if user.is_owner {
        return Err(RemovalRefusal::Owner {
            email: user.email.clone(),
        });
    }
    Ok(())
}

/// The prune limit alone: `removals` out of `users` (everyone listed, the
/// owner and pending invitations included, counts as having access).
pub fn prune_limit(
    users: &[User],
    removals: usize,
    max_removals: Option<usize>,
) -> Result<(), RemovalRefusal> {
    let with_access = users.len();
    let allowed = max_removals.unwrap_or(with_access * PRUNE_SHARE_PERCENT / 100);
    if removals > allowed {
        return Err(RemovalRefusal::TooMany {
            removals,
            with_access,
            allowed,
            max_given: max_removals.is_some(),
        });
    }
    Ok(())
}

/// Whether removing `removing` leaves someone besides the owner who can
/// manage users, as far as `known` tells. Pending invitations hold nothing
/// yet, so they neither count as holders nor warn when removed.
pub fn last_user_manager(
    users: &[User],
    removing: &[&str],
    known: &KnownPermissions,
) -> Option<RemovalWarning> {
    let removed = |u: &User| removing.iter().any(|e| u.has_email(e));
    let members = users.iter().filter(|u| !u.is_owner && !u.is_pending());
    let (mut removed_holders, mut removed_unknown) = (Vec::new(), Vec::new());
    let (mut remaining_holders, mut remaining_unknown) = (0, 0);
    for user in members {
        let holds = known.holds_user_management(&user.email);
        match (removed(user), holds) {
            (true, Some(true)) => removed_holders.push(user.email.clone()),
            (true, None) => removed_unknown.push(user.email.clone()),
            (true, Some(false)) => {}
            (false, Some(true)) => remaining_holders += 1,
            (false, None) => remaining_unknown += 1,
            (false, Some(false)) => {}
        }
    }
    if remaining_holders > 0 {
        return None;
    }
    if !removed_holders.is_empty() {
        return Some(RemovalWarning::LastUserManager {
            emails: removed_holders,
            others_not_read: remaining_unknown,
        });
    }
    (!removed_unknown.is_empty()).then_some(RemovalWarning::NotKnown {
        emails: removed_unknown,
        others_not_read: remaining_unknown,
    })
}

/// Every guard for removing `removing` from the account whose list is
/// `users`: the owner refused, the prune limit under [`Scope::Prune`], the
/// last *User management* holder warned about. Emails not in the list are
/// ignored (there is nothing to remove).
pub fn check_removals(
    users: &[User],
    removing: &[&str],
    known: &KnownPermissions,
    scope: Scope,
) -> RemovalCheck {
    let targets: Vec<&User> = users
        .iter()
        .filter(|u| removing.iter().any(|e| u.has_email(e)))
        .collect();
    let mut refusals: Vec<RemovalRefusal> = targets
        .iter()
        .filter_map(|u| refuse_owner(u).err())
        .collect();
    if let Scope::Prune { max_removals } = scope
        && let Err(refusal) = prune_limit(users, targets.len(), max_removals)
    {
        refusals.push(refusal);
    }
    RemovalCheck {
        refusals,
        warning: last_user_manager(users, removing, known),
    }
}

#[cfg(test)]
mod tests;
