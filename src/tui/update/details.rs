//! The selected user's permissions: fetched only while their pane is on
//! screen, after the selection has rested (debounce), once per session.
//! Every answer that arrives is cached, even for a user no longer selected:
//! a request already paid for is never wasted (spec §7: 100 requests/hour).

use crate::brevo::{ApiError, UserPermissions};

use super::super::action::{Effect, TimedAction};
use super::super::state::{AppState, Detail, user_key};
use super::next_id;

/// What the permissions pane shows for the selected user.
#[derive(Debug)]
pub enum DetailView<'a> {
    NoSelection,
    /// The owner has every feature; no request is needed to say so.
    Owner,
    Loaded(&'a UserPermissions),
    Failed(&'a ApiError),
    Loading,
    /// Waiting for the selection to rest.
    Waiting,
    /// Quota low: loads only when asked with Enter.
    OnEnter,
}

pub fn detail_view(state: &AppState) -> DetailView<'_> {
    let Some(user) = state.selected_user() else {
        return DetailView::NoSelection;
    };
    if user.is_owner {
        return DetailView::Owner;
    }
    let key = user_key(&user.email);
    if state.details.in_flight.contains_key(&key) {
        return DetailView::Loading;
    }
    match state.details.cache.get(&key) {
        Some(Detail::Loaded(permissions)) => DetailView::Loaded(permissions),
        Some(Detail::Failed(error)) => DetailView::Failed(error),
        None if state.quota_low() => DetailView::OnEnter,
        None => DetailView::Waiting,
    }
}

/// The selection moved: arm the debounce timer if the new user needs a fetch.
pub fn selection_moved(state: &mut AppState) -> Vec<Effect> {
    state.view.generation += 1;
    state.view.detail_scroll = 0;
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
    let request = next_id(state);
    state.details.in_flight.insert(user_key(&email), request);
    vec![Effect::FetchPermissions { email, request }]
}

/// Fetches one user's permissions whatever the pane shows (a form needs
/// them), unless a request for them is already out.
pub fn fetch_user(state: &mut AppState, email: &str) -> Vec<Effect> {
    let key = user_key(email);
    if state.details.in_flight.contains_key(&key) {
        return Vec::new();
    }
    let request = next_id(state);
    state.details.in_flight.insert(key, request);
    vec![Effect::FetchPermissions {
        email: email.to_owned(),
        request,
    }]
}

/// The selected user's email when their permissions should be fetched now.
fn wanted(state: &AppState, explicit: bool) -> Option<String> {
    let user = state.selected_user()?;
    if user.is_owner || !state.permissions_visible() {
        return None;
    }
    let key = user_key(&user.email);
    if state.details.in_flight.contains_key(&key) {
        return None;
    }
    let needed = match state.details.cache.get(&key) {
        Some(Detail::Loaded(_)) => false,
        Some(Detail::Failed(_)) => explicit,
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
    if state.details.in_flight.get(&key) == Some(&request) {
        state.details.in_flight.remove(&key);
    }
    if state.details.discarded.remove(&request) {
        // Sent before this user's permissions changed: out of date.
        return pane_shown(state);
    }
    let detail = match result {
        Ok(permissions) => Detail::Loaded(permissions),
        Err(error) => Detail::Failed(error),
    };
    state.details.cache.insert(key, detail);
    Vec::new()
}

/// Forgets one user's permissions (after a change to them).
pub fn invalidate(state: &mut AppState, email: &str) {
    let key = user_key(email);
    state.details.cache.remove(&key);
    if let Some(request) = state.details.in_flight.remove(&key) {
        state.details.discarded.insert(request);
    }
}

pub fn invalidate_all(state: &mut AppState) {
    state.details.cache.clear();
    let in_flight = std::mem::take(&mut state.details.in_flight);
    state.details.discarded.extend(in_flight.into_values());
}

/// Lines the permissions pane holds for a loaded user (see the view).
pub fn line_count(permissions: &UserPermissions) -> usize {
    let unknown = permissions
        .grants
        .iter()
        .filter(|(feature, _)| crate::brevo::catalog::feature(feature).is_none_or(|f| !f.current))
        .count();
    crate::brevo::catalog::current_features().count() + unknown
}

pub fn scroll(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let max = match detail_view(state) {
        DetailView::Loaded(permissions) => line_count(permissions),
        _ => 0,
    };
    state.view.detail_scroll = state
        .view
        .detail_scroll
        .saturating_add_signed(delta)
        .min(max.saturating_sub(1));
    Vec::new()
}
