//! The invite and edit forms through the real loop against the mock: its
//! state, its faults and its request log are the witnesses.

use brevo_users::mock::{Fault, FaultKind, MockUser};
use brevo_users::tui::AppState;
use brevo_users::tui::form::Notice;
use brevo_users::tui::state::Stage;
use brevo_users::tui::state::{Confirmed, Modal};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::common::{Harness, seed, toast};

const INVITE: &str = "/organization/user/invitation/send";
const UPDATE: &str = "/organization/user/update/permissions";

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn notice(state: &AppState) -> String {
    match state.form().and_then(|f| f.notice.clone()) {
        Some(Notice::Failed(t) | Notice::Invalid(t) | Notice::Hint(t) | Notice::Info(t)) => t,
        None => String::new(),
    }
}

/// Opens the invite form and fills it with the acceptance keys.
pub(super) async fn invite_by_keys(h: &mut Harness, email: &str) {
    h.send(KeyCode::Char('i'));
    h.until("the form", |s| s.form().is_some()).await;
    h.chars(email);
    for key in [
        KeyCode::Tab,
        KeyCode::Tab,
        KeyCode::Tab,
        KeyCode::Char(' '),
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Char(' '),
        KeyCode::Right,
        KeyCode::Right,
        KeyCode::Char(' '),
    ] {
        h.send(key);
    }
    let email = email.to_owned();
    h.until("the form filled", move |s| {
        s.form()
            .is_some_and(|f| f.email() == email && f.privileges.grants.len() == 3)
    })
    .await;
}

pub(super) fn intact(state: &AppState, email: &str) -> bool {
    state.form().is_some_and(|f| {
        f.email() == email
            && f.privileges
                .grants
                .contains("email_campaigns", "create_edit_delete")
            && f.privileges.grants.contains("contacts", "view")
            && f.privileges.grants.contains("contacts", "import")
            && f.privileges.grants.len() == 3
    })
}

#[tokio::test]
async fn an_invitation_appears_as_pending_and_selected() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    invite_by_keys(&mut h, "new.hire@example.test").await;
    h.send(KeyCode::Enter);
    let state = h
        .until("the list with the new user", |s| {
            s.form().is_none()
                && !s.busy()
                && s.view.selected.as_deref() == Some("new.hire@example.test")
        })
        .await;
    // A free seat: nothing billed (billing: see seats.rs).
    assert!(toast(&state).contains("invited"), "{}", toast(&state));
    assert!(!toast(&state).contains("invoice"), "{}", toast(&state));
    let user = h.control.user("new.hire@example.test").unwrap();
    assert!(user.is_pending());
    assert_eq!(user.privileges["contacts"], ["view", "import"]);
    assert_eq!(h.control.request_log().count("POST", INVITE), 1);
    h.finish().await;
}

#[tokio::test]
async fn a_duplicate_shows_brevos_message_and_keeps_the_email() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    // Invited elsewhere after the list was read: only Brevo knows.
    let mut seed = h.control.seed();
    seed.users.push(MockUser::pending("late@acme.test"));
    h.control.set_seed(seed);
    invite_by_keys(&mut h, "late@acme.test").await;
    h.event(ctrl('s'));
    let state = h
        .until("Brevo's refusal", |s| notice(s).contains("already invited"))
        .await;
    assert!(intact(&state, "late@acme.test"));
    assert!(
        notice(&state).contains("duplicate_parameter"),
        "{}",
        notice(&state)
    );
    h.finish().await;
}

#[tokio::test]
async fn a_server_error_keeps_every_field_and_the_retry_invites_once() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.control
        .add_fault(Fault::error(500, "internal_error", "Injected fault").on("POST", INVITE));
    invite_by_keys(&mut h, "new.hire@example.test").await;
    h.send(KeyCode::Enter);
    let state = h
        .until("the check after the 500", |s| {
            notice(s).contains("Enter sends it again") && !s.busy()
        })
        .await;
    assert!(intact(&state, "new.hire@example.test"));
    assert!(notice(&state).contains("500"), "{}", notice(&state));
    assert!(h.control.user("new.hire@example.test").is_none());
    h.send(KeyCode::Enter);
    h.until("the form closed", |s| s.form().is_none() && !s.busy())
        .await;
    let users = h.control.users();
    let invited = users
        .iter()
        .filter(|u| u.has_email("new.hire@example.test"));
    assert_eq!(invited.count(), 1);
    // Two requests reached the mock: the one the fault answered, the retry.
    assert_eq!(h.control.request_log().count("POST", INVITE), 2);
    assert!(h.control.faults().is_empty());
    h.finish().await;
}

#[tokio::test]
async fn a_stalled_invitation_that_went_out_is_reconciled_not_resent() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.control
        .add_fault(Fault::new(FaultKind::ApplyThenStall).on("POST", INVITE));
    invite_by_keys(&mut h, "new.hire@example.test").await;
    h.send(KeyCode::Enter);
    h.until("checking", |s| {
        s.form().is_some()
            && s.in_flight
                .of_form()
                .is_some_and(|f| matches!(f.stage, Stage::Checking { .. }))
    })
    .await;
    let state = h
        .until("closed as a success", |s| s.form().is_none() && !s.busy())
        .await;
    assert!(
        toast(&state).contains("did take effect after all"),
        "{}",
        toast(&state)
    );
    assert_eq!(h.control.request_log().count("POST", INVITE), 1);
    assert!(h.control.user("new.hire@example.test").is_some());
    h.finish().await;
}

/// The demo seed's ops@acme.test in the edit form, loaded.
async fn edit_form_of_ops() -> Harness {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.select("ops@acme.test").await;
    h.send(KeyCode::Char('e'));
    h.until("the edit form loaded", |s| {
        s.form().is_some_and(|f| f.current().is_some())
    })
    .await;
    h
}

#[tokio::test]
async fn an_edit_is_saved_checked_and_visible_in_the_mock() {
    let mut h = edit_form_of_ops().await;
    // Email campaigns: all; Contacts: none.
    for key in [
        KeyCode::Char('a'),
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Char('n'),
    ] {
        h.send(key);
    }
    h.until("the diff", |s| {
        s.form().is_some_and(|f| f.changes().len() == 2)
    })
    .await;
    h.send(KeyCode::Enter);
    let state = h
        .until("saved and read back", |s| {
            s.form().is_none() && toast(s).contains("Brevo stored exactly that")
        })
        .await;
    assert!(state.verifying.is_empty());
    let ops = h.control.user("ops@acme.test").unwrap();
    assert_eq!(
        ops.privileges["email_campaigns"],
        ["create_edit_delete", "send_schedule_suspend"]
    );
    assert!(!ops.privileges.contains_key("contacts"));
    assert_eq!(h.control.request_log().count("POST", UPDATE), 1);
    h.finish().await;
}

#[tokio::test]
async fn esc_on_a_filled_form_asks_before_discarding() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.send(KeyCode::Char('i'));
    h.until("the form", |s| s.form().is_some()).await;
    h.event(Event::Paste("new.hire@example.test\n".into()));
    h.until("the pasted email", |s| {
        s.form()
            .is_some_and(|f| f.email() == "new.hire@example.test")
    })
    .await;
    h.send(KeyCode::Esc);
    h.until(
        "the question",
        |s| matches!(s.modal(), Some(Modal::Confirm(c)) if c.what == Confirmed::Discard),
    )
    .await;
    h.send(KeyCode::Esc);
    let state = h
        .until("back in the form", |s| {
            matches!(s.modal(), Some(Modal::Form(_)))
        })
        .await;
    assert_eq!(state.form().unwrap().email(), "new.hire@example.test");
    h.send(KeyCode::Esc);
    h.until("the question again", |s| {
        matches!(s.modal(), Some(Modal::Confirm(_)))
    })
    .await;
    h.send(KeyCode::Char('y'));
    h.until("discarded", |s| s.modal().is_none() && s.form().is_none())
        .await;
    assert_eq!(h.control.request_log().count("POST", INVITE), 0);
    h.finish().await;
}

/// Another admin gives ops Phone (through the mock's controls) after the
/// form opened: saving reads the permissions again, shows the change and
/// sends nothing until asked.
#[tokio::test]
async fn a_change_made_meanwhile_is_detected_before_the_edit_is_sent() {
    let mut h = edit_form_of_ops().await;
    h.send(KeyCode::Char('a'));
    h.until("the diff", |s| {
        s.form().is_some_and(|f| !f.changes().is_empty())
    })
    .await;
    let mut users = h.control.users();
    let ops = users
        .iter_mut()
        .find(|u| u.email == "ops@acme.test")
        .unwrap();
    ops.privileges
        .insert("phone".to_owned(), vec!["all".to_owned()]);
    h.control.set_users(users);
    h.send(KeyCode::Enter);
    let state = h
        .until("the conflict shown", |s| {
            matches!(s.modal(), Some(Modal::Conflict(_)))
        })
        .await;
    let Some(Modal::Conflict(conflict)) = state.modal() else {
        unreachable!()
    };
    assert!(
        conflict
            .their_changes()
            .iter()
            .any(|c| c.feature == "phone"),
        "{:?}",
        conflict.their_changes()
    );
    assert_eq!(
        h.control.request_log().count("POST", UPDATE),
        0,
        "nothing sent"
    );
    // Back to editing keeps the form, now against theirs; saving sends once.
    h.send(KeyCode::Char('e'));
    h.until("the form again", |s| {
        s.modal().is_some_and(|m| matches!(m, Modal::Form(_)))
            && s.form()
                .is_some_and(|f| f.current().is_some_and(|g| g.get("phone").is_some()))
    })
    .await;
    h.send(KeyCode::Enter);
    h.until("saved", |s| s.form().is_none()).await;
    assert_eq!(h.control.request_log().count("POST", UPDATE), 1);
    let ops = h.control.user("ops@acme.test").unwrap();
    assert_eq!(ops.privileges["phone"], ["all"], "their change kept");
    h.finish().await;
}
