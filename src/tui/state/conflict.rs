//! Someone changed the permissions an edit form is about to overwrite:
//! what the form started from, what Brevo holds now ("theirs") and what the
//! form would save, for the admin to choose between.

use crate::brevo::{FeatureChange, Grants};

/// The choices, left to right.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Choice {
    KeepTheirs,
    TakeForm,
    /// The default: nothing is sent and nothing is lost.
    #[default]
    EditAgain,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::KeepTheirs, Choice::TakeForm, Choice::EditAgain];

    pub fn label(self) -> &'static str {
        match self {
            Self::KeepTheirs => "Keep theirs",
            Self::TakeForm => "Save the form's",
            Self::EditAgain => "Edit again",
        }
    }

    /// Right (`forward`) or left, wrapping.
    pub fn step(self, forward: bool) -> Self {
        let at = Self::ALL.iter().position(|c| *c == self).unwrap_or(0);
        let n = Self::ALL.len();
        Self::ALL[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub email: String,
    /// What the form started from.
    pub opened: Grants,
    /// What Brevo holds now.
    pub theirs: Grants,
    /// What the form would save.
    pub form: Grants,
    pub focus: Choice,
}

impl Conflict {
    /// What they changed since the form opened.
    pub fn their_changes(&self) -> Vec<FeatureChange> {
        self.opened.diff(&self.theirs)
    }

    /// What saving the form would change in what they hold now.
    pub fn form_changes(&self) -> Vec<FeatureChange> {
        self.theirs.diff(&self.form)
    }

    /// Theirs with the form's own edits made on top: what the admin added
    /// since the form opened is added, what they removed is removed, and
    /// everything else stays as the other admin left it.
    pub fn merged(&self) -> Grants {
        let mut merged = self.theirs.clone();
        for change in self.opened.diff(&self.form) {
            for permission in &change.added {
                merged.insert(&change.feature, permission.clone());
            }
            for permission in &change.removed {
                merged.remove(&change.feature, permission);
            }
        }
        merged
    }
}
