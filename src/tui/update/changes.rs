//! The list's changes (resend, cancel, revoke): applicability, sending,
//! and what follows an unclear failure (the dialogs are `confirm.rs`'s). A change is never repeated on its
//! own: after an unclear failure Brevo is asked whether it took effect, and
//! only the user can decide to send it again.

use crate::brevo::applicability::applies_to;
use crate::brevo::sanitize::sanitize;
use crate::brevo::{ApiError, Change, ChangeKind, ChangeOutcome, LostAnswer, Reconciliation, User};

use super::super::action::{Command, Effect, TimedAction};
use super::super::messages::explain_error as explain;
use super::super::state::{
    AppState, Confirm, Confirmed, Modal, RetryReason, ToastKind, Waiter, user_key,
};
use super::toast::{answer, toast};
use super::{list, permissions};

/// `r`, `c` or `x` on the selected user.
pub fn requested(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(user) = state.selected_user() else {
        return toast(state, ToastKind::Error, "no user selected".to_owned());
    };
    let change = match applicable(user, command) {
        Ok(change) => change,
        Err(why) => return toast(state, ToastKind::Error, why),
    };
    if state.in_flight.involves(change.email()) {
        let text = format!(
            "a change to {} is still in progress: wait for its result",
            sanitize(change.email())
        );
        return toast(state, ToastKind::Error, text);
    }
    let resent_lately = state.recent_resends.contains_key(&user_key(change.email()));
    match change {
        Change::ResendInvitation(_) if !resent_lately => send(state, change),
        _ => {
            let confirm = Modal::Confirm(Confirm::new(Confirmed::Apply(change)));
            state.modals.open_over(confirm);
            Vec::new()
        }
    }
}

/// The change a command means for this user, or why it does not apply
/// (the core's rule, so the dashboard and the commands agree).
fn applicable(user: &User, command: Command) -> Result<Change, String> {
    let (kind, change): (ChangeKind, fn(String) -> Change) = match command {
        Command::Resend => (ChangeKind::Resend, Change::ResendInvitation),
        Command::CancelInvitation => (ChangeKind::Cancel, Change::CancelInvitation),
        Command::Revoke => (ChangeKind::Revoke, Change::Revoke),
        _ => return Err("not a change".into()),
    };
    applies_to(kind, user).map_err(|why| why.to_string())?;
    Ok(change(user.email.clone()))
}

pub(super) fn send(state: &mut AppState, change: Change) -> Vec<Effect> {
    if state.context.read_only {
        return toast(
            state,
            ToastKind::Error,
            "read-only mode: nothing was sent".to_owned(),
        );
    }
    let mut effects = Vec::new();
    if let Change::ResendInvitation(email) = &change {
        // Counted from the moment it goes out: a held key asks at once.
        let id = state.fresh_id();
        state.recent_resends.insert(user_key(email), id);
        effects.push(Effect::After {
            delay: state.settings.resend_cooldown,
            action: TimedAction::ResendCooled(id),
        });
    }
    state.in_flight.sent(change.clone(), Waiter::List);
    effects.push(Effect::Apply(change));
    effects
}

pub fn applied(
    state: &mut AppState,
    change: Change,
    result: Result<ChangeOutcome, ApiError>,
) -> Vec<Effect> {
    match result {
        Ok(outcome) => {
            let mut text = done_message(&change);
            if let Some(note) = outcome.billing_note() {
                text = format!("{text}; {}", sanitize(&note));
            }
            succeeded(state, &change, text)
        }
        Err(error) if error.is_unclear() => {
            state
                .in_flight
                .checking(change.clone(), Some(error.to_string()), Waiter::List);
            let text =
                format!("No clear answer ({error}); checking whether the change took effect…");
            let mut effects = answer(state, ToastKind::Info, text);
            effects.push(Effect::Reconcile(change, LostAnswer::from(&error)));
            effects
        }
        Err(error) => {
            // Refused outright: no email went out, so trying again at once
            // asks nothing.
            if let Change::ResendInvitation(email) = &change {
                state.recent_resends.remove(&user_key(email));
            }
            let text = format!("Could not {change}: {}", explain(&error));
            answer(state, ToastKind::Error, text)
        }
    }
}

pub fn reconciled(
    state: &mut AppState,
    change: Change,
    result: Result<Reconciliation, ApiError>,
) -> Vec<Effect> {
    let reason = match result {
        Ok(Reconciliation::AlreadyDone) => {
            let text = format!("Already done: {}", done_message(&change));
            return succeeded(state, &change, text);
        }
        Ok(Reconciliation::NotDone) => RetryReason::NotDone,
        Ok(Reconciliation::CannotTell) => RetryReason::CannotTell,
        // Not offered again: sending now could do it twice.
        Ok(Reconciliation::NotVisibleYet) => {
            let text = format!("{}.", Reconciliation::NotVisibleYet.sentence(&change));
            return toast(state, ToastKind::Info, text);
        }
        Err(error) => {
            let text = format!(
                "Could not check whether the request to {change} took effect: {}. Press R to see the list as it is",
                explain(&error)
            );
            return answer(state, ToastKind::Error, text);
        }
    };
    let retry = Confirm::new(Confirmed::Retry(change, reason));
    state.modals.open_after(Modal::Confirm(retry));
    Vec::new()
}

/// A change is in effect: its user's permissions are out of date and the
/// list is read again once (the selection stays on the same user).
pub(super) fn succeeded(state: &mut AppState, change: &Change, text: String) -> Vec<Effect> {
    let mut effects = answer(state, ToastKind::Success, text);
    // A resend changes nothing in the list: reading it again would only
    // spend quota.
    if !matches!(change, Change::ResendInvitation(_)) {
        permissions::invalidate(state, change.email());
        effects.extend(list::reload(state));
    }
    effects
}

pub(super) fn done_message(change: &Change) -> String {
    let email = sanitize(change.email());
    match change {
        Change::Invite(_) => format!("{email} invited"),
        Change::UpdatePermissions(_) => format!("Permissions of {email} changed"),
        Change::ResendInvitation(_) => format!("Invitation resent to {email}"),
        Change::CancelInvitation(_) => format!("Invitation of {email} cancelled"),
        Change::Revoke(_) => format!("Access of {email} revoked"),
    }
}
