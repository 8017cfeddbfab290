//! Carrying out an offboarding plan: one change per account, all at once;
//! an unclear failure is reconciled (looked up), never sent again.

use crate::brevo::{ChangeOutcome, Client, Reconciliation};

use super::error::{AccountError, lost_task};
use super::fan_out::fan_out;
use super::offboard::{Action, Plan, Step};
use super::profiles::Target;

/// What came of one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The change took effect. `reconciled`: its answer was lost and
    /// Brevo's state showed it done. `billing` holds any credit note.
    Done {
        billing: ChangeOutcome,
        reconciled: bool,
    },
    /// The person was not (or no longer) a user of the account.
    AlreadyGone,
    Refused(String),
    Skipped(String),
    Failed(String),
}

impl Outcome {
    /// "done", "already gone", "refused: …", "skipped: …", "failed: …".
    pub fn describe(&self) -> String {
        match self {
            Self::Done {
                reconciled: true, ..
            } => "done (its answer was lost; Brevo's state shows it took effect)".to_owned(),
            Self::Done { .. } => "done".to_owned(),
            Self::AlreadyGone => "already gone".to_owned(),
            Self::Refused(why) => format!("refused: {why}"),
            Self::Skipped(why) => format!("skipped: {why}"),
            Self::Failed(why) => format!("failed: {why}"),
        }
    }

    /// A stable word for scripts.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Done { .. } => "done",
            Self::AlreadyGone => "already_gone",
            Self::Refused(_) => "refused",
            Self::Skipped(_) => "skipped",
            Self::Failed(_) => "failed",
        }
    }

    /// Whether the person is gone from this account.
    pub fn is_gone(&self) -> bool {
        matches!(self, Self::Done { .. } | Self::AlreadyGone)
    }

    /// Credit notes Brevo returned (a seat refunded).
    pub fn credit_notes(&self) -> &[String] {
        match self {
            Self::Done { billing, .. } => &billing.credit_notes,
            _ => &[],
        }
    }
}

/// One account's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountOutcome {
    pub profile: String,
    pub account: Option<String>,
    pub action: Action,
    pub outcome: Outcome,
}

/// Whether the person is gone from every account (and every account was
/// reached): the only success of an offboarding.
pub fn all_gone(outcomes: &[AccountOutcome]) -> bool {
    outcomes.iter().all(|o| o.outcome.is_gone())
}

/// Sends every change of `plan`, [`PARALLEL`](super::fan_out::PARALLEL) at a time; accounts
/// without a change get their outcome at once. `on_each` sees each outcome
/// as it comes; all are returned in the plan's order. `targets` are the
/// ones the plan was made from, in the same order.
pub async fn execute(
    targets: &[Target],
    plan: &Plan,
    on_each: impl FnMut(&AccountOutcome),
) -> Vec<AccountOutcome> {
    let jobs: Vec<(Step, Option<Client>)> = plan
        .steps
        .iter()
        .map(|step| {
            let client = targets
                .iter()
                .find(|t| t.profile == step.profile)
                .and_then(|t| t.client.as_ref().ok().cloned());
            (step.clone(), client)
        })
        .collect();
    let email = plan.email.clone();
    let lost = |index: usize| AccountOutcome {
        profile: plan.steps[index].profile.clone(),
        account: plan.steps[index].account.clone(),
        action: plan.steps[index].action.clone(),
        outcome: Outcome::Failed(lost_task().message),
    };
    fan_out(
        jobs,
        |(step, client)| {
            let email = email.clone();
            async move {
                let outcome = carry_out(&step.action, client.as_ref(), &email).await;
                AccountOutcome {
                    profile: step.profile,
                    account: step.account,
                    action: step.action,
                    outcome,
                }
            }
        },
        lost,
        on_each,
    )
    .await
}

async fn carry_out(action: &Action, client: Option<&Client>, email: &str) -> Outcome {
    let (change, client) = match (action, client) {
        (Action::AlreadyGone, _) => return Outcome::AlreadyGone,
        (Action::Refused(why), _) => return Outcome::Refused(short_refusal(why)),
        (Action::Skipped(why), _) => return Outcome::Skipped(why.to_string()),
        (Action::NotReached(error), _) => return Outcome::Failed(not_reached(error)),
        (Action::Revoke | Action::Cancel, None) => {
            return Outcome::Failed("no client for this account".to_owned());
        }
        (Action::Revoke | Action::Cancel, Some(client)) => match action.change(email) {
            Some(change) => (change, client),
            None => return Outcome::AlreadyGone,
        },
    };
    let error = match change.apply(client).await {
        Ok(billing) => {
            return Outcome::Done {
                billing,
                reconciled: false,
            };
        }
        Err(error) => error,
    };
    if !error.is_unclear() {
        // Brevo refuses a change about an unknown email with a 400 or 403
        // (no 404, spec §3): one look at the list tells "already gone".
        return match client.list_users().await {
            Ok(users) if !users.iter().any(|u| u.has_email(email)) => Outcome::AlreadyGone,
            _ => Outcome::Failed(error.to_string()),
        };
    }
    match change.reconcile(client, &error).await {
        Ok(Reconciliation::AlreadyDone) => Outcome::Done {
            billing: ChangeOutcome::default(),
            reconciled: true,
        },
        // Never sent again here: the sentence says what to do, and a
        // re-run of offboard looks first.
        Ok(found) => Outcome::Failed(format!(
            "no clear answer ({error}); {}",
            found.sentence(&change)
        )),
        Err(check) => Outcome::Failed(format!(
            "no clear answer ({error}) and the check failed ({check}); run offboard again: it looks before it sends"
        )),
    }
}

fn short_refusal(refusal: &crate::brevo::RemovalRefusal) -> String {
    match refusal {
        crate::brevo::RemovalRefusal::Owner { .. } => "owner".to_owned(),
        other => other.to_string(),
    }
}

fn not_reached(error: &AccountError) -> String {
    format!("not reached: {error}")
}
