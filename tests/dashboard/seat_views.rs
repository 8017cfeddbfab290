//! Seats drawn from constructed states: the header at the largest and the
//! smallest size, the seat line of the invite form, the billing question,
//! and "unknown" when the account could not be read.

use brevo_users::brevo::{Account, ApiError};
use brevo_users::tui::action::{Action, Command};
use brevo_users::tui::{AppState, update};

use crate::{loaded, press, screen};

const SIZES: [(u16, u16); 2] = [(120, 40), (60, 15)];

fn snapshot(name: &str, screen: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("dashboard__{name}"), screen));
}

/// Marketing 4 bought (the list's owner, ops, new.hire and jürgen use
/// them: full), CRM 4 (3 used).
fn account() -> Account {
    serde_json::from_value(serde_json::json!({
        "email": "founder@acme.test",
        "planVerticals": [
            {"planCategory": "Marketing", "users": {"purchasedSeats": "4", "usedSeats": "4"}},
            {"planCategory": "CRM", "users": {"purchasedSeats": "4", "usedSeats": "3"}}
        ]
    }))
    .expect("an account")
}

fn with_account(w: u16, h: u16, result: Result<Account, ApiError>) -> AppState {
    let mut state = loaded(w, h, 88);
    let request = state.account.latest_request;
    update(
        &mut state,
        Action::AccountLoaded {
            request,
            result,
            rate: None,
        },
    );
    state
}

/// The invite form with an email and the grid's first permission ticked.
fn inviting(w: u16, h: u16) -> AppState {
    let mut state = with_account(w, h, Ok(account()));
    press(&mut state, Command::Invite);
    for c in "new.writer@acme.test".chars() {
        update(&mut state, Action::FormInput(c));
    }
    for command in [
        Command::NextField,
        Command::NextField,
        Command::NextField,
        Command::Toggle,
    ] {
        press(&mut state, command);
    }
    state
}

fn first_line(screen: &str) -> String {
    screen.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn the_header_says_the_seats_per_vertical_and_which_are_full() {
    for (w, h) in SIZES {
        let state = with_account(w, h, Ok(account()));
        let drawn = screen(&state);
        let header = first_line(&drawn);
        assert!(header.contains("4/4 full"), "{header}");
        assert!(header.contains("CRM 3/4"), "{header}");
        assert!(header.contains("left"), "the quota stays: {header}");
        snapshot(&format!("seats_header_{w}x{h}"), drawn);
    }
}

#[test]
fn the_header_says_unknown_when_the_account_cannot_be_read() {
    for (w, h) in SIZES {
        let refused = ApiError::Unauthorized {
            message: "Key not found".into(),
            request_id: None,
        };
        let header = first_line(&screen(&with_account(w, h, Err(refused))));
        assert!(header.contains("unknown"), "{header}");
        assert!(header.contains("founder@"), "{header}");
    }
}

#[test]
fn the_invite_form_says_the_seat_it_takes_and_asks_before_billing() {
    for (w, h) in SIZES {
        let mut state = inviting(w, h);
        let drawn = screen(&state);
        let flat: String = drawn.split(['│', '\n', '"']).collect::<Vec<_>>().join(" ");
        let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("Takes a Marketing seat: 4 of 4 used — Brevo may bill an extra seat"),
            "{drawn}"
        );
        snapshot(&format!("seats_form_line_{w}x{h}"), drawn);
        press(&mut state, Command::Submit);
        let drawn = screen(&state);
        assert!(drawn.contains("Send it anyway?"), "{drawn}");
        snapshot(&format!("seats_billing_question_{w}x{h}"), drawn);
    }
}

#[test]
fn the_revoke_question_says_the_seat_it_frees() {
    let mut state = with_account(120, 40, Ok(account()));
    press(&mut state, Command::Top);
    while state.view.selected.as_deref() != Some("ops@acme.test") {
        press(&mut state, Command::Down);
    }
    press(&mut state, Command::Revoke);
    let drawn = screen(&state);
    assert!(
        drawn.contains("Frees a Marketing seat: 4 of 4 used."),
        "{drawn}"
    );
    assert!(drawn.contains("Frees a CRM seat: 3 of 4 used."), "{drawn}");
}
