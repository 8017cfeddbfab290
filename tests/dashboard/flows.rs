//! The real loop, real keys, the mock's state and request log as witnesses.

use brevo_users::mock::{Fault, MockOptions, MockUser, Seed};
use brevo_users::tui::state::{Confirmed, Modal, RetryReason};
use crossterm::event::{Event, KeyCode};

use super::common::{Harness, seed, toast};

const PUT_ACTION: &str = "/organization/user/invitation/{action}/{email}";
const PUT_REVOKE: &str = "/organization/user/invitation/revoke/{email}";
const GET_PERMISSIONS: &str = "/organization/user/{email}/permissions";
const GET_USERS: &str = "/organization/invited/users";

#[tokio::test]
async fn resend_reaches_the_mock_and_says_so() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.select("new.hire@acme.test").await;
    h.send(KeyCode::Char('r'));
    let state = h
        .until("the resend toast", |s| {
            toast(s).starts_with("Invitation resent")
        })
        .await;
    assert_eq!(toast(&state), "Invitation resent to new.hire@acme.test");
    let log = h.control.request_log();
    assert_eq!(log.count("PUT", PUT_ACTION), 1);
    assert!(log.recent.iter().any(|r| r.path.contains("/resend/")));
    h.finish().await;
}

#[tokio::test]
async fn cancel_after_yes_removes_the_invitation_and_reports_the_refund() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.select("consultant@partner.example").await;
    h.send(KeyCode::Char('c'));
    h.until("the dialog", |s| s.modal().is_some()).await;
    h.send(KeyCode::Char('y'));
    h.until_mock("the invitation gone", |m| {
        m.user("consultant@partner.example").is_none()
    })
    .await;
    let state = h
        .until("the list reloaded", |s| {
            s.list.users.len() == 4 && !s.busy() && toast(s).contains("cancelled")
        })
        .await;
    assert!(toast(&state).contains("credit note"), "{}", toast(&state));
    h.finish().await;
}

#[tokio::test]
async fn revoke_with_enter_on_yes_removes_the_member_and_keeps_a_neighbour_selected() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.select("ops@acme.test").await;
    h.send(KeyCode::Esc); // clear the filter: the neighbours are back
    h.until("filter cleared", |s| s.view.filter.text.is_empty())
        .await;
    h.send(KeyCode::Char('x'));
    h.until("the dialog", |s| s.modal().is_some()).await;
    h.send(KeyCode::Left);
    h.send(KeyCode::Enter);
    h.until_mock("the member gone", |m| m.user("ops@acme.test").is_none())
        .await;
    let state = h
        .until("the list reloaded", |s| {
            s.list.users.len() == 4 && !s.busy()
        })
        .await;
    assert!(state.view.selected.is_some());
    assert_ne!(state.view.selected.as_deref(), Some("ops@acme.test"));
    h.finish().await;
}

#[tokio::test]
async fn a_declined_confirmation_sends_nothing() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.select("ops@acme.test").await;
    for decline in [KeyCode::Char('n'), KeyCode::Esc, KeyCode::Enter] {
        h.send(KeyCode::Char('x'));
        h.until("the dialog", |s| s.modal().is_some()).await;
        h.send(decline);
        h.until("the dialog closed", |s| s.modal().is_none()).await;
    }
    // A reload afterwards: by the time it is answered, anything sent
    // before it would have been logged too.
    h.control.reset_log();
    h.send(KeyCode::Char('R'));
    h.until_mock("the reload", |m| {
        m.request_log().count("GET", GET_USERS) == 1
    })
    .await;
    let state = h.until("idle", |s| !s.busy()).await;
    let log = h.control.request_log();
    assert_eq!(log.count("PUT", PUT_REVOKE), 0);
    assert_eq!(log.count("PUT", PUT_ACTION), 0);
    assert!(state.in_flight.is_empty());
    assert!(h.control.user("ops@acme.test").is_some());
    h.finish().await;
}

#[tokio::test]
async fn an_unclear_failure_is_checked_and_a_retry_is_offered_not_sent() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.control
        .add_fault(Fault::error(502, "bad_gateway", "upstream hiccup").on("PUT", PUT_REVOKE));
    h.select("tom.baker@acme.test").await;
    h.send(KeyCode::Char('x'));
    h.until("the dialog", |s| s.modal().is_some()).await;
    h.send(KeyCode::Char('y'));
    let state = h
        .until("the retry dialog", |s| {
            matches!(s.modal(), Some(Modal::Confirm(c)) if matches!(c.what, Confirmed::Retry(_, RetryReason::NotDone)))
        })
        .await;
    assert!(state.in_flight.is_empty());
    assert!(h.control.user("tom.baker@acme.test").is_some());
    let sent = h.control.request_log().count("PUT", PUT_REVOKE);
    h.send(KeyCode::Char('y'));
    h.until_mock("the member gone", |m| {
        m.user("tom.baker@acme.test").is_none()
    })
    .await;
    assert_eq!(h.control.request_log().count("PUT", PUT_REVOKE), sent + 1);
    h.finish().await;
}

#[tokio::test]
async fn moving_quickly_through_forty_users_costs_at_most_two_requests() {
    let mut users = vec![MockUser::owner("aaa.owner@acme.test")];
    users.extend((0..40).map(|i| {
        MockUser::active(format!("u{i:02}@acme.test")).with_privilege("contacts", &["view"])
    }));
    let mut h = Harness::start(Seed {
        seat_billing: false,
        account: None,
        users,
    })
    .await;
    h.loaded().await;
    for _ in 0..40 {
        h.send(KeyCode::Char('j'));
    }
    h.until("the last user's permissions", |s| {
        s.view.selected.as_deref() == Some("u39@acme.test")
            && s.permissions.cache.contains_key("u39@acme.test")
    })
    .await;
    assert!(h.control.request_log().count("GET", GET_PERMISSIONS) <= 2);
    h.finish().await;
}

#[tokio::test]
async fn copy_writes_osc52_to_the_terminal() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.select("ops@acme.test").await;
    h.send(KeyCode::Char('y'));
    h.until("the copy toast", |s| toast(s).contains("clipboard"))
        .await;
    let written = h.clipboard.0.lock().unwrap().clone();
    assert_eq!(written, b"\x1b]52;c;b3BzQGFjbWUudGVzdA==\x1b\\");
    h.finish().await;
}

#[tokio::test]
async fn a_wrong_key_is_said_in_the_pane_and_r_retries() {
    let options = MockOptions {
        seed: seed(),
        api_key: Some("right".into()),
        ..MockOptions::default()
    };
    let mut h = Harness::start_with(options, "wrong").await;
    let state = h
        .until("the failure", |s| {
            matches!(
                s.list.status,
                brevo_users::tui::state::ListStatus::Failed(_)
            )
        })
        .await;
    let screen = render(&state);
    // A wrong key is not fixed by pressing R: no hint says it is.
    assert!(!screen.contains("try again"), "{screen}");
    // The users pane's text, unwrapped: the sentence may wrap anywhere.
    let pane = screen
        .lines()
        .filter_map(|line| line.split('┃').nth(1))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(pane.contains("API key is wrong"), "{screen}");
    h.send(KeyCode::Char('R'));
    h.until_mock("a second try", |m| {
        m.request_log().count("GET", GET_USERS) == 2
    })
    .await;
    h.finish().await;
}

#[tokio::test]
async fn resizing_with_a_dialog_open_keeps_it_and_q_quits() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.select("ops@acme.test").await;
    h.send(KeyCode::Char('x'));
    h.until("the dialog", |s| s.modal().is_some()).await;
    for (w, h2) in [(0, 0), (40, 10), (61, 16), (200, 60)] {
        h.event(Event::Resize(w, h2));
    }
    let state = h.until("resized", |s| s.width == 200).await;
    assert!(state.modal().is_some());
    h.send(KeyCode::Esc);
    h.send(KeyCode::Char('q'));
    let state = h.finish().await;
    assert!(state.quit);
}

fn render(state: &brevo_users::tui::AppState) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| brevo_users::tui::view::render(f, state, &brevo_users::tui::Keymap::default()))
        .unwrap();
    terminal.backend().to_string()
}

#[tokio::test]
async fn a_failing_event_stream_ends_the_loop_with_an_error() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.fail();
    let error = h.ended().await.unwrap_err();
    assert!(format!("{error:#}").contains("input gone"), "{error:#}");
}
