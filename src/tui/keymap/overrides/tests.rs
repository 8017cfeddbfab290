use std::path::Path;

use crossterm::event::KeyCode;

use super::super::super::action::Command;
use super::super::super::state::Mode;
use super::super::{Key, Keymap};
use crate::config::{Config, Located};

fn no_env(_: &str) -> Option<String> {
    None
}

fn keymap(keys: &str) -> Result<Keymap, Located> {
    let text = format!("theme = \"default\"\n[keys]\n{keys}");
    let config = Config::parse(&text, Path::new("/home/a/config.toml"), &no_env).unwrap();
    Keymap::from_config(&config)
}

fn error(keys: &str) -> String {
    keymap(keys).unwrap_err().to_string()
}

#[test]
fn an_override_replaces_the_commands_keys_in_every_mode_that_has_it() {
    let map = keymap("revoke = \"D\"\n").unwrap();
    for mode in [Mode::Users, Mode::Permissions] {
        assert_eq!(map.lookup(mode, Key::ch('D')), Some(Command::Revoke));
        assert_eq!(map.lookup(mode, Key::ch('x')), None, "x no longer revokes");
    }
    let listed = map.commands(Mode::Users);
    let revoke = listed.iter().find(|(c, _)| *c == Command::Revoke).unwrap();
    assert_eq!(revoke.1, vec![Key::ch('D')]);
    let position = |map: &Keymap| {
        map.commands(Mode::Users)
            .iter()
            .position(|(c, _)| *c == Command::Revoke)
    };
    assert_eq!(
        position(&map),
        position(&Keymap::default()),
        "same help order"
    );
    assert!(map.hints(Mode::Users).contains(&("D".to_owned(), "revoke")));
}

#[test]
fn named_keys_and_chords_bind_too() {
    let map = keymap("reload = \"F5\"\nswitch_profile = \"ctrl-p\"\n").unwrap();
    assert_eq!(
        map.lookup(Mode::Users, Key::plain(KeyCode::F(5))),
        Some(Command::Reload)
    );
    assert_eq!(map.lookup(Mode::Users, Key::ch('R')), None);
    assert_eq!(
        map.lookup(Mode::Users, Key::ctrl('p')),
        Some(Command::SwitchProfile)
    );
}

#[test]
fn two_commands_on_one_key_in_one_mode_is_an_error_with_the_line() {
    let text = error("revoke = \"D\"\nreload = \"D\"\n");
    assert!(text.starts_with("/home/a/config.toml:"), "{text}");
    assert!(text.contains("both"), "{text}");
    assert!(text.contains("revoke") && text.contains("reload"), "{text}");
    assert!(text.contains("users list"), "{text}");
    let line: usize = text.split(':').nth(1).unwrap().parse().unwrap();
    assert!(line == 3 || line == 4, "{text}");
}

#[test]
fn taking_another_commands_default_key_is_an_error_unless_it_moves_too() {
    let text = error("revoke = \"r\"\n");
    assert!(text.starts_with("/home/a/config.toml:3:"), "{text}");
    assert!(
        text.contains("resend") && text.contains("bind resend to another key"),
        "{text}"
    );
    let swapped = keymap("revoke = \"r\"\nresend = \"x\"\n").unwrap();
    assert_eq!(
        swapped.lookup(Mode::Users, Key::ch('r')),
        Some(Command::Revoke)
    );
    assert_eq!(
        swapped.lookup(Mode::Users, Key::ch('x')),
        Some(Command::Resend)
    );
}

#[test]
fn an_unknown_command_names_the_nearest_one() {
    let text = error("revok = \"D\"\n");
    assert!(text.starts_with("/home/a/config.toml:3:"), "{text}");
    assert!(
        text.contains("\"revok\"") && text.contains("did you mean \"revoke\""),
        "{text}"
    );
}

#[test]
fn an_unreadable_key_is_an_error_with_the_line() {
    let text = error("help = \"h\"\nrevoke = \"alt-d\"\n");
    assert!(text.starts_with("/home/a/config.toml:4:"), "{text}");
    assert!(text.contains("revoke") && text.contains("Alt"), "{text}");
}

#[test]
fn letters_stay_text_in_the_filter_and_ctrl_c_always_quits() {
    let map = keymap("up = \"w\"\nquit = \"Q\"\n").unwrap();
    assert_eq!(map.lookup(Mode::Users, Key::ch('w')), Some(Command::Up));
    assert_eq!(map.lookup(Mode::Filter, Key::ch('w')), None);
    assert_eq!(
        map.lookup(Mode::Filter, Key::plain(KeyCode::Up)),
        Some(Command::Up)
    );
    assert_eq!(map.lookup(Mode::Users, Key::ch('q')), None);
    assert_eq!(map.lookup(Mode::Users, Key::ch('Q')), Some(Command::Quit));
    for mode in [Mode::Users, Mode::Confirm, Mode::FormText] {
        assert_eq!(map.lookup(mode, Key::ctrl('c')), Some(Command::Quit));
    }
}

#[test]
fn every_command_has_a_unique_name_and_a_default_key() {
    let map = Keymap::default();
    let mut names: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Command::ALL.len());
    for command in Command::ALL {
        assert_eq!(Command::from_name(command.name()), Some(command));
        assert!(
            map.bindings.iter().any(|b| b.command == command),
            "{command:?} has no default key: binding it would do nothing"
        );
    }
}

#[test]
fn no_keys_section_is_the_default_keymap() {
    let map = Keymap::from_config(&Config::default()).unwrap();
    assert_eq!(map.bindings, Keymap::default().bindings);
}

#[test]
fn a_users_binding_wins_over_a_default_key_introduced_later() {
    // Written before `:` opened the palette and `S` reversed the sort.
    let map = keymap("reload = \":\"\nswitch_profile = \"S\"\n").unwrap();
    for mode in [Mode::Users, Mode::Permissions] {
        assert_eq!(map.lookup(mode, Key::ch(':')), Some(Command::Reload));
        assert_eq!(map.lookup(mode, Key::ch('S')), Some(Command::SwitchProfile));
        let said: Vec<(Command, Command)> =
            map.yielded(mode).map(|y| (y.command, y.taken_by)).collect();
        assert_eq!(
            said,
            [
                (Command::Palette, Command::Reload),
                (Command::ReverseSort, Command::SwitchProfile)
            ]
        );
    }
    assert!(map.keys_of(Mode::Users, Command::Palette).is_empty());
    // An older default is still an error to take unnoticed.
    assert!(error("reload = \"x\"\n").contains("revoke"));
    // Without [keys] nothing yields.
    assert_eq!(Keymap::default().yielded(Mode::Users).count(), 0);
}

#[test]
fn the_new_modes_defaults_yield_too() {
    // `t` keeps theirs in the conflict view; a user who bound `yes` to
    // `t` long ago is not told their file is wrong.
    let map = keymap("next_button = \"t\"\n").unwrap();
    assert_eq!(
        map.lookup(Mode::Conflict, Key::ch('t')),
        Some(Command::NextButton)
    );
    assert!(
        map.yielded(Mode::Conflict)
            .any(|y| y.command == Command::KeepTheirs)
    );
}
