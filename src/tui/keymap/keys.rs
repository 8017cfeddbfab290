//! One key as the dashboard tells keys apart: how a terminal event becomes
//! one, how the configuration file writes one, and how the footer and the
//! help show one. The written form and the shown form parse alike, so what
//! the help says can be copied into `[keys]`.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A key with the modifiers that matter (Shift is part of the character).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

/// Names of the keys that are not characters, lower-case, as written in
/// the configuration; the first name of each is the one the help shows.
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("del", KeyCode::Delete),
    ("delete", KeyCode::Delete),
    ("ins", KeyCode::Insert),
    ("insert", KeyCode::Insert),
    ("space", KeyCode::Char(' ')),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
];

impl Key {
    pub const fn plain(code: KeyCode) -> Self {
        Self { code, ctrl: false }
    }

    pub const fn ch(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            ctrl: true,
        }
    }

    /// The key as pressed, or `None` for releases and Alt chords.
    pub fn from_event(event: &KeyEvent) -> Option<Self> {
        if event.kind == KeyEventKind::Release || event.modifiers.contains(KeyModifiers::ALT) {
            return None;
        }
        let code = match event.code {
            KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Some(Self {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        })
    }

    /// Reads a key as the configuration writes it: one character as typed
    /// (`"D"` is Shift-d), a key name (`"enter"`, `"F5"`, `"pgdn"`), or
    /// either behind `ctrl-`; `shift-` goes with a letter or `tab`. Case
    /// does not matter in names and prefixes. Alt is refused: over SSH an
    /// Alt chord cannot be told from Esc followed by the key.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = |why: &str| format!("key {text:?} cannot be read: {why}");
        if text.chars().count() == 1 {
            return char_key(text, false).ok_or_else(|| bad("not a key"));
        }
        let lower = text.to_lowercase();
        let (ctrl, rest) = match strip_prefix(&lower, text, "ctrl-") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let rest_lower = rest.to_lowercase();
        if let Some(shifted) = strip_prefix(&rest_lower, rest, "shift-") {
            return match shifted.to_lowercase().as_str() {
                "tab" if !ctrl => Ok(Self::plain(KeyCode::BackTab)),
                one if one.chars().count() == 1 && one.chars().all(|c| c.is_alphabetic()) => {
                    char_key(&one.to_uppercase(), ctrl).ok_or_else(|| bad("not a key"))
                }
                _ => Err(bad("shift- goes with a letter or tab only")),
            };
        }
        if ["alt-", "meta-", "option-"]
            .iter()
            .any(|p| rest_lower.starts_with(p))
        {
            return Err(bad("Alt chords are not supported (try ctrl- or a capital)"));
        }
        if rest.chars().count() == 1 {
            // With Ctrl the terminal sends the same byte for d and D.
            let one = if ctrl { rest_lower.as_str() } else { rest };
            return char_key(one, ctrl).ok_or_else(|| bad("not a key"));
        }
        if let Some(&(_, code)) = NAMED.iter().find(|(name, _)| *name == rest_lower) {
            return Ok(Self { code, ctrl });
        }
        if let Some(n) = rest_lower
            .strip_prefix('f')
            .and_then(|n| n.parse::<u8>().ok())
            && (1..=12).contains(&n)
        {
            return Ok(Self {
                code: KeyCode::F(n),
                ctrl,
            });
        }
        Err(bad(
            "write one character (\"D\"), a name (\"enter\", \"F5\", \"pgdn\", \"shift-tab\"), or ctrl- before either",
        ))
    }

    /// How the key is written in the footer and the help.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Delete => "Delete".to_owned(),
            KeyCode::Insert => "Insert".to_owned(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// `prefix` (lower-case) cut from `original`, matched case-insensitively.
fn strip_prefix<'a>(lower: &str, original: &'a str, prefix: &str) -> Option<&'a str> {
    lower
        .starts_with(prefix)
        .then(|| original.get(prefix.len()..))
        .flatten()
}

fn char_key(one: &str, ctrl: bool) -> Option<Key> {
    let c = one.chars().next()?;
    if c.is_control() {
        return None;
    }
    Some(Key {
        code: KeyCode::Char(c),
        ctrl,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Key {
        Key::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn characters_names_and_chords_are_read() {
        assert_eq!(parsed("D"), Key::ch('D'));
        assert_eq!(parsed("d"), Key::ch('d'));
        assert_eq!(parsed("?"), Key::ch('?'));
        assert_eq!(parsed("shift-d"), Key::ch('D'));
        assert_eq!(parsed("ctrl-d"), Key::ctrl('d'));
        assert_eq!(parsed("Ctrl-D"), Key::ctrl('d'));
        assert_eq!(parsed("F5"), Key::plain(KeyCode::F(5)));
        assert_eq!(parsed("f12"), Key::plain(KeyCode::F(12)));
        assert_eq!(parsed("enter"), Key::plain(KeyCode::Enter));
        assert_eq!(parsed("Esc"), Key::plain(KeyCode::Esc));
        assert_eq!(parsed("shift-tab"), Key::plain(KeyCode::BackTab));
        assert_eq!(parsed("space"), Key::ch(' '));
        assert_eq!(parsed("pgdn"), Key::plain(KeyCode::PageDown));
        assert_eq!(
            parsed("ctrl-enter"),
            Key {
                code: KeyCode::Enter,
                ctrl: true
            }
        );
    }

    #[test]
    fn what_the_help_shows_reads_back_as_the_same_key() {
        for key in [
            Key::ch('D'),
            Key::ctrl('u'),
            Key::plain(KeyCode::F(5)),
            Key::plain(KeyCode::BackTab),
            Key::plain(KeyCode::PageUp),
            Key::plain(KeyCode::Delete),
            Key::ch(' '),
        ] {
            assert_eq!(parsed(&key.label()), key, "{}", key.label());
        }
    }

    #[test]
    fn unreadable_keys_are_errors_that_say_why() {
        for (text, why) in [
            ("", "write one character"),
            ("\t", "not a key"),
            ("F13", "write one character"),
            ("enterr", "write one character"),
            ("alt-x", "Alt chords"),
            ("shift-5", "shift- goes with"),
            ("ctrl-", "write one character"),
        ] {
            let error = Key::parse(text).unwrap_err();
            assert!(error.contains(why), "{text:?}: {error}");
            assert!(error.contains(&format!("{text:?}")), "{error}");
        }
    }
}
