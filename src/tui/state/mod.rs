//! `AppState`: everything the dashboard knows, owned by the event loop alone.
//! API values are kept raw here; the view sanitises what it draws.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

use crate::brevo::presets::{self, Preset};
use crate::brevo::{AccessRequest, ApiError, RateLimit, User, UserPermissions};
use crate::config::ThemeName;

use super::form::Form;

pub mod bulk;
pub mod conflict;
mod everywhere;
pub mod filter;
mod in_flight;
pub mod journal;
pub mod layout;
pub mod marks;
mod modal;
mod mode;
pub mod palette;
pub mod permissions;
mod profiles;
pub mod rows;
mod seats;
pub mod undo;

pub use everywhere::{AccountRow, EmailPrompt, Everywhere, EverywhereScreen, Lookup, Progress};
pub use in_flight::{Flight, InFlight, Stage, Waiter};
pub use modal::{Button, Confirm, Confirmed, Modal, Modals, RetryReason};
pub use mode::Mode;
pub use profiles::{ProfileFacts, ProfilePicker, Profiles};
pub use seats::{AccountSeats, AccountStatus, FormSeats};

/// Below this size the layout is replaced by a notice.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// From this width on the two panes stand side by side; narrower, only the
/// focused pane is shown.
pub const SIDE_BY_SIDE_WIDTH: u16 = 100;

/// Fixed settings; tests shorten the timings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How long the selection must rest on a user before their permissions
    /// are fetched.
    pub debounce: Duration,
    pub toast_for: Duration,
    pub error_toast_for: Duration,
    /// Below this many requests left, permissions load only on Enter.
    pub low_quota: u64,
    /// A resend to the same user within this time asks first: a held key
    /// must not send twenty invitation emails.
    pub resend_cooldown: Duration,
    /// Colours, or bold/reverse/underline only (`theme = "mono"`, `NO_COLOR`).
    pub theme: ThemeName,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            debounce: Duration::from_millis(150),
            toast_for: Duration::from_secs(5),
            error_toast_for: Duration::from_secs(12),
            low_quota: 20,
            resend_cooldown: Duration::from_secs(60),
            theme: ThemeName::Default,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    #[default]
    Users,
    Permissions,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Email,
    Role,
    Status,
    Access,
}

impl SortKey {
    /// `s`: the next column, in the table's order.
    pub fn next(self) -> Self {
        match self {
            Self::Email => Self::Role,
            Self::Role => Self::Status,
            Self::Status => Self::Access,
            Self::Access => Self::Email,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Role => "role",
            Self::Status => "status",
            Self::Access => "access",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub enum ListStatus {
    #[default]
    Loading,
    Ready,
    Failed(ApiError),
}

/// The users list as Brevo last sent it.
#[derive(Clone, Debug, Default)]
pub struct UserList {
    pub users: Vec<User>,
    /// Bumped whenever `users` is replaced (the row cache watches it).
    pub revision: u64,
    pub status: ListStatus,
    /// Only the answer to the latest list request is taken.
    pub latest_request: u64,
    /// When `users` arrived; a list kept after a failed reload shows it.
    pub loaded_at: Option<SystemTime>,
}

impl UserList {
    /// A list has arrived at least once (every arrival bumps the revision).
    pub fn loaded_once(&self) -> bool {
        self.revision > 0
    }
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub text: String,
    pub editing: bool,
}

/// What the user sees of the list: filter, sort and selection. The selection
/// is an email (it survives reloads and re-sorting); `index` remembers where
/// it was, to pick the nearest user when the selected one is gone.
#[derive(Clone, Debug, Default)]
pub struct ListView {
    pub filter: Filter,
    pub sort: SortKey,
    /// `S`: the sort runs the other way.
    pub reverse: bool,
    pub selected: Option<String>,
    pub index: usize,
    /// Bumped on every move; a debounce timer only fires for its generation.
    pub generation: u64,
    /// First permission line shown (scrolling the permissions pane).
    pub permissions_scroll: usize,
}

#[derive(Clone, Debug)]
pub enum Cached {
    Loaded(UserPermissions),
    Failed(ApiError),
}

/// Permissions per user (key: lower-cased email), fetched at most once per
/// session unless invalidated.
#[derive(Clone, Debug, Default)]
pub struct PermissionsCache {
    pub cache: HashMap<String, Cached>,
    /// Requests sent and not answered yet, by user.
    pub in_flight: HashMap<String, u64>,
    /// Requests whose answer must not enter the cache (sent before the
    /// user's permissions were invalidated).
    pub discarded: HashSet<u64>,
    /// Bumped whenever `cache` changes (a `feature:` filter watches it).
    pub revision: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Success,
    Error,
}

#[derive(Clone, Debug)]
pub struct Toast {
    pub id: u64,
    pub kind: ToastKind,
    /// Already sanitised: toasts are built from `Display` impls that
    /// sanitise, or from sanitised emails.
    pub text: String,
    /// An answer to a change: no timer; it stays until the next key press,
    /// so a late answer is never missed.
    pub until_key: bool,
}

/// The wait for Brevo's quota to reset, counted down by timers (`update`
/// has no clock): `left` shrinks by `step` at each countdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaWait {
    pub left: Duration,
    pub step: Duration,
}

/// Facts about the connection; host and read-only change with the profile.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub host: String,
    pub read_only: bool,
    pub demo: bool,
    /// The configuration file's warnings (unknown keys), toasted at start.
    pub config_warnings: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct AppState {
    pub context: Context,
    pub settings: Settings,
    pub width: u16,
    pub height: u16,
    pub list: UserList,
    /// The account's seats: bought (`/account`), used (from `list`).
    pub account: AccountSeats,
    pub view: ListView,
    pub focus: Focus,
    pub permissions: PermissionsCache,
    /// Dialogs and forms, the one on screen on top.
    pub modals: Modals,
    pub toasts: Vec<Toast>,
    pub in_flight: InFlight,
    pub rate_limit: Option<RateLimit>,
    /// Users resent an invitation within the cooldown (by user key), with
    /// the id of the timer that ends it.
    pub recent_resends: HashMap<String, u64>,
    /// Brevo answered 429: what is left of the wait for its quota to reset.
    pub quota_wait: Option<QuotaWait>,
    /// Role presets offered by the forms: the built-in ones and the
    /// profile's own.
    pub presets: Vec<Preset>,
    pub profiles: Profiles,
    pub everywhere: Option<EverywhereScreen>,
    /// Saved permission changes whose stored result is being read back
    /// (by user key), to say when Brevo stored something else.
    pub verifying: HashMap<String, AccessRequest>,
    /// The filtered, sorted rows, worked out once per change (see `rows.rs`).
    pub rows: rows::RowCache,
    pub spinner: usize,
    pub next_id: u64,
    /// Set in one place: by the event loop when it carries out
    /// `Effect::Quit` (`update` asks for quitting only by that effect).
    pub quit: bool,
    pub marks: marks::Marks,
    pub bulk: Option<bulk::BulkRun>,
    pub journal: journal::Journal,
    pub undo: undo::UndoHistory,
}

impl AppState {
    pub fn new(context: Context, settings: Settings) -> Self {
        Self {
            context,
            settings,
            presets: presets::builtin(),
            ..Self::default()
        }
    }

    pub fn mode(&self) -> Mode {
        match self.modals.top() {
            // Only a form's mode depends on more than the modal itself.
            Some(Modal::Form(form)) if form.typing() && !self.form_busy() => Mode::FormText,
            Some(modal) => modal.mode(),
            None => {
                (self.everywhere.as_ref()).map_or_else(|| self.base_mode(), EverywhereScreen::mode)
            }
        }
    }

    /// The dialog or form on screen, if any.
    pub fn modal(&self) -> Option<&Modal> {
        self.modals.top()
    }

    /// The open form, whether it has the keys or waits beneath a question.
    pub fn form(&self) -> Option<&Form> {
        self.modals.form()
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        self.modals.form_mut()
    }

    /// The form's change is out: what it was built from stays as it is.
    pub fn form_busy(&self) -> bool {
        self.form()
            .is_some_and(|form| form.reread.is_some() || self.in_flight.of_form().is_some())
    }

    /// The mode without any modal: what the help overlay describes.
    pub fn base_mode(&self) -> Mode {
        match self.focus {
            _ if self.view.filter.editing => Mode::Filter,
            Focus::Users => Mode::Users,
            Focus::Permissions => Mode::Permissions,
        }
    }

    pub fn owner(&self) -> Option<&User> {
        self.list.users.iter().find(|u| u.is_owner)
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    pub fn side_by_side(&self) -> bool {
        self.width >= SIDE_BY_SIDE_WIDTH
    }

    /// Permissions are fetched only while their pane is on screen.
    pub fn permissions_visible(&self) -> bool {
        !self.too_small() && (self.side_by_side() || self.focus == Focus::Permissions)
    }

    /// Requests left in the current rate-limit window, when Brevo said.
    pub fn requests_left(&self) -> Option<u64> {
        self.rate_limit.and_then(|r| r.remaining)
    }

    pub fn quota_low(&self) -> bool {
        self.requests_left()
            .is_some_and(|left| left < self.settings.low_quota)
    }

    /// Something is loading: the spinner turns and the tick runs.
    pub fn busy(&self) -> bool {
        matches!(self.list.status, ListStatus::Loading)
            || !self.permissions.in_flight.is_empty()
            || !self.in_flight.is_empty()
            || self.everywhere.as_ref().is_some_and(EverywhereScreen::busy)
    }

    /// Rows of the users table that fit on screen (for PgUp/PgDn), from
    /// the same layout the view draws.
    pub fn page_size(&self) -> usize {
        let filter_line = self.view.filter.editing || !self.view.filter.text.is_empty();
        let shown = self.shown();
        let note_line = filter_line && (shown.hint.is_some() || !shown.not_loaded.is_empty());
        let around = layout::SCREEN_LINES_AROUND_BODY
            + layout::PANE_BORDER_LINES
            + layout::TABLE_HEADER_LINES
            + u16::from(filter_line)
            + u16::from(note_line);
        usize::from(self.height.saturating_sub(around)).max(1)
    }

    /// A new id for a request, a toast or a timer.
    pub fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn toast(&self) -> Option<&Toast> {
        self.toasts.last()
    }
}

/// Cache key for a user's permissions.
pub fn user_key(email: &str) -> String {
    email.trim().to_lowercase()
}
