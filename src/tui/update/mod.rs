//! `update(&mut AppState, Action) -> Vec<Effect>`: the whole behaviour of the
//! dashboard, pure. No I/O, no clock, no awaiting: time enters as actions
//! (`Tick`, `Rested`, `ToastExpired`) that timers requested as effects.

mod changes;
mod details;
mod form_results;
mod forms;
mod list;
mod profiles;

use crate::brevo::ApiError;

use super::action::{Action, Command, Effect, TimedAction};
use super::state::{AppState, Focus, Modal, Mode, Toast, ToastKind};

pub use details::DetailView;
pub use details::detail_view;

/// The effects that start the dashboard: the first list load, and a toast
/// for the configuration's warnings (already printed before the start).
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let mut effects = list::reload(state);
    let warnings = &state.context.config_warnings;
    if let Some(first) = warnings.first() {
        let more = match warnings.len() {
            1 => String::new(),
            n => format!(" (and {} more, printed before the start)", n - 1),
        };
        let text = format!("configuration: {first}{more}");
        effects.extend(toast(state, ToastKind::Error, text));
    }
    effects
}

pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    let effects = dispatch(state, action);
    // The rows drawn next are worked out here, once, not on every frame.
    state.refresh_rows();
    effects
}

fn dispatch(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Command(command) => command_in_mode(state, command),
        Action::FilterInput(c) => list::filter_input(state, c),
        Action::FormInput(c) => forms::input(state, c),
        Action::FormPaste(text) => forms::paste(state, &text),
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            details::pane_shown(state)
        }
        Action::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Action::Rested { generation } => details::rested(state, generation),
        Action::ToastExpired(id) => {
            state.toasts.retain(|t| t.id != id);
            Vec::new()
        }
        Action::ClipboardWritten { email, ok } => {
            let shown = crate::brevo::sanitize::sanitize(&email).into_owned();
            if ok {
                toast(
                    state,
                    ToastKind::Success,
                    format!("{shown} sent to the terminal clipboard"),
                )
            } else {
                toast(
                    state,
                    ToastKind::Error,
                    "could not write to the terminal: nothing was copied".to_owned(),
                )
            }
        }
        Action::UsersLoaded {
            request,
            result,
            rate,
        } => {
            note_rate(state, rate);
            list::loaded(state, request, result)
        }
        Action::PermissionsLoaded {
            email,
            request,
            result,
            rate,
        } => {
            note_rate(state, rate);
            let mut effects = details::loaded(state, &email, request, result);
            effects.extend(form_results::permissions_arrived(state, &email));
            effects
        }
        Action::ChangeApplied {
            change,
            result,
            rate,
        } => {
            note_rate(state, rate);
            // Answered, whatever the answer: no longer in flight.
            if let Some(i) = state.changes_in_flight.iter().position(|c| *c == change) {
                state.changes_in_flight.remove(i);
            }
            if form_results::awaits(state, &change) {
                form_results::applied(state, change, result)
            } else {
                changes::applied(state, change, result)
            }
        }
        Action::Reconciled {
            change,
            result,
            rate,
        } => {
            note_rate(state, rate);
            if form_results::awaits(state, &change) {
                form_results::reconciled(state, change, result)
            } else {
                changes::reconciled(state, change, result)
            }
        }
        Action::FromProfile { generation, action } => profiles::tagged(state, generation, *action),
        Action::ProfileSwitched { name, result } => profiles::switched(state, name, result),
    }
}

fn note_rate(state: &mut AppState, rate: Option<crate::brevo::RateLimit>) {
    if let Some(rate) = rate {
        state.rate_limit = Some(rate);
    }
}

fn command_in_mode(state: &mut AppState, command: Command) -> Vec<Effect> {
    match command {
        Command::Quit => return changes::quit(state),
        Command::Suspend => return vec![Effect::Suspend],
        _ => {}
    }
    match state.mode() {
        Mode::Confirm => changes::confirm_command(state, command),
        Mode::Help => {
            if matches!(command, Command::Back | Command::Help) {
                close_modal(state);
            }
            Vec::new()
        }
        Mode::Filter => list::filter_command(state, command),
        Mode::Form | Mode::FormText => forms::command(state, command),
        Mode::Profiles => profiles::command(state, command),
        Mode::Users | Mode::Permissions => browse_command(state, command),
    }
}

fn browse_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    if command.is_change() && state.context.read_only {
        let text = format!(
            "read-only mode: {} is disabled (--read-only or the profile's read_only)",
            command.describe()
        );
        return toast(state, ToastKind::Error, text);
    }
    let on_details = state.focus == Focus::Permissions;
    match command {
        Command::Up if on_details => details::scroll(state, -1),
        Command::Down if on_details => details::scroll(state, 1),
        Command::PageUp if on_details => details::scroll(state, -(state.page_size() as isize)),
        Command::PageDown if on_details => details::scroll(state, state.page_size() as isize),
        Command::Top if on_details => details::scroll(state, isize::MIN),
        Command::Bottom if on_details => details::scroll(state, isize::MAX),
        Command::Up => list::move_by(state, -1),
        Command::Down => list::move_by(state, 1),
        Command::PageUp => list::move_by(state, -(state.page_size() as isize)),
        Command::PageDown => list::move_by(state, state.page_size() as isize),
        Command::Top => list::move_by(state, isize::MIN),
        Command::Bottom => list::move_by(state, isize::MAX),
        Command::NextPane | Command::PrevPane => {
            state.focus = match state.focus {
                Focus::Users => Focus::Permissions,
                Focus::Permissions => Focus::Users,
            };
            details::pane_shown(state)
        }
        Command::FocusPermissions => {
            state.focus = Focus::Permissions;
            details::fetch_selected(state, true)
        }
        Command::Back => {
            if state.focus == Focus::Permissions {
                state.focus = Focus::Users;
                Vec::new()
            } else if !state.view.filter.text.is_empty() {
                list::clear_filter(state)
            } else {
                Vec::new()
            }
        }
        Command::Filter => {
            state.view.filter.editing = true;
            state.focus = Focus::Users;
            Vec::new()
        }
        Command::CycleSort => list::cycle_sort(state),
        Command::Reload => list::reload_all(state),
        Command::Resend | Command::CancelInvitation | Command::Revoke => {
            changes::requested(state, command)
        }
        Command::CopyEmail => match state.selected_user() {
            Some(user) => vec![Effect::CopyToClipboard(user.email.clone())],
            None => toast(state, ToastKind::Error, "no user selected".to_owned()),
        },
        Command::Help => {
            state.modal = Some(Modal::Help(state.base_mode()));
            Vec::new()
        }
        Command::Invite => forms::open_invite(state),
        Command::EditPermissions => forms::open_edit(state),
        Command::SwitchProfile => profiles::open(state),
        _ => Vec::new(),
    }
}

/// Closes the open modal and opens the next queued one, if any.
fn close_modal(state: &mut AppState) {
    state.modal = state.queued_modals.pop_front();
}

/// Opens a modal, or queues it behind a confirmation or a form already
/// open (a help overlay simply gives way).
fn open_modal(state: &mut AppState, modal: Modal) {
    match state.modal {
        Some(Modal::Confirm(_) | Modal::Form(_)) => state.queued_modals.push_back(modal),
        _ => state.modal = Some(modal),
    }
}

/// Shows a toast and asks for its expiry.
fn toast(state: &mut AppState, kind: ToastKind, text: String) -> Vec<Effect> {
    state.next_id += 1;
    let id = state.next_id;
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

/// A sentence for an API failure, with what to do about the usual ones.
pub fn explain_error(error: &ApiError) -> String {
    let sentence = match error {
        ApiError::Unauthorized { .. } => {
            format!("{error} — the API key is wrong: check BREVO_API_KEY")
        }
        _ => error.to_string(),
    };
    // The core's sentence no longer carries the request id; a toast is one
    // line, so it follows the sentence rather than a line of its own.
    match error.request_id_line() {
        Some(line) => format!("{sentence} · {line}"),
        None => sentence,
    }
}

fn next_id(state: &mut AppState) -> u64 {
    state.next_id += 1;
    state.next_id
}

#[cfg(test)]
mod form_tests;
#[cfg(test)]
mod profile_tests;
#[cfg(test)]
mod tests;
