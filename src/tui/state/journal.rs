//! The journal of this run (`L`): every API call, every change with its
//! outcome, every message shown. The last [`CAPACITY`] entries, in memory.

use std::collections::VecDeque;
use std::time::SystemTime;

use crate::brevo::ExchangeRecord;

pub const CAPACITY: usize = 1_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Call,
    Change,
    Message,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Calls carry the time the client stamped; changes and messages the
    /// time of the call just before them (`update` has no clock).
    pub at: Option<SystemTime>,
    pub kind: EntryKind,
    /// Raw; the view sanitises what it draws.
    pub text: String,
    pub ok: bool,
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Journal {
    /// Oldest first; the view shows them newest first.
    entries: VecDeque<Entry>,
    last_at: Option<SystemTime>,
}

impl Journal {
    pub fn push(&mut self, kind: EntryKind, text: String, ok: bool, request_id: Option<String>) {
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(Entry {
            at: self.last_at,
            kind,
            text,
            ok,
            request_id,
        });
    }

    /// One API exchange, as the client reported it.
    pub fn call(&mut self, record: ExchangeRecord) {
        self.last_at = Some(record.at);
        let status = match (record.status, record.error) {
            (Some(status), _) => status.to_string(),
            (None, Some(error)) => error.replace('_', " "),
            (None, None) => "no answer".to_owned(),
        };
        let left = record
            .remaining
            .map(|n| format!(" · {n} left"))
            .unwrap_or_default();
        let text = format!(
            "{} {} → {status} · {} ms{left}",
            record.method, record.route, record.elapsed_ms
        );
        let ok = record.status.is_some_and(|s| (200..300).contains(&s));
        self.push(EntryKind::Call, text, ok, record.request_id);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `n`th entry counted from the newest.
    pub fn newest(&self, n: usize) -> Option<&Entry> {
        self.entries
            .len()
            .checked_sub(n + 1)
            .and_then(|i| self.entries.get(i))
    }

    /// Newest first.
    pub fn iter_newest(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().rev()
    }
}

/// The journal on screen: `cursor` counts from the newest entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JournalView {
    pub cursor: usize,
}
