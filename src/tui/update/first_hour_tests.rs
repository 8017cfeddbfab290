//! What a new admin met in the first hour: actions on rows nobody could
//! see, a held key sending twenty requests or twenty emails, messages that
//! vanished or told them to press the wrong key.

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::brevo::{ApiError, Change, ChangeOutcome};

use super::super::action::{Action, Command, Effect, TimedAction};
use super::super::keymap::Keymap;
use super::super::state::{AppState, ListStatus, ToastKind};
use super::super::view;
use super::tests::{loaded, press, select, toast_text, user};
use super::update;

fn screen(state: &AppState, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|frame| view::render(frame, state, &Keymap::default()))
        .expect("drawn");
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// The text of the left pane (the users), its lines joined, so a sentence
/// wrapped across lines can be looked for whole.
fn users_pane(drawn: &str) -> String {
    let mut text = String::new();
    for line in drawn.lines() {
        let mut cells = line.split(['┃', '│']);
        if let (Some(_), Some(inside)) = (cells.next(), cells.next()) {
            text.push_str(inside.trim_end());
            text.push(' ');
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn loads(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadUsers { .. }))
        .count()
}

fn list_answer(
    state: &mut AppState,
    effects: &[Effect],
    result: Result<Vec<crate::brevo::User>, ApiError>,
) -> Vec<Effect> {
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadUsers { request } => Some(*request),
            _ => None,
        })
        .expect("a list request");
    update(
        state,
        Action::UsersLoaded {
            request,
            result,
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    )
}

fn rate_limited(seconds: u64) -> ApiError {
    ApiError::RateLimited {
        reset_after: Some(Duration::from_secs(seconds)),
        request_id: None,
    }
}

#[test]
fn a_failed_reload_keeps_the_last_list_on_screen_with_the_error_above_it() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    let reload = press(&mut state, Command::Reload);
    let server_error = ApiError::Server {
        status: 502,
        message: "bad gateway".into(),
        request_id: None,
    };
    list_answer(&mut state, &reload, Err(server_error));
    assert!(matches!(state.list.status, ListStatus::Failed(_)));
    let drawn = users_pane(&screen(&state, 120, 40));
    assert!(drawn.contains("Reload failed"), "{drawn}");
    assert!(drawn.contains("Showing the list from"), "{drawn}");
    assert!(
        drawn.contains("ops@acme.test"),
        "the rows stay visible:\n{drawn}"
    );
    assert!(drawn.contains("Press R to try again"), "{drawn}");
    // The action acts on the row the admin sees.
    press(&mut state, Command::Revoke);
    assert!(state.modal().is_some());
}

#[test]
fn during_a_429_r_is_refused_until_the_quota_resets_and_says_when() {
    let mut state = loaded();
    let reload = press(&mut state, Command::Reload);
    let effects = list_answer(&mut state, &reload, Err(rate_limited(3600)));
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::After {
            action: TimedAction::QuotaCountdown { .. },
            ..
        }
    )));
    let mut sent = 0;
    for _ in 0..20 {
        sent += loads(&press(&mut state, Command::Reload));
    }
    assert_eq!(
        sent, 0,
        "twenty presses send nothing while the quota is used up"
    );
    assert!(
        toast_text(&state).contains("about 60 min"),
        "{}",
        toast_text(&state)
    );
    let drawn = users_pane(&screen(&state, 120, 40));
    assert!(
        drawn.contains("works again when Brevo's quota resets"),
        "{drawn}"
    );
    assert!(!drawn.contains("Press R to try again"), "{drawn}");
    // The countdown brings R back when the hour is over.
    for _ in 0..60 {
        let generation = state.profiles.generation;
        update(&mut state, Action::QuotaCountdown { generation });
    }
    assert!(state.quota_wait.is_none());
    assert_eq!(loads(&press(&mut state, Command::Reload)), 1);
}

#[test]
fn another_accounts_countdown_does_not_shorten_this_ones_wait() {
    let mut state = loaded();
    let reload = press(&mut state, Command::Reload);
    list_answer(&mut state, &reload, Err(rate_limited(120)));
    let old = state.profiles.generation;
    // A profile switch: the new account hits its own 429.
    state.profiles.generation += 1;
    state.quota_wait = None;
    let reload = press(&mut state, Command::Reload);
    list_answer(&mut state, &reload, Err(rate_limited(120)));
    let before = state.quota_wait;
    update(&mut state, Action::QuotaCountdown { generation: old });
    assert_eq!(
        state.quota_wait, before,
        "the old account's timer is ignored"
    );
}

#[test]
fn a_second_resend_within_a_minute_asks_first() {
    let mut state = loaded();
    select(&mut state, "new.hire@acme.test");
    let first = press(&mut state, Command::Resend);
    let cooled = first
        .iter()
        .find_map(|e| match e {
            Effect::After {
                action: TimedAction::ResendCooled(id),
                ..
            } => Some(*id),
            _ => None,
        })
        .expect("a cooldown timer");
    let change = Change::ResendInvitation("new.hire@acme.test".into());
    update(
        &mut state,
        Action::ChangeApplied {
            change: change.clone(),
            result: Ok(ChangeOutcome::default()),
            rate: None,
        },
    );
    // A held key: twenty more presses send nothing, they ask.
    for _ in 0..20 {
        let effects = press(&mut state, Command::Resend);
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Apply(_))),
            "{effects:?}"
        );
    }
    assert!(state.modal().is_some(), "a second resend asks first");
    press(&mut state, Command::No);
    update(&mut state, Action::ResendCooled(cooled));
    let later = press(&mut state, Command::Resend);
    assert!(
        later.contains(&Effect::Apply(change)),
        "after a minute it goes out unasked"
    );
}

#[test]
fn only_a_plain_email_reaches_the_clipboard() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    assert_eq!(
        press(&mut state, Command::CopyEmail),
        vec![Effect::CopyToClipboard("ops@acme.test".into())]
    );
    state
        .list
        .users
        .push(user("f\r\nrm -rf ~\n@x.test", false, "active"));
    state.list.revision += 1;
    state.refresh_rows();
    select(&mut state, "f\r\nrm -rf ~\n@x.test");
    let effects = press(&mut state, Command::CopyEmail);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::CopyToClipboard(_))),
        "{effects:?}"
    );
    assert!(
        toast_text(&state).contains("not copied"),
        "{}",
        toast_text(&state)
    );
}

#[test]
fn the_answer_to_a_change_stays_until_the_next_key_press() {
    let mut state = loaded();
    select(&mut state, "new.hire@acme.test");
    press(&mut state, Command::CancelInvitation);
    press(&mut state, Command::Yes);
    let effects = update(
        &mut state,
        Action::ChangeApplied {
            change: Change::CancelInvitation("new.hire@acme.test".into()),
            result: Ok(ChangeOutcome::default()),
            rate: None,
        },
    );
    assert!(
        !effects.iter().any(|e| matches!(
            e,
            Effect::After {
                action: TimedAction::ToastExpired(_),
                ..
            }
        )),
        "no timer takes the answer away"
    );
    assert_eq!(state.toast().map(|t| t.kind), Some(ToastKind::Success));
    press(&mut state, Command::Down);
    assert!(state.toast().is_none(), "read, and gone with the next key");
}

#[test]
fn a_stale_error_does_not_stay_under_a_new_dialog() {
    let mut state = loaded();
    select(&mut state, "owner@acme.test");
    press(&mut state, Command::Revoke);
    assert_eq!(state.toast().map(|t| t.kind), Some(ToastKind::Error));
    select(&mut state, "ops@acme.test");
    press(&mut state, Command::Revoke);
    assert!(state.modal().is_some());
    assert!(state.toast().is_none(), "{:?}", state.toast());
}

#[test]
fn a_failed_permission_fetch_is_retried_by_enter_and_a_wrong_key_by_nothing() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    let key = "ops@acme.test".to_owned();
    let timeout = ApiError::Timeout {
        after: Duration::from_secs(30),
        attempts: 1,
    };
    state
        .permissions
        .cache
        .insert(key.clone(), super::super::state::Cached::Failed(timeout));
    let drawn = screen(&state, 120, 40);
    assert!(drawn.contains("Press Enter to try again"), "{drawn}");
    assert!(!drawn.contains("press R"), "{drawn}");
    let unauthorized = ApiError::Unauthorized {
        message: "Key not found".into(),
        request_id: None,
    };
    state
        .permissions
        .cache
        .insert(key, super::super::state::Cached::Failed(unauthorized));
    let drawn = screen(&state, 120, 40);
    assert!(
        !drawn.contains("try again"),
        "a wrong key is not fixed by retrying:\n{drawn}"
    );
}

#[test]
fn before_the_first_list_the_invite_form_does_not_claim_the_email_is_new() {
    let mut state = AppState::new(Default::default(), Default::default());
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    press(&mut state, Command::Invite);
    for c in "ops@acme.test".chars() {
        update(&mut state, Action::FormInput(c));
    }
    let drawn = screen(&state, 120, 40);
    assert!(drawn.contains("list not loaded yet"), "{drawn}");
    assert!(!drawn.contains("not in the list yet"), "{drawn}");
}

#[test]
fn esc_on_a_sent_form_says_the_answer_will_still_come_and_where() {
    let mut state = loaded();
    press(&mut state, Command::Invite);
    for c in "new.person@acme.test".chars() {
        update(&mut state, Action::FormInput(c));
    }
    if let Some(form) = state.form_mut() {
        form.privileges.grants.insert("contacts", "view");
    }
    let sent = press(&mut state, Command::Submit);
    let Some(Effect::Apply(change)) = sent.into_iter().find(|e| matches!(e, Effect::Apply(_)))
    else {
        panic!("the invitation goes out");
    };
    press(&mut state, Command::CancelForm);
    let drawn = screen(&state, 120, 40);
    assert!(drawn.contains("already gone out"), "{drawn}");
    assert!(!drawn.contains("will be lost"), "{drawn}");
    press(&mut state, Command::Yes);
    assert!(state.form().is_none());
    update(
        &mut state,
        Action::ChangeApplied {
            change,
            result: Ok(ChangeOutcome::default()),
            rate: None,
        },
    );
    assert!(
        toast_text(&state).contains("invited"),
        "{}",
        toast_text(&state)
    );
    assert!(state.toast().is_some_and(|t| t.until_key));
}

#[test]
fn the_retry_question_is_one_sentence_and_warns_of_a_second_email() {
    use super::super::state::{Confirm, Confirmed, Modal, RetryReason};
    let mut state = loaded();
    let change = Change::ResendInvitation("new.hire@acme.test".into());
    state
        .modals
        .open_over(Modal::Confirm(Confirm::new(Confirmed::Retry(
            change,
            RetryReason::CannotTell,
        ))));
    let drawn = screen(&state, 120, 40);
    // The dialog wraps its sentences: look for pieces that fit a line.
    assert!(drawn.contains("No clear answer came, and Brevo"), "{drawn}");
    assert!(drawn.contains("cannot tell whether this"), "{drawn}");
    assert!(!drawn.contains("came to the request to"), "{drawn}");
    assert!(drawn.contains("second email goes out"), "{drawn}");
}

#[test]
fn a_new_form_is_not_taken_for_the_one_closed_while_its_request_was_out() {
    let mut state = loaded();
    press(&mut state, Command::Invite);
    for c in "first@acme.test".chars() {
        update(&mut state, Action::FormInput(c));
    }
    if let Some(form) = state.form_mut() {
        form.privileges.grants.insert("contacts", "view");
    }
    let sent = press(&mut state, Command::Submit);
    let Some(Effect::Apply(first)) = sent.into_iter().find(|e| matches!(e, Effect::Apply(_)))
    else {
        panic!("the first invitation goes out");
    };
    press(&mut state, Command::CancelForm);
    press(&mut state, Command::Yes);
    // A new form: not "sending", letters are text.
    press(&mut state, Command::Invite);
    assert!(!state.form_busy(), "the new form waits for nothing");
    update(&mut state, Action::FormInput('x'));
    assert_eq!(
        state.form().map(|f| f.email().to_owned()).as_deref(),
        Some("x")
    );
    // The first answer arrives: the new form stays as typed.
    update(
        &mut state,
        Action::ChangeApplied {
            change: first,
            result: Ok(ChangeOutcome::default()),
            rate: None,
        },
    );
    assert_eq!(
        state.form().map(|f| f.email().to_owned()).as_deref(),
        Some("x")
    );
    assert!(
        toast_text(&state).contains("first@acme.test"),
        "{}",
        toast_text(&state)
    );
}

#[test]
fn a_refused_resend_can_be_tried_again_at_once() {
    let mut state = loaded();
    select(&mut state, "new.hire@acme.test");
    press(&mut state, Command::Resend);
    let change = Change::ResendInvitation("new.hire@acme.test".into());
    let refused = ApiError::Forbidden {
        code: "permission_denied".into(),
        message: crate::brevo::ErrorBody::Message("no".into()),
        request_id: None,
    };
    update(
        &mut state,
        Action::ChangeApplied {
            change: change.clone(),
            result: Err(refused),
            rate: None,
        },
    );
    assert!(press(&mut state, Command::Resend).contains(&Effect::Apply(change)));
}

#[test]
fn a_held_reload_reads_the_list_once_until_it_answers() {
    // Twenty R presses 40 ms apart against a slow answer were twenty list
    // reads (and their permission reads): a third of the hour's quota.
    let mut state = loaded();
    let mut loads = 0;
    for _ in 0..20 {
        let effects = press(&mut state, Command::Reload);
        loads += effects
            .iter()
            .filter(|e| matches!(e, Effect::LoadUsers { .. }))
            .count();
    }
    assert_eq!(loads, 1);
    assert!(matches!(state.list.status, ListStatus::Loading));
}
