//! `Change`: one mutation of the organization, as a value that can be
//! applied, described, and — after an unclear failure — reconciled: asking
//! Brevo whether it already took effect instead of sending it twice.

use std::fmt;

use super::client::Client;
use super::error::ApiError;
use super::grants::{FeatureChange, Grants};
use super::model::{ChangeOutcome, UserPermissions};
use super::request::AccessRequest;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Invite(AccessRequest),
    UpdatePermissions(AccessRequest),
    ResendInvitation(String),
    CancelInvitation(String),
    Revoke(String),
}

/// What reconciling found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reconciliation {
    /// The change is in effect: report it as done, do not send it again.
    AlreadyDone,
    /// The change did not happen: it is safe to send it again.
    NotDone,
    /// Brevo's state cannot show it (a resent email leaves no trace).
    CannotTell,
}

impl Change {
    pub fn email(&self) -> &str {
        match self {
            Self::Invite(request) | Self::UpdatePermissions(request) => &request.email,
            Self::ResendInvitation(email) | Self::CancelInvitation(email) | Self::Revoke(email) => {
                email
            }
        }
    }

    pub async fn apply(&self, client: &Client) -> Result<ChangeOutcome, ApiError> {
        match self {
            Self::Invite(request) => client.invite(request).await,
            Self::UpdatePermissions(request) => client.update_permissions(request).await,
            Self::ResendInvitation(email) => client.resend_invitation(email).await,
            Self::CancelInvitation(email) => client.cancel_invitation(email).await,
            Self::Revoke(email) => client.revoke(email).await,
        }
    }

    /// Looks at Brevo's current state to tell whether this change, whose
    /// answer was lost, took effect. Costs one read.
    pub async fn reconcile(&self, client: &Client) -> Result<Reconciliation, ApiError> {
        let done = |yes: bool| {
            if yes {
                Reconciliation::AlreadyDone
            } else {
                Reconciliation::NotDone
            }
        };
        match self {
            Self::Invite(request) => {
                let users = client.list_users().await?;
                Ok(done(users.iter().any(|u| u.has_email(&request.email))))
            }
            Self::UpdatePermissions(request) => {
                let stored = client.user_permissions(&request.email).await?;
                Ok(done(stored_differences(request, &stored).is_empty()))
            }
            Self::CancelInvitation(email) | Self::Revoke(email) => {
                let users = client.list_users().await?;
                Ok(done(!users.iter().any(|u| u.has_email(email))))
            }
            Self::ResendInvitation(_) => Ok(Reconciliation::CannotTell),
        }
    }

    /// Present tense, for confirmations and progress: "revoke ops@acme.test".
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Invite(_) => "invite",
            Self::UpdatePermissions(_) => "change the permissions of",
            Self::ResendInvitation(_) => "resend the invitation to",
            Self::CancelInvitation(_) => "cancel the invitation of",
            Self::Revoke(_) => "revoke the access of",
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.verb(),
            crate::brevo::sanitize::sanitize(self.email())
        )
    }
}

/// How what Brevo stored after an update differs from what was intended;
/// empty when they agree. Features carried back verbatim are compared too.
pub fn stored_differences(
    intended: &AccessRequest,
    stored: &UserPermissions,
) -> Vec<FeatureChange> {
    let intended_grants = if intended.all_features_access {
        Grants::everything()
    } else {
        intended.grants.clone()
    };
    intended_grants.diff(&stored.grants)
}
