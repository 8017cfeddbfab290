//! What offboarding does in each account, decided before anything is sent:
//! revoke an active member, cancel a pending invitation, never the owner
//! (the core's removal guards), skip a read-only profile, nothing where the
//! person is already gone.

use std::fmt;

use crate::brevo::applicability::{ChangeKind, NotApplicable, Reason, applies_to};
use crate::brevo::removal::{KnownPermissions, RemovalRefusal, RemovalWarning, Scope};
use crate::brevo::{Change, removal};

use super::error::{AccountError, lost_task};
use super::fan_out::fan_out;
use super::presence::Presence;
use super::profiles::{ReadOnlyReason, Target};

/// Why an account where the person is present is left alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    ReadOnly(ReadOnlyReason),
    /// Neither revoke nor cancel fits the person's status (a status Brevo
    /// sent that is neither active nor pending).
    NotApplicable(NotApplicable),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ReadOnly(reason) => write!(f, "{reason}"),
            Self::NotApplicable(reason) => write!(f, "{reason}"),
        }
    }
}

/// What offboarding does in one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// An active member: their access is revoked.
    Revoke,
    /// A pending invitation: it is cancelled.
    Cancel,
    /// Not a user of this account: nothing to do.
    AlreadyGone,
    /// A guard refuses it (the owner).
    Refused(RemovalRefusal),
    Skipped(SkipReason),
    /// The account could not be read: the person may still be there.
    NotReached(AccountError),
}

impl Action {
    /// The change this action sends, if any.
    pub fn change(&self, email: &str) -> Option<Change> {
        match self {
            Self::Revoke => Some(Change::Revoke(email.to_owned())),
            Self::Cancel => Some(Change::CancelInvitation(email.to_owned())),
            _ => None,
        }
    }

    /// Whether the person would still be in this account afterwards, even
    /// if every change went well.
    pub fn leaves_person(&self) -> bool {
        matches!(
            self,
            Self::Refused(_) | Self::Skipped(_) | Self::NotReached(_)
        )
    }

    /// The plan's words: "revoke the access of a@x.test", "refused: owner",
    /// "skipped: the profile is read-only", "already gone: not a user".
    pub fn describe(&self, email: &str) -> String {
        match self {
            Self::Revoke | Self::Cancel => self
                .change(email)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            Self::AlreadyGone => "already gone: not a user of this account".to_owned(),
            Self::Refused(RemovalRefusal::Owner { .. }) => {
                "refused: owner (the owner's access is never removed)".to_owned()
            }
            Self::Refused(refusal) => format!("refused: {refusal}"),
            Self::Skipped(reason) => format!("skipped: {reason}"),
            Self::NotReached(error) => format!("not reached: {error}"),
        }
    }
}

/// One account's line of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub profile: String,
    pub account: Option<String>,
    pub action: Action,
    /// The core's warning about the last user manager: confirm first.
    pub warning: Option<RemovalWarning>,
    /// Why the person's permissions could not be read, when that was tried.
    pub permissions_unread: Option<AccountError>,
}

/// The whole plan, in the profiles' order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub email: String,
    pub steps: Vec<Step>,
    /// Permission reads spent making it (one per active membership).
    pub permission_reads: usize,
}

impl Plan {
    /// Changes it will send.
    pub fn changes(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| s.action.change(&self.email).is_some())
            .count()
    }

    /// The accounts where the person stays even if all goes well.
    pub fn left(&self) -> Vec<&Step> {
        self.steps
            .iter()
            .filter(|s| s.action.leaves_person())
            .collect()
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.warning.is_some())
    }
}

/// What offboarding does in the account of `presence`; pure. `known` is
/// what was read of the account's permissions (see [`read_permissions`]).
pub fn decide(presence: &Presence, email: &str, known: &KnownPermissions) -> Step {
    let step = |action, warning| Step {
        profile: presence.profile.clone(),
        account: presence.account().map(str::to_owned),
        action,
        warning,
        permissions_unread: None,
    };
    let found = match &presence.found {
        Err(error) => return step(Action::NotReached(error.clone()), None),
        Ok(found) => found,
    };
    let Some(user) = &found.user else {
        return step(Action::AlreadyGone, None);
    };
    let check = removal::check_removals(&found.users, &[email], known, Scope::Targeted);
    if let Some(refusal) = check.refusals.into_iter().next() {
        return step(Action::Refused(refusal), None);
    }
    if let Some(reason) = presence.read_only {
        return step(Action::Skipped(SkipReason::ReadOnly(reason)), None);
    }
    let kind = if user.is_pending() {
        ChangeKind::Cancel
    } else {
        ChangeKind::Revoke
    };
    match applies_to(kind, user) {
        Ok(()) if kind == ChangeKind::Cancel => step(Action::Cancel, check.warning),
        Ok(()) => step(Action::Revoke, check.warning),
        Err(NotApplicable {
            reason: Reason::Owner,
            ..
        }) => step(
            Action::Refused(RemovalRefusal::Owner {
                email: user.email.clone(),
            }),
            None,
        ),
        Err(reason) => step(Action::Skipped(SkipReason::NotApplicable(reason)), None),
    }
}

/// Whether the person's permissions are worth reading in this account:
/// an active, non-owner member of a writable account (a pending invitation
/// holds nothing yet).
fn worth_reading(presence: &Presence) -> bool {
    presence.read_only.is_none()
        && presence
            .found
            .as_ref()
            .ok()
            .and_then(|f| f.user.as_ref())
            .is_some_and(|u| !u.is_owner && !u.is_pending())
}

/// Reads the person's permissions (one request each) in every account
/// where removing them could remove a user manager, all at once; per
/// presence, in order: what is known, and the error when the read failed.
pub async fn read_permissions(
    targets: &[Target],
    presences: &[Presence],
    email: &str,
) -> Vec<(KnownPermissions, Option<AccountError>)> {
    let jobs: Vec<Option<crate::brevo::Client>> = targets
        .iter()
        .zip(presences)
        .map(|(t, p)| {
            worth_reading(p)
                .then(|| t.client.as_ref().ok().cloned())
                .flatten()
        })
        .collect();
    let email = email.trim().to_owned();
    fan_out(
        jobs,
        |client| {
            let email = email.clone();
            async move {
                let mut known = KnownPermissions::new();
                let Some(client) = client else {
                    return (known, None);
                };
                match client.user_permissions(&email).await {
                    Ok(read) => {
                        known.record(&read.email, &read.grants);
                        (known, None)
                    }
                    Err(error) => (known, Some((&error).into())),
                }
            }
        },
        |_| (KnownPermissions::new(), Some(lost_task())),
        |_| {},
    )
    .await
}

/// Reads what is needed ([`read_permissions`]) and decides every account.
/// `targets` and `presences` are in the same order (as [`presence_all`](super::presence::presence_all)
/// returns them).
pub async fn plan(targets: &[Target], presences: &[Presence], email: &str) -> Plan {
    let permission_reads = presences.iter().filter(|p| worth_reading(p)).count();
    let read = read_permissions(targets, presences, email).await;
    let steps = presences
        .iter()
        .zip(read)
        .map(|(presence, (known, unread))| Step {
            permissions_unread: unread,
            ..decide(presence, email, &known)
        })
        .collect();
    Plan {
        email: email.trim().to_owned(),
        steps,
        permission_reads,
    }
}
