//! `update(&mut AppState, Action) -> Vec<Effect>`: the whole behaviour of the
//! dashboard, pure. No I/O, no clock, no awaiting: time enters as actions
//! (`Tick`, `Rested`, `ToastExpired`) that timers requested as effects.

mod account;
mod bulk;
mod bulk_preset;
mod bulk_run;
mod changes;
mod confirm;
mod conflict;
mod everywhere;
mod form_results;
mod form_send;
mod forms;
mod journal;
mod list;
mod marks;
mod palette;
mod permissions;
mod profiles;
mod quota;
mod seats;
mod toast;
mod undo;

use super::action::{Action, Command, Effect};
use super::keymap::Keymap;
use super::state::{AppState, Focus, Modal, Mode, Stage, ToastKind, Waiter};
use toast::toast;

/// The effects that start the dashboard: the first list load, and a toast
/// for the configuration's warnings (already printed before the start).
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let mut effects = list::reload(state);
    effects.extend(seats::load(state));
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
    if matches!(
        action,
        Action::Command(_) | Action::FilterInput(_) | Action::FormInput(_) | Action::FormPaste(_)
    ) {
        toast::dismiss_all(state);
    }
    let effects = dispatch(state, action);
    // The rows drawn next are worked out here, once, not on every frame.
    state.refresh_rows();
    effects
}

fn dispatch(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Command(command) => command_in_mode(state, command),
        Action::FilterInput(c) if state.mode() == Mode::Palette => palette::input(state, c),
        Action::FilterInput(c) => list::filter_input(state, c),
        Action::FormInput(c) if state.mode() == Mode::EverywherePrompt => {
            everywhere::input(state, &c.to_string())
        }
        Action::FormPaste(text) if state.mode() == Mode::EverywherePrompt => {
            everywhere::input(state, &text)
        }
        Action::FormInput(c) => forms::input(state, c),
        Action::FormPaste(text) => forms::paste(state, &text),
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            permissions::pane_shown(state)
        }
        Action::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Action::Rested { generation } => permissions::rested(state, generation),
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
            at,
        } => {
            note_rate(state, rate);
            let mut effects = quota::noticed(state, result.as_ref().err());
            effects.extend(list::loaded(state, request, result, at));
            seats::recount(state);
            effects
        }
        Action::AccountLoaded {
            request,
            result,
            rate,
        } => {
            note_rate(state, rate);
            let effects = quota::noticed(state, result.as_ref().err());
            seats::loaded(state, request, result);
            effects
        }
        Action::QuotaCountdown { generation } => quota::countdown(state, generation),
        Action::ResendCooled(id) => {
            state.recent_resends.retain(|_, timer| *timer != id);
            Vec::new()
        }
        Action::PermissionsLoaded {
            email,
            request,
            result,
            rate,
        } => {
            note_rate(state, rate);
            let mut effects = quota::noticed(state, result.as_ref().err());
            effects.extend(conflict::arrived(state, request, &result));
            effects.extend(bulk_run::permissions_arrived(
                state, &email, request, &result,
            ));
            effects.extend(permissions::loaded(state, &email, request, result));
            effects.extend(form_results::permissions_arrived(state, &email));
            effects.extend(undo::read_arrived(state, &email));
            effects
        }
        Action::ChangeApplied {
            change,
            result,
            rate,
        } => {
            note_rate(state, rate);
            let mut effects = quota::noticed(state, result.as_ref().err());
            // Answered, whatever the answer: no longer in flight (here only).
            let waiter = state.in_flight.answered(&change).map(|f| f.waiter);
            if let Ok(outcome) = &result {
                effects.extend(seats::after_change(state, waiter, outcome));
            }
            undo::applied(state, &change, result.as_ref(), waiter);
            effects.extend(if waiter == Some(Waiter::Bulk) {
                bulk_run::applied(state, change, result)
            } else if waiter == Some(Waiter::Form) && state.form().is_some() {
                form_results::applied(state, change, result)
            } else {
                changes::applied(state, change, result)
            });
            effects
        }
        Action::Reconciled {
            change,
            result,
            rate,
        } => {
            note_rate(state, rate);
            let flight = state.in_flight.answered(&change);
            let waiter = flight.as_ref().map(|f| f.waiter);
            undo::reconciled(state, &change, result.as_ref(), waiter);
            if waiter == Some(Waiter::Bulk) {
                return bulk_run::reconciled(state, change, result);
            }
            let lost = flight.as_ref().and_then(|f| match &f.stage {
                Stage::Checking { lost } => lost.clone(),
                Stage::Sending => None,
            });
            if flight.is_some_and(|f| f.waiter == Waiter::Form) && state.form().is_some() {
                form_results::reconciled(state, change, lost, result)
            } else {
                changes::reconciled(state, change, result)
            }
        }
        Action::FromProfile { generation, action } => {
            if profiles::is_current(state, generation) {
                dispatch(state, *action)
            } else {
                Vec::new()
            }
        }
        Action::ProfileSwitched { name, result } => profiles::switched(state, name, result),
        Action::EverywhereConnected { request } => {
            everywhere::connected(state, request);
            Vec::new()
        }
        Action::EverywhereFound { request, presence } => {
            everywhere::found(state, request, presence);
            Vec::new()
        }
        Action::EverywherePlanned { request, plan } => everywhere::planned(state, request, plan),
        Action::EverywhereOffboarded { request, outcome } => {
            everywhere::offboarded(state, request, outcome)
        }
        Action::Exchange(record) => {
            state.journal.call(record);
            Vec::new()
        }
    }
}

/// Only an address that passes the core's email check and holds nothing
/// the sanitiser would replace reaches the clipboard: a hostile
/// `"f\r\nrm -rf ~\n@x.test"` would run when pasted into a shell.
fn copyable(email: &str) -> bool {
    crate::brevo::validate::check_email(email).is_ok()
        && matches!(
            crate::brevo::sanitize::sanitize(email),
            std::borrow::Cow::Borrowed(_)
        )
}

fn note_rate(state: &mut AppState, rate: Option<crate::brevo::RateLimit>) {
    if let Some(rate) = rate {
        state.rate_limit = Some(rate);
    }
}

pub(super) fn command_in_mode(state: &mut AppState, command: Command) -> Vec<Effect> {
    match command {
        Command::Quit if state.bulk.as_ref().is_some_and(|r| !r.stopping) => {
            return bulk_run::stop(state);
        }
        Command::Quit => return confirm::quit(state),
        Command::Suspend => return vec![Effect::Suspend],
        _ => {}
    }
    match state.mode() {
        Mode::BulkConfirm => bulk::confirm_command(state, command),
        Mode::Confirm => confirm::command(state, command),
        Mode::Journal => journal::command(state, command),
        Mode::Presets => bulk::presets_command(state, command),
        Mode::Help => {
            let page = Modal::help_rows(state.height);
            let delta = match command {
                Command::Back | Command::Help => {
                    state.modals.close_top();
                    return Vec::new();
                }
                Command::Up => -1,
                Command::Down => 1,
                Command::PageUp => -(page as isize),
                Command::PageDown => page as isize,
                Command::Top => isize::MIN,
                Command::Bottom => isize::MAX,
                _ => return Vec::new(),
            };
            if let Some(Modal::Help(help)) = state.modals.top_mut() {
                // The commands of a mode are the default keymap's whatever
                // `[keys]` rebinds, so their count is known here.
                let entries = Keymap::default().commands(help.mode).len();
                help.scroll_by(delta, entries, page);
            }
            Vec::new()
        }
        Mode::Filter => list::filter_command(state, command),
        Mode::Form | Mode::FormText => forms::command(state, command),
        Mode::Profiles => profiles::command(state, command),
        Mode::Everywhere => everywhere::command(state, command),
        Mode::EverywherePrompt => everywhere::prompt_command(state, command),
        Mode::Palette => palette::command(state, command),
        Mode::Conflict => conflict::command(state, command),
        Mode::Users | Mode::Permissions => browse_command(state, command),
    }
}

fn browse_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    if command.is_change() && state.context.read_only {
        let text = "This session is read-only (--read-only, or read_only in the profile): nothing can be changed.".to_owned();
        return toast(state, ToastKind::Error, text);
    }
    let on_permissions = state.focus == Focus::Permissions;
    match command {
        Command::Up if on_permissions => permissions::scroll(state, -1),
        Command::Down if on_permissions => permissions::scroll(state, 1),
        Command::PageUp if on_permissions => {
            permissions::scroll(state, -(state.page_size() as isize))
        }
        Command::PageDown if on_permissions => {
            permissions::scroll(state, state.page_size() as isize)
        }
        Command::Top if on_permissions => permissions::scroll(state, isize::MIN),
        Command::Bottom if on_permissions => permissions::scroll(state, isize::MAX),
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
            permissions::pane_shown(state)
        }
        Command::FocusPermissions => {
            state.focus = Focus::Permissions;
            let needed = permissions::fetch_needed(state, true);
            match quota::refused(state).filter(|_| needed) {
                Some(refused) => refused,
                None => permissions::fetch_selected(state, true),
            }
        }
        Command::Back => {
            if state.focus == Focus::Permissions {
                state.focus = Focus::Users;
                Vec::new()
            } else if state.bulk.is_some() {
                bulk_run::stop(state)
            } else if !state.marks.is_empty() {
                marks::clear(state)
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
        Command::ReverseSort => list::reverse_sort(state),
        Command::Palette => palette::open(state),
        Command::Reload => quota::refused(state).unwrap_or_else(|| list::reload_all(state)),
        Command::Resend | Command::CancelInvitation | Command::Revoke => {
            quota::refused(state).unwrap_or_else(|| bulk::change_key(state, command))
        }
        Command::CopyEmail => match state.selected_user() {
            Some(user) if copyable(&user.email) => {
                vec![Effect::CopyToClipboard(user.email.clone())]
            }
            Some(user) => {
                let text = format!(
                    "not copied: {} is not a plain email address (it holds characters a paste could run)",
                    crate::brevo::sanitize::sanitize(&user.email)
                );
                toast(state, ToastKind::Error, text)
            }
            None => toast(state, ToastKind::Error, "no user selected".to_owned()),
        },
        Command::Help => {
            let help = Modal::help(state.base_mode());
            state.modals.open_over(help);
            Vec::new()
        }
        Command::Invite => forms::open_invite(state),
        Command::EditPermissions => forms::open_edit(state),
        Command::SwitchProfile => profiles::open(state),
        Command::FindEverywhere => everywhere::open(state),
        Command::Mark => marks::toggle(state),
        Command::MarkAll => marks::mark_all(state),
        Command::ApplyPreset => quota::refused(state).unwrap_or_else(|| bulk::open_presets(state)),
        Command::Journal => journal::open(state),
        Command::Undo => quota::refused(state).unwrap_or_else(|| undo::requested(state)),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod bulk_preset_tests;
#[cfg(test)]
mod bulk_tests;
#[cfg(test)]
mod everywhere_tests;
#[cfg(test)]
mod first_hour_tests;
#[cfg(test)]
mod form_tests;
#[cfg(test)]
mod palette_filter_tests;
#[cfg(test)]
mod profile_tests;
#[cfg(test)]
mod seat_tests;
#[cfg(test)]
mod tests;
