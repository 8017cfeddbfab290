//! `import FILE.csv`: bulk invitations. Every row is checked first and the
//! plan printed; then rows are invited one by one with progress on stderr.
//! Rows whose email already has access are skipped, so re-running a file
//! after an interruption finishes the job without inviting anyone twice. A
//! row whose answer is lost is reconciled, never blindly resent; a failure
//! that would hit every row (authentication, network, a long rate limit)
//! stops the run and lists the rows left to do.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::brevo::error::human_duration;
use crate::brevo::sanitize::sanitize;
use crate::brevo::seats::{BatchNeed, SeatEffect, seat_effect_held};
use crate::brevo::{AccessRequest, ApiError, Change, Client, Reconciliation, User};
use crate::cli::ImportArgs;

use super::confirm::confirm;
use super::import_plan::{self, Plan, Row};
use super::import_report::{Outcome, Stop, finish, planned};
use super::output::Table;
use super::rate_wait::{Budget, check_budget, pause, reset_phrase, wait_for_change};
use super::seats;
use super::{Console, Failure};
use crate::brevo::Preset;

pub async fn import(
    client: &Client,
    console: &mut Console<'_>,
    args: &ImportArgs,
    presets: &[Preset],
) -> Result<(), Failure> {
    let json = args.output.json;
    let text = std::fs::read_to_string(&args.file).map_err(|e| {
        // Spreadsheets often save "CSV" in a legacy encoding by default.
        let hint = if e.kind() == std::io::ErrorKind::InvalidData {
            " (save it as \"CSV UTF-8\")"
        } else {
            ""
        };
        Failure::Usage(format!("cannot read {}: {e}{hint}", args.file.display()))
    })?;
    let (mut rows, ignored) = import_plan::parse(&text, presets)
        .map_err(|e| Failure::Usage(format!("{}: {e}", args.file.display())))?;
    if !ignored.is_empty() {
        console.note(format!(
            "ignoring the columns: {}",
            sanitize(&ignored.join(", "))
        ));
    }
    // One read tells who already has access; it is the only request a dry run makes.
    let users = client.list_users().await?;
    import_plan::skip_existing(&mut rows, &users);

    let to_invite = rows
        .iter()
        .filter(|r| matches!(r.plan, Plan::Invite { .. }))
        .count();
    if !json {
        print_plan(console, &rows)?;
    }
    console.note(format!(
        "{to_invite} to invite, {} to skip, {} invalid",
        rows.iter()
            .filter(|r| matches!(r.plan, Plan::Skip(_)))
            .count(),
        rows.iter()
            .filter(|r| matches!(r.plan, Plan::Invalid(_)))
            .count(),
    ));
    // The seats the batch needs (one more request), unless nothing would go.
    let needs = if to_invite > 0 && (args.dry_run || !client.is_read_only()) {
        seat_needs(client, console, &rows, &users).await
    } else {
        Vec::new()
    };

    let (outcomes, stop) = if args.dry_run {
        console.note(format!(
            "dry run: nothing was sent; {}",
            run_cost(client, to_invite)
        ));
        (
            rows.iter()
                .map(|r| planned(r, Outcome::WouldInvite))
                .collect(),
            None,
        )
    } else if to_invite == 0 {
        (
            rows.iter()
                .map(|r| planned(r, Outcome::NotDone(String::new())))
                .collect(),
            None,
        )
    } else {
        if client.is_read_only() {
            return Err(Failure::ReadOnly(format!(
                "--read-only is set: did not send the {to_invite} invitation{}; nothing was sent",
                if to_invite == 1 { "" } else { "s" }
            )));
        }
        confirm_plan(console, args.yes, &rows, to_invite)?;
        seats::consent_batch(console, args.billing.allow_billing, &needs)?;
        invite_rows(client, console, &rows, Duration::from_secs(args.max_wait)).await
    };
    finish(console, json, args.dry_run, &rows, &outcomes, stop)
}

/// "seats: Marketing needs 2, 0 free — Brevo may bill 2 extra seats", one
/// line per vertical the invitations touch; nothing when the account
/// cannot be read (the seats are then said to be unknown).
async fn seat_needs(
    client: &Client,
    console: &mut Console<'_>,
    rows: &[Row],
    users: &[User],
) -> Vec<BatchNeed> {
    let Some(account) = seats::read_account(client, console).await else {
        return Vec::new();
    };
    let effects: Vec<SeatEffect> = rows
        .iter()
        .filter_map(|row| match &row.plan {
            Plan::Invite { all, grants, .. } => Some(Change::Invite(AccessRequest::invite(
                row.email.clone(),
                *all,
                grants.clone(),
            ))),
            _ => None,
        })
        .map(|change| seat_effect_held(&change, BTreeSet::new()))
        .collect();
    let needs = seats::batch(&account, users, &effects);
    for need in &needs {
        console.note(format!("seats: {}", need.sentence()));
    }
    needs
}

/// What the real run will cost against what Brevo said is left, read from
/// the rate-limit headers of the list just read.
fn run_cost(client: &Client, to_invite: usize) -> String {
    let cost = format!(
        "the import would send {to_invite} request{}",
        if to_invite == 1 { "" } else { "s" }
    );
    let limit = client.rate_limit();
    match limit.and_then(|l| l.remaining) {
        Some(remaining) => {
            let resets = limit
                .and_then(|l| l.resets_in(Instant::now()))
                .map(|d| format!(" (the window resets in {})", human_duration(d)))
                .unwrap_or_default();
            let verdict = if to_invite as u64 > remaining {
                format!("; only the first {remaining} would go out before the limit")
            } else {
                String::new()
            };
            format!("{cost}, and Brevo allows {remaining} more{resets}{verdict}")
        }
        None => format!("{cost}; Brevo did not say how many requests are left"),
    }
}

fn print_plan(console: &mut Console<'_>, rows: &[Row]) -> Result<(), Failure> {
    let mut table = Table::new(&["LINE", "EMAIL", "PLAN", "DETAILS"]);
    for row in rows {
        let (plan, details) = match &row.plan {
            Plan::Invite { described, all, .. } => (
                "invite",
                if *all {
                    format!("{described} (all features)")
                } else {
                    described.clone()
                },
            ),
            Plan::Skip(why) => ("skip", why.clone()),
            Plan::Invalid(why) => ("invalid", why.clone()),
        };
        table.row(vec![
            row.line.to_string(),
            row.email.clone(),
            plan.to_owned(),
            details,
        ]);
    }
    table.write(console.out, console.out_style)?;
    Ok(())
}

/// Rows granting all features or user management need `--yes` (or a yes at
/// the terminal); on a terminal the whole batch is confirmed once.
fn confirm_plan(
    console: &mut Console<'_>,
    yes: bool,
    rows: &[Row],
    to_invite: usize,
) -> Result<(), Failure> {
    let escalating = rows.iter().filter(|r| r.escalates()).count();
    if escalating == 0 && !console.stdin_is_terminal {
        return Ok(());
    }
    let question = if escalating > 0 {
        format!(
            "Send {to_invite} invitations, {escalating} of them with all features or user management?"
        )
    } else {
        format!("Send {to_invite} invitations?")
    };
    confirm(
        console,
        yes,
        &question,
        "grant all features or user management in bulk",
    )
}

async fn invite_rows(
    client: &Client,
    console: &mut Console<'_>,
    rows: &[Row],
    max_wait: Duration,
) -> (Vec<Outcome>, Stop) {
    let total = rows
        .iter()
        .filter(|r| matches!(r.plan, Plan::Invite { .. }))
        .count();
    // What the quota allows is all that is sent: the row after it would
    // only be refused (and counted) by Brevo.
    let mut allowed = usize::MAX;
    if let Budget::TooLong {
        remaining,
        resets_in,
    } = check_budget(client, console, total, max_wait, "this import")
    {
        allowed = usize::try_from(remaining).unwrap_or(usize::MAX);
        console.note(format!(
            "inviting the first {remaining} row{}; the rest will be listed ({})",
            if remaining == 1 { "" } else { "s" },
            reset_phrase(resets_in)
        ));
    }
    let mut outcomes = Vec::with_capacity(rows.len());
    let mut stop: Stop = None;
    let mut done = 0;
    for row in rows {
        let Plan::Invite { all, grants, .. } = &row.plan else {
            outcomes.push(planned(row, Outcome::WouldInvite));
            continue;
        };
        if stop.is_none() && done == allowed {
            let message = format!(
                "Brevo's rate limit allows no more requests now and {}",
                reset_phrase(
                    client
                        .rate_limit()
                        .and_then(|l| l.resets_in(Instant::now()))
                )
            );
            stop = Some(Failure::RateLimitStop(message));
        }
        if stop.is_some() {
            outcomes.push(Outcome::NotDone(
                "not attempted: the import stopped".to_owned(),
            ));
            continue;
        }
        done += 1;
        console.progress(&format!(
            "[{done}/{total}] inviting {}",
            sanitize(&row.email)
        ));
        let change = Change::Invite(AccessRequest::invite(
            row.email.clone(),
            *all,
            grants.clone(),
        ));
        let (outcome, failure) = invite_one(client, console, &change, max_wait).await;
        outcomes.push(outcome);
        stop = failure;
    }
    console.end_progress();
    (outcomes, stop)
}

/// Sends one invitation. A short rate limit is waited for; a lost answer is
/// reconciled; a failure that would hit every row comes back as a stop.
async fn invite_one(
    client: &Client,
    console: &mut Console<'_>,
    change: &Change,
    max_wait: Duration,
) -> (Outcome, Stop) {
    let mut waits = 0;
    let error = loop {
        match change.apply(client).await {
            Ok(outcome) => {
                return (
                    Outcome::Invited {
                        invoice_ids: outcome.invoice_ids,
                        reconciled: false,
                    },
                    None,
                );
            }
            Err(error) => match wait_for_change(&error, max_wait, waits) {
                // A 429 is a refusal before anything happened: sending again is safe.
                Some(wait) => {
                    console.end_progress();
                    pause(console, wait).await;
                    waits += 1;
                }
                None => break error,
            },
        }
    };
    match &error {
        ApiError::Forbidden { .. } | ApiError::BadRequest { .. } | ApiError::Invalid(_) => {
            (Outcome::Failed(error.to_string()), None)
        }
        ApiError::RateLimited { reset_after, .. } => {
            let message = format!(
                "Brevo's rate limit is reached and {}",
                reset_phrase(*reset_after)
            );
            (
                Outcome::NotDone(message.clone()),
                Some(Failure::RateLimitStop(message)),
            )
        }
        _ if error.is_unclear() => {
            console.end_progress();
            console.warn(format!(
                "no clear answer for {} ({error}); checking the user list",
                sanitize(change.email())
            ));
            let outcome = match change.reconcile(client, &error).await {
                Ok(Reconciliation::AlreadyDone) => {
                    return (
                        Outcome::Invited {
                            invoice_ids: Vec::new(),
                            reconciled: true,
                        },
                        None,
                    );
                }
                Ok(Reconciliation::NotVisibleYet) => Outcome::Unknown(format!(
                    "{error}; {}",
                    Reconciliation::NotVisibleYet.sentence(change)
                )),
                Ok(_) => Outcome::NotDone(format!("{error}; Brevo shows no invitation")),
                Err(check) => Outcome::Unknown(format!(
                    "{error}; could not check whether the invitation was sent ({check})"
                )),
            };
            (outcome, Some(Failure::Api(error)))
        }
        // Never sent (connection refused, read-only, ...) or refused for every row.
        _ => (
            Outcome::NotDone(error.to_string()),
            Some(Failure::Api(error)),
        ),
    }
}
