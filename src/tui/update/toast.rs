//! Toasts: a message at the bottom of the screen that expires on a timer.

use super::super::action::{Effect, TimedAction};
use super::super::state::{AppState, Toast, ToastKind};

/// Shows a toast and asks for its expiry.
pub fn toast(state: &mut AppState, kind: ToastKind, text: String) -> Vec<Effect> {
    let id = state.fresh_id();
    state.toasts.push(Toast {
        id,
        kind,
        text,
        until_key: false,
    });
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

/// The answer to a change: shown until the next key press, never on a
/// timer (a late ✓ that vanished after five seconds would be lost).
pub fn answer(state: &mut AppState, kind: ToastKind, text: String) -> Vec<Effect> {
    let id = state.fresh_id();
    state.toasts.push(Toast {
        id,
        kind,
        text,
        until_key: true,
    });
    if state.toasts.len() > 8 {
        state.toasts.remove(0);
    }
    Vec::new()
}

/// A key was pressed: every message shown before it has been seen, and a
/// stale one must not stay under what the key opens.
pub fn dismiss_all(state: &mut AppState) {
    state.toasts.clear();
}
