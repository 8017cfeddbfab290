//! Marked users (`Space`, `*`): what a bulk action acts on. Keyed by the
//! email exactly as the list holds it, so a frame checks a row without
//! allocating. Marks belong to one account: a profile switch drops them.

use std::collections::HashSet;

/// foldhash, seeded per process: SipHash made `*` on 10,000 users take
/// 1.5 ms (see docs/PERFORMANCE.md).
type Set = HashSet<String, foldhash::fast::RandomState>;

#[derive(Clone, Debug, Default)]
pub struct Marks {
    emails: Set,
}

impl Marks {
    /// Marks or unmarks; true when the user is marked afterwards.
    pub fn toggle(&mut self, email: &str) -> bool {
        if self.emails.remove(email) {
            false
        } else {
            self.emails.insert(email.to_owned());
            true
        }
    }

    pub fn mark(&mut self, email: &str) {
        if !self.emails.contains(email) {
            self.emails.insert(email.to_owned());
        }
    }

    /// Room for `more` marks at once (`*` on 10,000 rows grows once).
    pub fn reserve(&mut self, more: usize) {
        self.emails.reserve(more);
    }

    pub fn unmark(&mut self, email: &str) {
        self.emails.remove(email);
    }

    pub fn contains(&self, email: &str) -> bool {
        self.emails.contains(email)
    }

    pub fn len(&self) -> usize {
        self.emails.len()
    }

    pub fn is_empty(&self) -> bool {
        self.emails.is_empty()
    }

    pub fn clear(&mut self) {
        self.emails.clear();
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.emails.iter().map(String::as_str)
    }
}
