//! `apply FILE|PLAN.json` (issue 13): plan first (or load the saved plan
//! and apply exactly it), print it, ask once, then change users in a safe
//! order through the core's `Change` values. Right before changing a user
//! it reads that user again and skips them when they changed since the
//! plan. Brevo has no conditional update: a change landing between that
//! read and the write is not seen. An unclear failure is reconciled, never
//! resent; a rate limit is waited out within `--max-wait` or the run stops
//! and lists what is left.

use std::time::Duration;

use crate::access::{Action, Plan, Step};
use crate::brevo::sanitize::sanitize;
use crate::brevo::stored_differences;
use crate::brevo::{ApiError, Change, Client, Grants, Preset, Reconciliation, User};
use crate::cli::ApplyAccessArgs;

use super::access::{parse_file, plan_file, read_text};
use super::access_print::print_plan;
use super::access_read::{Refresh, forget};
use super::access_report::{Outcome, finish};
use super::confirm::confirm;
use super::rate_wait::{Budget, check_budget, pause, reset_phrase, wait_for, wait_for_change};
use super::{Console, Failure};

pub async fn apply(
    client: &Client,
    console: &mut Console<'_>,
    args: &ApplyAccessArgs,
    presets: &[Preset],
) -> Result<(), Failure> {
    let json = args.json;
    let text = read_text(&args.file)?;
    let saved = Plan::looks_like_plan(&text);
    let plan = if saved {
        let plan = Plan::from_json(&text)
            .map_err(|e| Failure::Usage(format!("{}: {e}", args.file.display())))?;
        check_saved_account(client, console, &plan, args.options.no_account_check).await?;
        if args.options.prune != plan.prune || args.options.removals_first != plan.removals_first {
            console.note(
                "a saved plan is applied as it was made: its --prune and --removals-first stand",
            );
        }
        plan
    } else {
        let file = parse_file(&args.file, &text, presets)?;
        plan_file(
            client,
            console,
            &file,
            &args.options,
            // Every decision from a fresh read: a cached answer could
            // hide a change that is needed.
            Refresh::All,
            presets,
        )
        .await?
        .0
    };
    if !json {
        print_plan(console, &plan)?;
    }
    let not_checked = plan.not_checked().len();
    if not_checked > 0 {
        console.warn(format!(
            "{not_checked} user(s) of the plan were not checked against Brevo and are left alone"
        ));
    }
    let order: Vec<&Step> = plan.apply_order();
    if order.is_empty() {
        console.note("nothing to change: nothing was sent");
        return finish(console, json, &plan, &[]);
    }
    if client.is_read_only() {
        return Err(super::apply::read_only_failure(&format!(
            "apply {} change{}",
            order.len(),
            if order.len() == 1 { "" } else { "s" }
        )));
    }
    let max_wait = Duration::from_secs(args.options.read.max_wait);
    console.note(format!(
        "applying costs about {} requests (a re-read and the change per user, a read-back per update)",
        plan.apply_cost()
    ));
    if let Budget::TooLong { resets_in, .. } = check_budget(
        client,
        console,
        plan.apply_cost(),
        max_wait,
        "applying the plan",
    ) {
        return Err(Failure::RateLimitStop(format!(
            "not starting: {}; nothing was sent (allow a wait with --max-wait)",
            reset_phrase(resets_in)
        )));
    }
    let escalations = plan.escalations().len();
    let question = format!(
        "Apply {} change{} to {}{}?",
        order.len(),
        if order.len() == 1 { "" } else { "s" },
        plan.account
            .as_deref()
            .map_or_else(|| "the account".into(), |a| sanitize(a).into_owned()),
        if escalations > 0 {
            format!(", {escalations} of them granting User management or all features")
        } else {
            String::new()
        }
    );
    confirm(console, args.yes, &question, "apply the plan")?;
    billing_consent(console, &plan, args.allow_billing)?;
    let outcomes = run(client, console, &order, max_wait).await;
    if !args.options.read.no_cache {
        let touched: Vec<&str> = outcomes.iter().map(|(email, _)| email.as_str()).collect();
        forget(client, console, plan.account.as_deref(), &touched);
    }
    finish(console, json, &plan, &outcomes)
}

/// A saved plan is for one account: the key's must be it.
async fn check_saved_account(
    client: &Client,
    console: &mut Console<'_>,
    plan: &Plan,
    no_account_check: bool,
) -> Result<(), Failure> {
    let Some(planned) = &plan.account else {
        return Ok(());
    };
    match client.account().await {
        Ok(account) if account.email.eq_ignore_ascii_case(planned) => Ok(()),
        Ok(account) => Err(Failure::Usage(format!(
            "the plan is for account {} but the key is for {}: refusing to apply",
            sanitize(planned),
            sanitize(&account.email)
        ))),
        Err(error) if no_account_check => {
            console.warn(format!(
                "could not confirm the account ({error}); going on because of --no-account-check"
            ));
            Ok(())
        }
        Err(error) => Err(Failure::Usage(format!(
            "could not confirm that the key is for account {} ({error}): pass --no-account-check to apply anyway",
            sanitize(planned)
        ))),
    }
}

/// The invites may buy seats: `--allow-billing`, as for `invite`.
fn billing_consent(console: &mut Console<'_>, plan: &Plan, allow: bool) -> Result<(), Failure> {
    let over: Vec<(String, u32)> = plan
        .seats
        .iter()
        .filter_map(|seat| {
            let billed = if plan.removals_first {
                seat.billed_removals_first
            } else {
                seat.billed_invites_first
            };
            billed
                .filter(|n| *n > 0)
                .map(|n| (sanitize(&seat.vertical).into_owned(), n))
        })
        .collect();
    if over.is_empty() {
        return Ok(());
    }
    let detail = over
        .iter()
        .map(|(vertical, n)| {
            format!(
                "{n} extra {vertical} seat{}",
                if *n == 1 { "" } else { "s" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    super::seats::consent(
        console,
        allow,
        &format!("Brevo may bill {detail}: apply anyway?"),
        &format!("apply the plan beyond the seats bought (Brevo may bill {detail})"),
    )
}

/// One read of a user right before the change: the list entry and, for an
/// update, the permissions.
struct Reread {
    user: Option<User>,
    grants: Option<Grants>,
}

async fn reread(client: &Client, step: &Step) -> Result<Reread, ApiError> {
    if let Action::Update { .. } = step.action {
        let read = client.user_permissions(&step.email).await?;
        let user = User {
            email: read.email.clone(),
            is_owner: false,
            status: read.status.clone(),
            feature_access: Default::default(),
            id: None,
            locale: None,
        };
        return Ok(Reread {
            user: Some(user),
            grants: Some(read.grants),
        });
    }
    let users = client.list_users().await?;
    Ok(Reread {
        user: users.into_iter().find(|u| u.has_email(&step.email)),
        grants: None,
    })
}

/// Runs `call` and waits out short rate limits (`change`: one wait only).
async fn with_waits<T, F, Fut>(
    console: &mut Console<'_>,
    max_wait: Duration,
    change: bool,
    mut call: F,
) -> Result<T, ApiError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    let mut waits = 0;
    loop {
        match call().await {
            Ok(value) => return Ok(value),
            Err(error) => {
                let wait = if change {
                    wait_for_change(&error, max_wait, waits)
                } else {
                    wait_for(&error, max_wait, waits)
                };
                match wait {
                    Some(wait) => {
                        console.end_progress();
                        pause(console, wait).await;
                        waits += 1;
                    }
                    None => return Err(error),
                }
            }
        }
    }
}

async fn run(
    client: &Client,
    console: &mut Console<'_>,
    order: &[&Step],
    max_wait: Duration,
) -> Vec<(String, Outcome)> {
    let mut outcomes = Vec::with_capacity(order.len());
    let mut stop: Option<String> = None;
    let total = order.len();
    for (index, step) in order.iter().enumerate() {
        if let Some(why) = &stop {
            outcomes.push((step.email.clone(), Outcome::NotAttempted(why.clone())));
            continue;
        }
        let Some(change) = step.change() else {
            continue;
        };
        console.progress(&format!("[{}/{total}] {change}", index + 1));
        let (outcome, stopped) = apply_step(client, console, step, &change, max_wait).await;
        console.end_progress();
        match &outcome {
            Outcome::Done(_) => console.note(format!("done: {change}")),
            other => console.warn(format!("{change}: {}: {}", other.word(), other.message())),
        }
        outcomes.push((step.email.clone(), outcome));
        stop = stopped;
    }
    outcomes
}

/// One user: re-read, compare, change, reconcile or read back.
async fn apply_step(
    client: &Client,
    console: &mut Console<'_>,
    step: &Step,
    change: &Change,
    max_wait: Duration,
) -> (Outcome, Option<String>) {
    let now = match with_waits(console, max_wait, false, || reread(client, step)).await {
        Ok(now) => now,
        Err(error) => return stop_or_fail(error, "could not read the user again"),
    };
    if step.changed_since(now.user.as_ref(), now.grants.as_ref()) {
        return (
            Outcome::ChangedSincePlan(
                "the user differs from what the plan was made from: plan again".to_owned(),
            ),
            None,
        );
    }
    let error = match with_waits(console, max_wait, true, || change.apply(client)).await {
        Ok(_) => return (read_back(client, console, change, max_wait).await, None),
        Err(error) if error.is_unclear() => error,
        Err(error) => {
            // [UNCONFIRMED] spec §4.6: Brevo may refuse to update a pending
            // invitation; the way round is to withdraw it and invite again.
            let what = match step.action {
                Action::Update { pending: true, .. } => {
                    "Brevo refused to update the pending invitation (cancel it and invite again with the new permissions)"
                }
                _ => "Brevo refused",
            };
            return stop_or_fail(error, what);
        }
    };
    console.end_progress();
    console.warn(format!(
        "no clear answer from Brevo ({error}); checking whether it took effect"
    ));
    let outcome = match change.reconcile(client, &error).await {
        Ok(Reconciliation::AlreadyDone) => Outcome::Done(true),
        Ok(found) => Outcome::Failed(format!("{error}; {}", found.sentence(change))),
        Err(check) => Outcome::Failed(format!(
            "{error}; could not check whether it took effect ({check}): look before applying again"
        )),
    };
    (outcome, None)
}

/// After an update: what Brevo stored is what was sent.
async fn read_back(
    client: &Client,
    console: &mut Console<'_>,
    change: &Change,
    max_wait: Duration,
) -> Outcome {
    let Change::UpdatePermissions(request) = change else {
        return Outcome::Done(false);
    };
    match with_waits(console, max_wait, false, || {
        client.user_permissions(&request.email)
    })
    .await
    {
        Ok(stored) if stored_differences(request, &stored).is_empty() => Outcome::Done(false),
        Ok(_) => Outcome::Failed(
            "Brevo accepted the update but stored other permissions: look with `brevo-users show`"
                .to_owned(),
        ),
        Err(error) => Outcome::Failed(format!(
            "sent, but the permissions could not be read back ({error})"
        )),
    }
}

/// A failure about this user, or one that stops the run (rate limit,
/// authentication, network): then the rest is listed as not attempted.
fn stop_or_fail(error: ApiError, what: &str) -> (Outcome, Option<String>) {
    let stops = match &error {
        ApiError::RateLimited { reset_after, .. } => Some(format!(
            "Brevo's rate limit is reached and {}",
            reset_phrase(*reset_after)
        )),
        ApiError::Unauthorized { .. }
        | ApiError::Connect { .. }
        | ApiError::Network { .. }
        | ApiError::Timeout { .. } => Some(error.to_string()),
        _ => None,
    };
    match stops {
        Some(why) => (Outcome::NotAttempted(why.clone()), Some(why)),
        None => (Outcome::Failed(format!("{what}: {error}")), None),
    }
}
