//! Whether one person has access to each account: one list request per
//! account, every account at once.

use crate::brevo::summary::access_summary;
use crate::brevo::{User, UserStatus};

use super::error::{AccountError, lost_task};
use super::fan_out::fan_out;
use super::profiles::{ReadOnlyReason, Target};

/// The person's status in one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Pending,
    Absent,
    /// A status Brevo sent that is neither, as it came.
    Other(String),
}

impl Status {
    /// `active`, `pending`, `absent`, or Brevo's own word (not sanitised:
    /// faces clean it for the screen).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Absent => "absent",
            Self::Other(other) => other,
        }
    }
}

/// What one account's list said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The account, named by its owner's email (the list's `is_owner`
    /// entry; Brevo's account email is the owner's); `None` when the list
    /// has no owner.
    pub account: Option<String>,
    /// The person's entry, when present.
    pub user: Option<User>,
    /// The whole list: the removal guards need it.
    pub users: Vec<User>,
}

/// One account's answer about the person, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presence {
    pub profile: String,
    pub read_only: Option<ReadOnlyReason>,
    pub found: Result<Found, AccountError>,
}

impl Presence {
    /// `None` when the account could not be read.
    pub fn status(&self) -> Option<Status> {
        let found = self.found.as_ref().ok()?;
        Some(match &found.user {
            None => Status::Absent,
            Some(user) => match &user.status {
                UserStatus::Active => Status::Active,
                UserStatus::Pending => Status::Pending,
                UserStatus::Other(other) => Status::Other(other.clone()),
            },
        })
    }

    /// Whether the person is the account's owner (`false` when absent).
    pub fn is_owner(&self) -> Option<bool> {
        let found = self.found.as_ref().ok()?;
        Some(found.user.as_ref().is_some_and(|u| u.is_owner))
    }

    /// The core's access summary of the person, when present.
    pub fn access(&self) -> Option<String> {
        let found = self.found.as_ref().ok()?;
        found.user.as_ref().map(access_summary)
    }

    pub fn account(&self) -> Option<&str> {
        self.found.as_ref().ok()?.account.as_deref()
    }

    pub fn error(&self) -> Option<&AccountError> {
        self.found.as_ref().err()
    }

    /// Whether the person has access or an invitation here.
    pub fn is_present(&self) -> bool {
        self.found.as_ref().is_ok_and(|f| f.user.is_some())
    }
}

/// Reads one account's list (one request) and finds `email` in it.
pub async fn presence_of(target: &Target, email: &str) -> Presence {
    let found = match &target.client {
        Err(error) => Err(error.clone()),
        Ok(client) => match client.list_users().await {
            Err(error) => Err((&error).into()),
            Ok(users) => Ok(Found {
                account: users.iter().find(|u| u.is_owner).map(|u| u.email.clone()),
                user: users.iter().find(|u| u.has_email(email)).cloned(),
                users,
            }),
        },
    };
    Presence {
        profile: target.profile.clone(),
        read_only: target.read_only,
        found,
    }
}

/// Every target's presence, [`PARALLEL`](super::fan_out::PARALLEL) at a time; `on_each` sees
/// each as it arrives; returned in the targets' order. A target without a
/// client costs nothing and answers with its error at once.
pub async fn presence_all(
    targets: &[Target],
    email: &str,
    on_each: impl FnMut(&Presence),
) -> Vec<Presence> {
    let email = email.trim().to_owned();
    let lost = |index: usize| Presence {
        profile: targets[index].profile.clone(),
        read_only: targets[index].read_only,
        found: Err(lost_task()),
    };
    fan_out(
        targets.to_vec(),
        |target| {
            let email = email.clone();
            async move { presence_of(&target, &email).await }
        },
        lost,
        on_each,
    )
    .await
}
