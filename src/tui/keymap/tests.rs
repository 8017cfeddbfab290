use crossterm::event::{KeyEvent, KeyModifiers};

use super::*;

#[test]
fn shifted_letters_and_ctrl_chords_are_told_apart() {
    let map = Keymap::default();
    let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    let key = Key::from_event(&shifted).unwrap();
    assert_eq!(map.lookup(Mode::Users, key), Some(Command::Bottom));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let key = Key::from_event(&ctrl_c).unwrap();
    assert_eq!(map.lookup(Mode::Confirm, key), Some(Command::Quit));
    assert_eq!(
        map.lookup(Mode::Users, Key::ch('c')),
        Some(Command::CancelInvitation)
    );
}

#[test]
fn the_filter_mode_leaves_letters_to_the_text() {
    let map = Keymap::default();
    assert_eq!(map.lookup(Mode::Filter, Key::ch('j')), None);
    assert_eq!(map.lookup(Mode::Filter, Key::ch('q')), None);
}

#[test]
fn i_and_e_open_the_forms() {
    let map = Keymap::default();
    for mode in [Mode::Users, Mode::Permissions] {
        assert_eq!(map.lookup(mode, Key::ch('i')), Some(Command::Invite));
        assert_eq!(
            map.lookup(mode, Key::ch('e')),
            Some(Command::EditPermissions)
        );
    }
}

#[test]
fn the_email_field_leaves_letters_to_the_text_and_knows_readline_keys() {
    let map = Keymap::default();
    for c in ['a', 'n', 'j', 'q', '?', ' '] {
        assert_eq!(map.lookup(Mode::FormText, Key::ch(c)), None, "{c}");
    }
    assert_eq!(
        map.lookup(Mode::FormText, Key::ctrl('w')),
        Some(Command::DeleteWord)
    );
    assert_eq!(
        map.lookup(Mode::FormText, Key::ctrl('a')),
        Some(Command::CursorStart)
    );
    assert_eq!(
        map.lookup(Mode::Form, Key::ctrl('s')),
        Some(Command::Submit)
    );
}

#[test]
fn hints_merge_commands_sharing_a_name() {
    let hints = Keymap::default().hints(Mode::Users);
    assert_eq!(hints[0], ("↑/↓".to_owned(), "move"));
}
