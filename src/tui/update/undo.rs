//! The undo history: every change that succeeds in this run is recorded
//! with the change that reverses it, from what was known just before
//! (the cached permissions); `u` offers the newest batch back in one
//! confirmation (`bulk.rs` runs it). Revokes and cancels whose permissions
//! are not loaded read them first, one request said in their confirmation.

use crate::brevo::applicability::change_applies_in;
use crate::brevo::sanitize::sanitize;
use crate::brevo::{AccessRequest, ApiError, Change, ChangeOutcome, Grants, Reconciliation};

use super::super::action::Effect;
use super::super::form::Form;
use super::super::state::bulk::{BulkPlan, PlanItem, Step, Work};
use super::super::state::undo::{Inverse, UndoEntry, restore};
use super::super::state::{AppState, Cached, Modal, ToastKind, Waiter, user_key};
use super::toast::toast;
use super::{bulk, bulk_preset, changes, journal, permissions};

/// Every change's answer passes here before anyone acts on it (the cache
/// still holds the permissions from before the change).
pub fn applied(
    state: &mut AppState,
    change: &Change,
    result: Result<&ChangeOutcome, &ApiError>,
    waiter: Option<Waiter>,
) {
    journal::change_answered(state, change, result);
    if result.is_ok() {
        record(state, change, waiter);
    }
}

pub fn reconciled(
    state: &mut AppState,
    change: &Change,
    result: Result<&Reconciliation, &ApiError>,
    waiter: Option<Waiter>,
) {
    let text = match result {
        Ok(found) => format!("checked {}: {}", change.noun(), found.sentence(change)),
        Err(error) => format!("could not check {}: {error}", change.noun()),
    };
    let done = matches!(result, Ok(Reconciliation::AlreadyDone));
    journal::note(state, text, done);
    if done {
        record(state, change, waiter);
    }
}

fn grants_before(state: &AppState, email: &str) -> Option<Grants> {
    match state.permissions.cache.get(&user_key(email)) {
        Some(Cached::Loaded(p)) => Some(p.grants.clone()),
        _ => None,
    }
}

fn record(state: &mut AppState, change: &Change, waiter: Option<Waiter>) {
    let batch = match (&state.bulk, waiter) {
        (Some(run), Some(Waiter::Bulk)) if run.undo => return,
        (Some(run), Some(Waiter::Bulk)) => run.batch,
        _ => state.fresh_id(),
    };
    let email = change.email().to_owned();
    let inverse = match change {
        Change::Invite(_) => Inverse::Send(Change::CancelInvitation(email)),
        // A preset's update gives back what its re-read found.
        Change::UpdatePermissions(edit) => {
            match bulk_preset::overwritten(state, change).or_else(|| grants_before(state, &email)) {
                Some(before) => Inverse::Send(restore(edit, &before)),
                None => Inverse::Impossible(format!(
                    "the permissions of {} before the change were not loaded",
                    sanitize(&email)
                )),
            }
        }
        Change::Revoke(_) | Change::CancelInvitation(_) => match grants_before(state, &email) {
            Some(had) => {
                let all = had == Grants::everything();
                Inverse::Send(Change::Invite(AccessRequest::invite(email, all, had)))
            }
            None => Inverse::Unknown { email },
        },
        Change::ResendInvitation(_) => Inverse::Impossible(
            "a resent invitation cannot be undone: the email has gone out".to_owned(),
        ),
    };
    state.undo.entries.push(UndoEntry {
        batch,
        done: change.clone(),
        inverse,
    });
}

pub use super::super::state::undo::needs_read;

/// A confirmed single change: a revoke or cancel whose permissions are not
/// loaded reads them first (one request), then goes out.
pub fn send_confirmed(state: &mut AppState, change: Change) -> Vec<Effect> {
    if !needs_read(state, &change) || state.context.read_only {
        return changes::send(state, change);
    }
    let email = change.email().to_owned();
    state.undo.read_first.push((user_key(&email), change));
    let effects = permissions::fetch_user(state, &email);
    if effects.is_empty() && !state.permissions.in_flight.contains_key(&user_key(&email)) {
        return read_arrived(state, &email);
    }
    effects
}

/// Permissions arrived (or failed to): a change waiting for them goes out.
pub fn read_arrived(state: &mut AppState, email: &str) -> Vec<Effect> {
    let key = user_key(email);
    let Some(i) = state.undo.read_first.iter().position(|(k, _)| *k == key) else {
        return Vec::new();
    };
    let (_, change) = state.undo.read_first.remove(i);
    changes::send(state, change)
}

/// `u`: the newest batch, offered back in one confirmation.
pub fn requested(state: &mut AppState) -> Vec<Effect> {
    if state.bulk.is_some() {
        let text = "a bulk action is running: wait for it, or Esc stops it".to_owned();
        return toast(state, ToastKind::Error, text);
    }
    let Some(last) = state.undo.entries.last().map(|e| e.batch) else {
        let text = "nothing to undo: no change was made in this run".to_owned();
        return toast(state, ToastKind::Info, text);
    };
    let entries: Vec<UndoEntry> = state
        .undo
        .entries
        .iter()
        .filter(|e| e.batch == last)
        .cloned()
        .collect();
    if let [only] = entries.as_slice() {
        match &only.inverse {
            Inverse::Impossible(why) => {
                state.undo.pop_batch();
                let text = format!(
                    "{} cannot be undone: {why}; u again goes further back",
                    capital(&only.done.noun())
                );
                return toast(state, ToastKind::Error, text);
            }
            Inverse::Unknown { email } => {
                state.undo.pop_batch();
                let mut form = Form::invite();
                form.paste(email);
                state.modals.open_over(Modal::Form(Box::new(form)));
                let text = format!(
                    "the permissions {} had were not known: invite them again with the permissions to give",
                    sanitize(email)
                );
                return toast(state, ToastKind::Info, text);
            }
            Inverse::Send(_) => {}
        }
    }
    let plan = plan(state, &entries);
    state.modals.open_over(Modal::Bulk(Box::new(plan)));
    Vec::new()
}

fn capital(text: &str) -> String {
    super::super::messages::capitalised(text)
}

/// What undoing `entries` sends, each checked against the list (someone
/// already back, or gone, is skipped with the core's sentence).
pub fn plan(state: &AppState, entries: &[UndoEntry]) -> BulkPlan {
    let mut notes = Vec::new();
    let items = entries
        .iter()
        .rev()
        .map(|entry| {
            let email = entry.done.email().to_owned();
            let step = match &entry.inverse {
                Inverse::Send(change) => match change_applies_in(change, &state.list.users) {
                    Err(why) => Step::Skip(why.to_string()),
                    Ok(()) => Step::Do {
                        what: describe(state, change, &mut notes),
                        work: Work::Send(change.clone()),
                    },
                },
                Inverse::Unknown { .. } => Step::Skip(
                    "the permissions they had were not known: invite them by hand (i)".to_owned(),
                ),
                Inverse::Impossible(why) => Step::Skip(why.clone()),
            };
            PlanItem {
                email,
                shown: true,
                step,
            }
        })
        .collect();
    bulk::finish_plan("undo".to_owned(), items, notes, None, true, state)
}

fn describe(state: &AppState, change: &Change, notes: &mut Vec<String>) -> String {
    match change {
        Change::Invite(request) => {
            let note = "An undone revoke or cancel is a new invitation: the person must accept it, and a seat may be billed.";
            if !notes.iter().any(|n| n == note) {
                notes.push(note.to_owned());
            }
            let had = if request.all_features_access {
                "all features".to_owned()
            } else {
                // Exactly what is sent, in the `--grant` spelling.
                crate::brevo::sanitize::sanitize(&request.grants.spelled()).into_owned()
            };
            format!("invite again with {had}")
        }
        Change::UpdatePermissions(request) => {
            let now = grants_before(state, &request.email);
            let diff = now
                .map(|now| now.diff(&request.grants))
                .unwrap_or_default()
                .iter()
                .map(|c| {
                    let mut parts = Vec::new();
                    if !c.added.is_empty() {
                        parts.push(format!("+{}", c.added.join(",")));
                    }
                    if !c.removed.is_empty() {
                        parts.push(format!("-{}", c.removed.join(",")));
                    }
                    format!("{} {}", c.feature, parts.join(" "))
                })
                .collect::<Vec<_>>();
            if diff.is_empty() {
                "restore the previous permissions (sent as the full set)".to_owned()
            } else {
                format!("restore the previous permissions: {}", diff.join("; "))
            }
        }
        Change::CancelInvitation(_) => "cancel the invitation".to_owned(),
        other => other.verb().to_owned(),
    }
}
