//! Toasts: a message at the bottom of the screen that expires on a timer.

use super::super::action::{Effect, TimedAction};
use super::super::state::{AppState, Toast, ToastKind};

/// Shows a toast and asks for its expiry.
pub fn toast(state: &mut AppState, kind: ToastKind, text: String) -> Vec<Effect> {
    let id = state.fresh_id();
    state.toasts.push(Toast { id, kind, text });
    // Only the latest few matter; older ones would never be seen.
    if state.toasts.len() > 8 {
        state.toasts.remove(0);
    }
    let delay = match kind {
        ToastKind::Error => state.settings.error_toast_for,
        _ => state.settings.toast_for,
    };
    vec![Effect::After {
        delay,
        action: TimedAction::ToastExpired(id),
    }]
}
