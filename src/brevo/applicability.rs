//! The one rule for "which change applies to which user": resend and cancel
//! only a pending invitation, revoke only an active member, never the owner
//! (whose access no change touches), invite only someone absent. The
//! dashboard refuses a key with these sentences, the commands explain
//! Brevo's refusals and check dry runs with them, bulk actions list the
//! users they skip with them.

use std::fmt;

use super::change::Change;
use super::model::User;
use super::sanitize::sanitize;

/// The kinds of change, without their payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    Invite,
    Update,
    Resend,
    Cancel,
    Revoke,
}

impl Change {
    pub fn kind(&self) -> ChangeKind {
        match self {
            Self::Invite(_) => ChangeKind::Invite,
            Self::UpdatePermissions(_) => ChangeKind::Update,
            Self::ResendInvitation(_) => ChangeKind::Resend,
            Self::CancelInvitation(_) => ChangeKind::Cancel,
            Self::Revoke(_) => ChangeKind::Revoke,
        }
    }
}

/// Why a change does not apply to a user. Its Display is one sentence,
/// with the email sanitised, ready for a toast or an `error:` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotApplicable {
    pub kind: ChangeKind,
    pub email: String,
    pub reason: Reason,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Nobody with this email has access (only an invitation applies).
    Absent,
    /// The owner: no change touches their access.
    Owner,
    /// An invitation for someone who already has access or an invitation.
    AlreadyPresent { pending: bool, status: String },
    /// The user's status does not fit the change (resend to an active
    /// member, revoke of a pending invitation, …).
    Status {
        pending: bool,
        active: bool,
        status: String,
    },
}

impl NotApplicable {
    /// Absent users are "not found" (exit code 5), everything else a refusal.
    pub fn is_not_found(&self) -> bool {
        self.reason == Reason::Absent
    }
}

impl fmt::Display for NotApplicable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let email = sanitize(&self.email);
        let kind = self.kind;
        match &self.reason {
            Reason::Absent => write!(f, "{email} is not a user of this account"),
            Reason::Owner => {
                let sentence = match kind {
                    ChangeKind::Resend => "the owner has no invitation to resend",
                    ChangeKind::Cancel => "the owner has no invitation to cancel",
                    ChangeKind::Revoke => "the owner's access cannot be revoked",
                    ChangeKind::Update | ChangeKind::Invite => {
                        "the owner's access cannot be changed"
                    }
                };
                write!(f, "{email} is the owner of the account: {sentence}")
            }
            Reason::AlreadyPresent { pending: true, .. } => write!(
                f,
                "{email} is already invited (pending): resend sends the invitation again"
            ),
            Reason::AlreadyPresent { status, .. } => {
                write!(f, "{email} is already a user ({})", sanitize(status))
            }
            Reason::Status {
                pending,
                active,
                status,
            } => {
                let status = sanitize(status);
                match kind {
                    ChangeKind::Resend | ChangeKind::Cancel if *active => write!(
                        f,
                        "{email} has already accepted the invitation: only a pending invitation can be {}",
                        if kind == ChangeKind::Resend {
                            "resent"
                        } else {
                            "cancelled; revoke removes their access"
                        }
                    ),
                    ChangeKind::Resend => write!(
                        f,
                        "{email} is {status}: only a pending invitation can be resent"
                    ),
                    ChangeKind::Cancel => write!(
                        f,
                        "{email} is {status}: only a pending invitation can be cancelled"
                    ),
                    ChangeKind::Revoke if *pending => write!(
                        f,
                        "{email} has not accepted the invitation yet: cancel the invitation instead"
                    ),
                    _ => write!(
                        f,
                        "{email} is {status}: only an active member's access can be revoked"
                    ),
                }
            }
        }
    }
}

/// Whether a change of `kind` applies to `user`.
pub fn applies_to(kind: ChangeKind, user: &User) -> Result<(), NotApplicable> {
    let refuse = |reason| {
        Err(NotApplicable {
            kind,
            email: user.email.clone(),
            reason,
        })
    };
    let status = || Reason::Status {
        pending: user.is_pending(),
        active: user.is_active(),
        status: user.status.as_str().to_owned(),
    };
    match kind {
        ChangeKind::Invite => refuse(Reason::AlreadyPresent {
            pending: user.is_pending(),
            status: user.status.as_str().to_owned(),
        }),
        _ if user.is_owner => refuse(Reason::Owner),
        ChangeKind::Update => Ok(()),
        ChangeKind::Resend | ChangeKind::Cancel if user.is_pending() => Ok(()),
        ChangeKind::Revoke if user.is_active() => Ok(()),
        ChangeKind::Resend | ChangeKind::Cancel | ChangeKind::Revoke => refuse(status()),
    }
}

/// Whether a change of `kind` to `email` applies, given the whole list:
/// an invitation applies only to someone absent, every other change only
/// to someone present (and then as [`applies_to`] says).
pub fn applies_in(kind: ChangeKind, email: &str, users: &[User]) -> Result<(), NotApplicable> {
    match users.iter().find(|u| u.has_email(email)) {
        Some(user) => applies_to(kind, user),
        None if kind == ChangeKind::Invite => Ok(()),
        None => Err(NotApplicable {
            kind,
            email: email.trim().to_owned(),
            reason: Reason::Absent,
        }),
    }
}

/// Whether `change` applies, given the whole list.
pub fn change_applies_in(change: &Change, users: &[User]) -> Result<(), NotApplicable> {
    applies_in(change.kind(), change.email(), users)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brevo::UserStatus;

    fn user(email: &str, owner: bool, status: &str) -> User {
        User {
            email: email.to_owned(),
            is_owner: owner,
            status: UserStatus::parse(status),
            feature_access: Default::default(),
            id: None,
            locale: None,
        }
    }

    #[test]
    fn nothing_but_an_invitation_touches_nobody_and_nothing_touches_the_owner() {
        let owner = user("owner@acme.test", true, "active");
        for kind in [
            ChangeKind::Update,
            ChangeKind::Resend,
            ChangeKind::Cancel,
            ChangeKind::Revoke,
        ] {
            let refused = applies_to(kind, &owner).unwrap_err();
            assert_eq!(refused.reason, Reason::Owner, "{kind:?}");
        }
        let sentence = applies_to(ChangeKind::Update, &owner)
            .unwrap_err()
            .to_string();
        assert_eq!(
            sentence,
            "owner@acme.test is the owner of the account: the owner's access cannot be changed"
        );
        let users = [owner];
        assert!(applies_in(ChangeKind::Invite, "new@acme.test", &users).is_ok());
        assert!(
            applies_in(ChangeKind::Revoke, "new@acme.test", &users)
                .unwrap_err()
                .is_not_found()
        );
    }

    #[test]
    fn resend_and_cancel_need_a_pending_invitation_and_revoke_an_active_member() {
        let pending = user("p@acme.test", false, "pending");
        let active = user("a@acme.test", false, "active");
        assert!(applies_to(ChangeKind::Resend, &pending).is_ok());
        assert!(applies_to(ChangeKind::Cancel, &pending).is_ok());
        assert!(applies_to(ChangeKind::Revoke, &active).is_ok());
        assert!(applies_to(ChangeKind::Update, &pending).is_ok());
        let resend = applies_to(ChangeKind::Resend, &active)
            .unwrap_err()
            .to_string();
        assert!(
            resend.contains("already accepted")
                && resend.contains("only a pending invitation can be resent"),
            "{resend}"
        );
        let revoke = applies_to(ChangeKind::Revoke, &pending)
            .unwrap_err()
            .to_string();
        assert!(revoke.contains("cancel the invitation instead"), "{revoke}");
        let invite = applies_to(ChangeKind::Invite, &pending)
            .unwrap_err()
            .to_string();
        assert!(invite.contains("already invited"), "{invite}");
    }

    #[test]
    fn a_hostile_email_is_sanitised_in_the_sentence() {
        let hostile = user("evil\u{1b}[2J@x.test", false, "active");
        let text = applies_to(ChangeKind::Resend, &hostile)
            .unwrap_err()
            .to_string();
        assert!(!text.contains('\u{1b}'), "{text:?}");
    }
}
