//! Drift and review: two access files compared per user and per feature
//! (`brevo-users diff OLD NEW`; `--live` compares with `write::snapshot`).
//! The types are in `diff_types.rs`, the renderers (text, an auditor's
//! markdown report, JSON) in `diff_render.rs`.

use super::file_types::{AccessFile, Desired, Entry, sort_key};
use crate::brevo::presets::Preset;

pub use super::diff_render::{json, markdown, text};
pub use super::diff_types::*;

/// Compares two files; `presets` resolve the entries that name one.
pub fn diff(old: &AccessFile, new: &AccessFile, presets: &[Preset]) -> AccessDiff {
    let access = |e: &Entry| access_of(e, presets);
    let mut old_users: Vec<UserAccess> = old.users.iter().map(access).collect();
    let mut new_users: Vec<UserAccess> = new.users.iter().map(access).collect();
    old_users.sort_by_key(|u| sort_key(&u.email));
    new_users.sort_by_key(|u| sort_key(&u.email));
    let mut result = AccessDiff {
        old_account: old.account.clone(),
        new_account: new.account.clone(),
        now: new_users.clone(),
        ..AccessDiff::default()
    };
    // Both lists are sorted by lower-case email: one merge walk.
    let (mut i, mut j) = (0, 0);
    while i < old_users.len() || j < new_users.len() {
        let order = match (old_users.get(i), new_users.get(j)) {
            (Some(a), Some(b)) => a
                .email
                .to_ascii_lowercase()
                .cmp(&b.email.to_ascii_lowercase()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, _) => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                result.removed.push(old_users[i].clone());
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                result.added.push(new_users[j].clone());
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let (before, after) = (&old_users[i], &new_users[j]);
                let changes = before.grants.diff(&after.grants);
                if !changes.is_empty() {
                    result.changed.push(UserChange {
                        before: before.clone(),
                        after: after.clone(),
                        changes,
                    });
                }
                i += 1;
                j += 1;
            }
        }
    }
    result
}

fn access_of(entry: &Entry, presets: &[Preset]) -> UserAccess {
    let target = entry.desired.target(presets);
    let all_features = target.as_ref().is_some_and(|t| t.all_features);
    let mut grants = target.map(|t| t.effective()).unwrap_or_default();
    for (feature, permissions) in entry.unrecognised.iter() {
        for permission in permissions {
            grants.insert(feature, permission);
        }
    }
    UserAccess {
        email: entry.email.clone(),
        all_features,
        preset: match &entry.desired {
            Desired::Preset(id) => Some(id.clone()),
            _ => None,
        },
        grants,
    }
}
