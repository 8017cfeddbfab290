//! Keys to commands, per mode, as data: the help overlay and the footer read
//! the keys from the same table that dispatches them, so they cannot drift
//! apart, and the configuration's `[keys]` is merged over the table
//! (`overrides.rs`) before the dashboard starts.

mod keys;
mod overrides;

use crossterm::event::KeyCode;

pub use keys::Key;

use super::action::Command;
use super::state::Mode;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub mode: Mode,
    pub key: Key,
    pub command: Command,
}

#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: Vec<Binding>,
    /// Default keys that `[keys]` took for another command.
    yielded: Vec<Yielded>,
}

/// Moving through a list: the panes and the help overlay alike.
const MOVES: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Up), Command::Up),
    (Key::ch('k'), Command::Up),
    (Key::plain(KeyCode::Down), Command::Down),
    (Key::ch('j'), Command::Down),
    (Key::plain(KeyCode::PageUp), Command::PageUp),
    (Key::plain(KeyCode::PageDown), Command::PageDown),
    (Key::ch('g'), Command::Top),
    (Key::plain(KeyCode::Home), Command::Top),
    (Key::ch('G'), Command::Bottom),
    (Key::plain(KeyCode::End), Command::Bottom),
];

const PANES: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Tab), Command::NextPane),
    (Key::plain(KeyCode::BackTab), Command::PrevPane),
];

const ACTIONS: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Enter), Command::FocusPermissions),
    (Key::plain(KeyCode::Esc), Command::Back),
    (Key::ch('/'), Command::Filter),
    (Key::ch('s'), Command::CycleSort),
    (Key::ch('R'), Command::Reload),
    (Key::ch('r'), Command::Resend),
    (Key::ch('c'), Command::CancelInvitation),
    (Key::ch('x'), Command::Revoke),
    (Key::ch('y'), Command::CopyEmail),
    (Key::ch('i'), Command::Invite),
    (Key::ch('e'), Command::EditPermissions),
    (Key::ch('P'), Command::SwitchProfile),
    (Key::ch('F'), Command::FindEverywhere),
    (Key::ch('?'), Command::Help),
    (Key::ch('q'), Command::Quit),
    (Key::ch(':'), Command::Palette),
    (Key::ch('S'), Command::ReverseSort),
    (Key::ch(' '), Command::Mark),
    (Key::ch('*'), Command::MarkAll),
    (Key::ch('p'), Command::ApplyPreset),
    (Key::ch('L'), Command::Journal),
    (Key::ch('u'), Command::Undo),
];

/// Keys that work everywhere, modals and text fields included. `q` quits
/// only where letters are not text and mean nothing else (the list and the
/// permissions pane): in the help and the switcher it closes them.
const ALWAYS: &[(Key, Command)] = &[
    (Key::ctrl('c'), Command::Quit),
    (Key::ctrl('z'), Command::Suspend),
];

const FILTER: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Enter), Command::FilterAccept),
    (Key::plain(KeyCode::Esc), Command::FilterClear),
    (Key::plain(KeyCode::Backspace), Command::FilterBackspace),
    (Key::ctrl('u'), Command::FilterErase),
    (Key::plain(KeyCode::Up), Command::Up),
    (Key::plain(KeyCode::Down), Command::Down),
    (Key::plain(KeyCode::PageUp), Command::PageUp),
    (Key::plain(KeyCode::PageDown), Command::PageDown),
];

const CONFIRM: &[(Key, Command)] = &[
    (Key::ch('y'), Command::Yes),
    (Key::ch('n'), Command::No),
    (Key::plain(KeyCode::Esc), Command::No),
    (Key::plain(KeyCode::Enter), Command::Activate),
    (Key::plain(KeyCode::Left), Command::PrevButton),
    (Key::plain(KeyCode::Right), Command::NextButton),
    (Key::plain(KeyCode::Tab), Command::NextButton),
    (Key::plain(KeyCode::BackTab), Command::PrevButton),
];

/// A bulk action's confirmation: its list of users scrolls.
const BULK_SCROLL: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Up), Command::Up),
    (Key::plain(KeyCode::Down), Command::Down),
    (Key::plain(KeyCode::PageUp), Command::PageUp),
    (Key::plain(KeyCode::PageDown), Command::PageDown),
];

/// The journal (`L`): a list read newest first.
const JOURNAL: &[(Key, Command)] = &[
    (Key::ch('y'), Command::CopyRequestId),
    (Key::plain(KeyCode::Esc), Command::Back),
    (Key::ch('q'), Command::Back),
    (Key::ch('L'), Command::Journal),
];

/// A form with the focus on the toggle, the presets or the grid.
const FORM: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Enter), Command::Submit),
    (Key::ctrl('s'), Command::Submit),
    (Key::plain(KeyCode::Esc), Command::CancelForm),
    (Key::plain(KeyCode::Tab), Command::NextField),
    (Key::plain(KeyCode::BackTab), Command::PrevField),
    (Key::plain(KeyCode::Up), Command::Up),
    (Key::ch('k'), Command::Up),
    (Key::plain(KeyCode::Down), Command::Down),
    (Key::ch('j'), Command::Down),
    (Key::plain(KeyCode::Left), Command::Left),
    (Key::ch('h'), Command::Left),
    (Key::plain(KeyCode::Right), Command::Right),
    (Key::ch('l'), Command::Right),
    (Key::ch(' '), Command::Toggle),
    (Key::ch('a'), Command::SelectAll),
    (Key::ch('n'), Command::SelectNone),
    (Key::plain(KeyCode::PageUp), Command::ScrollChangesUp),
    (Key::plain(KeyCode::PageDown), Command::ScrollChangesDown),
    (Key::ch('?'), Command::Help),
];

/// A form with the focus on its email field: what is not bound is text.
const FORM_TEXT: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Enter), Command::Submit),
    (Key::ctrl('s'), Command::Submit),
    (Key::plain(KeyCode::Esc), Command::CancelForm),
    (Key::plain(KeyCode::Tab), Command::NextField),
    (Key::plain(KeyCode::BackTab), Command::PrevField),
    (Key::plain(KeyCode::Down), Command::NextField),
    (Key::plain(KeyCode::Up), Command::PrevField),
    (Key::plain(KeyCode::Left), Command::CursorLeft),
    (Key::plain(KeyCode::Right), Command::CursorRight),
    (Key::plain(KeyCode::Home), Command::CursorStart),
    (Key::ctrl('a'), Command::CursorStart),
    (Key::plain(KeyCode::End), Command::CursorEnd),
    (Key::ctrl('e'), Command::CursorEnd),
    (Key::plain(KeyCode::Backspace), Command::DeleteBack),
    (Key::plain(KeyCode::Delete), Command::DeleteForward),
    (Key::ctrl('w'), Command::DeleteWord),
    (Key::ctrl('u'), Command::DeleteLine),
];

/// The help overlay. `?` is bound to `help` here too, so the key that
/// opens it closes it, whatever `[keys]` binds `help` to.
const HELP: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Esc), Command::Back),
    (Key::ch('q'), Command::Back),
    (Key::ch('?'), Command::Help),
];

/// The profile switcher: a list, Enter switches.
const PROFILES: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Up), Command::Up),
    (Key::ch('k'), Command::Up),
    (Key::plain(KeyCode::Down), Command::Down),
    (Key::ch('j'), Command::Down),
    (Key::plain(KeyCode::Enter), Command::Activate),
    (Key::plain(KeyCode::Esc), Command::Back),
    (Key::ch('q'), Command::Back),
];

/// The Everywhere view: the accounts scroll with the list's moves; `F`
/// looks again, `O` offboards, Esc or q closes it.
const EVERYWHERE: &[(Key, Command)] = &[
    (Key::ch('O'), Command::OffboardEverywhere),
    (Key::ch('F'), Command::FindEverywhere),
    (Key::plain(KeyCode::Esc), Command::Back),
    (Key::ch('q'), Command::Back),
    (Key::ch('?'), Command::Help),
];

/// The Everywhere prompt: one line of text, Enter looks, Esc closes.
const EVERYWHERE_PROMPT: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Enter), Command::Submit),
    (Key::plain(KeyCode::Esc), Command::CancelForm),
    (Key::plain(KeyCode::Backspace), Command::DeleteBack),
    (Key::ctrl('u'), Command::DeleteLine),
];

/// The command palette (`:`): letters are its search text.
const PALETTE: &[(Key, Command)] = &[
    (Key::plain(KeyCode::Enter), Command::Activate),
    (Key::plain(KeyCode::Esc), Command::Back),
    (Key::plain(KeyCode::Up), Command::Up),
    (Key::plain(KeyCode::Down), Command::Down),
    (Key::plain(KeyCode::Backspace), Command::FilterBackspace),
    (Key::ctrl('u'), Command::FilterErase),
];

/// Someone else changed the permissions the form edits.
const CONFLICT: &[(Key, Command)] = &[
    (Key::ch('t'), Command::KeepTheirs),
    (Key::ch('m'), Command::TakeForm),
    (Key::ch('e'), Command::EditAgain),
    (Key::plain(KeyCode::Esc), Command::EditAgain),
    (Key::plain(KeyCode::Enter), Command::Activate),
    (Key::plain(KeyCode::Left), Command::PrevButton),
    (Key::plain(KeyCode::Right), Command::NextButton),
    (Key::plain(KeyCode::Tab), Command::NextButton),
    (Key::plain(KeyCode::BackTab), Command::PrevButton),
];

/// Commands whose default keys came after `[keys]` existed: a user's
/// binding of the same key in the same mode wins over them (and the help
/// says so) instead of making a working configuration an error. Named, not
/// typed, so a command of another branch counts once it exists.
pub const INTRODUCED_LATER: &[&str] = &[
    "mark",
    "mark_all",
    "apply_preset",
    "palette",
    "journal",
    "undo",
    "reverse_sort",
    "copy_request_id",
    "find_everywhere",
    "offboard_everywhere",
];

/// Modes that came after `[keys]` existed: every default key in them
/// yields to a user's binding the same way.
pub const LATER_MODES: &[Mode] = &[
    Mode::Palette,
    Mode::Conflict,
    Mode::Everywhere,
    Mode::EverywherePrompt,
    Mode::Journal,
    Mode::Presets,
    Mode::BulkConfirm,
];

/// A default key given up to a user's binding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Yielded {
    pub mode: Mode,
    pub key: Key,
    /// The command that would have had the key.
    pub command: Command,
    /// The command the user bound to it.
    pub taken_by: Command,
}

impl Binding {
    /// A default of this binding's place that yields to `[keys]`.
    pub fn introduced_later(&self) -> bool {
        LATER_MODES.contains(&self.mode) || INTRODUCED_LATER.contains(&self.command.name())
    }
}

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = Vec::new();
        let mut add = |mode: Mode, table: &[(Key, Command)]| {
            bindings.extend(
                table
                    .iter()
                    .map(|&(key, command)| Binding { mode, key, command }),
            );
        };
        for mode in [Mode::Users, Mode::Permissions] {
            add(mode, MOVES);
            add(mode, PANES);
            add(mode, ACTIONS);
        }
        add(Mode::Filter, FILTER);
        add(Mode::Confirm, CONFIRM);
        add(Mode::Help, HELP);
        add(Mode::Help, MOVES);
        add(Mode::Form, FORM);
        add(Mode::FormText, FORM_TEXT);
        add(Mode::Profiles, PROFILES);
        add(Mode::Everywhere, MOVES);
        add(Mode::Everywhere, EVERYWHERE);
        add(Mode::EverywherePrompt, EVERYWHERE_PROMPT);
        add(Mode::Palette, PALETTE);
        add(Mode::Conflict, CONFLICT);
        add(Mode::Journal, MOVES);
        add(Mode::Journal, JOURNAL);
        add(Mode::Presets, PROFILES);
        add(Mode::BulkConfirm, CONFIRM);
        add(Mode::BulkConfirm, BULK_SCROLL);
        for mode in Mode::ALL {
            add(mode, ALWAYS);
        }
        Self {
            bindings,
            yielded: Vec::new(),
        }
    }
}

impl Keymap {
    pub fn from_bindings(bindings: Vec<Binding>) -> Self {
        Self {
            bindings,
            yielded: Vec::new(),
        }
    }

    /// The default keys of `mode` that the configuration took for another
    /// command (the help says which).
    pub fn yielded(&self, mode: Mode) -> impl Iterator<Item = &Yielded> {
        self.yielded.iter().filter(move |y| y.mode == mode)
    }

    /// The keys of `command` in `mode` (none when `[keys]` took them).
    pub fn keys_of(&self, mode: Mode, command: Command) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|b| b.mode == mode && b.command == command)
            .map(|b| b.key)
            .collect()
    }

    pub fn lookup(&self, mode: Mode, key: Key) -> Option<Command> {
        self.bindings
            .iter()
            .find(|b| b.mode == mode && b.key == key)
            .map(|b| b.command)
    }

    /// Every command of a mode with all its keys, in table order.
    pub fn commands(&self, mode: Mode) -> Vec<(Command, Vec<Key>)> {
        let mut out: Vec<(Command, Vec<Key>)> = Vec::new();
        for binding in self.bindings.iter().filter(|b| b.mode == mode) {
            match out.iter_mut().find(|(c, _)| *c == binding.command) {
                Some((_, keys)) => keys.push(binding.key),
                None => out.push((binding.command, vec![binding.key])),
            }
        }
        out
    }

    /// Footer hints: commands sharing a short name are merged into one hint
    /// ("↑/↓ move"), keeping the first key of each command.
    pub fn hints(&self, mode: Mode) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        for (command, keys) in self.commands(mode) {
            let key = keys[0].label();
            match out.iter_mut().find(|(_, name)| *name == command.short()) {
                Some((label, _)) => {
                    label.push('/');
                    label.push_str(&key);
                }
                None => out.push((key, command.short())),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
