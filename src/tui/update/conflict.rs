//! Edits that never overwrite another admin: before an edit is sent, the
//! user's permissions are read again (one request, asked for by the Enter
//! that saves). If they changed since the form opened, the admin chooses:
//! keep theirs, save the form's over them, or edit again against theirs.
//!
//! Brevo has no conditional update, so this catches changes made before
//! the re-read, not one landing between the re-read and the write.

use crate::brevo::sanitize::sanitize;
use crate::brevo::{ApiError, Change, UserPermissions};

use super::super::action::{Command, Effect};
use super::super::form::{Notice, Reread};
use super::super::messages::explain_error;
use super::super::state::conflict::{Choice, Conflict};
use super::super::state::{AppState, Confirm, Confirmed, Modal, ToastKind, user_key};
use super::form_send::{close_form, send_now};
use super::toast::toast;

/// Holds `change` back and reads the user's permissions again.
pub fn reread(state: &mut AppState, change: Change) -> Vec<Effect> {
    let email = change.email().to_owned();
    let request = state.fresh_id();
    let Some(form) = state.form_mut() else {
        return Vec::new();
    };
    form.notice = Some(Notice::Info(format!(
        "Checking that nobody changed the permissions of {} since the form opened (1 request)…",
        sanitize(&email)
    )));
    form.reread = Some(Reread { request, change });
    state
        .permissions
        .in_flight
        .insert(user_key(&email), request);
    vec![Effect::FetchPermissions { email, request }]
}

/// A permissions answer arrived: if it is the form's re-read, send the
/// change when nothing changed, or ask when something did. A failed
/// re-read leaves the form as it was, the change unsent.
pub fn arrived(
    state: &mut AppState,
    request: u64,
    result: &Result<UserPermissions, ApiError>,
) -> Vec<Effect> {
    let Some(form) = state.form_mut() else {
        return Vec::new();
    };
    if form.reread.as_ref().is_none_or(|r| r.request != request) {
        return Vec::new();
    }
    let Some(Reread { change, .. }) = form.reread.take() else {
        return Vec::new();
    };
    let theirs = match result {
        Err(error) => {
            form.notice = Some(Notice::Failed(format!(
                "Not sent: could not check whether anyone changed these permissions meanwhile: {}. Enter tries again.",
                explain_error(error)
            )));
            return Vec::new();
        }
        Ok(permissions) => permissions.grants.clone(),
    };
    let Some(opened) = form.current().cloned() else {
        return Vec::new();
    };
    if theirs == opened {
        return send_now(state, change);
    }
    form.notice = None;
    let conflict = Conflict {
        email: change.email().to_owned(),
        opened,
        theirs,
        form: form.privileges.intended(),
        focus: Choice::default(),
    };
    state.modals.open_over(Modal::Conflict(Box::new(conflict)));
    Vec::new()
}

/// A key while the conflict is shown.
pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(Modal::Conflict(conflict)) = state.modals.top_mut() else {
        return Vec::new();
    };
    let choice = match command {
        Command::KeepTheirs => Choice::KeepTheirs,
        Command::TakeForm => Choice::TakeForm,
        Command::EditAgain => Choice::EditAgain,
        Command::NextButton | Command::PrevButton => {
            conflict.focus = conflict.focus.step(command == Command::NextButton);
            return Vec::new();
        }
        Command::Activate => conflict.focus,
        _ => return Vec::new(),
    };
    let Some(Modal::Conflict(conflict)) = state.modals.close_top() else {
        return Vec::new();
    };
    let shown = sanitize(&conflict.email).into_owned();
    if choice == Choice::KeepTheirs {
        close_form(state);
        let text = format!("Kept the permissions of {shown} as they are now; nothing was sent");
        return toast(state, ToastKind::Info, text);
    }
    let users = state.list.users.clone();
    let Some(form) = state.form_mut() else {
        return Vec::new();
    };
    if choice == Choice::EditAgain {
        form.privileges.grants = conflict.merged();
        form.rebase(conflict.theirs);
        form.notice = Some(Notice::Info(
            "Their change is kept and yours made on top of it: the changes below are against theirs. Enter saves (and checks again).".to_owned(),
        ));
        return Vec::new();
    }
    form.rebase(conflict.theirs);
    match form.request(&users) {
        Err(why) => {
            form.notice = Some(Notice::Invalid(format!("Not sent: {why}")));
            Vec::new()
        }
        // Against theirs the form may now give user management anew.
        Ok(change) => match form.escalation() {
            Some(escalation) => {
                let confirm = Confirm::new(Confirmed::Escalation(change, escalation));
                state.modals.open_over(Modal::Confirm(confirm));
                Vec::new()
            }
            None => send_now(state, change),
        },
    }
}
