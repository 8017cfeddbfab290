//! What comes back for a form: the answer to its change, the check after
//! an unclear answer, the permissions it edits, and the read-back that
//! tells whether Brevo stored what was saved.
//!
//! A failure leaves the form exactly as typed with Brevo's message inside
//! it; only a success closes it. A change whose form was closed meanwhile
//! is handled like any other change (`changes`).

use crate::brevo::sanitize::sanitize;
use crate::brevo::{
    ApiError, Change, ChangeOutcome, FeatureChange, LostAnswer, Reconciliation, catalog,
    stored_differences,
};

use super::super::action::Effect;
use super::super::form::{Form, Load, Notice, Subject};
use super::super::messages::explain_error as explain;
use super::super::state::{AppState, Cached, ToastKind, user_key};
use super::toast::answer;
use super::{changes, forms, permissions};

pub fn applied(
    state: &mut AppState,
    change: Change,
    result: Result<ChangeOutcome, ApiError>,
) -> Vec<Effect> {
    match result {
        Ok(outcome) => done(state, change, outcome.billing_note(), false),
        Err(error) if error.is_unclear() => {
            let lost = LostAnswer::from(&error);
            forms::check(state, change, Some(explain(&error)), lost)
        }
        Err(error) => {
            if let Some(form) = state.form_mut() {
                form.notice = Some(Notice::Failed(explain(&error)));
            }
            Vec::new()
        }
    }
}

/// The check after an unclear answer came back; `lost` is how that
/// answer was lost, as the form said while checking.
pub fn reconciled(
    state: &mut AppState,
    change: Change,
    lost: Option<String>,
    result: Result<Reconciliation, ApiError>,
) -> Vec<Effect> {
    let Some(form) = state.form_mut() else {
        return Vec::new();
    };
    let lost = lost
        .map(|error| format!("No clear answer ({error}); "))
        .unwrap_or_default();
    let what = subject(&change);
    let text = match result {
        Ok(Reconciliation::AlreadyDone) => return done(state, change, None, true),
        Ok(Reconciliation::NotDone) => {
            form.unresolved = None;
            format!("{lost}Brevo shows {what} did not take effect: Enter sends it again.")
        }
        Ok(Reconciliation::NotVisibleYet) => {
            // Sending again could do it twice: Enter only looks again.
            form.unresolved = Some(change.clone());
            format!(
                "{lost}{}. Enter checks again; nothing is sent twice.",
                Reconciliation::NotVisibleYet.sentence(&change)
            )
        }
        Ok(Reconciliation::CannotTell) => {
            form.unresolved = None;
            format!("{lost}Brevo cannot tell whether {what} took effect: Enter sends it again.")
        }
        Err(error) => {
            form.unresolved = Some(change);
            format!(
                "{lost}could not check whether {what} took effect: {}. Enter checks again; nothing is sent twice.",
                explain(&error)
            )
        }
    };
    form.notice = Some(Notice::Failed(capitalised(text)));
    Vec::new()
}

fn subject(change: &Change) -> &'static str {
    match change {
        Change::Invite(_) => "the invitation",
        _ => "the change",
    }
}

fn capitalised(mut text: String) -> String {
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// The change is in effect: the form closes, a toast says so, the list is
/// read again; an invited user is selected, an edit is read back.
fn done(
    state: &mut AppState,
    change: Change,
    billing: Option<String>,
    found_later: bool,
) -> Vec<Effect> {
    forms::close_form(state);
    let mut text = changes::done_message(&change);
    if found_later {
        text = format!(
            "{} did take effect after all: {text}",
            capitalised(subject(&change).to_owned())
        );
    }
    if let Some(note) = billing {
        text = format!("{text}; {}", sanitize(&note));
    }
    let email = change.email().to_owned();
    if let Change::Invite(_) = change {
        show_user(state, &email);
    }
    let mut effects = changes::succeeded(state, &change, text);
    if let Change::UpdatePermissions(request) = change {
        state.verifying.insert(user_key(&email), request);
        effects.extend(permissions::fetch_user(state, &email));
    }
    effects
}

/// Selects `email` once the list comes back, clearing a filter that
/// would hide it.
fn show_user(state: &mut AppState, email: &str) {
    let filter = state.view.filter.text.to_lowercase();
    if !filter.is_empty() && !email.to_lowercase().contains(&filter) {
        state.view.filter.text.clear();
        state.view.filter.editing = false;
    }
    state.view.selected = Some(email.to_owned());
}

/// A user's permissions arrived (and were cached, unless outdated): fill
/// the edit form waiting for them, and compare a saved change with what
/// Brevo stored.
pub fn permissions_arrived(state: &mut AppState, email: &str) -> Vec<Effect> {
    let key = user_key(email);
    let cached = state.permissions.cache.get(&key).cloned();
    let mut wanted = false;
    if let Some(form) = state.form_mut()
        && edits(form, &key)
    {
        match &cached {
            Some(Cached::Loaded(permissions)) => form.loaded(Ok(permissions.grants.clone())),
            Some(Cached::Failed(error)) => form.loaded(Err(error.clone())),
            None => wanted = true,
        }
    }
    if let Some(request) = state.verifying.get(&key).cloned() {
        let shown = sanitize(&request.email).into_owned();
        let verdict = match &cached {
            Some(Cached::Loaded(stored)) => {
                let differences = stored_differences(&request, stored);
                if differences.is_empty() {
                    Some((
                        ToastKind::Success,
                        format!("Permissions of {shown} changed; Brevo stored exactly that"),
                    ))
                } else {
                    Some((
                        ToastKind::Error,
                        format!(
                            "Brevo stored other permissions for {shown} than saved: {}",
                            describe(&differences)
                        ),
                    ))
                }
            }
            Some(Cached::Failed(error)) => Some((
                ToastKind::Error,
                format!(
                    "Permissions of {shown} changed, but reading them back failed: {}",
                    explain(error)
                ),
            )),
            // Outdated: not cached, read again below.
            None => {
                wanted = true;
                None
            }
        };
        if let Some((kind, text)) = verdict {
            state.verifying.remove(&key);
            return answer(state, kind, text);
        }
    }
    if wanted && !state.permissions.in_flight.contains_key(&key) {
        // The answer was outdated (the user changed meanwhile): ask again.
        return permissions::fetch_user(state, email);
    }
    Vec::new()
}

fn edits(form: &Form, key: &str) -> bool {
    matches!(
        &form.subject,
        Subject::Edit { email, current: Load::Loading } if user_key(email) == key
    )
}

/// "Contacts: saved Import, not stored; stored Export, not saved".
pub(super) fn describe(differences: &[FeatureChange]) -> String {
    let names = |keys: &[String]| {
        keys.iter()
            .map(|k| sanitize(catalog::permission_name(k)).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    differences
        .iter()
        .map(|change| {
            let mut parts = Vec::new();
            if !change.removed.is_empty() {
                parts.push(format!("saved {}, not stored", names(&change.removed)));
            }
            if !change.added.is_empty() {
                parts.push(format!("stored {}, not saved", names(&change.added)));
            }
            format!(
                "{}: {}",
                sanitize(catalog::feature_name(&change.feature)),
                parts.join("; ")
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
