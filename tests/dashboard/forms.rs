//! The invite and edit forms drawn from constructed states: reviewed
//! snapshots, and the grid at the minimum size.

use brevo_users::brevo::ApiError;
use brevo_users::tui::action::{Action, Command};
use brevo_users::tui::{AppState, update};

use crate::{SIZES, loaded, ops_grants, press, screen, show_permissions};

/// Snapshots of the forms sit with the others in `tests/snapshots/`.
pub(super) fn snapshot(name: &str, screen: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("dashboard__{name}"), screen));
}

fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        update(state, Action::FormInput(c));
    }
}

/// The acceptance example: Email campaigns: Create / edit / delete,
/// Contacts: View and Import, by the keys an admin would press.
const ACCEPTANCE_KEYS: [Command; 10] = [
    Command::NextField,
    Command::NextField,
    Command::NextField,
    Command::Toggle,
    Command::Down,
    Command::Down,
    Command::Toggle,
    Command::Right,
    Command::Right,
    Command::Toggle,
];

fn filled(width: u16, height: u16) -> AppState {
    let mut state = loaded(width, height, 88);
    press(&mut state, Command::Invite);
    type_text(&mut state, "new.hire@example.test");
    for command in ACCEPTANCE_KEYS {
        press(&mut state, command);
    }
    state
}

#[test]
fn snapshot_invite_form_empty() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        press(&mut state, Command::Invite);
        snapshot(&format!("form_invite_empty_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_invite_form_with_a_validation_error() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        press(&mut state, Command::Invite);
        type_text(&mut state, "new.hire@example");
        press(&mut state, Command::Submit);
        snapshot(&format!("form_invite_invalid_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_invite_form_with_a_filled_grid() {
    for (w, h) in SIZES.into_iter().chain([(60, 15)]) {
        let state = filled(w, h);
        snapshot(&format!("form_invite_filled_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_edit_form_with_a_diff() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        show_permissions(&mut state, "ops@acme.test", Ok(ops_grants()));
        press(&mut state, Command::EditPermissions);
        // Email campaigns: − Send/schedule/suspend; Contacts: + Forms.
        for command in [
            Command::Right,
            Command::Toggle,
            Command::Down,
            Command::Down,
            Command::Right,
            Command::Right,
            Command::Right,
            Command::Right,
            Command::Toggle,
        ] {
            press(&mut state, command);
        }
        snapshot(&format!("form_edit_diff_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_form_showing_a_server_error() {
    for (w, h) in SIZES {
        let mut state = filled(w, h);
        let effects = press(&mut state, Command::Submit);
        let Some(brevo_users::tui::Effect::Apply(change)) = effects.first().cloned() else {
            panic!("{effects:?}")
        };
        let error = ApiError::Forbidden {
            code: "permission_denied".into(),
            message: "Your plan does not allow more users".into(),
            request_id: Some("2dc45d44-da76-909c-8a3a-c4fa031d5e3a".into()),
        };
        update(
            &mut state,
            Action::ChangeApplied {
                change,
                result: Err(error),
                rate: None,
            },
        );
        snapshot(&format!("form_server_error_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_the_second_confirmation_over_the_form() {
    let mut state = filled(80, 24);
    press(&mut state, Command::PrevField); // presets
    press(&mut state, Command::PrevField); // all features
    press(&mut state, Command::Toggle);
    press(&mut state, Command::Submit);
    snapshot("form_escalation_80x24", screen(&state));
    press(&mut state, Command::No);
    press(&mut state, Command::CancelForm);
    snapshot("form_discard_60x15", {
        update(
            &mut state,
            Action::Resize {
                width: 60,
                height: 15,
            },
        );
        screen(&state)
    });
}

#[test]
fn the_minimum_size_keeps_the_focused_cell_on_screen() {
    let mut state = filled(60, 15);
    for _ in 0..20 {
        press(&mut state, Command::Down);
        let shown = screen(&state);
        let focused = state.form().unwrap().privileges.focused_cell().unwrap();
        let name = brevo_users::brevo::catalog::feature_name(focused.0);
        assert!(shown.contains(name), "{name} not shown:\n{shown}");
    }
}
