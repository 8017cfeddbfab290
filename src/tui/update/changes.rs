//! Changes (resend, cancel, revoke): applicability, confirmation, sending,
//! and what follows an unclear failure. A change is never repeated on its
//! own: after an unclear failure Brevo is asked whether it took effect, and
//! only the user can decide to send it again.

use crate::brevo::sanitize::sanitize;
use crate::brevo::{ApiError, Change, ChangeOutcome, LostAnswer, Reconciliation, User};

use super::super::action::{Command, Effect};
use super::super::state::{AppState, Button, Confirm, Confirmed, Modal, RetryReason, ToastKind};
use super::{close_modal, details, explain_error as explain, forms, list, open_modal, toast};

/// `r`, `c` or `x` on the selected user.
pub fn requested(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(user) = state.selected_user() else {
        return toast(state, ToastKind::Error, "no user selected".to_owned());
    };
    let change = match applicable(user, command) {
        Ok(change) => change,
        Err(why) => return toast(state, ToastKind::Error, why),
    };
    if in_progress(state, change.email()) {
        let text = format!(
            "a change to {} is still in progress: wait for its result",
            sanitize(change.email())
        );
        return toast(state, ToastKind::Error, text);
    }
    match change {
        Change::ResendInvitation(_) => send(state, change),
        _ => {
            open_modal(
                state,
                Modal::Confirm(Confirm::new(Confirmed::Apply(change))),
            );
            Vec::new()
        }
    }
}

/// Whether a change to `email` has no answer yet.
pub fn in_progress(state: &AppState, email: &str) -> bool {
    state
        .changes_in_flight
        .iter()
        .chain(&state.reconciling)
        .any(|c| c.email().eq_ignore_ascii_case(email))
}

/// The change a command means for this user, or why it does not apply.
fn applicable(user: &User, command: Command) -> Result<Change, String> {
    let email = sanitize(&user.email);
    match command {
        Command::Resend if user.is_owner => Err("the owner has no invitation to resend".into()),
        Command::Resend if !user.is_pending() => Err(format!(
            "{email} is {}: only a pending invitation can be resent",
            sanitize(user.status.as_str())
        )),
        Command::Resend => Ok(Change::ResendInvitation(user.email.clone())),
        Command::CancelInvitation if user.is_owner => {
            Err("the owner has no invitation to cancel".into())
        }
        Command::CancelInvitation if !user.is_pending() => Err(format!(
            "{email} is {}: only a pending invitation can be cancelled (revoke access instead)",
            sanitize(user.status.as_str())
        )),
        Command::CancelInvitation => Ok(Change::CancelInvitation(user.email.clone())),
        Command::Revoke if user.is_owner => Err("the owner's access cannot be revoked".into()),
        Command::Revoke if user.is_pending() => Err(format!(
            "{email} has not accepted yet: cancel the invitation instead"
        )),
        Command::Revoke if !user.is_active() => Err(format!(
            "{email} is {}: only an active member's access can be revoked",
            sanitize(user.status.as_str())
        )),
        Command::Revoke => Ok(Change::Revoke(user.email.clone())),
        _ => Err("not a change".into()),
    }
}

fn send(state: &mut AppState, change: Change) -> Vec<Effect> {
    if state.context.read_only {
        return toast(
            state,
            ToastKind::Error,
            "read-only mode: nothing was sent".to_owned(),
        );
    }
    state.changes_in_flight.push(change.clone());
    vec![Effect::Apply(change)]
}

/// Keys while a confirmation dialog is open.
pub fn confirm_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(Modal::Confirm(confirm)) = &mut state.modal else {
        return Vec::new();
    };
    match command {
        Command::Yes => accept(state),
        Command::No => {
            close_modal(state);
            Vec::new()
        }
        Command::Activate if confirm.focus == Button::Yes => accept(state),
        Command::Activate => {
            close_modal(state);
            Vec::new()
        }
        Command::NextButton | Command::PrevButton => {
            confirm.focus = match confirm.focus {
                Button::Yes => Button::No,
                Button::No => Button::Yes,
            };
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn accept(state: &mut AppState) -> Vec<Effect> {
    let Some(Modal::Confirm(confirm)) = state.modal.take() else {
        return Vec::new();
    };
    close_modal(state);
    match confirm.what {
        Confirmed::Apply(change) | Confirmed::Retry(change, _) => send(state, change),
        Confirmed::Quit => {
            state.quit = true;
            vec![Effect::Quit]
        }
        // The form came back from the queue when the dialog closed.
        Confirmed::Escalation(change) => forms::send(state, change),
        Confirmed::Discard => {
            forms::close_form(state);
            Vec::new()
        }
    }
}

/// `q`/Ctrl-C: asks first while a change has no answer yet.
pub fn quit(state: &mut AppState) -> Vec<Effect> {
    let asking = matches!(
        &state.modal,
        Some(Modal::Confirm(Confirm {
            what: Confirmed::Quit,
            ..
        }))
    );
    let unanswered = !state.changes_in_flight.is_empty() || !state.reconciling.is_empty();
    let unsaved = state.form().is_some_and(|form| form.touched());
    if (unanswered || unsaved) && !asking {
        // Ahead of anything queued: the user is leaving.
        if let Some(open) = state.modal.take() {
            state.queued_modals.push_front(open);
        }
        state.modal = Some(Modal::Confirm(Confirm::new(Confirmed::Quit)));
        return Vec::new();
    }
    state.quit = true;
    vec![Effect::Quit]
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
            state.reconciling.push(change.clone());
            let text =
                format!("No clear answer ({error}); checking whether the change took effect…");
            let mut effects = toast(state, ToastKind::Info, text);
            effects.push(Effect::Reconcile(change, LostAnswer::from(&error)));
            effects
        }
        Err(error) => {
            let text = format!("Could not {change}: {}", explain(&error));
            toast(state, ToastKind::Error, text)
        }
    }
}

pub fn reconciled(
    state: &mut AppState,
    change: Change,
    result: Result<Reconciliation, ApiError>,
) -> Vec<Effect> {
    if let Some(i) = state.reconciling.iter().position(|c| *c == change) {
        state.reconciling.remove(i);
    }
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
            return toast(state, ToastKind::Error, text);
        }
    };
    let retry = Confirm::new(Confirmed::Retry(change, reason));
    open_modal(state, Modal::Confirm(retry));
    Vec::new()
}

/// A change is in effect: its user's permissions are out of date and the
/// list is read again once (the selection stays on the same user).
pub(super) fn succeeded(state: &mut AppState, change: &Change, text: String) -> Vec<Effect> {
    details::invalidate(state, change.email());
    let mut effects = toast(state, ToastKind::Success, text);
    effects.extend(list::reload(state));
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
