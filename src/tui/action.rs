//! What a user may bind (`Command`), everything that can happen (`Action`,
//! API results included) and what `update` asks the outside world to do
//! (`Effect`). Each effect is answered by exactly one action.

use std::time::Duration;

use crate::brevo::{
    ApiError, Change, ChangeOutcome, LostAnswer, RateLimit, Reconciliation, User, UserPermissions,
};

use super::state::ProfileFacts;

/// A user intent a key can be bound to. The configuration's `[keys]` binds
/// them by name (`keymap/names.rs`), so nothing here carries data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextPane,
    PrevPane,
    FocusPermissions,
    Back,
    Quit,
    Suspend,
    Filter,
    CycleSort,
    Reload,
    Resend,
    CancelInvitation,
    Revoke,
    CopyEmail,
    Help,
    SwitchProfile,
    FilterAccept,
    FilterClear,
    FilterBackspace,
    FilterErase,
    Yes,
    No,
    Activate,
    NextButton,
    PrevButton,
    Invite,
    EditPermissions,
    NextField,
    PrevField,
    Left,
    Right,
    Toggle,
    SelectAll,
    SelectNone,
    Submit,
    CancelForm,
    CursorLeft,
    CursorRight,
    CursorStart,
    CursorEnd,
    DeleteBack,
    DeleteForward,
    DeleteWord,
    DeleteLine,
}

impl Command {
    /// What the command does, for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Up => "move up",
            Self::Down => "move down",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::Top => "first",
            Self::Bottom => "last",
            Self::NextPane => "next pane",
            Self::PrevPane => "previous pane",
            Self::FocusPermissions => "show permissions (loads them)",
            Self::Back => "back / clear filter",
            Self::Quit => "quit",
            Self::Suspend => "suspend to the shell",
            Self::Filter => "filter by email",
            Self::CycleSort => "sort by email, status, role",
            Self::Reload => "reload list and permissions",
            Self::Resend => "resend invitation",
            Self::CancelInvitation => "cancel invitation",
            Self::Revoke => "revoke access",
            Self::CopyEmail => "copy email",
            Self::Help => "help",
            Self::SwitchProfile => "switch to another profile",
            Self::FilterAccept => "keep filter",
            Self::FilterClear => "clear filter",
            Self::FilterBackspace => "delete a character",
            Self::FilterErase => "erase the filter text",
            Self::Yes => "yes",
            Self::No => "no",
            Self::Activate => "press the focused button",
            Self::NextButton => "next button",
            Self::PrevButton => "previous button",
            Self::Invite => "invite a user",
            Self::EditPermissions => "edit permissions",
            Self::NextField => "next field",
            Self::PrevField => "previous field",
            Self::Left => "previous permission / preset",
            Self::Right => "next permission / preset",
            Self::Toggle => "tick or untick / apply the preset",
            Self::SelectAll => "every permission of the feature",
            Self::SelectNone => "no permission of the feature",
            Self::Submit => "send the form",
            Self::CancelForm => "cancel (asks if anything was typed)",
            Self::CursorLeft => "cursor left",
            Self::CursorRight => "cursor right",
            Self::CursorStart => "cursor to the start",
            Self::CursorEnd => "cursor to the end",
            Self::DeleteBack => "delete before the cursor",
            Self::DeleteForward => "delete under the cursor",
            Self::DeleteWord => "delete the word before the cursor",
            Self::DeleteLine => "erase the field",
        }
    }

    /// A one-word name for the footer.
    pub fn short(self) -> &'static str {
        match self {
            Self::Up | Self::Down => "move",
            Self::PageUp | Self::PageDown => "page",
            Self::Top | Self::Bottom => "ends",
            Self::NextPane | Self::PrevPane => "pane",
            Self::FocusPermissions => "details",
            Self::Back => "back",
            Self::Quit => "quit",
            Self::Suspend => "suspend",
            Self::Filter => "filter",
            Self::CycleSort => "sort",
            Self::Reload => "reload",
            Self::Resend => "resend",
            Self::CancelInvitation => "cancel inv.",
            Self::Revoke => "revoke",
            Self::CopyEmail => "copy",
            Self::Help => "help",
            Self::SwitchProfile => "profile",
            Self::FilterAccept => "keep",
            Self::FilterClear => "clear",
            Self::FilterBackspace => "delete",
            Self::FilterErase => "erase",
            Self::Yes => "yes",
            Self::No => "no",
            Self::Activate => "press",
            Self::NextButton | Self::PrevButton => "switch",
            Self::Invite => "invite",
            Self::EditPermissions => "edit",
            Self::NextField | Self::PrevField => "field",
            Self::Left | Self::Right => "across",
            Self::Toggle => "tick",
            Self::SelectAll => "all",
            Self::SelectNone => "none",
            Self::Submit => "send",
            Self::CancelForm => "cancel",
            Self::CursorLeft | Self::CursorRight | Self::CursorStart | Self::CursorEnd => "cursor",
            Self::DeleteBack | Self::DeleteForward | Self::DeleteWord | Self::DeleteLine => {
                "delete"
            }
        }
    }

    /// Commands that would change the organization: refused in read-only mode.
    pub fn is_change(self) -> bool {
        matches!(
            self,
            Self::Resend
                | Self::CancelInvitation
                | Self::Revoke
                | Self::Invite
                | Self::EditPermissions
        )
    }
}

/// Everything that can happen to the dashboard.
#[derive(Clone, Debug)]
pub enum Action {
    Command(Command),
    /// A character typed while the filter is being edited.
    FilterInput(char),
    /// A character typed into a form's email field.
    FormInput(char),
    /// A bracketed paste while a form's email field has the focus.
    FormPaste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// Advances the spinner; only sent while something is loading.
    Tick,
    /// The selection has stayed on the same user for the debounce time.
    Rested {
        generation: u64,
    },
    ToastExpired(u64),
    /// The OSC 52 sequence was written to the terminal (or failed to be).
    ClipboardWritten {
        email: String,
        ok: bool,
    },
    UsersLoaded {
        request: u64,
        result: Result<Vec<User>, ApiError>,
        rate: Option<RateLimit>,
    },
    PermissionsLoaded {
        email: String,
        request: u64,
        result: Result<UserPermissions, ApiError>,
        rate: Option<RateLimit>,
    },
    ChangeApplied {
        change: Change,
        result: Result<ChangeOutcome, ApiError>,
        rate: Option<RateLimit>,
    },
    Reconciled {
        change: Change,
        result: Result<Reconciliation, ApiError>,
        rate: Option<RateLimit>,
    },
    /// An API result, tagged with the profile generation its request was
    /// started under; `update` drops it when a switch came in between.
    FromProfile {
        generation: u64,
        action: Box<Action>,
    },
    /// The event loop tried to connect to another profile.
    ProfileSwitched {
        name: String,
        result: Result<ProfileFacts, String>,
    },
}

/// Work `update` asks for. API effects run as tokio tasks on the shared
/// client; terminal effects are carried out by the event loop.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    LoadUsers {
        request: u64,
    },
    FetchPermissions {
        email: String,
        request: u64,
    },
    Apply(Change),
    /// Asks Brevo whether a change whose answer was lost took effect.
    Reconcile(Change, LostAnswer),
    /// A timer: sends `action` back after `delay` (debounce, toast expiry).
    After {
        delay: Duration,
        action: TimedAction,
    },
    CopyToClipboard(String),
    Suspend,
    /// Connect to another profile: the event loop gets its key with the
    /// terminal given back (a key command may ask for a passphrase), then
    /// answers with `ProfileSwitched`.
    SwitchProfile {
        name: String,
    },
    Quit,
}

/// The actions a timer may send back (kept small and comparable so that
/// `update` tests can assert on effects).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimedAction {
    Rested { generation: u64 },
    ToastExpired(u64),
}

impl From<TimedAction> for Action {
    fn from(timed: TimedAction) -> Self {
        match timed {
            TimedAction::Rested { generation } => Action::Rested { generation },
            TimedAction::ToastExpired(id) => Action::ToastExpired(id),
        }
    }
}
