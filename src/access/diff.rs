//! Drift and review: two access files compared per user and per feature
//! (`brevo-users diff OLD NEW`; `--live` compares with `write::snapshot`).
//! Renderers for text, an auditor's markdown report and JSON are in
//! `diff_render.rs`.

use super::file::{AccessFile, Desired, Entry, sort_key};
use crate::brevo::grants::{FeatureChange, Grants};
use crate::brevo::presets::Preset;

pub use super::diff_render::{json, markdown, text};

/// What one user holds according to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserAccess {
    pub email: String,
    /// `all_features = true` (or a preset that grants everything).
    pub all_features: bool,
    /// The preset's id when the entry names one.
    pub preset: Option<String>,
    /// Every pair held: catalogue pairs (everything for all features), then
    /// the unrecognised values. A preset this profile does not have counts
    /// as nothing (see `preset`).
    pub grants: Grants,
}

/// A user in both files whose access differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserChange {
    pub before: UserAccess,
    pub after: UserAccess,
    /// Per feature, in catalogue order.
    pub changes: Vec<FeatureChange>,
}

impl UserChange {
    pub fn email(&self) -> &str {
        &self.after.email
    }

    /// Features that gained permissions.
    pub fn widened(&self) -> impl Iterator<Item = &FeatureChange> {
        self.changes.iter().filter(|c| !c.added.is_empty())
    }

    /// Features that lost permissions.
    pub fn narrowed(&self) -> impl Iterator<Item = &FeatureChange> {
        self.changes.iter().filter(|c| !c.removed.is_empty())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessDiff {
    pub old_account: Option<String>,
    pub new_account: Option<String>,
    /// In the new file only.
    pub added: Vec<UserAccess>,
    /// In the old file only.
    pub removed: Vec<UserAccess>,
    /// In both, with different access.
    pub changed: Vec<UserChange>,
    /// Everyone in the new file, with their access (the report lists them).
    pub now: Vec<UserAccess>,
}

impl AccessDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

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
