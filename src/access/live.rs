//! The account as it was read: the user list and, per user, the permissions
//! (fresh, from the local cache, or not read). Pure data: the commands fill
//! it from the network and the cache; plan and snapshot read it.

use std::time::{Duration, SystemTime};

use crate::brevo::grants::Grants;
use crate::brevo::model::User;

/// What the account showed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveState {
    /// `/account`'s email; `None` when it could not be read.
    pub account: Option<String>,
    /// Every user of the list, the owner included (`is_owner`), in any order.
    pub users: Vec<LiveUser>,
}

/// One user of the list and what is known of their permissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveUser {
    /// The list entry as Brevo sent it: email, status, owner flag, summary.
    pub user: User,
    pub reading: Reading,
}

/// How a user's permissions are known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Read from Brevo for this run (`GET /organization/user/{email}/permissions`).
    Fresh { grants: Grants, at: SystemTime },
    /// Answered from the local cache: read at `at`, maybe stale.
    Cached { grants: Grants, at: SystemTime },
    /// Not read: the quota ran out, the read failed, `--refresh=none` and
    /// no cache entry. `reason` is one sentence, shown as it is.
    NotRead { reason: String },
}

impl Reading {
    pub fn grants(&self) -> Option<&Grants> {
        match self {
            Self::Fresh { grants, .. } | Self::Cached { grants, .. } => Some(grants),
            Self::NotRead { .. } => None,
        }
    }

    pub fn read_at(&self) -> Option<SystemTime> {
        match self {
            Self::Fresh { at, .. } | Self::Cached { at, .. } => Some(*at),
            Self::NotRead { .. } => None,
        }
    }

    pub fn from_cache(&self) -> bool {
        matches!(self, Self::Cached { .. })
    }

    /// How old a cached answer is at `now` (zero for a clock gone backwards).
    pub fn age(&self, now: SystemTime) -> Option<Duration> {
        match self {
            Self::Cached { at, .. } => Some(now.duration_since(*at).unwrap_or_default()),
            _ => None,
        }
    }
}

impl LiveState {
    /// A state from the list alone: every user `NotRead` with `reason`,
    /// to be filled with [`LiveState::set_reading`].
    pub fn from_list(account: Option<String>, users: Vec<User>, reason: &str) -> Self {
        Self {
            account,
            users: users
                .into_iter()
                .map(|user| LiveUser {
                    user,
                    reading: Reading::NotRead {
                        reason: reason.to_owned(),
                    },
                })
                .collect(),
        }
    }

    /// Records how `email`'s permissions are known; false when the list
    /// has no such user.
    pub fn set_reading(&mut self, email: &str, reading: Reading) -> bool {
        match self.users.iter_mut().find(|u| u.user.has_email(email)) {
            Some(user) => {
                user.reading = reading;
                true
            }
            None => false,
        }
    }

    pub fn owner(&self) -> Option<&LiveUser> {
        self.users.iter().find(|u| u.user.is_owner)
    }

    pub fn user(&self, email: &str) -> Option<&LiveUser> {
        self.users.iter().find(|u| u.user.has_email(email))
    }

    /// Users whose permissions were not read (a snapshot of them would be
    /// incomplete; the writer lists them as comments).
    pub fn not_read(&self) -> impl Iterator<Item = &LiveUser> {
        self.users
            .iter()
            .filter(|u| !u.user.is_owner && u.reading.grants().is_none())
    }
}
