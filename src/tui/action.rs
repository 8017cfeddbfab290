//! Everything that can happen (`Action`, API results included) and what
//! `update` asks the outside world to do (`Effect`). Each effect is
//! answered by exactly one action. What a user may bind is `command.rs`'s.

use std::time::{Duration, SystemTime};

use crate::brevo::{
    Account, ApiError, Change, ChangeOutcome, LostAnswer, RateLimit, Reconciliation, User,
    UserPermissions,
};

pub use super::command::Command;
use super::state::ProfileFacts;
use crate::everywhere::{AccountOutcome, Plan, Presence};

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
    /// A step of the wait for Brevo's quota to reset went by; a step of
    /// another account's wait (before a profile switch) is ignored.
    QuotaCountdown {
        generation: u64,
    },
    /// A minute has passed since a resend: another one goes out unasked.
    ResendCooled(u64),
    /// The OSC 52 sequence was written to the terminal (or failed to be).
    ClipboardWritten {
        email: String,
        ok: bool,
    },
    UsersLoaded {
        request: u64,
        result: Result<Vec<User>, ApiError>,
        rate: Option<RateLimit>,
        /// When the answer came (the worker reads the clock, `update` never
        /// does): a list kept on screen after a failed reload shows its age.
        at: SystemTime,
    },
    /// `GET /account` answered (read at start and after a billed or
    /// credited change, never per key).
    AccountLoaded {
        request: u64,
        result: Result<Account, ApiError>,
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
    /// Everywhere: the keys are obtained (one profile at a time); the
    /// accounts are being read.
    EverywhereConnected {
        request: u64,
    },
    /// Everywhere: one account answered (or could not be read).
    EverywhereFound {
        request: u64,
        presence: Presence,
    },
    /// Everywhere: the offboarding plan, for the one confirmation.
    EverywherePlanned {
        request: u64,
        plan: Plan,
    },
    /// Everywhere: what offboarding did in one account.
    EverywhereOffboarded {
        request: u64,
        outcome: AccountOutcome,
    },
    /// The client made one HTTP exchange (for the journal; never a header).
    Exchange(crate::brevo::ExchangeRecord),
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
    /// One request of the quota: the plan and the seats bought.
    LoadAccount {
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
    /// Look for `email` in every one of `profiles`: the event loop gets
    /// the keys one profile at a time (the terminal given back when one may
    /// ask for a passphrase, as for `SwitchProfile`), then reads the
    /// accounts in parallel; answered by `EverywhereConnected`, then one
    /// `EverywhereFound` per account as it comes.
    FindEverywhere {
        request: u64,
        email: String,
        profiles: Vec<String>,
    },
    /// Make the offboarding plan from the lookup's answers (reads the
    /// person's permissions where they are an active member); answered by
    /// `EverywherePlanned`.
    PlanEverywhere {
        request: u64,
        email: String,
        presences: Vec<Presence>,
    },
    /// Carry out the confirmed plan with the lookup's clients; answered by
    /// one `EverywhereOffboarded` per account as it comes.
    OffboardEverywhere {
        request: u64,
        plan: Plan,
    },
    Quit,
}

/// The actions a timer may send back (kept small and comparable so that
/// `update` tests can assert on effects).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimedAction {
    Rested {
        generation: u64,
    },
    ToastExpired(u64),
    /// A step of the wait for Brevo's quota to reset, in the account of
    /// this profile generation.
    QuotaCountdown {
        generation: u64,
    },
    /// A minute has passed since the resend with this id.
    ResendCooled(u64),
}

impl From<TimedAction> for Action {
    fn from(timed: TimedAction) -> Self {
        match timed {
            TimedAction::Rested { generation } => Action::Rested { generation },
            TimedAction::ToastExpired(id) => Action::ToastExpired(id),
            TimedAction::QuotaCountdown { generation } => Action::QuotaCountdown { generation },
            TimedAction::ResendCooled(id) => Action::ResendCooled(id),
        }
    }
}
