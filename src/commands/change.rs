//! The single-user changes: `invite`, `update`, `resend`, `cancel`, `revoke`.
//! Each is refused up front under `--read-only`, confirmed when it is hard to
//! undo or hands out power, applied once, and — when Brevo's answer is lost —
//! reconciled against Brevo's state instead of being sent again.

use serde_json::{Value, json};

use crate::brevo::catalog::{self, ESCALATING_FEATURE};
use crate::brevo::sanitize::sanitize;
use crate::brevo::validate::check_email;
use crate::brevo::{
    AccessRequest, Change, ChangeOutcome, Client, FeatureChange, Reconciliation, stored_differences,
};
use crate::cli::{ConfirmedTargetArgs, InviteArgs, UpdateArgs};

use super::confirm::confirm;
use super::grants_arg::Requested;
use super::lookup::{Attempt, explain};
use super::output::write_json;
use super::show::read_permissions;
use super::{Console, Failure};

pub async fn invite(
    client: &Client,
    console: &mut Console<'_>,
    args: &InviteArgs,
) -> Result<(), Failure> {
    let email = checked_email(&args.email)?;
    let requested = Requested::from_args(&args.access).map_err(Failure::Usage)?;
    let (all, grants) = requested.for_invite().map_err(Failure::Usage)?;
    let change = Change::Invite(AccessRequest::invite(email, all, grants.clone()));
    refuse_if_read_only(client, &change)?;
    if all || grants.get(ESCALATING_FEATURE).is_some() {
        confirm_escalation(console, args.yes, email, all)?;
    }
    let (outcome, reconciled) = apply(client, console, &change, Attempt::Invite).await?;
    report(
        console,
        args.output.json,
        &change,
        &outcome,
        reconciled,
        json!({}),
    )
}

pub async fn update(
    client: &Client,
    console: &mut Console<'_>,
    args: &UpdateArgs,
) -> Result<(), Failure> {
    let email = checked_email(&args.email)?;
    let requested = Requested::from_args(&args.access).map_err(Failure::Usage)?;
    if !args.dry_run && client.is_read_only() {
        return Err(read_only_failure(&format!(
            "change the permissions of {}",
            sanitize(email)
        )));
    }
    let current = read_permissions(client, email, Attempt::Update).await?;
    super::show::warn_unrecognised(console, &current);
    let (all, desired) = requested.for_update(&current.grants);
    let changes = current.grants.diff(&desired);
    let json = args.output.json;
    if changes.is_empty() {
        console.note(format!(
            "{} already has exactly these permissions: nothing to change",
            sanitize(email)
        ));
        if json {
            write_json(
                console.out,
                &json!({"email": email, "changes": [], "applied": false}),
            )?;
        }
        return Ok(());
    }
    if !json {
        writeln!(console.out, "Changes for {}:", sanitize(email))?;
        write_changes(console, &changes)?;
    }
    if args.dry_run {
        console.note("dry run: nothing was changed");
        if json {
            write_json(
                console.out,
                &json!({"email": email, "changes": changes_json(&changes), "applied": false, "dry_run": true}),
            )?;
        }
        return Ok(());
    }
    let escalates = all
        || changes
            .iter()
            .any(|c| c.feature == ESCALATING_FEATURE && !c.added.is_empty());
    if escalates {
        confirm_escalation(console, args.yes, email, all)?;
    }
    let request = AccessRequest::update(email, &current.grants, &desired, all);
    let change = Change::UpdatePermissions(request.clone());
    let (outcome, reconciled) = apply(client, console, &change, Attempt::Update).await?;

    // Brevo's merge rules are unconfirmed (spec §4.6): read back what it kept.
    let stored = match client.user_permissions(email).await {
        Ok(stored) => Some(stored_differences(&request, &stored)),
        Err(error) => {
            console.warn(format!("could not read back what Brevo stored: {error}"));
            None
        }
    };
    if let Some(differences) = stored.as_ref().filter(|d| !d.is_empty()) {
        console.warn(
            "Brevo stored something other than what was asked (- asked but missing, + not asked):",
        );
        let mut lines = Vec::new();
        for difference in differences {
            lines.push(change_line(difference));
        }
        for line in lines {
            let _ = writeln!(console.err, "  {line}");
        }
    }
    let extra = json!({
        "changes": changes_json(&changes),
        "stored_differences": stored.as_deref().map(changes_json),
    });
    report(console, json, &change, &outcome, reconciled, extra)
}

pub async fn resend(
    client: &Client,
    console: &mut Console<'_>,
    email: &str,
    json: bool,
) -> Result<(), Failure> {
    let change = Change::ResendInvitation(checked_email(email)?.to_owned());
    refuse_if_read_only(client, &change)?;
    let (outcome, reconciled) = apply(client, console, &change, Attempt::Resend).await?;
    report(console, json, &change, &outcome, reconciled, json!({}))
}

pub async fn cancel(
    client: &Client,
    console: &mut Console<'_>,
    args: &ConfirmedTargetArgs,
) -> Result<(), Failure> {
    let change = Change::CancelInvitation(checked_email(&args.email)?.to_owned());
    confirmed_removal(client, console, args, change, Attempt::Cancel).await
}

pub async fn revoke(
    client: &Client,
    console: &mut Console<'_>,
    args: &ConfirmedTargetArgs,
) -> Result<(), Failure> {
    let change = Change::Revoke(checked_email(&args.email)?.to_owned());
    confirmed_removal(client, console, args, change, Attempt::Revoke).await
}

async fn confirmed_removal(
    client: &Client,
    console: &mut Console<'_>,
    args: &ConfirmedTargetArgs,
    change: Change,
    attempt: Attempt,
) -> Result<(), Failure> {
    refuse_if_read_only(client, &change)?;
    let question = format!(
        "{}{}?",
        capitalise(change.verb()),
        format_args!(" {}", sanitize(change.email()))
    );
    confirm(console, args.yes, &question, &change.to_string())?;
    let (outcome, reconciled) = apply(client, console, &change, attempt).await?;
    report(
        console,
        args.output.json,
        &change,
        &outcome,
        reconciled,
        json!({}),
    )
}

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
    let message = match change.reconcile(client).await {
        Ok(Reconciliation::AlreadyDone) => {
            console.note("Brevo's state shows the change took effect");
            let outcome = ChangeOutcome {
                status: "OK".to_owned(),
                ..ChangeOutcome::default()
            };
            return Ok((outcome, true));
        }
        Ok(Reconciliation::NotDone) => {
            format!("the request to {change} did not take effect; it is safe to try again")
        }
        Ok(Reconciliation::CannotTell) => {
            format!(
                "Brevo cannot show whether the request to {change} took effect; check before trying again"
            )
        }
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
fn report(
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

fn refuse_if_read_only(client: &Client, change: &Change) -> Result<(), Failure> {
    if client.is_read_only() {
        return Err(read_only_failure(&change.to_string()));
    }
    Ok(())
}

fn read_only_failure(what: &str) -> Failure {
    Failure::ReadOnly(format!(
        "--read-only is set: did not {what}; nothing was sent"
    ))
}

fn confirm_escalation(
    console: &mut Console<'_>,
    yes: bool,
    email: &str,
    all: bool,
) -> Result<(), Failure> {
    let what = if all {
        "all features, user management included"
    } else {
        "user management"
    };
    let question = format!(
        "Give {} {what}? They could then invite, change and revoke users themselves",
        sanitize(email)
    );
    confirm(console, yes, &question, &format!("grant {what}"))
}

/// `+ Contacts: Import` / `- Phone: All`, one line per feature and direction.
fn change_line(change: &FeatureChange) -> String {
    let names = |keys: &[String]| -> String {
        keys.iter()
            .map(|k| catalog::permission_name(k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let feature = catalog::feature_name(&change.feature);
    let mut parts = Vec::new();
    if !change.added.is_empty() {
        parts.push(format!(
            "+ {}: {}",
            sanitize(feature),
            sanitize(&names(&change.added))
        ));
    }
    if !change.removed.is_empty() {
        parts.push(format!(
            "- {}: {}",
            sanitize(feature),
            sanitize(&names(&change.removed))
        ));
    }
    parts.join("\n  ")
}

fn write_changes(console: &mut Console<'_>, changes: &[FeatureChange]) -> Result<(), Failure> {
    for change in changes {
        for line in change_line(change).lines() {
            let line = line.trim_start();
            let painted = if line.starts_with('+') {
                console.out_style.green(line)
            } else {
                console.out_style.red(line)
            };
            writeln!(console.out, "  {painted}")?;
        }
    }
    Ok(())
}

fn changes_json(changes: &[FeatureChange]) -> Value {
    Value::Array(
        changes
            .iter()
            .map(|c| json!({"feature": c.feature, "added": c.added, "removed": c.removed}))
            .collect(),
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
