//! A preset on the marked users, per user (three requests): their
//! permissions read again just before the update, so what it overwrites —
//! and what undo gives back — is what they hold then; the update built
//! from that read; then a read-back, as a single edit does, saying when
//! Brevo stored something else. A user whose re-read differs from what
//! the plan was made from is skipped and stays marked; a failed re-read
//! fails them, nothing written.
//!
//! Brevo has no conditional update: this catches a change made before the
//! re-read, not one landing between the re-read and the write.

use crate::brevo::sanitize::sanitize;
use crate::brevo::{AccessRequest, ApiError, Change, Grants, UserPermissions, stored_differences};

use super::super::action::Effect;
use super::super::messages::explain_error;
use super::super::state::bulk::{Current, Work};
use super::super::state::{AppState, Waiter, user_key};
use super::{form_results, journal};

/// What the run does next (`bulk_run.rs` does it).
pub enum Then {
    Wait(Vec<Effect>),
    Next,
    Failed,
}

/// The re-read of a preset's user came back: skip, fail or send.
pub fn reread_arrived(
    state: &mut AppState,
    email: &str,
    work: Work,
    result: &Result<UserPermissions, ApiError>,
) -> Then {
    let Work::Preset {
        all_features,
        grants,
        planned,
    } = work
    else {
        return Then::Next;
    };
    let shown = sanitize(email).into_owned();
    let title = state
        .bulk
        .as_ref()
        .map(|r| r.title.clone())
        .unwrap_or_default();
    let now = match result {
        Err(error) => {
            let text = format!(
                "{title}: {shown}: not changed: reading their permissions again failed: {}",
                explain_error(error)
            );
            journal::note(state, text, false);
            return Then::Failed;
        }
        Ok(permissions) => permissions.grants.clone(),
    };
    if planned.is_some_and(|planned| planned != now) {
        // Never overwritten: the admin decides again (they stay marked).
        let text = format!("{title}: skipped {shown}: changed since you confirmed");
        journal::note(state, text, false);
        if let Some(run) = state.bulk.as_mut() {
            run.skipped += 1;
        }
        return Then::Next;
    }
    let change =
        Change::UpdatePermissions(AccessRequest::update(email, &now, &grants, all_features));
    state.in_flight.sent(change.clone(), Waiter::Bulk);
    if let Some(run) = state.bulk.as_mut() {
        run.current = Some(Current::Updating {
            change: change.clone(),
            before: now,
        });
    }
    Then::Wait(vec![Effect::Apply(change)])
}

/// What the preset's update in flight overwrote (its re-read), for undo.
pub fn overwritten(state: &AppState, change: &Change) -> Option<Grants> {
    match &state.bulk.as_ref()?.current {
        Some(Current::Updating { change: c, before }) if c == change => Some(before.clone()),
        _ => None,
    }
}

/// A preset's update took effect: it is read back (the third request).
/// `None` when the change was not a preset's.
pub fn read_back(state: &mut AppState, change: &Change) -> Option<Vec<Effect>> {
    let updating = matches!(
        &state.bulk.as_ref()?.current,
        Some(Current::Updating { change: c, .. }) if c == change
    );
    let Change::UpdatePermissions(sent) = change else {
        return None;
    };
    if !updating {
        return None;
    }
    let request = state.fresh_id();
    let email = sent.email.clone();
    state
        .permissions
        .in_flight
        .insert(user_key(&email), request);
    if let Some(run) = state.bulk.as_mut() {
        run.current = Some(Current::ReadingBack {
            request,
            sent: sent.clone(),
        });
    }
    Some(vec![Effect::FetchPermissions { email, request }])
}

/// The read-back came back: a difference (or a failure to read) goes to
/// the journal; the change stays done either way.
pub fn read_back_arrived(state: &mut AppState, result: &Result<UserPermissions, ApiError>) {
    let Some(run) = state.bulk.as_mut() else {
        return;
    };
    let Some(Current::ReadingBack { sent, .. }) = run.current.take() else {
        return;
    };
    let shown = sanitize(&sent.email).into_owned();
    let text = match result {
        Ok(stored) => {
            let differences = stored_differences(&sent, stored);
            if differences.is_empty() {
                None
            } else {
                run.stored_otherwise += 1;
                Some(format!(
                    "{shown}: Brevo stored something else than the preset: {}",
                    form_results::describe(&differences)
                ))
            }
        }
        Err(error) => Some(format!(
            "{shown}: changed, but reading the permissions back failed: {}",
            explain_error(error)
        )),
    };
    if let Some(text) = text {
        journal::note(state, text, false);
    }
}
