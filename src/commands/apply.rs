//! Sending one change: a refusal is explained from the user list, a lost
//! answer is reconciled against Brevo's state (never sent again blindly).
//! Saying what came of it is `report.rs`'s.

use crate::brevo::sanitize::sanitize;
use crate::brevo::validate::check_email;
use crate::brevo::{Change, ChangeOutcome, Client, Reconciliation};

use super::lookup::{Attempt, explain};
use super::{Console, Failure};

/// Sends `change` once. A refusal is explained from the user list; a lost
/// answer is reconciled: `true` in the result means Brevo's state showed
/// the change in effect although its answer never came.
pub(super) async fn apply(
    client: &Client,
    console: &mut Console<'_>,
    change: &Change,
    attempt: Attempt,
) -> Result<(ChangeOutcome, bool), Failure> {
    let error = match change.apply(client).await {
        Ok(outcome) => return Ok((outcome, false)),
        Err(error) if error.is_unclear() => error,
        Err(error) => return Err(explain(client, change.email(), attempt, error).await),
    };
    console.warn(format!(
        "no clear answer from Brevo ({error}); checking whether it took effect"
    ));
    let message = match change.reconcile(client, &error).await {
        Ok(Reconciliation::AlreadyDone) => {
            console.note("Brevo's state shows the change took effect");
            let outcome = ChangeOutcome {
                status: "OK".to_owned(),
                ..ChangeOutcome::default()
            };
            return Ok((outcome, true));
        }
        // The core's sentence: "not visible yet" after a timeout, and a
        // resend never called safe without the second email.
        Ok(
            found @ (Reconciliation::NotDone
            | Reconciliation::NotVisibleYet
            | Reconciliation::CannotTell),
        ) => found.sentence(change),
        Err(check) => format!(
            "could not check whether the request to {change} took effect ({check}); look with `brevo-users list` before trying again"
        ),
    };
    Err(Failure::Explained {
        message,
        cause: error,
    })
}

pub(super) fn checked_email(email: &str) -> Result<&str, Failure> {
    let email = email.trim();
    check_email(email)
        .map_err(|problem| Failure::Usage(format!("{}: {problem}", sanitize(email))))?;
    Ok(email)
}

pub(super) fn refuse_if_read_only(client: &Client, change: &Change) -> Result<(), Failure> {
    if client.is_read_only() {
        return Err(read_only_failure(&change.to_string()));
    }
    Ok(())
}

pub(super) fn read_only_failure(what: &str) -> Failure {
    Failure::ReadOnly(format!(
        "--read-only is set: did not {what}; nothing was sent"
    ))
}
