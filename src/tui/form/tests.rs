//! The form's own rules, without the dashboard around it.

use serde_json::json;
use tui_input::InputRequest;

use crate::brevo::presets::{self, find};
use crate::brevo::{Change, FeatureChange, Grants, User, UserStatus};

use super::rules::EmailCheck;
use super::{Field, Form};

fn user(email: &str, status: &str) -> User {
    User {
        email: email.to_owned(),
        is_owner: false,
        status: UserStatus::parse(status),
        feature_access: Default::default(),
        id: None,
        locale: None,
    }
}

fn users() -> Vec<User> {
    vec![
        user("ops@acme.test", "active"),
        user("new.hire@acme.test", "pending"),
    ]
}

fn typed(text: &str) -> Form {
    let mut form = Form::invite();
    for c in text.chars() {
        form.edit_email(InputRequest::InsertChar(c));
    }
    form
}

fn body(change: &Change) -> serde_json::Value {
    match change {
        Change::Invite(request) | Change::UpdatePermissions(request) => request.to_body(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_email_is_judged_as_typed_and_against_the_list() {
    let list = users();
    assert_eq!(typed("").email_check(&list), EmailCheck::Empty);
    let check = typed("new.hire").email_check(&list);
    assert_eq!(check.reason().as_deref(), Some("the email has no @"));
    let check = typed("a@localhost").email_check(&list);
    assert!(check.reason().unwrap().contains("needs a dot"));
    assert_eq!(
        typed("OPS@acme.test").email_check(&list),
        EmailCheck::AlreadyUser
    );
    let check = typed(" new.hire@acme.test").email_check(&list);
    assert_eq!(check, EmailCheck::AlreadyInvited);
    assert!(check.reason().unwrap().contains("resend"));
    assert_eq!(typed("x@acme.test").email_check(&list), EmailCheck::Fine);
}

#[test]
fn readline_keys_edit_the_email() {
    let mut form = typed("new.hire@example.test");
    form.edit_email(InputRequest::GoToStart);
    form.edit_email(InputRequest::InsertChar('a'));
    assert_eq!(form.email(), "anew.hire@example.test");
    form.edit_email(InputRequest::GoToEnd);
    form.edit_email(InputRequest::DeletePrevWord);
    assert_eq!(form.email(), "anew.hire@", "a word ends at the @");
    form.edit_email(InputRequest::DeleteLine);
    assert_eq!(form.email(), "");
    form.edit_email(InputRequest::InsertChar('\u{1b}'));
    assert_eq!(form.email(), "", "control characters never land");
}

#[test]
fn a_paste_lands_at_the_cursor_without_its_line_break() {
    let mut form = typed("@example.test");
    form.edit_email(InputRequest::GoToStart);
    form.paste("  new.\u{200B}hire\u{202E}\r\n");
    assert_eq!(form.email(), "new.hire@example.test");
    form.focus = Field::Grid;
    form.paste("ignored");
    assert_eq!(
        form.email(),
        "new.hire@example.test",
        "only the focused field"
    );
}

#[test]
fn the_grid_follows_the_catalogue_and_keeps_the_cursor_in_the_row() {
    let mut form = Form::invite();
    let grid = &mut form.privileges;
    assert_eq!(grid.rows[0].feature, "email_campaigns");
    assert_eq!(grid.rows.len(), 15);
    grid.right();
    grid.right();
    assert_eq!(grid.col, 1, "email campaigns has two permissions");
    grid.down();
    grid.down();
    assert_eq!(
        grid.focused_cell(),
        Some(("contacts", "create_edit_delete"))
    );
    for _ in 0..9 {
        grid.right();
    }
    assert_eq!(grid.focused_cell(), Some(("contacts", "forms")));
    grid.down();
    grid.down();
    grid.down();
    assert_eq!(grid.focused_cell(), Some(("landing_pages", "all")));
    for _ in 0..40 {
        grid.down();
    }
    assert_eq!(grid.row, 14, "clamped at the last feature");
    assert!(grid.up());
    for _ in 0..13 {
        grid.up();
    }
    assert!(!grid.up(), "at the top the focus leaves the grid");
}

#[test]
fn space_ticks_a_and_n_fill_and_empty_a_feature() {
    let mut form = Form::invite();
    let grid = &mut form.privileges;
    grid.toggle().unwrap();
    assert!(
        grid.grants
            .contains("email_campaigns", "create_edit_delete")
    );
    grid.toggle().unwrap();
    assert!(grid.grants.is_empty());
    grid.down();
    grid.down();
    grid.select_all().unwrap();
    assert_eq!(grid.grants.get("contacts").map(|s| s.len()), Some(6));
    grid.clear().unwrap();
    assert!(grid.grants.is_empty());
}

#[test]
fn a_preset_fills_the_grid_and_is_recognised() {
    let presets = presets::builtin();
    let viewer = find(&presets, "viewer").unwrap();
    let full = find(&presets, "full-access").unwrap();
    let mut form = Form::invite();
    form.privileges.toggle().unwrap();
    form.privileges.apply(viewer);
    assert_eq!(form.privileges.grants, viewer.grants, "replaces, not adds");
    assert!(form.privileges.matches(viewer));
    form.privileges.apply(full);
    assert!(form.privileges.all_features);
    assert!(form.privileges.matches(full) && !form.privileges.matches(viewer));
    assert_eq!(form.privileges.grants, viewer.grants, "kept underneath");
}

#[test]
fn all_features_or_user_management_escalates() {
    let mut form = typed("x@acme.test");
    assert!(form.escalation().is_none());
    form.privileges.grants.insert("user_management", "all");
    assert!(form.escalation().is_some());
    form.privileges.grants.clear_feature("user_management");
    form.privileges.all_features = true;
    assert!(form.escalation().is_some());
    // An edit that keeps user management where it was asks nothing.
    let current = Grants::from_pairs([("user_management", vec!["all"])]);
    let mut form = Form::edit("ops@acme.test", Some(current));
    form.privileges.grants.insert("contacts", "view");
    assert!(form.escalation().is_none());
}

#[test]
fn the_invite_body_is_exactly_what_brevo_expects() {
    let mut form = typed("  new.hire@example.test ");
    let grid = &mut form.privileges;
    grid.toggle().unwrap();
    grid.down();
    grid.down();
    grid.toggle().unwrap();
    grid.right();
    grid.right();
    grid.toggle().unwrap();
    let change = form.request(&users()).unwrap();
    assert_eq!(
        body(&change),
        json!({
            "email": "new.hire@example.test",
            "all_features_access": false,
            "privileges": [
                {"feature": "email_campaigns", "permissions": ["create_edit_delete"]},
                {"feature": "contacts", "permissions": ["view", "import"]},
            ]
        })
    );
    form.privileges.all_features = true;
    let change = form.request(&users()).unwrap();
    assert_eq!(
        body(&change),
        json!({"email": "new.hire@example.test", "all_features_access": true, "privileges": []})
    );
}

#[test]
fn an_invite_is_refused_before_sending_with_what_to_fix() {
    assert_eq!(
        typed("x@acme.test").request(&users()).unwrap_err(),
        "choose at least one permission, or grant all features"
    );
    let mut form = typed("ops@acme.test");
    form.privileges.all_features = true;
    assert!(
        form.request(&users())
            .unwrap_err()
            .contains("already a user")
    );
    let mut form = typed("x@");
    form.privileges.all_features = true;
    assert!(form.request(&users()).unwrap_err().contains("no domain"));
}

#[test]
fn the_edit_form_shows_the_diff_and_sends_every_held_feature() {
    let current = Grants::from_pairs([
        ("email_campaigns", vec!["create_edit_delete"]),
        ("contacts", vec!["view", "export"]),
    ]);
    let mut form = Form::edit("ops@acme.test", Some(current));
    assert_eq!(
        form.request(&[]).unwrap_err(),
        "no changes: nothing to save"
    );
    assert!(!form.touched());
    let grid = &mut form.privileges;
    grid.clear().unwrap(); // email campaigns emptied
    grid.down();
    grid.down();
    grid.right();
    grid.right();
    grid.toggle().unwrap(); // + import
    grid.right();
    grid.toggle().unwrap(); // − export
    assert!(form.touched());
    assert_eq!(
        form.changes(),
        vec![
            FeatureChange {
                feature: "email_campaigns".into(),
                added: vec![],
                removed: vec!["create_edit_delete".into()],
            },
            FeatureChange {
                feature: "contacts".into(),
                added: vec!["import".into()],
                removed: vec!["export".into()],
            },
        ]
    );
    assert_eq!(
        body(&form.request(&[]).unwrap()),
        json!({
            "email": "ops@acme.test",
            "all_features_access": false,
            "privileges": [
                {"feature": "contacts", "permissions": ["view", "import"]},
                {"feature": "email_campaigns", "permissions": ["none"]},
            ]
        })
    );
    form.privileges.all_features = true;
    assert_eq!(
        body(&form.request(&[]).unwrap()),
        json!({"email": "ops@acme.test", "all_features_access": true, "privileges": []})
    );
}

#[test]
fn values_the_catalogue_does_not_know_are_locked_and_sent_back_as_they_came() {
    let current = Grants::from_pairs([
        ("Meetings", vec!["Book rooms"]),
        ("sales_platform", vec!["manage_owned_deals_tasks"]),
        ("contacts", vec!["view"]),
    ]);
    let mut form = Form::edit("ops@acme.test", Some(current));
    let rows = &form.privileges.rows;
    assert_eq!(rows.last().unwrap().feature, "Meetings");
    assert!(rows.last().unwrap().locked);
    let sales = rows
        .iter()
        .position(|r| r.feature == "sales_platform")
        .unwrap();
    assert!(rows[sales].locked && rows[sales].permissions.is_empty());
    form.privileges.row = sales;
    let refused = form.privileges.toggle().unwrap_err();
    assert!(refused.contains("kept as Brevo sent it"), "{refused}");
    assert!(form.privileges.clear().is_err());
    // A preset leaves locked features alone.
    let presets = presets::builtin();
    form.privileges.apply(find(&presets, "viewer").unwrap());
    assert!(form.privileges.grants.contains("Meetings", "Book rooms"));
    let body = body(&form.request(&[]).unwrap());
    let privileges = body["privileges"].as_array().unwrap();
    assert!(privileges.contains(&json!({"feature": "Meetings", "permissions": ["Book rooms"]})));
    assert!(privileges.contains(
        &json!({"feature": "sales_platform", "permissions": ["manage_owned_deals_tasks"]})
    ));
}

#[test]
fn tab_visits_email_toggle_presets_grid_and_skips_the_hidden_grid() {
    let mut form = Form::invite();
    let mut seen = Vec::new();
    for _ in 0..4 {
        form.cycle_focus(true);
        seen.push(form.focus);
    }
    assert_eq!(
        seen,
        [
            Field::AllFeatures,
            Field::Presets,
            Field::Grid,
            Field::Email
        ]
    );
    form.cycle_focus(false);
    assert_eq!(form.focus, Field::Grid);
    form.privileges.all_features = true;
    form.focus = Field::Presets;
    form.cycle_focus(true);
    assert_eq!(form.focus, Field::Email, "no grid under all features");
    let mut edit = Form::edit("ops@acme.test", None);
    edit.cycle_focus(true);
    assert_eq!(edit.focus, Field::Grid, "nothing to visit while loading");
}
