//! What `apply` says it did: one outcome per user, in words on stderr or
//! as one JSON document listing every user of the plan; exit 0 when all
//! was done, 1 when anything was skipped or failed.

use serde_json::{Value, json};

use crate::access::{Plan, Step};
use crate::brevo::sanitize::sanitize;

use super::Failure;
use super::console::Console;
use super::output::write_json;

/// What came of one user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Done; `true` when Brevo's answer was lost and its state showed it.
    Done(bool),
    /// Nothing to do (unchanged, not managed, not checked).
    Nothing,
    /// Not changed: differs from what the plan was made from.
    ChangedSincePlan(String),
    Failed(String),
    /// The run stopped before this user.
    NotAttempted(String),
}

impl Outcome {
    pub(super) fn word(&self) -> &'static str {
        match self {
            Self::Done(_) => "done",
            Self::Nothing => "nothing to do",
            Self::ChangedSincePlan(_) => "changed since the plan",
            Self::Failed(_) => "failed",
            Self::NotAttempted(_) => "not attempted",
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Self::Done(_) => "done",
            Self::Nothing => "nothing",
            Self::ChangedSincePlan(_) => "changed_since_plan",
            Self::Failed(_) => "failed",
            Self::NotAttempted(_) => "not_attempted",
        }
    }

    pub(super) fn message(&self) -> String {
        match self {
            Self::Done(true) => "Brevo's answer was lost; its state shows the change".to_owned(),
            Self::Done(false) | Self::Nothing => String::new(),
            Self::ChangedSincePlan(m) | Self::Failed(m) | Self::NotAttempted(m) => m.clone(),
        }
    }
}

pub(super) fn finish(
    console: &mut Console<'_>,
    json: bool,
    plan: &Plan,
    outcomes: &[(String, Outcome)],
) -> Result<(), Failure> {
    let outcome_of = |step: &Step| {
        outcomes
            .iter()
            .find(|(email, _)| email == &step.email)
            .map_or(Outcome::Nothing, |(_, o)| o.clone())
    };
    let left: Vec<(String, Outcome)> = outcomes
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Done(_)))
        .cloned()
        .collect();
    if json {
        let users: Vec<Value> = plan
            .steps
            .iter()
            .map(|step| {
                let outcome = outcome_of(step);
                json!({
                    "email": step.email,
                    "action": step.action.word(),
                    "outcome": outcome.key(),
                    "reconciled": outcome == Outcome::Done(true),
                    "message": outcome.message(),
                })
            })
            .collect();
        let count = |key: &str| outcomes.iter().filter(|(_, o)| o.key() == key).count();
        let report = json!({
            "account": plan.account,
            "done": count("done"),
            "changed_since_plan": count("changed_since_plan"),
            "failed": count("failed"),
            "not_attempted": count("not_attempted"),
            "users": users,
        });
        write_json(console.out, &report)?;
        return if left.is_empty() {
            Ok(())
        } else {
            Err(Failure::Reported(1))
        };
    }
    if left.is_empty() {
        if !outcomes.is_empty() {
            console.note(format!("all {} changes done", outcomes.len()));
        }
        return Ok(());
    }
    let list = left
        .iter()
        .map(|(email, o)| format!("{} ({})", sanitize(email), o.word()))
        .collect::<Vec<_>>()
        .join(", ");
    Err(Failure::Incomplete(format!(
        "{} of {} changes were not done: {list}; run apply again to finish (it repeats nothing done)",
        left.len(),
        outcomes.len()
    )))
}
