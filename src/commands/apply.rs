//! Sending one change and saying what came of it: a refusal is explained
//! from the user list, a lost answer is reconciled against Brevo's state
//! (never sent again blindly), and the result is one sentence — or one JSON
//! document — with any invoice or credit note Brevo returned.

use serde_json::{Value, json};

use crate::brevo::sanitize::sanitize;
use crate::brevo::validate::check_email;
use crate::brevo::{Change, ChangeOutcome, Client, Reconciliation};

use super::lookup::{Attempt, explain};
use super::output::write_json;
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

/// The result on stdout: a sentence and the billing documents, or one JSON
/// document `{email, action, status, invoice_ids, credit_notes, ...extra}`.
pub(super) fn report(
    console: &mut Console<'_>,
    json: bool,
    change: &Change,
    outcome: &ChangeOutcome,
    reconciled: bool,
    extra: Value,
) -> Result<(), Failure> {
    if json {
        let mut document = json!({
            "email": change.email(),
            "action": action_name(change),
            "status": outcome.status,
            "invoice_ids": outcome.invoice_ids,
            "credit_notes": outcome.credit_notes,
            "reconciled": reconciled,
        });
        if let (Some(target), Value::Object(more)) = (document.as_object_mut(), extra) {
            target.extend(more.into_iter().filter(|(_, v)| !v.is_null()));
        }
        write_json(console.out, &document)?;
        return Ok(());
    }
    let done = console.out_style.green(done_sentence(change));
    writeln!(console.out, "{done} {}", sanitize(change.email()))?;
    for invoice in &outcome.invoice_ids {
        writeln!(console.out, "invoice: {}", sanitize(invoice))?;
    }
    for note in &outcome.credit_notes {
        writeln!(console.out, "credit note: {}", sanitize(note))?;
    }
    Ok(())
}

fn action_name(change: &Change) -> &'static str {
    match change {
        Change::Invite(_) => "invite",
        Change::UpdatePermissions(_) => "update",
        Change::ResendInvitation(_) => "resend",
        Change::CancelInvitation(_) => "cancel",
        Change::Revoke(_) => "revoke",
    }
}

fn done_sentence(change: &Change) -> &'static str {
    match change {
        Change::Invite(_) => "invited",
        Change::UpdatePermissions(_) => "updated the permissions of",
        Change::ResendInvitation(_) => "resent the invitation to",
        Change::CancelInvitation(_) => "cancelled the invitation of",
        Change::Revoke(_) => "revoked the access of",
    }
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
