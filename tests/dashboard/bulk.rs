//! Marks, bulk actions and undo through the real loop against the mock:
//! what reaches Brevo is counted in the mock's request log.

use crossterm::event::KeyCode;

use brevo_users::tui::state::Modal;

use super::common::{Harness, seed, toast};

const PUT_REVOKE: &str = "/organization/user/invitation/revoke/{email}";
const UPDATE: &str = "/organization/user/update/permissions";
const PERMISSIONS: &str = "/organization/user/{email}/permissions";

#[tokio::test]
async fn a_bulk_revoke_of_three_marked_users_one_pending_sends_exactly_two_revokes() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    // Sorted by email: consultant, founder, new.hire (pending), ops, tom.baker.
    h.send(KeyCode::Char('g'));
    h.send(KeyCode::Char('j'));
    h.send(KeyCode::Char('j'));
    for _ in 0..3 {
        h.send(KeyCode::Char(' '));
    }
    h.until("three marked", |s| s.marks.len() == 3).await;
    h.send(KeyCode::Char('x'));
    h.until("the one confirmation", |s| s.modal().is_some())
        .await;
    h.send(KeyCode::Char('y'));
    let state = h
        .until("the run over and the list reloaded", |s| {
            s.bulk.is_none() && s.modal().is_none() && !s.busy() && s.list.users.len() == 3
        })
        .await;
    assert!(
        toast(&state).contains("2 done, 1 skipped"),
        "{}",
        toast(&state)
    );
    assert_eq!(h.control.request_log().count("PUT", PUT_REVOKE), 2);
    assert!(h.control.user("ops@acme.test").is_none());
    assert!(h.control.user("tom.baker@acme.test").is_none());
    assert!(h.control.user("new.hire@acme.test").is_some());
    assert!(
        state.marks.contains("new.hire@acme.test"),
        "the skipped one stays marked"
    );
    assert_eq!(state.marks.len(), 1);
    // The journal holds the calls, never the key.
    assert!(
        state
            .journal
            .iter_newest()
            .any(|e| e.text.starts_with("PUT ") && e.text.contains("/revoke/"))
    );
    assert!(
        !state
            .journal
            .iter_newest()
            .any(|e| e.text.contains("test-key"))
    );
    h.finish().await;
}

#[tokio::test]
async fn undo_of_an_edit_restores_the_mock_state() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    h.select("ops@acme.test").await;
    let before = h.control.user("ops@acme.test").unwrap().privileges;
    h.send(KeyCode::Char('e'));
    h.until("the edit form loaded", |s| {
        s.form().is_some_and(|f| f.current().is_some())
    })
    .await;
    h.send(KeyCode::Char('a'));
    h.until("a change", |s| {
        s.form().is_some_and(|f| !f.changes().is_empty())
    })
    .await;
    h.send(KeyCode::Enter);
    h.until("saved", |s| s.form().is_none() && !s.busy()).await;
    assert_ne!(h.control.user("ops@acme.test").unwrap().privileges, before);
    h.send(KeyCode::Char('u'));
    h.until("the undo confirmation", |s| s.modal().is_some())
        .await;
    h.send(KeyCode::Char('y'));
    h.until("undone", |s| {
        s.bulk.is_none() && s.modal().is_none() && !s.busy()
    })
    .await;
    h.until_mock("restored", |m| {
        m.user("ops@acme.test")
            .is_some_and(|u| u.privileges == before)
    })
    .await;
    assert_eq!(h.control.request_log().count("POST", UPDATE), 2);
    h.finish().await;
}

/// A preset on two marked users, one of them changed by another admin
/// (through the mock's controls) after their permissions were loaded for
/// the plan: each is read again before its update, the changed one is
/// skipped and stays marked, and only the other is written.
#[tokio::test]
async fn a_preset_skips_a_user_changed_since_the_plan_and_writes_only_the_other() {
    let mut h = Harness::start(seed()).await;
    h.loaded().await;
    // Sorted by email: consultant, founder, new.hire, ops, tom.baker.
    h.send(KeyCode::Char('g'));
    for _ in 0..3 {
        h.send(KeyCode::Char('j'));
    }
    for email in ["ops@acme.test", "tom.baker@acme.test"] {
        let key = email.to_owned();
        h.until("their permissions loaded", move |s| {
            s.permissions.cache.contains_key(&key) && !s.busy()
        })
        .await;
        h.send(KeyCode::Char(' '));
    }
    h.until("two marked", |s| s.marks.len() == 2).await;
    h.send(KeyCode::Char('p'));
    h.until("the picker", |s| s.modal().is_some()).await;
    // The first preset, Viewer: no second question.
    h.send(KeyCode::Enter);
    let state = h
        .until("the one confirmation", |s| {
            matches!(s.modal(), Some(Modal::Bulk(_)))
        })
        .await;
    let Some(Modal::Bulk(plan)) = state.modal() else {
        unreachable!()
    };
    assert_eq!(plan.requests, 7, "3 a user and the reload");
    let mut users = h.control.users();
    let ops = users
        .iter_mut()
        .find(|u| u.email == "ops@acme.test")
        .unwrap();
    ops.privileges
        .insert("phone".to_owned(), vec!["all".to_owned()]);
    h.control.set_users(users);
    h.control.reset_log();
    h.send(KeyCode::Char('y'));
    let state = h
        .until("the run over", |s| {
            s.bulk.is_none() && s.modal().is_none() && !s.busy()
        })
        .await;
    let log = h.control.request_log();
    assert_eq!(log.count("POST", UPDATE), 1, "only tom.baker written");
    assert_eq!(log.count("GET", PERMISSIONS), 3, "2 re-reads, 1 read-back");
    assert!(
        h.control
            .user("ops@acme.test")
            .unwrap()
            .privileges
            .contains_key("phone"),
        "theirs kept"
    );
    assert!(state.marks.contains("ops@acme.test"), "stays marked");
    assert!(!state.marks.contains("tom.baker@acme.test"));
    assert!(
        state.journal.iter_newest().any(|e| e
            .text
            .contains("ops@acme.test: changed since you confirmed")),
        "the outcome is in the journal"
    );
    assert!(toast(&state).contains("1 skipped"), "{}", toast(&state));
    h.finish().await;
}
