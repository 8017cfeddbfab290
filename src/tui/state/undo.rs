//! What `u` can undo: the changes made in this run, newest last, each with
//! the change that reverses it. Memory only; a profile switch drops it.

use crate::brevo::{AccessRequest, Change};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inverse {
    Send(Change),
    /// Their permissions were not known: undo says so and opens the
    /// invite form with the email filled in.
    Unknown {
        email: String,
    },
    /// Nothing can reverse it (a resent email), with why.
    Impossible(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoEntry {
    /// Changes of one bulk action share a batch and are undone together.
    pub batch: u64,
    pub done: Change,
    pub inverse: Inverse,
}

#[derive(Clone, Debug, Default)]
pub struct UndoHistory {
    pub entries: Vec<UndoEntry>,
    /// Revokes and cancels waiting for one read of the user's permissions
    /// before they are sent (so undo can give them back).
    pub read_first: Vec<(String, Change)>,
}

impl UndoHistory {
    /// Takes the newest batch off the history.
    pub fn pop_batch(&mut self) -> Vec<UndoEntry> {
        let Some(batch) = self.entries.last().map(|e| e.batch) else {
            return Vec::new();
        };
        let at = self
            .entries
            .iter()
            .rposition(|e| e.batch != batch)
            .map_or(0, |i| i + 1);
        self.entries.split_off(at)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.read_first.clear();
    }
}

/// What an undo of an update sends: the grants before, as the one update
/// builder builds every update (the full set).
pub fn restore(edit: &AccessRequest, before: &crate::brevo::Grants) -> Change {
    let now = if edit.all_features_access {
        crate::brevo::Grants::everything()
    } else {
        edit.grants.clone()
    };
    let everything = *before == crate::brevo::Grants::everything();
    Change::UpdatePermissions(AccessRequest::update(&edit.email, &now, before, everything))
}

/// Whether a revoke or cancel must read the user's permissions first (one
/// request), so that undo can give them back: they are not loaded.
pub fn needs_read(state: &super::AppState, change: &Change) -> bool {
    matches!(change, Change::Revoke(_) | Change::CancelInvitation(_))
        && !matches!(
            state
                .permissions
                .cache
                .get(&super::user_key(change.email())),
            Some(super::Cached::Loaded(_))
        )
}
