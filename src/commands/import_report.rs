//! What became of each row of an import, and the report of it: a result
//! table for people, or one JSON document `{dry_run, seats, rows, summary, error?}`
//! for scripts, with the lines left to do named either way.

use serde_json::{Value, json};

use super::failure::exit_code;
use super::import_plan::{Plan, Row};
use super::output::{Table, write_json};
use super::{Console, Failure};
use crate::brevo::seats::BatchNeed;

/// Why the run stopped early: the failure to report.
pub(super) type Stop = Option<Failure>;

/// What the report says besides the rows.
pub(super) struct Report<'a> {
    pub dry_run: bool,
    /// What the batch needs per vertical; `None` when the seats are unknown.
    pub seats: Option<&'a [BatchNeed]>,
}

/// What became of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
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

/// The outcome of a row that is not sent: skipped and invalid rows keep
/// their reason, rows to invite get `otherwise`.
pub(super) fn planned(row: &Row, otherwise: Outcome) -> Outcome {
    match &row.plan {
        Plan::Skip(why) => Outcome::Skipped(why.clone()),
        Plan::Invalid(why) => Outcome::Invalid(why.clone()),
        Plan::Invite { .. } => otherwise,
    }
}

pub(super) fn finish(
    console: &mut Console<'_>,
    json: bool,
    report: &Report<'_>,
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
            "{message}; {} row{} left to do ({}): re-run the same file then, rows already invited are skipped",
            left.len(),
            if left.len() == 1 { " is" } else { "s are" },
            lines(&left)
        )),
        Failure::Api(cause) => Failure::Explained {
            message: format!(
                "the import stopped with {} row{} left to do ({}); re-run the same file to finish: rows already invited are skipped",
                left.len(),
                if left.len() == 1 { "" } else { "s" },
                lines(&left)
            ),
            cause,
        },
        other => other,
    });
    let failure = failure.or_else(|| {
        (!left.is_empty()).then(|| {
            Failure::Incomplete(format!(
                "{} row{} not invited ({}); fix {} and re-run the file: rows already invited are skipped",
                left.len(),
                if left.len() == 1 { " was" } else { "s were" },
                lines(&left),
                if left.len() == 1 { "it" } else { "them" }
            ))
        })
    });
    if json {
        let document = json_document(report, rows, outcomes, failure.as_ref());
        write_json(console.out, &document)?;
        return match failure {
            Some(failure) => Err(Failure::Reported(exit_code(&failure))),
            None => Ok(()),
        };
    }
    if !report.dry_run {
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

/// "line 4", "lines 4 and 7", "lines 4, 7 and 9".
fn lines(rows: &[&Row]) -> String {
    let numbers: Vec<String> = rows.iter().map(|r| r.line.to_string()).collect();
    match numbers.as_slice() {
        [] => "no line".to_owned(),
        [one] => format!("line {one}"),
        [rest @ .., last] => format!("lines {} and {last}", rest.join(", ")),
    }
}

fn json_document(
    report: &Report<'_>,
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
    let seats = report.seats.map(|needs| {
        needs
            .iter()
            .map(|n| {
                json!({
                    "vertical": n.vertical.to_string(),
                    "needs": n.needs,
                    "free": n.free,
                    "extra": n.extra(),
                })
            })
            .collect::<Vec<_>>()
    });
    let mut document = json!({
        "dry_run": report.dry_run,
        "seats": seats,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_lists_read_as_words() {
        let row = |line| Row {
            line,
            email: String::new(),
            plan: Plan::Skip(String::new()),
        };
        let (four, seven, nine) = (row(4), row(7), row(9));
        assert_eq!(lines(&[&four]), "line 4");
        assert_eq!(lines(&[&four, &seven]), "lines 4 and 7");
        assert_eq!(lines(&[&four, &seven, &nine]), "lines 4, 7 and 9");
    }
}
