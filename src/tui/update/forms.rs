//! The forms' keys: opening them (`i`, `e`), editing, submitting and
//! cancelling. What comes back from Brevo is handled in `form_results`.

use tui_input::InputRequest;

use crate::brevo::sanitize::sanitize;
use crate::brevo::{Change, LostAnswer};

use super::super::action::{Command, Effect};
use super::super::form::{Field, Form, Load, Notice, Subject};
use super::super::state::{
    AppState, Cached, Confirm, Confirmed, Modal, Mode, ToastKind, Waiter, user_key,
};
pub use super::form_send::{close_form, send_now};
use super::permissions;
use super::toast::toast;

/// `i`: an empty invite form, the email field focused.
pub fn open_invite(state: &mut AppState) -> Vec<Effect> {
    state
        .modals
        .open_over(Modal::Form(Box::new(Form::invite())));
    Vec::new()
}

/// `e`: the selected user's permissions on the grid, fetched first when
/// they are not cached.
pub fn open_edit(state: &mut AppState) -> Vec<Effect> {
    let Some(user) = state.selected_user() else {
        return toast(state, ToastKind::Error, "no user selected".to_owned());
    };
    if user.is_owner {
        let text = "the owner has every feature: their permissions cannot be changed";
        return toast(state, ToastKind::Error, text.to_owned());
    }
    let email = user.email.clone();
    if state.in_flight.involves(&email) {
        let text = format!(
            "a change to {} is still in progress: wait for its result",
            sanitize(&email)
        );
        return toast(state, ToastKind::Error, text);
    }
    let current = match state.permissions.cache.get(&user_key(&email)) {
        Some(Cached::Loaded(permissions)) => Some(permissions.grants.clone()),
        _ => None,
    };
    let fetch = current.is_none();
    state
        .modals
        .open_over(Modal::Form(Box::new(Form::edit(&email, current))));
    if fetch {
        permissions::fetch_user(state, &email)
    } else {
        Vec::new()
    }
}

/// A key in one of the form modes.
pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    match command {
        Command::Submit => return submit(state),
        Command::CancelForm => return cancel(state),
        Command::Help => {
            let mode = state.mode();
            state.modals.open_over(Modal::help(mode));
            return Vec::new();
        }
        _ => {}
    }
    let busy = state.form_busy();
    let Some(Modal::Form(form)) = state.modals.top_mut() else {
        return Vec::new();
    };
    if matches!(form.notice, Some(Notice::Hint(_))) {
        form.notice = None;
    }
    // Reading what saving would change is fine while it is being saved.
    if let Command::ScrollChangesUp | Command::ScrollChangesDown = command {
        let last = form.changes().len().saturating_sub(1);
        form.changes_scroll = if command == Command::ScrollChangesUp {
            form.changes_scroll.saturating_sub(1)
        } else {
            (form.changes_scroll + 1).min(last)
        };
        return Vec::new();
    }
    // While a request is out, what it was built from stays as it is.
    if busy || form.waiting() {
        return Vec::new();
    }
    let presets = &state.presets;
    let grid = form.focus == Field::Grid;
    let edit: Result<(), String> = match (command, form.focus) {
        (Command::NextField | Command::PrevField, _) => {
            form.cycle_focus(command == Command::NextField);
            return Vec::new();
        }
        (Command::Up, _) if grid && form.privileges.up() => return Vec::new(),
        (Command::Down, _) if grid => {
            form.privileges.down();
            return Vec::new();
        }
        (Command::Up | Command::Down, _) => {
            form.step_focus(command == Command::Down);
            return Vec::new();
        }
        (Command::Left, Field::Grid) => {
            form.privileges.left();
            return Vec::new();
        }
        (Command::Right, Field::Grid) => {
            form.privileges.right();
            return Vec::new();
        }
        (Command::Left, Field::Presets) => {
            form.privileges.preset_left();
            return Vec::new();
        }
        (Command::Right, Field::Presets) => {
            form.privileges.preset_right(presets.len());
            return Vec::new();
        }
        (Command::Toggle, Field::AllFeatures) => {
            form.privileges.all_features = !form.privileges.all_features;
            Ok(())
        }
        (Command::Toggle, Field::Presets) => match presets.get(form.privileges.preset) {
            Some(preset) => {
                form.privileges.apply(preset);
                Ok(())
            }
            None => Err("no preset is defined".to_owned()),
        },
        (Command::Toggle, Field::Grid) => form.privileges.toggle(),
        (Command::SelectAll, Field::Grid) => form.privileges.select_all(),
        (Command::SelectNone, Field::Grid) => form.privileges.clear(),
        (command, Field::Email) => {
            if let Some(request) = text_request(command) {
                form.edit_email(request);
            }
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    match edit {
        Ok(()) => form.edited(),
        Err(why) => form.notice = Some(Notice::Hint(why)),
    }
    Vec::new()
}

fn text_request(command: Command) -> Option<InputRequest> {
    Some(match command {
        Command::CursorLeft => InputRequest::GoToPrevChar,
        Command::CursorRight => InputRequest::GoToNextChar,
        Command::CursorStart => InputRequest::GoToStart,
        Command::CursorEnd => InputRequest::GoToEnd,
        Command::DeleteBack => InputRequest::DeletePrevChar,
        Command::DeleteForward => InputRequest::DeleteNextChar,
        Command::DeleteWord => InputRequest::DeletePrevWord,
        Command::DeleteLine => InputRequest::DeleteLine,
        _ => return None,
    })
}

/// A character typed into the email field.
pub fn input(state: &mut AppState, c: char) -> Vec<Effect> {
    if state.mode() != Mode::FormText {
        return Vec::new();
    }
    if let Some(Modal::Form(form)) = state.modals.top_mut() {
        form.edit_email(InputRequest::InsertChar(c));
    }
    Vec::new()
}

pub fn paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    if state.mode() != Mode::FormText {
        return Vec::new();
    }
    if let Some(Modal::Form(form)) = state.modals.top_mut() {
        form.paste(text);
    }
    Vec::new()
}

/// Enter or Ctrl-S, from anywhere in the form.
pub fn submit(state: &mut AppState) -> Vec<Effect> {
    let busy = state.form_busy();
    let Some(Modal::Form(form)) = state.modals.top_mut() else {
        return Vec::new();
    };
    if busy {
        let text = "still waiting for Brevo's answer: nothing is sent twice";
        form.notice = Some(Notice::Hint(text.to_owned()));
        return Vec::new();
    }
    if let Some(change) = form.unresolved.clone() {
        // The outcome of the last attempt is unknown: ask, never resend.
        // The earlier look failed; Brevo may still be working on it.
        return check(state, change, None, LostAnswer::MayStillBeWorking);
    }
    if let Subject::Edit {
        email,
        current: current @ Load::Failed(_),
    } = &mut form.subject
    {
        *current = Load::Loading;
        let email = email.clone();
        return permissions::fetch_user(state, &email);
    }
    if form.waiting() {
        let text = "the permissions are still loading";
        form.notice = Some(Notice::Hint(text.to_owned()));
        return Vec::new();
    }
    let change = match form.request(&state.list.users) {
        Ok(change) => change,
        Err(why) => {
            // The email's problem is already said under it: go there.
            let email_wrong =
                form.is_invite() && form.email_check(&state.list.users).reason().is_some();
            let why = if email_wrong {
                form.focus = Field::Email;
                "fix the email first".to_owned()
            } else {
                why
            };
            form.notice = Some(Notice::Invalid(format!("Not sent: {why}")));
            return Vec::new();
        }
    };
    if let Some(escalation) = form.escalation() {
        let confirm = Confirm::new(Confirmed::Escalation(change, escalation));
        state.modals.open_over(Modal::Confirm(confirm));
        return Vec::new();
    }
    ask_billing_or_send(state, change)
}

/// A change that needs a seat beyond those bought asks a second time,
/// naming the vertical (after the escalation question, if any); else it
/// goes out.
pub fn ask_billing_or_send(state: &mut AppState, change: Change) -> Vec<Effect> {
    let seats = state.account.seats_of(&change, &state.list.users);
    match seats.filter(|seats| seats.bills()) {
        Some(seats) => {
            let confirm = Confirm::new(Confirmed::Billing(change, seats.over));
            state.modals.open_over(Modal::Confirm(confirm));
            Vec::new()
        }
        None => send(state, change),
    }
}

/// Sends the form's change; the form waits for the answer. An edit reads
/// the permissions again first (`conflict`), in case someone else changed
/// them since the form opened.
pub fn send(state: &mut AppState, change: Change) -> Vec<Effect> {
    if state.context.read_only {
        return toast(
            state,
            ToastKind::Error,
            "read-only mode: nothing was sent".to_owned(),
        );
    }
    if let Change::UpdatePermissions(_) = change {
        return super::conflict::reread(state, change);
    }
    send_now(state, change)
}

/// Asks Brevo whether the form's change took effect; `said` is how its
/// answer was lost, as the form shows it (none when the admin asked to
/// check again), `lost` what that means for the check.
pub fn check(
    state: &mut AppState,
    change: Change,
    said: Option<String>,
    lost: LostAnswer,
) -> Vec<Effect> {
    let Some(form) = state.form_mut() else {
        return Vec::new();
    };
    form.notice = None;
    state.in_flight.checking(change.clone(), said, Waiter::Form);
    vec![Effect::Reconcile(change, lost)]
}

/// Esc: closes at once when nothing would be lost, asks first otherwise.
pub fn cancel(state: &mut AppState) -> Vec<Effect> {
    if state.form_busy() || state.form().is_some_and(Form::touched) {
        state
            .modals
            .open_over(Modal::Confirm(Confirm::new(Confirmed::Discard)));
    } else {
        close_form(state);
    }
    Vec::new()
}
