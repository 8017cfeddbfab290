//! Saying what came of a change: one sentence — or one JSON document —
//! with any invoice or credit note Brevo returned.

use serde_json::{Value, json};

use crate::brevo::sanitize::sanitize;
use crate::brevo::{Change, ChangeOutcome};

use super::console::Console;
use super::failure::Failure;
use super::output::write_json;

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

pub(super) fn action_name(change: &Change) -> &'static str {
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
