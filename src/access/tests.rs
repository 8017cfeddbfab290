//! Tests of access as code: the file, the snapshot, the plan, the diff.

mod diff_cases;
mod file_errors;
mod plan_cases;
mod round_trip;

use std::time::{Duration, SystemTime};

use super::live::{LiveState, LiveUser, Reading};
use crate::brevo::grants::Grants;
use crate::brevo::model::{User, UserStatus};
use crate::brevo::presets::{self, Preset};

pub(super) fn presets() -> Vec<Preset> {
    presets::builtin()
}

pub(super) fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_640_000)
}

pub(super) fn grants(pairs: &[(&str, &[&str])]) -> Grants {
    Grants::from_pairs(pairs.iter().map(|(f, p)| (*f, p.to_vec())))
}

pub(super) fn user(email: &str, status: UserStatus, owner: bool) -> User {
    User {
        email: email.into(),
        is_owner: owner,
        status,
        feature_access: [("marketing".to_owned(), "custom".to_owned())].into(),
        id: None,
        locale: None,
    }
}

pub(super) fn fresh(email: &str, status: UserStatus, held: Grants) -> LiveUser {
    LiveUser {
        user: user(email, status, false),
        reading: Reading::Fresh {
            grants: held,
            at: now() - Duration::from_secs(5),
        },
    }
}

/// The owner plus the given users, for account ops@acme.test.
pub(super) fn live(users: Vec<LiveUser>) -> LiveState {
    let mut all = vec![LiveUser {
        user: user("owner@acme.test", UserStatus::Active, true),
        reading: Reading::Fresh {
            grants: Grants::everything(),
            at: now(),
        },
    }];
    all.extend(users);
    LiveState {
        account: Some("ops@acme.test".into()),
        users: all,
    }
}
