//! The account's seats: `GET /account` read once at start and again only
//! after a change Brevo billed or credited (each read is one request of
//! the quota, never spent per key press); the used seats counted again
//! from every list that arrives.

use crate::brevo::{Account, ApiError, ChangeOutcome};

use super::super::action::Effect;
use super::super::state::{AccountStatus, AppState, Waiter};

/// Asks for the account (the old figures stay meanwhile).
pub fn load(state: &mut AppState) -> Vec<Effect> {
    let request = state.fresh_id();
    state.account.latest_request = request;
    vec![Effect::LoadAccount { request }]
}

pub fn loaded(state: &mut AppState, request: u64, result: Result<Account, ApiError>) {
    if request != state.account.latest_request {
        return;
    }
    match result {
        Ok(account) => state.account.status = AccountStatus::Known(account),
        // A re-read that fails keeps the figures read before: the seats
        // bought may be one short, so at worst a warning too many.
        Err(error) => {
            tracing::debug!(%error, "the account could not be read: seats unknown");
            if !matches!(state.account.status, AccountStatus::Known(_)) {
                state.account.status = AccountStatus::Unknown;
            }
        }
    }
    recount(state);
}

/// The used seats from the list as it is now.
pub fn recount(state: &mut AppState) {
    let loaded = state.list.loaded_once();
    state.account.recount(&state.list.users, loaded);
}

/// A change was answered: an invoice or a credit note means the seats
/// bought changed, so the account is read again (the list reload that
/// follows every change recounts the used ones). A bulk run reads it once
/// at its end instead: requests its confirmation did not count.
pub fn after_change(
    state: &mut AppState,
    waiter: Option<Waiter>,
    outcome: &ChangeOutcome,
) -> Vec<Effect> {
    if !billed(outcome) {
        return Vec::new();
    }
    match (waiter, state.bulk.as_mut()) {
        (Some(Waiter::Bulk), Some(run)) => {
            run.seats_changed = true;
            Vec::new()
        }
        _ => load(state),
    }
}

/// Whether Brevo bought or refunded a seat with this change.
pub fn billed(outcome: &ChangeOutcome) -> bool {
    !(outcome.invoice_ids.is_empty() && outcome.credit_notes.is_empty())
}
