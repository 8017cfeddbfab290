//! `P`: the profile switcher. Opening it and choosing are pure; the switch
//! itself (a key command, perhaps a passphrase) is an effect the event loop
//! carries out with the terminal given back, answered by `ProfileSwitched`.

use super::super::action::{Command, Effect};
use super::super::state::{
    AccountSeats, AppState, Focus, ListView, Modal, PermissionsCache, ProfileFacts, ProfilePicker,
    ToastKind, UserList,
};
use super::toast::toast;
use super::{list, seats};

/// Opens the switcher, or says why not.
pub fn open(state: &mut AppState) -> Vec<Effect> {
    let refusal = if state.context.demo && state.profiles.names.len() < 2 {
        Some("the demo has no profiles to switch to".to_owned())
    } else if state.profiles.names.len() < 2 {
        Some(format!(
            "nothing to switch to: the configuration has {} profile{} (add [profiles.NAME] tables)",
            state.profiles.names.len(),
            if state.profiles.names.len() == 1 {
                ""
            } else {
                "s"
            }
        ))
    } else if !state.in_flight.is_empty() {
        Some("a change is still unanswered: switch when it is".to_owned())
    } else {
        None
    };
    if let Some(text) = refusal {
        return toast(state, ToastKind::Error, text);
    }
    if super::account::ask_before_switch(state) {
        return Vec::new();
    }
    open_picker(state)
}

/// The switcher itself (after the question, when one was asked).
pub fn open_picker(state: &mut AppState) -> Vec<Effect> {
    let cursor = state
        .profiles
        .active
        .as_ref()
        .and_then(|active| state.profiles.names.iter().position(|n| n == active))
        .unwrap_or(0);
    state
        .modals
        .open_over(Modal::Profiles(ProfilePicker { cursor }));
    Vec::new()
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(Modal::Profiles(picker)) = state.modals.top_mut() else {
        return Vec::new();
    };
    let last = state.profiles.names.len().saturating_sub(1);
    match command {
        Command::Up => picker.cursor = picker.cursor.saturating_sub(1),
        Command::Down => picker.cursor = (picker.cursor + 1).min(last),
        Command::Back => {
            state.modals.close_top();
        }
        Command::Activate => {
            let chosen = state.profiles.names.get(picker.cursor).cloned();
            state.modals.close_top();
            return match chosen {
                Some(name) if state.profiles.active.as_ref() == Some(&name) => {
                    toast(state, ToastKind::Info, format!("already on profile {name}"))
                }
                Some(name) => vec![Effect::SwitchProfile { name }],
                None => Vec::new(),
            };
        }
        _ => {}
    }
    Vec::new()
}

/// Whether an API result's profile is still the one in force: only then
/// is it taken.
pub fn is_current(state: &AppState, generation: u64) -> bool {
    let current = generation == state.profiles.generation;
    if !current {
        tracing::debug!(generation, "dropped a result from the previous profile");
    }
    current
}

/// The switch happened (a new client is in the worker) or failed (the old
/// one still is, and so is everything on screen).
pub fn switched(
    state: &mut AppState,
    name: String,
    result: Result<ProfileFacts, String>,
) -> Vec<Effect> {
    let facts = match result {
        Ok(facts) => facts,
        Err(error) => {
            let still = state
                .profiles
                .active
                .as_ref()
                .map(|a| format!("; still on {a}"))
                .unwrap_or_default();
            // The error may quote a program's name or a server's message.
            let error = crate::brevo::sanitize::sanitize(&error);
            let text = format!("could not switch to profile {name}: {error}{still}");
            return toast(state, ToastKind::Error, text);
        }
    };
    state.profiles.generation += 1;
    state.profiles.active = Some(name.clone());
    state.context.host = facts.host;
    state.context.read_only = facts.read_only;
    state.presets = facts.presets;
    // Nothing of the other account may stay on screen or in a cache.
    state.list = UserList::default();
    state.view = ListView {
        sort: state.view.sort,
        ..ListView::default()
    };
    state.focus = Focus::Users;
    state.permissions = PermissionsCache::default();
    state.in_flight.clear();
    state.recent_resends.clear();
    state.quota_wait = None;
    state.verifying.clear();
    state.rate_limit = None;
    state.modals.clear();
    super::account::forget(state);
    let mode = if state.context.read_only {
        " (read-only)"
    } else {
        ""
    };
    state.account = AccountSeats::default();
    let mut effects = list::reload(state);
    effects.extend(seats::load(state));
    effects.extend(toast(
        state,
        ToastKind::Success,
        format!("switched to profile {name}{mode}"),
    ));
    effects
}
