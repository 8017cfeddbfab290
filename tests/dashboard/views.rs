//! What the dashboard draws at every size, read the way an admin reads it:
//! a confirmation names the whole email, the footer offers only keys that
//! work, the edit form lists every change, and the help fits small screens.

use std::path::Path;

use brevo_users::brevo::catalog;
use brevo_users::config::Config;
use brevo_users::tui::action::{Action, Command, Effect};
use brevo_users::tui::keymap::Key;
use brevo_users::tui::state::{Modal, Mode};
use brevo_users::tui::{AppState, Keymap, update};
use crossterm::event::KeyCode;

use crate::{loaded, ops_grants, press, screen, show_permissions};

const ALL_SIZES: [(u16, u16); 4] = [(200, 60), (120, 40), (80, 24), (60, 15)];
const LONG: &str =
    "bartholomew.featherstonehaugh-wolfeschlegelsteinhausen@very-long-subsidiary.example";

fn select(state: &mut AppState, email: &str) {
    press(state, Command::Top);
    while state.view.selected.as_deref() != Some(email) {
        press(state, Command::Down);
    }
}

/// The screen as rows of cells: a wide character's second cell is '\0'.
pub(super) fn cells(screen: &str) -> Vec<Vec<char>> {
    screen
        .lines()
        .map(|l| {
            let mut cells = Vec::new();
            for c in l.trim_matches('"').chars() {
                cells.push(c);
                let wide = unicode_width::UnicodeWidthChar::width(c).unwrap_or(1);
                cells.extend(std::iter::repeat_n('\0', wide.saturating_sub(1)));
            }
            cells
        })
        .collect()
}

/// The text inside the modal whose top border holds `title`, row by row.
fn modal_rows(screen: &str, title: &str) -> Vec<String> {
    let rows = cells(screen);
    let Some((top, row)) = rows.iter().enumerate().find(|(_, r)| {
        let line: String = r.iter().collect();
        line.contains(title) && line.contains('┌')
    }) else {
        panic!("no modal {title:?}\n{screen}");
    };
    let at = row.iter().collect::<String>().find(title).unwrap_or(0);
    let at = row.iter().collect::<String>()[..at].chars().count();
    let left = (0..at).rev().find(|&x| row[x] == '┌').unwrap();
    let right = (at..row.len()).find(|&x| row[x] == '┐').unwrap();
    rows[top + 1..]
        .iter()
        .take_while(|r| r.get(left).is_some_and(|c| *c != '└'))
        .map(|r| {
            let inside: String = r[left + 1..right].iter().filter(|c| **c != '\0').collect();
            inside.trim().to_owned()
        })
        .collect()
}

fn footer(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn the_revoke_dialog_shows_the_whole_email_at_every_size() {
    for (w, h) in ALL_SIZES {
        let mut state = loaded(w, h, 88);
        select(&mut state, LONG);
        press(&mut state, Command::Revoke);
        let screen = screen(&state);
        let rows = modal_rows(&screen, " Confirm ");
        let joined: String = rows.concat();
        assert!(joined.contains(LONG), "{w}x{h}: the email is cut\n{screen}");
        assert!(!joined.contains('…'), "{w}x{h}\n{screen}");
        // The buttons are still there under the wrapped email.
        assert!(screen.contains("Yes     No"), "{screen}");
        assert!(joined.contains("They lose access"), "{screen}");
    }
}

fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        update(state, Action::FormInput(c));
    }
}

#[test]
fn while_the_invitation_is_sent_the_footer_offers_no_key_that_does_nothing() {
    for (w, h) in ALL_SIZES {
        let mut state = loaded(w, h, 88);
        press(&mut state, Command::Invite);
        type_text(&mut state, "new.hire@example.test");
        for command in [Command::NextField, Command::NextField, Command::NextField] {
            press(&mut state, command);
        }
        press(&mut state, Command::Toggle);
        let before = footer(&screen(&state));
        assert!(before.contains("send"), "{w}x{h}: {before}");
        assert!(before.contains("tick"), "{w}x{h}: {before}");
        let effects = press(&mut state, Command::Submit);
        assert!(
            matches!(effects.first(), Some(Effect::Apply(_))),
            "{effects:?}"
        );
        let screen = screen(&state);
        let during = footer(&screen);
        assert!(screen.contains("Sending the invitation"), "{screen}");
        for word in ["send", "tick", "all", "none", "field", "across", "move"] {
            assert!(
                !during.split_whitespace().any(|w| w == word),
                "{w}x{h}: `{word}` offered while sending: {during}"
            );
        }
        assert!(during.contains("cancel"), "{during}");
    }
}

fn edit_ops(w: u16, h: u16) -> AppState {
    let mut state = loaded(w, h, 88);
    show_permissions(&mut state, "ops@acme.test", Ok(ops_grants()));
    press(&mut state, Command::EditPermissions);
    assert!(state.form().is_some_and(|f| f.current().is_some()));
    state
}

#[test]
fn the_edit_form_footer_says_save_and_nothing_while_saving() {
    for (w, h) in ALL_SIZES {
        let mut state = edit_ops(w, h);
        press(&mut state, Command::Toggle);
        let before = footer(&screen(&state));
        assert!(before.contains("save"), "{w}x{h}: {before}");
        assert!(!before.contains("send"), "{w}x{h}: {before}");
        let effects = press(&mut state, Command::Submit);
        // Read again first (nobody changed them meanwhile), then saved.
        let Some(Effect::FetchPermissions { request, email }) = effects.first().cloned() else {
            panic!("{effects:?}")
        };
        let checking = screen(&state);
        assert!(checking.contains("Checking that nobody"), "{checking}");
        assert!(!footer(&checking).contains("save"), "{w}x{h}: {checking}");
        let effects = update(
            &mut state,
            Action::PermissionsLoaded {
                email: email.clone(),
                request,
                result: Ok(brevo_users::brevo::UserPermissions {
                    email,
                    status: brevo_users::brevo::UserStatus::Active,
                    grants: ops_grants(),
                    unrecognised: Vec::new(),
                }),
                rate: None,
            },
        );
        assert!(
            matches!(effects.first(), Some(Effect::Apply(_))),
            "{effects:?}"
        );
        let screen = screen(&state);
        assert!(screen.contains("Saving"), "{screen}");
        let during = footer(&screen);
        assert!(!during.contains("save"), "{w}x{h}: {during}");
        assert!(!during.contains("tick"), "{w}x{h}: {during}");
    }
}

/// Every row of the edit grid gets all its permissions: a long diff.
fn edit_everything(w: u16, h: u16) -> AppState {
    let mut state = edit_ops(w, h);
    for _ in 0..30 {
        press(&mut state, Command::SelectAll);
        press(&mut state, Command::Down);
    }
    state
}

/// The lines of the list of changes: from its head line to the form's end.
fn changes_part(screen: &str) -> String {
    let rows = modal_rows(screen, " Permissions of ");
    let start = rows
        .iter()
        .position(|r| r.starts_with("Changes"))
        .unwrap_or_else(|| panic!("no list of changes\n{screen}"));
    rows[start..].join("\n")
}

#[test]
fn the_edit_form_lists_every_changed_feature_and_permission_when_there_is_room() {
    let state = edit_everything(200, 60);
    let changes = state.form().unwrap().changes();
    assert!(changes.len() > 4, "a long diff: {changes:?}");
    let screen = screen(&state);
    let part = changes_part(&screen);
    assert!(!part.contains("more feature"), "{screen}");
    let words: String = part.split_whitespace().collect::<Vec<_>>().join(" ");
    for change in &changes {
        let name = catalog::feature_name(&change.feature);
        assert!(part.contains(name), "{name} missing\n{screen}");
        for key in change.added.iter().chain(&change.removed) {
            let permission = catalog::permission_name(key);
            assert!(
                words.contains(permission),
                "{name}: {permission} missing\n{screen}"
            );
        }
    }
}

#[test]
fn a_long_list_of_changes_scrolls_with_its_own_keys() {
    let map = Keymap::default();
    assert_eq!(
        map.lookup(Mode::Form, Key::plain(KeyCode::PageDown)),
        Some(Command::ScrollChangesDown)
    );
    assert_eq!(
        map.lookup(Mode::Form, Key::plain(KeyCode::PageUp)),
        Some(Command::ScrollChangesUp)
    );
    for (w, h) in [(80, 24), (60, 15)] {
        let mut state = edit_everything(w, h);
        let total = state.form().unwrap().changes().len();
        let first = screen(&state);
        assert!(
            first.contains(&format!("in {total} features · 0 above")),
            "{w}x{h}\n{first}"
        );
        press(&mut state, Command::ScrollChangesDown);
        let scrolled = screen(&state);
        assert!(scrolled.contains("· 1 above"), "{w}x{h}\n{scrolled}");
        let changes = state.form().unwrap().changes();
        let second = catalog::feature_name(&changes[1].feature).to_owned();
        assert!(changes_part(&scrolled).contains(&second), "{scrolled}");
        // Past the end it stops, and one press back moves at once.
        for _ in 0..total + 5 {
            press(&mut state, Command::ScrollChangesDown);
        }
        let last = catalog::feature_name(&changes[total - 1].feature);
        assert!(changes_part(&screen(&state)).contains(last), "{w}x{h}");
        press(&mut state, Command::ScrollChangesUp);
        assert!(
            screen(&state).contains(&format!("· {} above", total - 2)),
            "{w}x{h}"
        );
        assert!(footer(&screen(&state)).contains("changes"), "{w}x{h}");
    }
}

#[test]
fn help_at_60x15_is_one_readable_column_that_scrolls() {
    let mut state = loaded(60, 15, 88);
    press(&mut state, Command::Help);
    let first = screen(&state);
    let rows = modal_rows(&first, " Keys ");
    assert!(!rows.concat().contains('…'), "cut entries\n{first}");
    assert!(rows.iter().any(|r| r.contains("move up")), "{first}");
    assert!(
        !rows.iter().any(|r| r.contains("quit")),
        "quit is further down\n{first}"
    );
    assert!(first.contains("↓ 1–"), "says there is more\n{first}");
    press(&mut state, Command::Bottom);
    let last = screen(&state);
    assert!(
        modal_rows(&last, " Keys ")
            .iter()
            .any(|r| r.contains("suspend")),
        "the last entry shows\n{last}"
    );
    assert!(
        !modal_rows(&last, " Keys ").concat().contains('…'),
        "{last}"
    );
    // From the end, one press up moves at once.
    press(&mut state, Command::Up);
    assert_ne!(screen(&state), last);
    press(&mut state, Command::PageUp);
    press(&mut state, Command::PageUp);
    press(&mut state, Command::PageUp);
    assert_eq!(screen(&state), first);
}

#[test]
fn help_is_never_cut_at_any_size() {
    for (w, h) in ALL_SIZES {
        for mode_key in [None, Some(Command::Invite)] {
            let mut state = loaded(w, h, 88);
            if let Some(command) = mode_key {
                press(&mut state, command);
            }
            press(&mut state, Command::Help);
            let screen = screen(&state);
            assert!(
                !modal_rows(&screen, " Keys ").concat().contains('…'),
                "{w}x{h}\n{screen}"
            );
        }
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn the_key_bound_to_help_also_closes_it() {
    let default = Keymap::default();
    assert_eq!(
        default.lookup(Mode::Help, Key::ch('?')),
        Some(Command::Help)
    );
    let config = Config::parse(
        "[keys]\nhelp = \"F1\"\n",
        Path::new("/tmp/brevo-users-views.toml"),
        &no_env,
    )
    .unwrap();
    let keymap = Keymap::from_config(&config).unwrap();
    let f1 = Key::plain(KeyCode::F(1));
    assert_eq!(keymap.lookup(Mode::Users, f1), Some(Command::Help));
    assert_eq!(keymap.lookup(Mode::Help, f1), Some(Command::Help));
    assert_eq!(keymap.lookup(Mode::Help, Key::ch('?')), None);
    let mut state = loaded(80, 24, 88);
    press(&mut state, Command::Help);
    assert!(matches!(state.modal(), Some(Modal::Help(_))));
    press(&mut state, Command::Help);
    assert!(state.modal().is_none(), "the help key closes the help");
}

/// The README's command table says "everywhere" only of keys that are
/// bound to that command in every mode (`q` is text in the email field).
#[test]
fn the_readme_says_everywhere_only_of_keys_that_work_everywhere() {
    let readme = include_str!("../../README.md");
    let start = readme.find("<!-- commands:").unwrap();
    let end = readme[start..].find("<!-- /commands -->").unwrap() + start;
    let map = Keymap::default();
    let modes = Mode::ALL;
    let mut checked = 0;
    for line in readme[start..end].lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, name, keys, place, ..] = cells[..] else {
            continue;
        };
        let Some(command) = Command::ALL
            .into_iter()
            .find(|c| name == format!("`{}`", c.name()))
        else {
            continue;
        };
        if !place.starts_with("everywhere") {
            continue;
        }
        // Only the keys before the first "(" are said to work everywhere.
        let everywhere = keys.split('(').next().unwrap_or_default();
        for label in everywhere.split('`').skip(1).step_by(2) {
            for mode in modes {
                let bound = map
                    .commands(mode)
                    .into_iter()
                    .any(|(c, keys)| c == command && keys.iter().any(|k| k.label() == label));
                assert!(
                    bound,
                    "README: `{label}` {} everywhere, but not in the {}",
                    command.name(),
                    mode.describe()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 16, "the quit and suspend rows are checked");
}
