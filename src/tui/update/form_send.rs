//! The two last steps of a form that both the form's keys (`forms`) and
//! the conflict check (`conflict`) take: sending its change, and closing it.

use crate::brevo::Change;

use super::super::action::Effect;
use super::super::state::{AppState, Waiter};

/// Sends the change as it is, with no re-read; the form waits for the
/// answer.
pub fn send_now(state: &mut AppState, change: Change) -> Vec<Effect> {
    let Some(form) = state.form_mut() else {
        return Vec::new();
    };
    form.notice = None;
    state.in_flight.sent(change.clone(), Waiter::Form);
    vec![Effect::Apply(change)]
}

/// Removes the form, wherever it waits.
pub fn close_form(state: &mut AppState) {
    state.modals.close_form();
    state.in_flight.form_closed();
}
