//! `Change`: one mutation of the organization, as a value that can be
//! applied, described, and — after an unclear failure — reconciled: asking
//! Brevo whether it already took effect instead of sending it twice.

use std::fmt;

use super::client::Client;
use super::error::ApiError;
use super::grants::{FeatureChange, Grants};
use super::model::{ChangeOutcome, UserPermissions};
use super::request::AccessRequest;
use super::sanitize::sanitize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Invite(AccessRequest),
    UpdatePermissions(AccessRequest),
    ResendInvitation(String),
    CancelInvitation(String),
    Revoke(String),
}

/// Why a change's answer was lost, as far as reconciling cares. Faces
/// pass the error itself (`change.reconcile(&client, &error)`); the
/// dashboard, whose effects must compare equal, passes this instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LostAnswer {
    /// An answer came (Brevo's 500, an answer we could not read, a
    /// redirect): whatever handled the request is done with it, so one look
    /// at Brevo's state tells.
    Answered,
    /// No answer came in time, the connection broke after sending, or a
    /// gateway stopped waiting: Brevo may still be working, so a look that
    /// finds nothing is repeated after a pause.
    MayStillBeWorking,
}

impl From<&ApiError> for LostAnswer {
    fn from(error: &ApiError) -> Self {
        if error.may_still_be_working() {
            Self::MayStillBeWorking
        } else {
            Self::Answered
        }
    }
}

/// What reconciling found, and what it means for the person who asked.
/// [`Reconciliation::sentence`] says it in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reconciliation {
    /// The change is in effect: report it as done; do not send it again.
    AlreadyDone,
    /// An answer came and Brevo's state shows the change did not happen:
    /// sending it again does it once. Never the result for a resend.
    NotDone,
    /// Brevo's state does not show the change, though the checks were
    /// repeated, and Brevo may still be working on it: do not send it again
    /// now (it could happen twice, a second email for an invitation); look
    /// again in a minute.
    NotVisibleYet,
    /// Brevo's state cannot show it (a resent email leaves no trace):
    /// sending it again may send a second email.
    CannotTell,
}

impl Reconciliation {
    /// One sentence for the person who asked for `change`, naming what to
    /// do next; the email in it is sanitised.
    pub fn sentence(&self, change: &Change) -> String {
        let what = change.noun();
        match self {
            Self::AlreadyDone => format!("Brevo's state shows that {what} took effect"),
            Self::NotDone => format!(
                "Brevo answered and its state shows that {what} did not take effect, so {}",
                change.again()
            ),
            Self::NotVisibleYet => format!(
                "Brevo's state does not show {what} yet, and Brevo may still be working on it: \
                 look again in a minute before trying again, or {}",
                change.twice()
            ),
            Self::CannotTell => format!(
                "Brevo's state cannot show whether {what} went out: trying again may send a second email"
            ),
        }
    }
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

    /// Looks at Brevo's state to tell whether this change, whose answer
    /// was lost, took effect; pass the error the change failed with (or a
    /// [`LostAnswer`]). Costs one read, and when Brevo may still be working
    /// and the change is not visible, a few more after the builder's
    /// `reconcile_wait` each. An error on the first look is returned; an
    /// error on a later look ends the looking with `NotVisibleYet`.
    pub async fn reconcile(
        &self,
        client: &Client,
        lost: impl Into<LostAnswer>,
    ) -> Result<Reconciliation, ApiError> {
        if let Self::ResendInvitation(_) = self {
            return Ok(Reconciliation::CannotTell);
        }
        let lost = lost.into();
        if self.in_effect(client).await? {
            return Ok(Reconciliation::AlreadyDone);
        }
        if lost == LostAnswer::Answered {
            return Ok(Reconciliation::NotDone);
        }
        let policy = client.recheck_policy();
        for _ in 0..policy.rechecks {
            tokio::time::sleep(policy.wait).await;
            match self.in_effect(client).await {
                Ok(true) => return Ok(Reconciliation::AlreadyDone),
                Ok(false) => {}
                Err(_) => break,
            }
        }
        Ok(Reconciliation::NotVisibleYet)
    }

    /// Whether Brevo's state shows this change; one read.
    async fn in_effect(&self, client: &Client) -> Result<bool, ApiError> {
        Ok(match self {
            Self::Invite(request) => {
                let users = client.list_users().await?;
                users.iter().any(|u| u.has_email(&request.email))
            }
            Self::UpdatePermissions(request) => {
                let stored = client.user_permissions(&request.email).await?;
                stored_differences(request, &stored).is_empty()
            }
            Self::CancelInvitation(email) | Self::Revoke(email) => {
                let users = client.list_users().await?;
                !users.iter().any(|u| u.has_email(email))
            }
            // A resent email leaves no trace in the state.
            Self::ResendInvitation(_) => false,
        })
    }

    /// The change as a noun, for sentences: "the invitation of a@x.test".
    pub fn noun(&self) -> String {
        let email = sanitize(self.email());
        match self {
            Self::Invite(_) => format!("the invitation of {email}"),
            Self::UpdatePermissions(_) => format!("the permission change for {email}"),
            Self::ResendInvitation(_) => format!("the resent invitation to {email}"),
            Self::CancelInvitation(_) => format!("the cancellation of {email}'s invitation"),
            Self::Revoke(_) => format!("the revocation of {email}'s access"),
        }
    }

    /// What sending it again does, when Brevo's state shows it not done.
    fn again(&self) -> &'static str {
        match self {
            Self::ResendInvitation(_) => "trying again sends one more email",
            Self::Invite(_) => "it is safe to try again: one invitation email goes out",
            _ => "it is safe to try again",
        }
    }

    /// What sending it again too soon risks.
    fn twice(&self) -> &'static str {
        match self {
            Self::Invite(_) | Self::ResendInvitation(_) => "a second invitation email may go out",
            _ => "it may be done twice",
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
        write!(f, "{} {}", self.verb(), sanitize(self.email()))
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
