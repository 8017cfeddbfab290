//! Drift and review: two access files compared per user and per feature
//! (`brevo-users diff OLD NEW`; `--live` compares with `write::snapshot`).
//! Renderers for text, an auditor's markdown report and JSON are in
//! `diff_render.rs`.

use crate::brevo::grants::{FeatureChange, Grants};

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
