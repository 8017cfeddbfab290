//! Brevo has no 404 for these endpoints: an unknown email comes back as a
//! 400 or a 403, the same statuses as "not allowed". So when a call about
//! one user is refused, the user list (one request, and only then) decides
//! whether the user exists, and lets the message say what to do instead.

use crate::brevo::applicability::{applies_in, applies_to};
use crate::brevo::{ApiError, ChangeKind, Client, User, UserPermissions};

use super::Failure;

/// What the command was trying to do, to explain a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    Read,
    Invite,
    Update,
    Resend,
    Cancel,
    Revoke,
}

/// Turns a failed call about `email` into the failure to report: "not
/// found" when the user list lacks the email, a clearer sentence when the
/// user's state explains the refusal, Brevo's own error otherwise.
pub async fn explain(client: &Client, email: &str, attempt: Attempt, error: ApiError) -> Failure {
    if !matches!(
        error,
        ApiError::Forbidden { .. } | ApiError::BadRequest { .. }
    ) {
        return Failure::Api(error);
    }
    let users = match client.list_users().await {
        Ok(users) => users,
        // The list could not settle it: Brevo's first answer is the best we have.
        Err(_) => return Failure::Api(error),
    };
    let Some(user) = users.iter().find(|u| u.has_email(email)) else {
        return match attempt {
            // A refused invitation of someone absent is about the invitation itself.
            Attempt::Invite => Failure::Api(error),
            _ => Failure::NotFound(email.to_owned()),
        };
    };
    match reason(user, attempt) {
        Some(message) => Failure::Explained {
            message,
            cause: error,
        },
        None => Failure::Api(error),
    }
}

impl Attempt {
    /// The change attempted; a read changes nothing.
    fn change_kind(self) -> Option<ChangeKind> {
        match self {
            Self::Read => None,
            Self::Invite => Some(ChangeKind::Invite),
            Self::Update => Some(ChangeKind::Update),
            Self::Resend => Some(ChangeKind::Resend),
            Self::Cancel => Some(ChangeKind::Cancel),
            Self::Revoke => Some(ChangeKind::Revoke),
        }
    }
}

/// A user's permissions; a refusal is explained from the user list.
pub async fn read_permissions(
    client: &Client,
    email: &str,
    attempt: Attempt,
) -> Result<UserPermissions, Failure> {
    match client.user_permissions(email.trim()).await {
        Ok(permissions) => Ok(permissions),
        Err(error) => Err(explain(client, email.trim(), attempt, error).await),
    }
}

/// The core's sentence for why the attempt cannot apply to this user.
fn reason(user: &User, attempt: Attempt) -> Option<String> {
    let kind = attempt.change_kind()?;
    applies_to(kind, user).err().map(|why| why.to_string())
}

/// A dry run tells the truth: it reads the list (one request) and refuses
/// a change that does not apply — the owner, a resend to an active member —
/// as a usage error (exit 2), and an absent user as not found (exit 5).
pub async fn check_applies(client: &Client, kind: ChangeKind, email: &str) -> Result<(), Failure> {
    let users = client.list_users().await?;
    applies_in(kind, email, &users).map_err(|why| {
        if why.is_not_found() {
            Failure::NotFound(email.trim().to_owned())
        } else {
            Failure::Usage(why.to_string())
        }
    })
}
