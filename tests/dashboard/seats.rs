//! Seats through the real loop against the mock: the account read once at
//! start, the billing question before an invitation over the seats bought,
//! the invoice Brevo answers, and a restricted key that cannot read the
//! account.

use brevo_users::mock::{Fault, MockOptions, MockServer};
use brevo_users::tui::event_loop::LoopConfig;
use brevo_users::tui::state::{AccountStatus, Confirmed, Modal};
use brevo_users::tui::{AppState, Context};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;

use super::common::{Captured, Harness, client_for, settings, toast};
use super::form_flows::invite_by_keys;

const INVITE: &str = "/organization/user/invitation/send";
const ACCOUNT: &str = "/account";

fn marketing(state: &AppState) -> Option<(u32, Option<u32>)> {
    state
        .account
        .uses
        .iter()
        .find(|s| s.vertical == brevo_users::brevo::Vertical::Marketing)
        .map(|s| (s.used, s.purchased))
}

fn billing_question(state: &AppState) -> Option<Vec<String>> {
    match state.modal() {
        Some(Modal::Confirm(confirm)) => match &confirm.what {
            Confirmed::Billing(_, over) => Some(over.clone()),
            _ => None,
        },
        _ => None,
    }
}

#[tokio::test]
async fn inviting_into_full_seats_asks_first_and_shows_the_invoice() {
    // The demo organization: Marketing 23 of 23, billed per seat.
    let mut h = Harness::start(brevo_users::mock::demo_seed()).await;
    h.until("the seats", |s| {
        s.list.loaded_once() && marketing(s) == Some((23, Some(23)))
    })
    .await;
    invite_by_keys(&mut h, "new.writer@acme.test").await;
    h.send(KeyCode::Enter);
    let state = h
        .until("the billing question", |s| billing_question(s).is_some())
        .await;
    let over = billing_question(&state).unwrap();
    assert_eq!(
        over,
        ["takes a Marketing seat: 23 of 23 used — Brevo may bill an extra seat"]
    );
    assert_eq!(
        h.control.request_log().count("POST", INVITE),
        0,
        "asked first"
    );
    h.send(KeyCode::Char('y'));
    let state = h
        .until("the invitation and the account read again", |s| {
            s.form().is_none() && !s.busy() && marketing(s) == Some((24, Some(24)))
        })
        .await;
    assert!(
        toast(&state).contains("invoice INV-2026-0001"),
        "{}",
        toast(&state)
    );
    let log = h.control.request_log();
    assert_eq!(log.count("POST", INVITE), 1);
    assert_eq!(
        log.count("GET", ACCOUNT),
        2,
        "at start, and after the invoice"
    );
    h.finish().await;
}

#[tokio::test]
async fn saying_no_to_the_seat_keeps_the_form_and_sends_nothing() {
    let mut h = Harness::start(brevo_users::mock::demo_seed()).await;
    h.until("the seats", |s| {
        s.list.loaded_once() && marketing(s).is_some()
    })
    .await;
    invite_by_keys(&mut h, "new.writer@acme.test").await;
    h.send(KeyCode::Enter);
    h.until("the billing question", |s| billing_question(s).is_some())
        .await;
    h.send(KeyCode::Char('n'));
    let state = h
        .until("the form back", |s| {
            s.modal().is_some_and(|m| matches!(m, Modal::Form(_)))
        })
        .await;
    assert!(super::form_flows::intact(&state, "new.writer@acme.test"));
    assert_eq!(h.control.request_log().count("POST", INVITE), 0);
    h.finish().await;
}

#[tokio::test]
async fn a_key_that_cannot_read_the_account_says_unknown_and_still_invites() {
    let server = MockServer::start(MockOptions::default()).await.unwrap();
    // Before the dashboard starts: its one read of the account is refused.
    server
        .control()
        .add_fault(Fault::error(403, "permission_denied", "restricted key").on("GET", ACCOUNT));
    let client = client_for(&server, "test-key");
    let context = Context {
        host: client.host(),
        ..Context::default()
    };
    let state = AppState::new(context, settings());
    let config = LoopConfig::new(Box::new(Captured::default()));
    let mut h = Harness::run(server, client, state, config, TestBackend::new(120, 40));
    let state = h
        .until("the list, seats unknown", |s| {
            s.list.loaded_once() && s.account.status == AccountStatus::Unknown
        })
        .await;
    assert!(state.account.uses.is_empty());
    invite_by_keys(&mut h, "new.writer@acme.test").await;
    h.send(KeyCode::Enter);
    h.until_mock("the invitation sent without a seat question", |m| {
        m.user("new.writer@acme.test").is_some()
    })
    .await;
    h.finish().await;
}
