//! The "Everywhere" view (`F`): one person across every account of the
//! configuration, and offboarding them from all of them (`O`). All of it
//! lives in the one field `AppState::everywhere`, so that whatever must
//! drop it (a profile switch, the view closed) clears one field.

use crate::everywhere::{AccountOutcome, Presence};

use super::mode::Mode;

/// What `F` put on screen: the prompt for an email, or the accounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EverywhereScreen {
    /// No user was selected: a one-line prompt for the email to look for.
    Prompt(EmailPrompt),
    Accounts(Everywhere),
}

impl EverywhereScreen {
    /// The keymap in force while it is on screen.
    pub fn mode(&self) -> Mode {
        match self {
            Self::Prompt(_) => Mode::EverywherePrompt,
            Self::Accounts(_) => Mode::Everywhere,
        }
    }

    /// The accounts, when the view shows them (not the prompt).
    pub fn accounts(&self) -> Option<&Everywhere> {
        match self {
            Self::Accounts(everywhere) => Some(everywhere),
            Self::Prompt(_) => None,
        }
    }

    pub fn accounts_mut(&mut self) -> Option<&mut Everywhere> {
        match self {
            Self::Accounts(everywhere) => Some(everywhere),
            Self::Prompt(_) => None,
        }
    }

    pub fn busy(&self) -> bool {
        self.accounts().is_some_and(Everywhere::busy)
    }
}

/// The one-line prompt; `problem` is the core's reason the text is not an
/// email, shown under it after Enter (what was typed stays).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmailPrompt {
    pub text: String,
    pub problem: Option<String>,
}

/// One person in every account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Everywhere {
    pub email: String,
    /// Answers for another lookup (a view closed and opened again) are
    /// told apart by it and dropped.
    pub request: u64,
    /// In the configuration's order of profiles.
    pub accounts: Vec<AccountRow>,
    /// `O` was pressed: the plan is being made (the person's permissions
    /// read where removing them could remove the last user manager).
    pub planning: bool,
    /// `O` was confirmed: the offboarding ran or runs (a second `O` does
    /// nothing).
    pub offboarding: bool,
    /// First account line shown.
    pub scroll: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    pub profile: String,
    pub lookup: Lookup,
    /// What offboarding did here; `None` before `O`.
    pub offboard: Option<Progress>,
}

/// Where one account's lookup is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Keys are obtained one profile at a time (a passphrase may be asked).
    GettingKey,
    /// The key is in; the account's list is being read.
    Loading,
    /// The account's answer, or why there is none (no key, a 401, a
    /// timeout): the module's own value, as the CLI's `find` has it.
    Answered(Box<Presence>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    Running,
    Finished(AccountOutcome),
}

impl Everywhere {
    /// A lookup of `email` in every one of `profiles`, none answered yet.
    pub fn new(email: String, request: u64, profiles: &[String]) -> Self {
        Self {
            email,
            request,
            accounts: profiles
                .iter()
                .map(|profile| AccountRow {
                    profile: profile.clone(),
                    lookup: Lookup::GettingKey,
                    offboard: None,
                })
                .collect(),
            planning: false,
            offboarding: false,
            scroll: 0,
        }
    }

    pub fn row_mut(&mut self, profile: &str) -> Option<&mut AccountRow> {
        self.accounts.iter_mut().find(|row| row.profile == profile)
    }

    /// Every account has answered the lookup (found or failed).
    pub fn looked_everywhere(&self) -> bool {
        self.accounts
            .iter()
            .all(|row| matches!(row.lookup, Lookup::Answered(_)))
    }

    /// Something is still out: a lookup, the plan, or an offboarding step.
    pub fn busy(&self) -> bool {
        !self.looked_everywhere()
            || self.planning
            || self
                .accounts
                .iter()
                .any(|row| row.offboard == Some(Progress::Running))
    }

    /// The answers, in the profiles' order (what the plan is made from).
    pub fn presences(&self) -> Vec<Presence> {
        self.accounts
            .iter()
            .filter_map(|row| match &row.lookup {
                Lookup::Answered(presence) => Some(presence.as_ref().clone()),
                _ => None,
            })
            .collect()
    }
}
