//! The desired-state file (`access.toml`) as data: who should have which
//! access. [`parse`] reads it (see `parse.rs`), `write::render_file` writes it.
//!
//! ```toml
//! account = "ops@acme.test"
//!
//! [users."ana.garcia@acme.test"]
//! preset = "viewer"
//!
//! [users."bo.lindqvist@acme.test"]
//! grants.contacts = ["view", "import"]
//! grants.email_campaigns = ["create_edit_delete"]
//! unrecognised.meetings = ["all"]   # as Brevo sent it: left untouched
//!
//! [users."deputy@acme.test"]
//! all_features = true
//! ```

use std::fmt;

use crate::brevo::catalog;
use crate::brevo::grants::Grants;
use crate::brevo::presets::{self, Preset};

pub use super::parse::parse;

/// A parsed file: the account it is meant for and one entry per user,
/// sorted by email (compared without case), no email twice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessFile {
    /// The `account = "…"` line: the account's email as `/account` gives it.
    pub account: Option<String>,
    pub users: Vec<Entry>,
}

/// One `[users."email"]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// As written (trimmed); compare with `eq_ignore_ascii_case`.
    pub email: String,
    pub desired: Desired,
    /// `unrecognised.FEATURE = [...]`: values Brevo sent that the catalogue
    /// does not know, written by a snapshot so the file reads back. Plan and
    /// apply never change them (the live values are carried as they are);
    /// they are kept for the reader and for `diff`.
    pub unrecognised: Grants,
    /// 1-based line of the entry's table header (0 for entries not read
    /// from a file, e.g. a snapshot converted in memory).
    pub line: usize,
}

/// Exactly one of `preset`, `grants`, `all_features` per user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Desired {
    /// The id of a preset (built-in or the profile's), as `presets::find`
    /// found it (canonical id, not the spelling in the file).
    Preset(String),
    /// Exactly these catalogue pairs; every other feature none.
    Grants(Grants),
    AllFeatures,
}

/// What a [`Desired`] amounts to: the body apply would send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub all_features: bool,
    /// Empty when `all_features`.
    pub grants: Grants,
}

impl Target {
    /// The catalogue pairs this target holds: everything for all features.
    pub fn effective(&self) -> Grants {
        if self.all_features {
            Grants::everything()
        } else {
            self.grants.clone()
        }
    }
}

impl Desired {
    /// Resolves a preset against `presets`; `None` when the preset is not
    /// there (a file parsed with other presets than it is planned with).
    pub fn target(&self, presets: &[Preset]) -> Option<Target> {
        match self {
            Self::AllFeatures => Some(Target {
                all_features: true,
                grants: Grants::new(),
            }),
            Self::Grants(grants) => Some(Target {
                all_features: false,
                grants: grants.clone(),
            }),
            Self::Preset(id) => presets::find(presets, id).map(|p| Target {
                all_features: p.all_features,
                grants: if p.all_features {
                    Grants::new()
                } else {
                    p.grants.clone()
                },
            }),
        }
    }
}

impl AccessFile {
    /// The entry for `email`, compared without case.
    pub fn entry(&self, email: &str) -> Option<&Entry> {
        let email = email.trim();
        self.users
            .iter()
            .find(|e| e.email.eq_ignore_ascii_case(email))
    }

    /// Sorts the entries the way the file lists them: by email, without case.
    pub fn sort(&mut self) {
        self.users.sort_by_key(|e| sort_key(&e.email));
    }
}

/// The order entries are listed in (lower-case email, then as written).
pub fn sort_key(email: &str) -> (String, String) {
    (email.to_ascii_lowercase(), email.to_owned())
}

/// A pair the file may write under `grants`: a current feature with a current
/// permission that fits it. Everything else Brevo sends is "unrecognised".
pub fn is_known_pair(feature: &str, permission: &str) -> bool {
    catalog::feature(feature).is_some_and(|f| f.current)
        && catalog::permission(permission)
            .is_some_and(|p| p.current && p.key == permission && catalog::fits(feature, p.key))
}

/// Splits grants as read from Brevo into (catalogue pairs, everything else).
pub fn split_known(grants: &Grants) -> (Grants, Grants) {
    let mut known = Grants::new();
    let mut other = Grants::new();
    for (feature, permissions) in grants.iter() {
        for permission in permissions {
            if is_known_pair(feature, permission) {
                known.insert(feature, permission);
            } else {
                other.insert(feature, permission);
            }
        }
    }
    (known, other)
}

/// A problem in the file, before any request: where, what, and a guess.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// One sentence, no trailing period.
    pub message: String,
    /// The nearest valid name, for "did you mean".
    pub suggestion: Option<String>,
}

impl FileError {
    /// `access.toml:3:5: unknown feature "contact" (did you mean "contacts"?)`
    pub fn located(&self, file: &str) -> String {
        format!("{file}:{}:{}: {}", self.line, self.column, self.sentence())
    }

    fn sentence(&self) -> String {
        match &self.suggestion {
            Some(s) => format!("{} (did you mean \"{s}\"?)", self.message),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line,
            self.column,
            self.sentence()
        )
    }
}

impl std::error::Error for FileError {}
