//! The selected user's permissions: fetched only while their pane is on
//! screen, after the selection has rested (debounce), once per session.
//! Every answer that arrives is cached, even for a user no longer selected:
//! a request already paid for is never wasted (spec §7: 100 requests/hour).

use crate::brevo::{ApiError, UserPermissions};

use super::super::action::{Effect, TimedAction};
use super::super::state::permissions::{PermissionsView, line_count};
use super::super::state::{AppState, Cached, user_key};

/// The selection moved: arm the debounce timer if the new user needs a fetch.
pub fn selection_moved(state: &mut AppState) -> Vec<Effect> {
    state.view.generation += 1;
    state.view.permissions_scroll = 0;
    arm(state)
}

/// The pane may have appeared (focus change, resize): same rule as a move.
pub fn pane_shown(state: &mut AppState) -> Vec<Effect> {
    arm(state)
}

fn arm(state: &mut AppState) -> Vec<Effect> {
    if wanted(state, false).is_none() {
        return Vec::new();
    }
    vec![Effect::After {
        delay: state.settings.debounce,
        action: TimedAction::Rested {
            generation: state.view.generation,
        },
    }]
}

pub fn rested(state: &mut AppState, generation: u64) -> Vec<Effect> {
    if generation != state.view.generation {
        return Vec::new();
    }
    fetch_selected(state, false)
}

/// Fetches the selected user's permissions if they are needed. `explicit`
/// (Enter) also retries a failed fetch and ignores the low-quota rule.
pub fn fetch_selected(state: &mut AppState, explicit: bool) -> Vec<Effect> {
    let Some(email) = wanted(state, explicit) else {
        return Vec::new();
    };
    let request = state.fresh_id();
    state
        .permissions
        .in_flight
        .insert(user_key(&email), request);
    vec![Effect::FetchPermissions { email, request }]
}

/// Fetches one user's permissions whatever the pane shows (a form needs
/// them), unless a request for them is already out.
pub fn fetch_user(state: &mut AppState, email: &str) -> Vec<Effect> {
    let key = user_key(email);
    if state.permissions.in_flight.contains_key(&key) {
        return Vec::new();
    }
    let request = state.fresh_id();
    state.permissions.in_flight.insert(key, request);
    vec![Effect::FetchPermissions {
        email: email.to_owned(),
        request,
    }]
}

/// Whether the selected user's permissions are wanted and not there,
/// whatever the quota says.
pub fn fetch_needed(state: &AppState, explicit: bool) -> bool {
    needed(state, explicit).is_some()
}

/// The selected user's email when their permissions should be fetched now.
/// Never while Brevo's quota is used up: the request could only fail.
fn wanted(state: &AppState, explicit: bool) -> Option<String> {
    needed(state, explicit).filter(|_| state.quota_wait.is_none())
}

fn needed(state: &AppState, explicit: bool) -> Option<String> {
    let user = state.selected_user()?;
    if user.is_owner || !state.permissions_visible() {
        return None;
    }
    let key = user_key(&user.email);
    if state.permissions.in_flight.contains_key(&key) {
        return None;
    }
    let needed = match state.permissions.cache.get(&key) {
        Some(Cached::Loaded(_)) => false,
        Some(Cached::Failed(_)) => explicit,
        None => explicit || !state.quota_low(),
    };
    needed.then(|| user.email.clone())
}

pub fn loaded(
    state: &mut AppState,
    email: &str,
    request: u64,
    result: Result<UserPermissions, ApiError>,
) -> Vec<Effect> {
    let key = user_key(email);
    if state.permissions.in_flight.get(&key) == Some(&request) {
        state.permissions.in_flight.remove(&key);
    }
    if state.permissions.discarded.remove(&request) {
        // Sent before this user's permissions changed: out of date.
        return pane_shown(state);
    }
    let detail = match result {
        Ok(permissions) => Cached::Loaded(permissions),
        Err(error) => Cached::Failed(error),
    };
    state.permissions.cache.insert(key, detail);
    state.permissions.revision += 1;
    Vec::new()
}

/// Forgets one user's permissions (after a change to them).
pub fn invalidate(state: &mut AppState, email: &str) {
    let key = user_key(email);
    state.permissions.cache.remove(&key);
    state.permissions.revision += 1;
    if let Some(request) = state.permissions.in_flight.remove(&key) {
        state.permissions.discarded.insert(request);
    }
}

pub fn invalidate_all(state: &mut AppState) {
    state.permissions.cache.clear();
    state.permissions.revision += 1;
    let in_flight = std::mem::take(&mut state.permissions.in_flight);
    state.permissions.discarded.extend(in_flight.into_values());
}

pub fn scroll(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let max = match state.permissions_view() {
        PermissionsView::Loaded(permissions) => line_count(permissions),
        _ => 0,
    };
    state.view.permissions_scroll = state
        .view
        .permissions_scroll
        .saturating_add_signed(delta)
        .min(max.saturating_sub(1));
    Vec::new()
}
