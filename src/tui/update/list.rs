//! The users list: loading, moving, filtering, sorting.

use std::time::SystemTime;

use crate::brevo::{ApiError, User};

use super::super::action::{Command, Effect};
use super::super::state::{AppState, ListStatus};
use super::super::state::{ToastKind, user_key};
use super::toast::toast;
use super::{permissions, quota};

/// Asks for the list again (the old one stays on screen meanwhile).
pub fn reload(state: &mut AppState) -> Vec<Effect> {
    let request = state.fresh_id();
    state.list.latest_request = request;
    state.list.status = ListStatus::Loading;
    vec![Effect::LoadUsers { request }]
}

/// `R`: the list again, and every cached permission dropped.
/// A held `R` (or one pressed while the list is on its way) sends nothing
/// more: the answer coming is as new as another would be, and each read
/// spends the hourly quota.
pub fn reload_all(state: &mut AppState) -> Vec<Effect> {
    if matches!(state.list.status, ListStatus::Loading) {
        return Vec::new();
    }
    permissions::invalidate_all(state);
    reload(state)
}

pub fn loaded(
    state: &mut AppState,
    request: u64,
    result: Result<Vec<User>, ApiError>,
    at: SystemTime,
) -> Vec<Effect> {
    if request != state.list.latest_request {
        return Vec::new();
    }
    match result {
        Ok(users) => {
            state.list.users = users;
            state.list.loaded_at = Some(at);
            state.list.revision += 1;
            state.list.status = ListStatus::Ready;
            let effects = reselect(state);
            if effects.is_empty() {
                // Same user as before: their permissions may have been
                // dropped (R, a change) and are wanted again.
                permissions::pane_shown(state)
            } else {
                effects
            }
        }
        Err(error) => {
            state.list.status = ListStatus::Failed(error);
            // The last list stays on screen: the selected user's
            // permissions (dropped by R) are wanted again as usual.
            permissions::pane_shown(state)
        }
    }
}

/// Moves the selection by `delta` rows, clamped to the list.
pub fn move_by(state: &mut AppState, delta: isize) -> Vec<Effect> {
    state.refresh_rows();
    let rows = state.visible();
    if rows.is_empty() {
        return Vec::new();
    }
    let current = current_position(state, &rows).unwrap_or(0);
    let target = current.saturating_add_signed(delta).min(rows.len() - 1);
    let email = state.list.users[rows[target]].email.clone();
    select(state, target, email)
}

/// Keeps the same user selected when the rows change (filter, sort, reload),
/// or the nearest one when they are gone.
pub fn reselect(state: &mut AppState) -> Vec<Effect> {
    state.refresh_rows();
    let rows = state.visible();
    if rows.is_empty() {
        return select_none(state);
    }
    let target = current_position(state, &rows).unwrap_or(state.view.index.min(rows.len() - 1));
    let email = state.list.users[rows[target]].email.clone();
    select(state, target, email)
}

fn current_position(state: &AppState, rows: &[usize]) -> Option<usize> {
    let email = state.view.selected.as_deref()?;
    let users = &state.list.users;
    // Usually still where it was; else look for it, exactly, or else as
    // Brevo may have spelled an address we typed.
    let index = state.view.index;
    if rows.get(index).is_some_and(|&i| users[i].email == email) {
        return Some(index);
    }
    rows.iter()
        .position(|&i| users[i].email == email)
        .or_else(|| rows.iter().position(|&i| users[i].has_email(email)))
}

fn select(state: &mut AppState, position: usize, email: String) -> Vec<Effect> {
    state.view.index = position;
    if state.view.selected.as_deref() == Some(email.as_str()) {
        return Vec::new();
    }
    state.view.selected = Some(email);
    permissions::selection_moved(state)
}

fn select_none(state: &mut AppState) -> Vec<Effect> {
    if state.view.selected.take().is_some() {
        state.view.generation += 1;
    }
    Vec::new()
}

pub fn filter_input(state: &mut AppState, c: char) -> Vec<Effect> {
    if c.is_control() {
        return Vec::new();
    }
    state.view.filter.text.push(c);
    reselect(state)
}

pub fn filter_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    match command {
        Command::FilterAccept => {
            state.view.filter.editing = false;
            load_not_loaded(state)
        }
        Command::FilterClear => clear_filter(state),
        Command::FilterBackspace => {
            state.view.filter.text.pop();
            reselect(state)
        }
        Command::FilterErase => {
            state.view.filter.text.clear();
            reselect(state)
        }
        Command::Up => move_by(state, -1),
        Command::Down => move_by(state, 1),
        Command::PageUp => move_by(state, -(state.page_size() as isize)),
        Command::PageDown => move_by(state, state.page_size() as isize),
        _ => Vec::new(),
    }
}

pub fn clear_filter(state: &mut AppState) -> Vec<Effect> {
    state.view.filter.text.clear();
    state.view.filter.editing = false;
    reselect(state)
}

/// `s`: the next column, ascending.
pub fn cycle_sort(state: &mut AppState) -> Vec<Effect> {
    state.view.sort = state.view.sort.next();
    state.view.reverse = false;
    reselect(state)
}

/// `S`: the same column the other way.
pub fn reverse_sort(state: &mut AppState) -> Vec<Effect> {
    state.view.reverse = !state.view.reverse;
    reselect(state)
}

/// Enter on a `feature:` filter: the permissions of the users it could not
/// tell about are loaded — one request each, as the filter line says, and
/// refused when that is more than the requests left.
fn load_not_loaded(state: &mut AppState) -> Vec<Effect> {
    let emails: Vec<String> = state
        .shown()
        .not_loaded
        .iter()
        .map(|&i| state.list.users[i].email.clone())
        .filter(|email| !state.permissions.in_flight.contains_key(&user_key(email)))
        .collect();
    if emails.is_empty() {
        return Vec::new();
    }
    if let Some(refused) = quota::refused(state) {
        return refused;
    }
    let needed = emails.len() as u64;
    if let Some(left) = state.requests_left().filter(|&left| needed > left) {
        let text = format!(
            "loading {needed} users' permissions takes {needed} requests, and only {left} are left this hour: narrow the filter first"
        );
        return toast(state, ToastKind::Error, text);
    }
    emails
        .iter()
        .flat_map(|email| permissions::fetch_user(state, email))
        .collect()
}
