//! `import FILE.csv`: bulk invitations. Every row is checked first and the
//! plan printed; then rows are invited one by one with progress on stderr.
//! Rows whose email already has access are skipped, so re-running a file
//! after an interruption finishes the job without inviting anyone twice. A
//! row whose answer is lost is reconciled, never blindly resent; a failure
//! that would hit every row (authentication, network, a long rate limit)
//! stops the run and lists the rows left to do.

use std::time::Duration;

use serde_json::{Value, json};

use crate::brevo::sanitize::sanitize;
use crate::brevo::{AccessRequest, ApiError, Change, Client, Reconciliation};
use crate::cli::ImportArgs;

use super::confirm::confirm;
use super::failure::exit_code;
use super::import_plan::{self, Plan, Row};
use super::output::{Table, write_json};
use super::rate_wait::{Budget, check_budget, pause, reset_phrase, wait_for};
use super::{Console, Failure};

/// What became of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Dry run: would be invited.
    WouldInvite,
    Invited {
        invoice_ids: Vec<String>,
        reconciled: bool,
    },
    Skipped(String),
    Invalid(String),
    /// Brevo refused this row; the others went on.
    Failed(String),
    /// Not attempted (the run stopped first), or attempted and shown not to
    /// have happened: re-running the file will do it.
    NotDone(String),
    /// Sent, the answer lost, and Brevo's state could not be read.
    Unknown(String),
}

impl Outcome {
    fn name(&self) -> &'static str {
        match self {
            Self::WouldInvite => "would invite",
            Self::Invited { .. } => "invited",
            Self::Skipped(_) => "skipped",
            Self::Invalid(_) => "invalid",
            Self::Failed(_) => "failed",
            Self::NotDone(_) => "not done",
            Self::Unknown(_) => "unknown",
        }
    }

    fn details(&self) -> String {
        match self {
            Self::WouldInvite => String::new(),
            Self::Invited {
                invoice_ids,
                reconciled,
            } => {
                let mut parts = Vec::new();
                if *reconciled {
                    parts.push("confirmed from Brevo's state after a lost answer".to_owned());
                }
                if !invoice_ids.is_empty() {
                    parts.push(format!("invoice {}", invoice_ids.join(", ")));
                }
                parts.join("; ")
            }
            Self::Skipped(why)
            | Self::Invalid(why)
            | Self::Failed(why)
            | Self::NotDone(why)
            | Self::Unknown(why) => why.clone(),
        }
    }

    /// Whether the row still needs attention after this run.
    fn is_left_to_do(&self) -> bool {
        matches!(
            self,
            Self::Invalid(_) | Self::Failed(_) | Self::NotDone(_) | Self::Unknown(_)
        )
    }
}

pub async fn import(
    client: &Client,
    console: &mut Console<'_>,
    args: &ImportArgs,
) -> Result<(), Failure> {
    let json = args.output.json;
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", args.file.display())))?;
    let (mut rows, ignored) = import_plan::parse(&text)
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

    let (outcomes, stop) = if args.dry_run {
        console.note("dry run: nothing was sent");
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
        invite_rows(client, console, &rows, Duration::from_secs(args.max_wait)).await
    };
    finish(console, json, args.dry_run, &rows, &outcomes, stop)
}

/// The outcome of a row that is not sent: skipped and invalid rows keep
/// their reason, rows to invite get `otherwise`.
fn planned(row: &Row, otherwise: Outcome) -> Outcome {
    match &row.plan {
        Plan::Skip(why) => Outcome::Skipped(why.clone()),
        Plan::Invalid(why) => Outcome::Invalid(why.clone()),
        Plan::Invite { .. } => otherwise,
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

/// Why the run stopped early: the failure to report.
type Stop = Option<Failure>;

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
    if let Budget::TooLong {
        remaining,
        resets_in,
    } = check_budget(client, console, total, max_wait, "this import")
    {
        console.note(format!(
            "inviting the first {remaining} rows; the rest will be listed ({})",
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
            Err(error) => match wait_for(&error, max_wait, waits) {
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
            let outcome = match change.reconcile(client).await {
                Ok(Reconciliation::AlreadyDone) => {
                    return (
                        Outcome::Invited {
                            invoice_ids: Vec::new(),
                            reconciled: true,
                        },
                        None,
                    );
                }
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

fn finish(
    console: &mut Console<'_>,
    json: bool,
    dry_run: bool,
    rows: &[Row],
    outcomes: &[Outcome],
    stop: Stop,
) -> Result<(), Failure> {
    let left: Vec<&Row> = rows
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| o.is_left_to_do())
        .map(|(r, _)| r)
        .collect();
    let failure = stop.map(|stop| match stop {
        Failure::RateLimitStop(message) => Failure::RateLimitStop(format!(
            "{message}; {} row{} left to do (lines {}): re-run the same file then, rows already invited are skipped",
            left.len(),
            if left.len() == 1 { " is" } else { "s are" },
            lines(&left)
        )),
        other => other,
    });
    let failure = failure.or_else(|| {
        (!left.is_empty()).then(|| {
            Failure::Incomplete(format!(
                "{} row{} not invited (lines {}); fix {} and re-run the file: rows already invited are skipped",
                left.len(),
                if left.len() == 1 { " was" } else { "s were" },
                lines(&left),
                if left.len() == 1 { "it" } else { "them" }
            ))
        })
    });
    if json {
        let document = json_document(dry_run, rows, outcomes, failure.as_ref());
        write_json(console.out, &document)?;
        return match failure {
            Some(failure) => Err(Failure::Reported(exit_code(&failure))),
            None => Ok(()),
        };
    }
    if !dry_run {
        let mut table = Table::new(&["LINE", "EMAIL", "RESULT", "DETAILS"]);
        for (row, outcome) in rows.iter().zip(outcomes) {
            table.row(vec![
                row.line.to_string(),
                row.email.clone(),
                outcome.name().to_owned(),
                outcome.details(),
            ]);
        }
        table.write(console.out, console.out_style)?;
        let invited = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Invited { .. }))
            .count();
        console.note(format!("{invited} invited"));
    }
    match failure {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}

fn lines(rows: &[&Row]) -> String {
    rows.iter()
        .map(|r| r.line.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn json_document(
    dry_run: bool,
    rows: &[Row],
    outcomes: &[Outcome],
    failure: Option<&Failure>,
) -> Value {
    let items: Vec<Value> = rows
        .iter()
        .zip(outcomes)
        .map(|(row, outcome)| {
            let mut item = json!({
                "line": row.line,
                "email": row.email,
                "result": outcome.name().replace(' ', "_"),
                "details": outcome.details(),
            });
            if let (
                Outcome::Invited {
                    invoice_ids,
                    reconciled,
                },
                Some(object),
            ) = (outcome, item.as_object_mut())
            {
                object.insert("invoice_ids".into(), json!(invoice_ids));
                object.insert("reconciled".into(), json!(reconciled));
            }
            item
        })
        .collect();
    let count = |name: &str| outcomes.iter().filter(|o| o.name() == name).count();
    let mut document = json!({
        "dry_run": dry_run,
        "rows": items,
        "summary": {
            "invited": count("invited"),
            "would_invite": count("would invite"),
            "skipped": count("skipped"),
            "invalid": count("invalid"),
            "failed": count("failed"),
            "not_done": count("not done"),
            "unknown": count("unknown"),
        },
    });
    if let (Some(failure), Some(object)) = (failure, document.as_object_mut()) {
        object.insert("error".into(), failure.to_json()["error"].clone());
    }
    document
}
