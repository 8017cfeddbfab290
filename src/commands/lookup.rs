//! Brevo has no 404 for these endpoints: an unknown email comes back as a
//! 400 or a 403, the same statuses as "not allowed". So when a call about
//! one user is refused, the user list (one request, and only then) decides
//! whether the user exists, and lets the message say what to do instead.

use crate::brevo::sanitize::sanitize;
use crate::brevo::{ApiError, Client, User};

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

fn reason(user: &User, attempt: Attempt) -> Option<String> {
    let email = sanitize(&user.email);
    if user.is_owner && attempt != Attempt::Read && attempt != Attempt::Invite {
        return Some(format!(
            "{email} is the owner of the account, whose access cannot be changed"
        ));
    }
    match attempt {
        Attempt::Invite if user.is_pending() => Some(format!(
            "{email} is already invited (pending); use resend to send the invitation again"
        )),
        Attempt::Invite => Some(format!(
            "{email} is already a user ({})",
            sanitize(user.status.as_str())
        )),
        Attempt::Resend | Attempt::Cancel if user.is_active() => Some(format!(
            "{email} has already accepted the invitation: there is none to {}{}",
            if attempt == Attempt::Resend {
                "resend"
            } else {
                "cancel"
            },
            if attempt == Attempt::Cancel {
                " (revoke removes their access)"
            } else {
                ""
            }
        )),
        Attempt::Revoke if user.is_pending() => Some(format!(
            "{email} has not accepted the invitation yet: cancel withdraws it"
        )),
        _ => None,
    }
}
