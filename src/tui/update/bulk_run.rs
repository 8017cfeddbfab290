//! Running a bulk action (or an undo): one user at a time, never two at
//! once and never twice on its own; an unclear answer is reconciled as
//! for a single change. Successes leave the marks, failures stay marked
//! so the same key retries them. Esc or Ctrl-C stops after the user in
//! flight.

use crate::brevo::{ApiError, Change, ChangeOutcome, LostAnswer, Reconciliation, UserPermissions};

use super::super::action::Effect;
use super::super::messages::capitalised;
use super::super::state::bulk::{BulkPlan, BulkRun, Current, Step, Work};
use super::super::state::{AppState, ToastKind, Waiter, user_key};
use super::toast::{answer, toast};
use super::{bulk_preset, journal, list, permissions, seats};

pub fn start(state: &mut AppState, plan: BulkPlan) -> Vec<Effect> {
    if plan.undo {
        state.undo.pop_batch();
    }
    let mut queue = std::collections::VecDeque::new();
    let mut skipped = 0;
    for item in plan.items {
        match item.step {
            Step::Do { work, .. } => queue.push_back((item.email, work)),
            Step::Skip(why) => {
                skipped += 1;
                journal::note(
                    state,
                    format!("{}: skipped {}: {why}", plan.title, item.email),
                    false,
                );
            }
        }
    }
    let batch = state.fresh_id();
    journal::note(
        state,
        format!(
            "{}: started on {} users, {skipped} skipped",
            plan.title,
            queue.len()
        ),
        true,
    );
    state.bulk = Some(BulkRun {
        batch,
        title: plan.title,
        undo: plan.undo,
        total: queue.len(),
        queue,
        current: None,
        done: 0,
        failed: 0,
        skipped,
        stored_otherwise: 0,
        stopping: false,
        seats_changed: false,
    });
    next(state)
}

/// The next user, or the end.
fn next(state: &mut AppState) -> Vec<Effect> {
    let quota = super::quota::refusal(state);
    let Some(run) = state.bulk.as_mut() else {
        return Vec::new();
    };
    run.current = None;
    if quota.is_some() {
        run.stopping = true;
    }
    let next = if run.stopping {
        None
    } else {
        run.queue.pop_front()
    };
    let Some((email, work)) = next else {
        return finish(state, quota);
    };
    match work {
        Work::Send(change) => send(state, change),
        Work::ReadThenSend(_) | Work::Preset { .. } => {
            let request = state.fresh_id();
            state
                .permissions
                .in_flight
                .insert(user_key(&email), request);
            let effect = Effect::FetchPermissions {
                email: email.clone(),
                request,
            };
            if let Some(run) = state.bulk.as_mut() {
                run.current = Some(Current::Reading {
                    email,
                    request,
                    work,
                });
            }
            vec![effect]
        }
    }
}

fn send(state: &mut AppState, change: Change) -> Vec<Effect> {
    state.in_flight.sent(change.clone(), Waiter::Bulk);
    if let Some(run) = state.bulk.as_mut() {
        run.current = Some(Current::Sending(change.clone()));
    }
    vec![Effect::Apply(change)]
}

/// Permissions arrived (before they are cached, so an answer the cache
/// discards still counts): the user waiting for them goes on.
pub fn permissions_arrived(
    state: &mut AppState,
    email: &str,
    request: u64,
    result: &Result<UserPermissions, ApiError>,
) -> Vec<Effect> {
    let Some(run) = state.bulk.as_mut() else {
        return Vec::new();
    };
    if matches!(&run.current, Some(Current::ReadingBack { request: r, .. }) if *r == request) {
        bulk_preset::read_back_arrived(state, result);
        return next(state);
    }
    let reading = matches!(&run.current, Some(Current::Reading { request: r, email: e, .. }) if *r == request && e == email);
    if !reading {
        return Vec::new();
    }
    let Some(Current::Reading { email, work, .. }) = run.current.take() else {
        return Vec::new();
    };
    if run.stopping {
        // Nothing was sent to them: they stay marked, untouched.
        return next(state);
    }
    match work {
        Work::ReadThenSend(change) => send(state, change),
        preset => match bulk_preset::reread_arrived(state, &email, preset, result) {
            bulk_preset::Then::Wait(effects) => effects,
            bulk_preset::Then::Next => next(state),
            bulk_preset::Then::Failed => failed(state),
        },
    }
}

pub fn applied(
    state: &mut AppState,
    change: Change,
    result: Result<ChangeOutcome, ApiError>,
) -> Vec<Effect> {
    match result {
        Ok(_) => succeeded(state, &change),
        Err(error) if error.is_unclear() => {
            let lost = LostAnswer::from(&error);
            state
                .in_flight
                .checking(change.clone(), Some(error.to_string()), Waiter::Bulk);
            vec![Effect::Reconcile(change, lost)]
        }
        Err(_) => failed(state),
    }
}

pub fn reconciled(
    state: &mut AppState,
    change: Change,
    result: Result<Reconciliation, ApiError>,
) -> Vec<Effect> {
    match result {
        Ok(Reconciliation::AlreadyDone) => succeeded(state, &change),
        // Never sent again on its own: it stays marked for the admin.
        _ => failed(state),
    }
}

fn succeeded(state: &mut AppState, change: &Change) -> Vec<Effect> {
    let undo = state.bulk.as_ref().is_some_and(|r| r.undo);
    if !undo {
        state.marks.unmark(change.email());
    }
    permissions::invalidate(state, change.email());
    if let Some(run) = state.bulk.as_mut() {
        run.done += 1;
    }
    bulk_preset::read_back(state, change).unwrap_or_else(|| next(state))
}

fn failed(state: &mut AppState) -> Vec<Effect> {
    if let Some(run) = state.bulk.as_mut() {
        run.failed += 1;
    }
    next(state)
}

/// Esc or Ctrl-C while running: after the user in flight, nothing more.
pub fn stop(state: &mut AppState) -> Vec<Effect> {
    let Some(run) = state.bulk.as_mut() else {
        return Vec::new();
    };
    run.stopping = true;
    if run.current.is_none() {
        return finish(state, None);
    }
    let text = "stopping after the user in flight…".to_owned();
    toast(state, ToastKind::Info, text)
}

fn finish(state: &mut AppState, quota: Option<String>) -> Vec<Effect> {
    let Some(run) = state.bulk.take() else {
        return Vec::new();
    };
    let mut text = format!("{}: {} done", capitalised(&run.title), run.done);
    if run.failed > 0 {
        let retry = if run.undo {
            ""
        } else {
            " (still marked: the same key retries them)"
        };
        text.push_str(&format!(", {} failed{retry}", run.failed));
    }
    if run.skipped > 0 {
        text.push_str(&format!(", {} skipped", run.skipped));
    }
    if run.stored_otherwise > 0 {
        text.push_str(&format!(
            ", {} where Brevo stored something else (L shows what)",
            run.stored_otherwise
        ));
    }
    let left = run.queue.len();
    if left > 0 {
        text.push_str(&format!(
            "; stopped after {} of {}, {left} not started",
            run.done + run.failed,
            run.total
        ));
    }
    if let Some(why) = quota {
        text.push_str(&format!(": {why}"));
    }
    // The message is journaled as every message is (`toast.rs`).
    let kind = if run.failed > 0 || left > 0 {
        ToastKind::Error
    } else {
        ToastKind::Success
    };
    let mut effects = answer(state, kind, text);
    if run.done > 0 {
        effects.extend(list::reload(state));
    }
    if run.seats_changed {
        effects.extend(seats::load(state));
    }
    effects
}
