//! The single-user changes: `invite`, `update`, `resend`, `cancel`, `revoke`.
//! Each is refused up front under `--read-only`, confirmed when it is hard to
//! undo or hands out power, applied once, and — when Brevo's answer is lost —
//! reconciled against Brevo's state instead of being sent again.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::brevo::catalog;
use crate::brevo::escalation::Escalation;
use crate::brevo::sanitize::sanitize;
use crate::brevo::seats::{grant_verticals, seat_effect_held};
use crate::brevo::{AccessRequest, Change, ChangeKind, Client, FeatureChange, stored_differences};
use crate::cli::{ConfirmedTargetArgs, InviteArgs, TargetArgs, UpdateArgs};

use super::apply::{apply, checked_email, read_only_failure, refuse_if_read_only};
use super::confirm::confirm;
use super::grants_arg::Requested;
use super::lookup::{Attempt, check_applies, read_permissions};
use super::output::write_json;
use super::report::{action_name, report};
use super::seats;
use super::{Console, Failure};
use crate::brevo::Preset;

pub async fn invite(
    client: &Client,
    console: &mut Console<'_>,
    args: &InviteArgs,
    presets: &[Preset],
) -> Result<(), Failure> {
    let email = checked_email(&args.email)?;
    let requested = Requested::from_args(&args.access, presets).map_err(Failure::Usage)?;
    let (all, grants) = requested.for_invite().map_err(Failure::Usage)?;
    let request = AccessRequest::invite(email, all, grants);
    let escalation = request.escalation(None);
    let change = Change::Invite(request);
    refuse_if_read_only(client, &change)?;
    if let Some(escalation) = escalation {
        confirm_escalation(console, args.yes, email, escalation)?;
    }
    let effect = seat_effect_held(&change, BTreeSet::new());
    let what = format!("invite {}", sanitize(email));
    let allow = args.billing.allow_billing;
    seats::check_change(
        client,
        console,
        &effect,
        "the invitation",
        &what,
        allow,
        false,
    )
    .await?;
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
    presets: &[Preset],
) -> Result<(), Failure> {
    let email = checked_email(&args.email)?;
    let requested = Requested::from_args(&args.access, presets).map_err(Failure::Usage)?;
    if !args.dry_run && client.is_read_only() {
        return Err(read_only_failure(&format!(
            "change the permissions of {}",
            sanitize(email)
        )));
    }
    if args.dry_run {
        // A dry run tells the truth, whatever it costs (one more request):
        // the owner is refused here, not shown a diff Brevo would refuse.
        check_applies(client, ChangeKind::Update, email).await?;
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
    let request = AccessRequest::update(email, &current.grants, &desired, all);
    if !args.dry_run
        && let Some(escalation) = request.escalation(Some(&current.grants))
    {
        confirm_escalation(console, args.yes, email, escalation)?;
    }
    let change = Change::UpdatePermissions(request.clone());
    // What the user holds now, from the permissions just read: no list needed.
    let held = grant_verticals(false, &current.grants);
    let effect = seat_effect_held(&change, held);
    let what = format!("change the permissions of {}", sanitize(email));
    let allow = args.billing.allow_billing;
    seats::check_change(
        client,
        console,
        &effect,
        "the change",
        &what,
        allow,
        args.dry_run,
    )
    .await?;
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
    args: &TargetArgs,
) -> Result<(), Failure> {
    let json = args.output.json;
    let change = Change::ResendInvitation(checked_email(&args.email)?.to_owned());
    if args.dry_run {
        return dry_run(client, console, &change, json).await;
    }
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
    if args.dry_run {
        return dry_run(client, console, &change, args.output.json).await;
    }
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

/// `resend`/`cancel`/`revoke --dry-run`: whether the change applies, from
/// the list (one request); nothing is sent and nothing asked.
async fn dry_run(
    client: &Client,
    console: &mut Console<'_>,
    change: &Change,
    json: bool,
) -> Result<(), Failure> {
    check_applies(client, change.kind(), change.email()).await?;
    if json {
        let document = json!({
            "email": change.email(),
            "action": action_name(change),
            "applied": false,
            "dry_run": true,
        });
        write_json(console.out, &document)?;
    } else {
        writeln!(console.out, "would {change}")?;
    }
    console.note("dry run: nothing was sent");
    Ok(())
}

fn confirm_escalation(
    console: &mut Console<'_>,
    yes: bool,
    email: &str,
    escalation: Escalation,
) -> Result<(), Failure> {
    let what = escalation.granted();
    let question = format!(
        "Give {} {what} (they could then invite, change and revoke users themselves)?",
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

pub(super) fn write_changes(
    console: &mut Console<'_>,
    changes: &[FeatureChange],
) -> Result<(), Failure> {
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
