//! Behaviour of `update`, with no terminal, no network and no clock.

use std::time::{Duration, Instant};

use crate::brevo::{
    ApiError, Change, ChangeOutcome, Grants, RateLimit, Reconciliation, User, UserPermissions,
    UserStatus,
};

use super::super::action::{Action, Command, Effect, TimedAction};
use super::super::state::permissions::PermissionsView;
use super::super::state::{
    AppState, Confirmed, Context, Focus, ListStatus, Modal, Mode, RetryReason, Settings, SortKey,
    ToastKind,
};
use super::{start, update};

pub(super) fn user(email: &str, owner: bool, status: &str) -> User {
    User {
        email: email.to_owned(),
        is_owner: owner,
        status: UserStatus::parse(status),
        feature_access: Default::default(),
        id: None,
        locale: None,
    }
}

pub(super) fn org() -> Vec<User> {
    vec![
        user("owner@acme.test", true, "active"),
        user("ops@acme.test", false, "active"),
        user("new.hire@acme.test", false, "pending"),
        user("Bea@acme.test", false, "active"),
    ]
}

fn state_with(users: Vec<User>, width: u16) -> AppState {
    let mut state = AppState::new(Context::default(), Settings::default());
    update(&mut state, Action::Resize { width, height: 40 });
    let effects = start(&mut state);
    let Effect::LoadUsers { request } = effects[0] else {
        panic!("{effects:?}")
    };
    update(
        &mut state,
        Action::UsersLoaded {
            request,
            result: Ok(users),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    state
}

pub(super) fn loaded() -> AppState {
    state_with(org(), 120)
}

pub(super) fn press(state: &mut AppState, command: Command) -> Vec<Effect> {
    update(state, Action::Command(command))
}

pub(super) fn selected(state: &AppState) -> &str {
    state.view.selected.as_deref().unwrap_or("")
}

pub(super) fn fetches(effects: &[Effect]) -> Vec<&str> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPermissions { email, .. } => Some(email.as_str()),
            _ => None,
        })
        .collect()
}

/// Fires every debounce timer among the effects, as the worker would.
pub(super) fn settle(state: &mut AppState, effects: Vec<Effect>) -> Vec<Effect> {
    let mut out = Vec::new();
    for effect in effects {
        match effect {
            Effect::After {
                action: action @ TimedAction::Rested { .. },
                ..
            } => out.extend(update(state, action.into())),
            other => out.push(other),
        }
    }
    out
}

pub(super) fn select(state: &mut AppState, email: &str) -> Vec<Effect> {
    let mut effects = press(state, Command::Top);
    while selected(state) != email {
        effects = press(state, Command::Down);
    }
    effects
}

fn permissions(email: &str) -> UserPermissions {
    UserPermissions {
        email: email.to_owned(),
        status: UserStatus::Active,
        grants: Grants::from_pairs([("contacts", vec!["view"])]),
        unrecognised: Vec::new(),
    }
}

/// Their permissions are loaded (so a revoke or cancel needs no read
/// first for undo).
fn loaded_permissions(state: &mut AppState, email: &str) {
    let key = super::super::state::user_key(email);
    let cached = super::super::state::Cached::Loaded(permissions(email));
    state.permissions.cache.insert(key, cached);
}

pub(super) fn rate_left(remaining: u64) -> Option<RateLimit> {
    rate(remaining)
}

fn rate(remaining: u64) -> Option<RateLimit> {
    Some(RateLimit {
        limit: Some(100),
        remaining: Some(remaining),
        reset_after: Some(Duration::from_secs(600)),
        observed_at: Instant::now(),
    })
}

pub(super) fn toast_text(state: &AppState) -> String {
    state.toast().map(|t| t.text.clone()).unwrap_or_default()
}

pub(super) fn timeout() -> ApiError {
    ApiError::Timeout {
        after: Duration::from_millis(50),
        attempts: 1,
    }
}

#[test]
fn navigation_moves_and_clamps() {
    let mut state = loaded();
    // sorted by email, case-insensitively
    assert_eq!(selected(&state), "Bea@acme.test");
    press(&mut state, Command::Down);
    assert_eq!(selected(&state), "new.hire@acme.test");
    press(&mut state, Command::Bottom);
    assert_eq!(selected(&state), "owner@acme.test");
    press(&mut state, Command::Down);
    assert_eq!(selected(&state), "owner@acme.test");
    press(&mut state, Command::PageUp);
    assert_eq!(selected(&state), "Bea@acme.test");
    press(&mut state, Command::PageDown);
    assert_eq!(selected(&state), "owner@acme.test");
    press(&mut state, Command::Top);
    press(&mut state, Command::Up);
    assert_eq!(selected(&state), "Bea@acme.test");
}

#[test]
fn tab_and_enter_switch_focus_and_esc_goes_back() {
    let mut state = loaded();
    press(&mut state, Command::NextPane);
    assert_eq!(state.focus, Focus::Permissions);
    press(&mut state, Command::PrevPane);
    assert_eq!(state.focus, Focus::Users);
    press(&mut state, Command::FocusPermissions);
    assert_eq!(state.mode(), Mode::Permissions);
    press(&mut state, Command::Back);
    assert_eq!(state.mode(), Mode::Users);
}

#[test]
fn filter_narrows_case_insensitively_and_esc_clears_it() {
    let mut state = loaded();
    press(&mut state, Command::Filter);
    assert_eq!(state.mode(), Mode::Filter);
    for c in "ACME.TEST".chars() {
        update(&mut state, Action::FilterInput(c));
    }
    assert_eq!(state.visible().len(), 4);
    press(&mut state, Command::FilterErase);
    for c in "OP".chars() {
        update(&mut state, Action::FilterInput(c));
    }
    assert_eq!(state.visible().len(), 1);
    assert_eq!(selected(&state), "ops@acme.test");
    press(&mut state, Command::FilterAccept);
    assert_eq!(state.mode(), Mode::Users);
    assert_eq!(state.view.filter.text, "OP");
    press(&mut state, Command::Back);
    assert_eq!(state.visible().len(), 4);
    assert_eq!(selected(&state), "ops@acme.test", "clearing keeps the user");
}

#[test]
fn sort_cycles_and_keeps_the_selection() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    press(&mut state, Command::CycleSort);
    assert_eq!(state.view.sort, SortKey::Role);
    assert!(state.list.users[state.visible()[0]].is_owner, "owner first");
    press(&mut state, Command::CycleSort);
    assert_eq!(state.view.sort, SortKey::Status);
    let first = state.visible()[0];
    assert!(state.list.users[first].is_pending(), "pending first");
    assert_eq!(selected(&state), "ops@acme.test");
    press(&mut state, Command::ReverseSort);
    assert!(state.view.reverse);
    let last = *state.visible().last().unwrap();
    assert!(
        state.list.users[last].is_pending(),
        "reversed: pending last"
    );
    assert_eq!(selected(&state), "ops@acme.test", "the selection stays");
    press(&mut state, Command::CycleSort);
    assert_eq!(state.view.sort, SortKey::Access);
    assert!(!state.view.reverse, "a new column starts ascending");
    press(&mut state, Command::CycleSort);
    assert_eq!(state.view.sort, SortKey::Email);
}

#[test]
fn reload_keeps_the_user_or_picks_the_nearest() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    let effects = press(&mut state, Command::Reload);
    assert!(matches!(state.list.status, ListStatus::Loading));
    let [Effect::LoadUsers { request }] = effects[..] else {
        panic!("{effects:?}")
    };
    let mut users = org();
    users.push(user("aaa@acme.test", false, "active"));
    update(
        &mut state,
        Action::UsersLoaded {
            request,
            result: Ok(users),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    assert_eq!(selected(&state), "ops@acme.test");
    // ops is gone: the user now at its position is selected
    let index = state.view.index;
    let effects = press(&mut state, Command::Reload);
    let [Effect::LoadUsers { request }] = effects[..] else {
        panic!()
    };
    let users: Vec<User> = org()
        .into_iter()
        .filter(|u| u.email != "ops@acme.test")
        .collect();
    update(
        &mut state,
        Action::UsersLoaded {
            request,
            result: Ok(users),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    assert_eq!(state.view.index, index.min(2));
    assert_eq!(selected(&state), "owner@acme.test");
}

#[test]
fn an_outdated_list_answer_is_ignored() {
    let mut state = loaded();
    let first = press(&mut state, Command::Reload);
    // A second R waits for the first answer; a change's reload does not
    // (it must show the change), so it supersedes the first.
    let second = super::list::reload(&mut state);
    let (Effect::LoadUsers { request: old }, Effect::LoadUsers { request: new }) =
        (&first[0], &second[0])
    else {
        panic!()
    };
    update(
        &mut state,
        Action::UsersLoaded {
            request: *old,
            result: Ok(vec![]),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    assert_eq!(state.list.users.len(), 4);
    update(
        &mut state,
        Action::UsersLoaded {
            request: *new,
            result: Err(timeout()),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    assert!(matches!(state.list.status, ListStatus::Failed(_)));
}

#[test]
fn cancel_asks_first_with_no_focused_and_sends_only_on_yes() {
    let mut state = loaded();
    select(&mut state, "new.hire@acme.test");
    loaded_permissions(&mut state, "new.hire@acme.test");
    let effects = press(&mut state, Command::CancelInvitation);
    assert!(effects.is_empty(), "nothing sent before confirming");
    let Some(Modal::Confirm(confirm)) = state.modal() else {
        panic!("no dialog")
    };
    assert_eq!(confirm.focus, super::super::state::Button::No);
    assert_eq!(
        confirm.what,
        Confirmed::Apply(Change::CancelInvitation("new.hire@acme.test".into()))
    );
    // Enter on the default button declines
    assert!(press(&mut state, Command::Activate).is_empty());
    assert!(state.modal().is_none());
    // n and Esc decline too
    press(&mut state, Command::CancelInvitation);
    assert!(press(&mut state, Command::No).is_empty());
    assert!(state.modal().is_none());
    // moving focus to Yes and pressing Enter sends it
    press(&mut state, Command::CancelInvitation);
    press(&mut state, Command::NextButton);
    let effects = press(&mut state, Command::Activate);
    assert_eq!(
        effects,
        vec![Effect::Apply(Change::CancelInvitation(
            "new.hire@acme.test".into()
        ))]
    );
}

#[test]
fn the_dialog_takes_every_key_first() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    loaded_permissions(&mut state, "ops@acme.test");
    press(&mut state, Command::Revoke);
    assert_eq!(state.mode(), Mode::Confirm);
    // a navigation command does nothing to the list underneath
    let before = selected(&state).to_owned();
    press(&mut state, Command::Down);
    assert_eq!(selected(&state), before);
    let effects = press(&mut state, Command::Yes);
    assert_eq!(
        effects,
        vec![Effect::Apply(Change::Revoke("ops@acme.test".into()))]
    );
    assert!(state.busy());
}

#[test]
fn inapplicable_changes_are_refused_with_a_reason_and_send_nothing() {
    let mut state = loaded();
    select(&mut state, "owner@acme.test");
    let only_toast = |effects: &[Effect]| effects.iter().all(|e| matches!(e, Effect::After { .. }));
    assert!(only_toast(&press(&mut state, Command::Revoke)));
    assert!(toast_text(&state).contains("owner's access cannot be revoked"));
    assert!(state.modal().is_none());
    select(&mut state, "ops@acme.test");
    assert!(only_toast(&press(&mut state, Command::Resend)));
    assert!(toast_text(&state).contains("only a pending invitation can be resent"));
    assert!(only_toast(&press(&mut state, Command::CancelInvitation)));
    select(&mut state, "new.hire@acme.test");
    assert!(only_toast(&press(&mut state, Command::Revoke)));
    assert!(toast_text(&state).contains("cancel the invitation instead"));
    assert_eq!(state.toast().unwrap().kind, ToastKind::Error);
}

#[test]
fn resend_goes_out_at_once_and_reports_billing() {
    let mut state = loaded();
    select(&mut state, "new.hire@acme.test");
    let change = Change::ResendInvitation("new.hire@acme.test".into());
    let sent = press(&mut state, Command::Resend);
    let applies: Vec<&Effect> = sent
        .iter()
        .filter(|e| matches!(e, Effect::Apply(_)))
        .collect();
    assert_eq!(applies, vec![&Effect::Apply(change.clone())]);
    let outcome = ChangeOutcome {
        status: "OK".into(),
        invoice_ids: vec![],
        credit_notes: vec!["CN-1".into()],
    };
    let effects = update(
        &mut state,
        Action::ChangeApplied {
            change,
            result: Ok(outcome),
            rate: rate(90),
        },
    );
    assert!(toast_text(&state).starts_with("Invitation resent to new.hire@acme.test"));
    assert!(
        toast_text(&state).contains("CN-1"),
        "{}",
        toast_text(&state)
    );
    assert_eq!(
        effects
            .iter()
            .filter(|e| matches!(e, Effect::LoadUsers { .. }))
            .count(),
        0,
        "a resend changes nothing in the list: it is not read again"
    );
    assert_eq!(state.requests_left(), Some(90));
}

#[test]
fn read_only_refuses_changes_with_a_reason() {
    let mut state = loaded();
    state.context.read_only = true;
    select(&mut state, "ops@acme.test");
    for command in [Command::Revoke, Command::Resend, Command::CancelInvitation] {
        let effects = press(&mut state, command);
        assert!(effects.iter().all(|e| matches!(e, Effect::After { .. })));
        assert!(
            toast_text(&state).contains("read-only"),
            "{}",
            toast_text(&state)
        );
        assert!(state.modal().is_none());
    }
}

#[test]
fn a_burst_of_moves_fetches_once_for_where_the_selection_rests() {
    let users: Vec<User> = (0..40)
        .map(|i| user(&format!("u{i:02}@acme.test"), false, "active"))
        .collect();
    let mut state = state_with(users, 120);
    let mut timers = Vec::new();
    for _ in 0..39 {
        timers.extend(press(&mut state, Command::Down));
    }
    // no fetch while moving; timers fire afterwards, only the last counts
    assert!(fetches(&timers).is_empty());
    let sent = settle(&mut state, timers);
    assert_eq!(fetches(&sent), vec!["u39@acme.test"]);
    // resting again on the same user costs nothing more
    let again = press(&mut state, Command::Up);
    let again = [again, press(&mut state, Command::Down)].concat();
    assert!(fetches(&settle(&mut state, again)).is_empty());
}

#[test]
fn answers_are_cached_even_after_the_selection_moved_on() {
    let mut state = loaded();
    let effects = select(&mut state, "ops@acme.test");
    let sent = settle(&mut state, effects);
    let [Effect::FetchPermissions { email, request }] = &sent[..] else {
        panic!("{sent:?}")
    };
    assert_eq!(email, "ops@acme.test");
    assert!(matches!(state.permissions_view(), PermissionsView::Loading));
    // move on before the answer comes
    press(&mut state, Command::Bottom);
    update(
        &mut state,
        Action::PermissionsLoaded {
            email: email.clone(),
            request: *request,
            result: Ok(permissions("ops@acme.test")),
            rate: rate(80),
        },
    );
    let back = select(&mut state, "ops@acme.test");
    assert!(
        fetches(&settle(&mut state, back)).is_empty(),
        "from the cache"
    );
    assert!(matches!(
        state.permissions_view(),
        PermissionsView::Loaded(_)
    ));
}

#[test]
fn the_owner_needs_no_request() {
    let mut state = loaded();
    let effects = select(&mut state, "owner@acme.test");
    assert!(fetches(&settle(&mut state, effects)).is_empty());
    assert!(matches!(state.permissions_view(), PermissionsView::Owner));
    assert!(press(&mut state, Command::FocusPermissions).is_empty());
}

#[test]
fn nothing_is_fetched_while_the_pane_is_hidden() {
    let mut state = state_with(org(), 80);
    let effects = select(&mut state, "ops@acme.test");
    assert!(fetches(&settle(&mut state, effects)).is_empty());
    // Enter shows the pane and fetches
    let effects = press(&mut state, Command::FocusPermissions);
    assert_eq!(fetches(&effects), vec!["ops@acme.test"]);
}

#[test]
fn with_a_low_quota_permissions_load_only_on_enter() {
    let mut state = loaded();
    let effects = press(&mut state, Command::Reload);
    let [Effect::LoadUsers { request }] = effects[..] else {
        panic!()
    };
    update(
        &mut state,
        Action::UsersLoaded {
            request,
            result: Ok(org()),
            rate: rate(19),
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    assert!(state.quota_low());
    let effects = select(&mut state, "ops@acme.test");
    assert!(fetches(&settle(&mut state, effects)).is_empty());
    assert!(matches!(state.permissions_view(), PermissionsView::OnEnter));
    let effects = press(&mut state, Command::FocusPermissions);
    assert_eq!(fetches(&effects), vec!["ops@acme.test"]);
}

#[test]
fn a_change_and_reload_drop_cached_permissions() {
    let mut state = loaded();
    let effects = select(&mut state, "ops@acme.test");
    let sent = settle(&mut state, effects);
    let [Effect::FetchPermissions { request, .. }] = sent[..] else {
        panic!()
    };
    // R while the request is out: its answer must not fill the cache
    let effects = press(&mut state, Command::Reload);
    update(
        &mut state,
        Action::PermissionsLoaded {
            email: "ops@acme.test".into(),
            request,
            result: Ok(permissions("ops@acme.test")),
            rate: None,
        },
    );
    assert!(state.permissions.cache.is_empty());
    let [Effect::LoadUsers { request }] = effects[..] else {
        panic!()
    };
    let effects = update(
        &mut state,
        Action::UsersLoaded {
            request,
            result: Ok(org()),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    // same user still selected: fetched again after the debounce
    assert_eq!(fetches(&settle(&mut state, effects)), vec!["ops@acme.test"]);
}

#[test]
fn an_unclear_failure_is_reconciled_not_repeated() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    press(&mut state, Command::Revoke);
    let change = Change::Revoke("ops@acme.test".into());
    press(&mut state, Command::Yes);
    let effects = update(
        &mut state,
        Action::ChangeApplied {
            change: change.clone(),
            result: Err(timeout()),
            rate: None,
        },
    );
    assert!(effects.contains(&Effect::Reconcile(
        change.clone(),
        crate::brevo::LostAnswer::MayStillBeWorking
    )));
    assert!(!effects.iter().any(|e| matches!(e, Effect::Apply(_))));
    // Brevo shows it done: reported, list reloaded, nothing resent
    let effects = update(
        &mut state,
        Action::Reconciled {
            change: change.clone(),
            result: Ok(Reconciliation::AlreadyDone),
            rate: None,
        },
    );
    assert!(toast_text(&state).starts_with("Already done"));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadUsers { .. }))
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::Apply(_))));
}

#[test]
fn when_not_done_the_user_is_offered_a_retry_defaulting_to_no() {
    let mut state = loaded();
    let change = Change::CancelInvitation("new.hire@acme.test".into());
    let effects = update(
        &mut state,
        Action::Reconciled {
            change: change.clone(),
            result: Ok(Reconciliation::NotDone),
            rate: None,
        },
    );
    assert!(effects.is_empty());
    let Some(Modal::Confirm(confirm)) = state.modal() else {
        panic!()
    };
    assert_eq!(
        confirm.what,
        Confirmed::Retry(change.clone(), RetryReason::NotDone)
    );
    assert!(press(&mut state, Command::Activate).is_empty());
    update(
        &mut state,
        Action::Reconciled {
            change: change.clone(),
            result: Ok(Reconciliation::NotDone),
            rate: None,
        },
    );
    assert_eq!(press(&mut state, Command::Yes), vec![Effect::Apply(change)]);
}

#[test]
fn a_clear_failure_shows_the_servers_message_and_request_id() {
    let mut state = loaded();
    let effects = update(
        &mut state,
        Action::ChangeApplied {
            change: Change::Revoke("ops@acme.test".into()),
            result: Err(ApiError::Forbidden {
                code: "permission_denied".into(),
                message: "Not allowed".into(),
                request_id: Some("rid-1".into()),
            }),
            rate: None,
        },
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::Reconcile(..))));
    let text = toast_text(&state);
    assert!(
        text.contains("Not allowed") && text.contains("rid-1"),
        "{text}"
    );
    assert_eq!(state.toast().unwrap().kind, ToastKind::Error);
}

#[test]
fn quitting_asks_first_while_a_change_is_in_flight() {
    let mut state = loaded();
    assert_eq!(press(&mut state, Command::Quit), vec![Effect::Quit]);
    let mut state = loaded();
    select(&mut state, "new.hire@acme.test");
    press(&mut state, Command::Resend);
    assert!(press(&mut state, Command::Quit).is_empty());
    assert!(matches!(
        state.modal(),
        Some(Modal::Confirm(c)) if c.what == Confirmed::Quit
    ));
    // Quitting is the effect alone: the event loop ends on it.
    assert!(press(&mut state, Command::No).is_empty());
    press(&mut state, Command::Quit);
    assert_eq!(press(&mut state, Command::Yes), vec![Effect::Quit]);
}

#[test]
fn help_opens_over_the_mode_and_esc_closes_it() {
    let mut state = loaded();
    press(&mut state, Command::NextPane);
    press(&mut state, Command::Help);
    assert!(matches!(
        state.modal(),
        Some(Modal::Help(help)) if help.mode == Mode::Permissions
    ));
    assert_eq!(state.mode(), Mode::Help);
    press(&mut state, Command::Back);
    assert!(state.modal().is_none());
}

#[test]
fn toasts_expire_by_timer() {
    let mut state = loaded();
    select(&mut state, "owner@acme.test");
    let effects = press(&mut state, Command::Revoke);
    let Some(Effect::After {
        action: TimedAction::ToastExpired(id),
        ..
    }) = effects.first()
    else {
        panic!("{effects:?}")
    };
    update(&mut state, Action::ToastExpired(*id));
    assert!(state.toast().is_none());
}

#[test]
fn copy_asks_the_loop_to_write_the_email() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    assert_eq!(
        press(&mut state, Command::CopyEmail),
        vec![Effect::CopyToClipboard("ops@acme.test".into())]
    );
    update(
        &mut state,
        Action::ClipboardWritten {
            email: "ops@acme.test".into(),
            ok: true,
        },
    );
    assert_eq!(
        toast_text(&state),
        "ops@acme.test sent to the terminal clipboard"
    );
}
