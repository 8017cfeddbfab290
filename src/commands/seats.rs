//! Seats before a change (issue 12, spec §8.1.1 [INFERRED]): `invite`,
//! `update` and `import` say on stderr which seats the change takes or
//! frees, and a change that needs a seat beyond those bought goes only with
//! `--allow-billing` (or a yes at the terminal) — a consent of its own, so
//! that a script's `--yes` for other confirmations never buys seats.
//!
//! Reading the account costs one request (`GET /account`). When it fails
//! (a restricted key gets 401 or 403, a timeout, anything), the seats are
//! "unknown", said once, and the change goes on exactly as before: the
//! seat check never blocks a change on its own failure.

use crate::brevo::seats::{self, BatchNeed, SeatEffect, SeatUse};
use crate::brevo::{Account, Client, User};

use super::confirm::confirm_or;
use super::{Console, Failure};

/// `GET /account` (one request); `None`, said on stderr, when it fails.
pub(super) async fn read_account(client: &Client, console: &mut Console<'_>) -> Option<Account> {
    match client.account().await {
        Ok(account) => Some(account),
        Err(error) => {
            console.note(format!(
                "seats unknown: could not read the account ({error}); going on without the seat check"
            ));
            None
        }
    }
}

/// Seats per vertical of the account. The used counts are `/account`'s
/// `usedSeats`: Brevo's own count, which is what it bills against, whereas
/// counting the list is our [INFERRED] model of it; and `invite`/`update`
/// do not read the list at all, so this costs no request. Where `/account`
/// gives no used count, the list counts (when the caller has read it, as
/// `import` has); without either the vertical is left out: unknown.
pub(super) fn seat_uses(account: &Account, users: Option<&[User]>) -> Vec<SeatUse> {
    let counted = users.map(|users| seats::seat_use(account, users));
    account
        .plan_verticals
        .iter()
        .filter_map(|plan| {
            let used = plan.users.used.or_else(|| {
                counted
                    .as_ref()?
                    .iter()
                    .find(|u| u.vertical == plan.plan_category)
                    .map(|u| u.used)
            })?;
            Some(SeatUse {
                vertical: plan.plan_category.clone(),
                purchased: plan.users.purchased,
                used,
            })
        })
        .collect()
}

/// One change (`invite`, `update`): the seat sentences on stderr, then,
/// when it goes over the seats bought, the billing consent. `subject`
/// starts the sentences ("the invitation"), `what` completes "refusing
/// to …". With `dry_run` nothing is asked: the sentences are the answer.
pub(super) async fn check_change(
    client: &Client,
    console: &mut Console<'_>,
    effect: &SeatEffect,
    subject: &str,
    what: &str,
    allow_billing: bool,
    dry_run: bool,
) -> Result<(), Failure> {
    if effect.takes.is_empty() && effect.frees.is_empty() {
        return Ok(());
    }
    let Some(account) = read_account(client, console).await else {
        return Ok(());
    };
    let uses = seat_uses(&account, None);
    for sentence in effect.sentences(&uses) {
        console.note(format!("{subject} {sentence}"));
    }
    for plan in &account.plan_verticals {
        let vertical = &plan.plan_category;
        let touched = effect.takes.contains(vertical) || effect.frees.contains(vertical);
        if touched && !uses.iter().any(|u| u.vertical == *vertical) {
            console.note(format!(
                "{subject} touches the {vertical} seats; how many are used is unknown"
            ));
        }
    }
    let over = effect.over_purchased(&uses);
    if over.is_empty() || dry_run {
        return Ok(());
    }
    let names = verticals(over.iter().map(|u| u.vertical.to_string()));
    let counts = over
        .iter()
        .map(|u| match u.purchased {
            Some(bought) => format!("{}: {} of {bought} used", u.vertical, u.used),
            None => format!("{}: {} used", u.vertical, u.used),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let bill = if over.len() == 1 {
        "an extra seat".to_owned()
    } else {
        format!("{} extra seats", over.len())
    };
    consent(
        console,
        allow_billing,
        &format!("Brevo may bill {bill} ({counts}): {what} anyway?"),
        &format!("{what} beyond the {names} seats bought ({counts}): Brevo may bill {bill}"),
    )
}

/// `import`: per vertical, what the batch needs against the seats free.
pub(super) fn batch(account: &Account, users: &[User], effects: &[SeatEffect]) -> Vec<BatchNeed> {
    seats::batch_needs(effects, &seat_uses(account, Some(users)))
}

/// `import`: the batch's billing consent, asked once.
pub(super) fn consent_batch(
    console: &mut Console<'_>,
    allow_billing: bool,
    needs: &[BatchNeed],
) -> Result<(), Failure> {
    let over: Vec<&BatchNeed> = needs.iter().filter(|n| n.extra() > 0).collect();
    if over.is_empty() {
        return Ok(());
    }
    let names = verticals(over.iter().map(|n| n.vertical.to_string()));
    let detail = over
        .iter()
        .map(|n| n.sentence())
        .collect::<Vec<_>>()
        .join("; ");
    consent(
        console,
        allow_billing,
        &format!("{detail}: send the invitations anyway?"),
        &format!("send invitations beyond the {names} seats bought ({detail})"),
    )
}

/// Goes ahead with `--allow-billing`; asks on a terminal; refuses
/// otherwise. `--yes` plays no part: buying seats is a consent of its own.
pub(super) fn consent(
    console: &mut Console<'_>,
    allow_billing: bool,
    question: &str,
    refusal: &str,
) -> Result<(), Failure> {
    confirm_or(console, allow_billing, question, || {
        Failure::BillingConsentRequired(format!(
            "refusing to {refusal}; stdin is not a terminal: pass --allow-billing to agree (--yes does not cover billing); nothing was sent"
        ))
    })
}

/// "Marketing", "Marketing and CRM", "Marketing, Chat and CRM".
fn verticals(names: impl Iterator<Item = String>) -> String {
    let names: Vec<String> = names.collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
