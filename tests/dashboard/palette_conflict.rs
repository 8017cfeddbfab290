//! The command palette and the "changed meanwhile" view, drawn from
//! constructed states; and modals that keep their size and place while
//! what they hold changes.

use brevo_users::brevo::{Grants, UserPermissions, UserStatus};
use brevo_users::tui::action::{Action, Command, Effect};
use brevo_users::tui::{AppState, update};

use super::forms::snapshot;
use super::views::cells;
use crate::{SIZES, loaded, ops_grants, press, screen, show_permissions};

fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        update(state, Action::FilterInput(c));
    }
}

/// Where the box whose top border holds `title` is: its top line, its
/// left and right columns and its bottom line.
fn frame_of(screen: &str, title: &str) -> (usize, usize, usize, usize) {
    let rows = cells(screen);
    let top = rows
        .iter()
        .position(|r| r.iter().collect::<String>().contains(title))
        .unwrap_or_else(|| panic!("no {title:?}\n{screen}"));
    let line: String = rows[top].iter().collect();
    let at = line[..line.find(title).unwrap()].chars().count();
    let left = (0..at).rev().find(|&x| rows[top][x] == '┌').unwrap();
    let right = (at..rows[top].len())
        .find(|&x| rows[top][x] == '┐')
        .unwrap();
    let bottom = (top + 1..rows.len())
        .find(|&y| rows[y].get(left) == Some(&'└'))
        .unwrap_or_else(|| panic!("no bottom\n{screen}"));
    (top, left, right, bottom)
}

#[test]
fn snapshot_the_palette() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        press(&mut state, Command::Palette);
        type_text(&mut state, "re");
        let screen = screen(&state);
        assert!(screen.contains("reload"), "{screen}");
        snapshot(&format!("palette_{w}x{h}"), screen);
    }
}

/// The edit form of ops, one permission more ticked, saved: the re-read
/// finds that someone gave them Phone meanwhile.
fn conflicting(w: u16, h: u16) -> AppState {
    let mut state = loaded(w, h, 88);
    show_permissions(&mut state, "ops@acme.test", Ok(ops_grants()));
    press(&mut state, Command::EditPermissions);
    press(&mut state, Command::Down);
    press(&mut state, Command::Toggle);
    let effects = press(&mut state, Command::Submit);
    let Some(Effect::FetchPermissions { request, email }) = effects.first().cloned() else {
        panic!("{effects:?}")
    };
    let mut theirs = ops_grants();
    theirs.insert("phone", "all");
    theirs.remove("contacts", "export");
    let grants: Grants = theirs;
    let effects = update(
        &mut state,
        Action::PermissionsLoaded {
            email: email.clone(),
            request,
            result: Ok(UserPermissions {
                email,
                status: UserStatus::Active,
                grants,
                unrecognised: Vec::new(),
            }),
            rate: None,
        },
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::Apply(_))));
    state
}

#[test]
fn snapshot_the_conflict_view() {
    for (w, h) in SIZES {
        let state = conflicting(w, h);
        let screen = screen(&state);
        assert!(screen.contains("Changed meanwhile"), "{screen}");
        assert!(screen.contains("Phone: + All"), "{screen}");
        assert!(screen.contains("Keep theirs"), "{screen}");
        snapshot(&format!("conflict_{w}x{h}"), screen);
    }
}

#[test]
fn the_invite_form_keeps_its_size_and_place_when_all_features_is_ticked() {
    for (w, h) in [(120, 40), (80, 24), (60, 15)] {
        let mut state = loaded(w, h, 88);
        press(&mut state, Command::Invite);
        let before = frame_of(&screen(&state), " Invite a user ");
        press(&mut state, Command::NextField);
        press(&mut state, Command::Toggle);
        assert!(state.form().unwrap().privileges.all_features);
        let after = screen(&state);
        assert_eq!(
            frame_of(&after, " Invite a user "),
            before,
            "{w}x{h}\n{after}"
        );
        // A message appearing does not move it either.
        press(&mut state, Command::Submit);
        let refused = screen(&state);
        assert_eq!(frame_of(&refused, " Invite a user "), before, "{refused}");
    }
}

#[test]
fn the_palette_keeps_its_size_while_the_matches_narrow() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        press(&mut state, Command::Palette);
        let before = frame_of(&screen(&state), " Commands ");
        type_text(&mut state, "revoke");
        let after = screen(&state);
        assert_eq!(frame_of(&after, " Commands "), before, "{after}");
    }
}

#[test]
fn the_conflict_view_keeps_its_size_when_moving_between_choices() {
    let mut state = conflicting(120, 40);
    let before = frame_of(&screen(&state), " Changed meanwhile ");
    press(&mut state, Command::NextButton);
    assert_eq!(frame_of(&screen(&state), " Changed meanwhile "), before);
}
