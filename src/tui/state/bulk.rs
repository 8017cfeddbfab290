//! A bulk action: its plan (what happens to each marked user, or why it is
//! skipped), shown in one confirmation, and its run, one user at a time.

use std::collections::VecDeque;

use crate::brevo::{AccessRequest, Change, Escalation, Grants};

/// What is done to one user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Work {
    /// Sent as it is.
    Send(Change),
    /// Sent after one read of the user's permissions, so that undo can
    /// give them back (a revoke or a cancel whose permissions are not loaded).
    ReadThenSend(Change),
    /// A preset: the user's permissions are read again right before the
    /// update, which is built from that read, then read back (three
    /// requests). `planned` is what they held when the plan was made, when
    /// loaded: a re-read that differs skips them.
    Preset {
        all_features: bool,
        grants: Grants,
        planned: Option<Grants>,
    },
}

impl Work {
    /// Requests this work spends, reads included.
    pub fn requests(&self) -> u64 {
        match self {
            Self::Send(_) => 1,
            Self::ReadThenSend(_) => 2,
            Self::Preset { .. } => 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Do {
        work: Work,
        /// What will happen, in words ("revoke the access", a diff line…).
        what: String,
    },
    /// Nothing is sent; the core's sentence says why.
    Skip(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanItem {
    pub email: String,
    /// In the rows on screen; otherwise listed under "not shown by the filter".
    pub shown: bool,
    pub step: Step,
}

/// Where the confirmation stands: the plan, then (when a preset hands out
/// user management) the second question asked as for a single change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asking {
    Plan,
    Escalation(Escalation),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkPlan {
    /// "revoke", "apply the preset Marketing", "undo".
    pub title: String,
    pub items: Vec<PlanItem>,
    /// Requests the run spends (reads, changes and the list's reload).
    pub requests: u64,
    /// What the requests are, said in the cost line ("3 per user: …").
    pub cost_detail: Option<String>,
    /// Requests left in Brevo's window, when it said.
    pub requests_left: Option<u64>,
    /// Lines said above the list (undo: a new invitation must be accepted…).
    pub notes: Vec<String>,
    pub escalation: Option<Escalation>,
    /// An undo: its changes are not themselves undoable.
    pub undo: bool,
    pub asking: Asking,
    pub scroll: usize,
    /// Yes has the focus (No has it first, as in every confirmation).
    pub yes_focused: bool,
}

impl BulkPlan {
    pub fn to_do(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i.step, Step::Do { .. }))
            .count()
    }

    /// Why it cannot start: more requests than Brevo has left.
    pub fn over_quota(&self) -> bool {
        self.requests_left.is_some_and(|left| self.requests > left)
    }
}

/// The user in flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Current {
    /// Their permissions are being read (`request`), then `work` goes out.
    Reading {
        email: String,
        request: u64,
        work: Work,
    },
    /// The change is out (or being checked after an unclear answer).
    Sending(Change),
    /// A preset's update is out, built from the re-read `before` (what
    /// undo gives back).
    Updating { change: Change, before: Grants },
    /// A preset's update took effect: it is being read back (`request`).
    ReadingBack { request: u64, sent: AccessRequest },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkRun {
    pub batch: u64,
    pub title: String,
    pub undo: bool,
    pub queue: VecDeque<(String, Work)>,
    pub current: Option<Current>,
    pub total: usize,
    pub done: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Preset updates whose read-back showed other permissions.
    pub stored_otherwise: usize,
    /// Esc or Ctrl-C: ends after the user in flight.
    pub stopping: bool,
    /// Brevo billed or credited a seat during the run: the account is
    /// read again once at the end, not after every change.
    pub seats_changed: bool,
}

impl BulkRun {
    /// Users whose turn has come (the one in flight included).
    pub fn started(&self) -> usize {
        self.total - self.queue.len()
    }
}
