//! Messages at the bottom of the screen: a toast expires on a timer; the
//! answer to a change stays until the next key press.

use super::super::action::{Effect, TimedAction};
use super::super::state::{AppState, Toast, ToastKind};

/// Shows a toast and asks for its expiry.
pub fn toast(state: &mut AppState, kind: ToastKind, text: String) -> Vec<Effect> {
    let id = push(state, kind, text, false);
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
    push(state, kind, text, true);
    Vec::new()
}

fn push(state: &mut AppState, kind: ToastKind, text: String, until_key: bool) -> u64 {
    let id = state.fresh_id();
    let entry = super::super::state::journal::EntryKind::Message;
    let ok = kind != ToastKind::Error;
    state.journal.push(entry, text.clone(), ok, None);
    state.toasts.push(Toast {
        id,
        kind,
        text,
        until_key,
    });
    // Only the latest few matter; older ones would never be seen.
    if state.toasts.len() > 8 {
        state.toasts.remove(0);
    }
    id
}

/// A key was pressed: every message shown before it has been seen, and a
/// stale one must not stay under what the key opens.
pub fn dismiss_all(state: &mut AppState) {
    state.toasts.clear();
}
