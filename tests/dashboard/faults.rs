//! The dashboard under faults, through the real loop. For each fault: the
//! program stays up, says what happened in words, loses no typed input and
//! sends no change twice (the mock's request log).
//!
//! | fault                               | test                                                            |
//! |-------------------------------------|-----------------------------------------------------------------|
//! | 401, wrong key                      | `flows::a_wrong_key_is_said_in_the_pane_and_r_retries`          |
//! | 429 with a one-hour reset           | `a_long_rate_limit_is_said_and_the_form_waits_intact` (here)    |
//! | 500 on an invite                    | `form_flows::a_server_error_keeps_every_field_and_the_retry_invites_once` |
//! | stall on an invite (answer lost)    | `form_flows::a_stalled_invitation_that_went_out_is_reconciled_not_resent` |
//! | stall on an invite (never arrived)  | `a_stalled_invitation_that_never_arrived_keeps_the_form` (here) |
//! | connection refused at start-up      | `connection_refused_at_start_up_is_said_and_the_dashboard_stays` (here) |

use std::time::Duration;

use brevo_users::brevo::Client;
use brevo_users::mock::{Fault, FaultKind, MockOptions};
use brevo_users::tui::event_loop::{self, LoopConfig};
use brevo_users::tui::form::Notice;
use brevo_users::tui::state::ListStatus;
use brevo_users::tui::{AppState, Context, Keymap, Settings};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::channel::mpsc::unbounded;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secrecy::SecretString;
use tokio::sync::watch;

use super::common::{Captured, DEADLINE, Harness, seed};
use super::form_flows::{intact, invite_by_keys};

const INVITE: &str = "/organization/user/invitation/send";

fn screen(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| brevo_users::tui::view::render(f, state, &Keymap::default()))
        .unwrap();
    terminal.backend().to_string()
}

fn notice(state: &AppState) -> String {
    match state.form().and_then(|f| f.notice.clone()) {
        Some(Notice::Failed(t) | Notice::Invalid(t) | Notice::Hint(t) | Notice::Info(t)) => t,
        None => String::new(),
    }
}

#[tokio::test]
async fn a_long_rate_limit_is_said_and_the_form_waits_intact() {
    // One request an hour: the list takes it, everything after is a 429
    // whose reset is about an hour away — far beyond any wait.
    let options = MockOptions {
        seed: seed(),
        rate_limit: Some(1),
        rate_window: Duration::from_secs(3600),
        ..MockOptions::default()
    };
    let mut h = Harness::start_with(options, "test-key").await;
    h.until("the list", |s| s.list.loaded_once()).await;
    invite_by_keys(&mut h, "new.hire@example.test").await;
    h.send(KeyCode::Enter);
    let state = h
        .until("the refusal in the form", |s| {
            !s.busy() && !notice(s).is_empty()
        })
        .await;
    let text = notice(&state);
    assert!(text.contains("rate limit"), "{text}");
    assert!(
        text.contains("resets in 1 h") || text.contains("resets in 59 min"),
        "says how long: {text}"
    );
    assert!(intact(&state, "new.hire@example.test"), "typed input kept");
    assert!(screen(&state).contains("rate limit"));
    assert!(h.control.user("new.hire@example.test").is_none());
    assert!(h.control.request_log().count("POST", INVITE) <= 1);
    // Still up: keys still work.
    h.send(KeyCode::Esc);
    h.until("asked before discarding", |s| {
        s.modal().is_some() && s.form().is_some()
    })
    .await;
    h.finish().await;
}

#[tokio::test]
async fn a_stalled_invitation_that_never_arrived_keeps_the_form() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.control
        .add_fault(Fault::new(FaultKind::Stall).on("POST", INVITE).times(1));
    invite_by_keys(&mut h, "new.hire@example.test").await;
    h.send(KeyCode::Enter);
    let state = h
        .until("the time-out said in the form", |s| {
            !s.busy() && notice(s).contains("Enter checks again")
        })
        .await;
    // Brevo may still be working on it: not offered again as if it failed.
    assert!(
        notice(&state).contains("does not show the invitation"),
        "{}",
        notice(&state)
    );
    assert!(!notice(&state).contains("sends it again"));
    assert!(intact(&state, "new.hire@example.test"), "typed input kept");
    assert!(
        notice(&state).contains("did not answer"),
        "{}",
        notice(&state)
    );
    assert!(h.control.user("new.hire@example.test").is_none());
    // The stalled request is the only one sent: nothing was resent.
    assert_eq!(h.control.request_log().count("POST", INVITE), 1);
    h.finish().await;
}

#[tokio::test]
async fn connection_refused_at_start_up_is_said_and_the_dashboard_stays() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/v3"))
        .api_key(SecretString::from("test-key".to_owned()))
        .request_timeout(Duration::from_millis(400))
        .connect_timeout(Duration::from_millis(200))
        .backoff_base(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
        .build()
        .unwrap();
    let (keys, events) = unbounded();
    let (publish, mut states) = watch::channel(None::<AppState>);
    let mut config = LoopConfig::new(Box::new(Captured::default()));
    config.observer = Some(Box::new(move |s: &AppState| {
        let _ = publish.send(Some(s.clone()));
    }));
    let context = Context {
        host: "api.brevo.com".into(),
        ..Context::default()
    };
    let state = AppState::new(context, Settings::default());
    let handle = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        event_loop::run(&mut terminal, events, client, state, config).await
    });
    let failed = |s: &AppState| matches!(s.list.status, ListStatus::Failed(_)) && !s.busy();
    let state = tokio::time::timeout(DEADLINE, async {
        loop {
            if let Some(s) = states.borrow_and_update().as_ref()
                && failed(s)
            {
                return s.clone();
            }
            states.changed().await.unwrap();
        }
    })
    .await
    .expect("the failure is shown");
    let text = screen(&state);
    assert!(text.contains("Press R to try again"), "{text}");
    assert!(
        text.contains("connect") || text.contains("reach"),
        "says it could not connect:\n{text}"
    );
    // Still up: R tries again, and q quits cleanly.
    let press = |c: char| {
        let modifiers = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        keys.unbounded_send(Ok(Event::Key(KeyEvent::new(KeyCode::Char(c), modifiers))))
            .unwrap();
    };
    press('R');
    press('q');
    let state = tokio::time::timeout(DEADLINE, handle)
        .await
        .expect("the loop ends")
        .unwrap()
        .expect("no error: a refused connection is not fatal");
    assert!(state.quit);
}
