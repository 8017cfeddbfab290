//! The rows of the users table, filtered and sorted, kept between frames.
//!
//! Lower-casing, filtering and sorting 10,000 users costs milliseconds, and
//! the screen is drawn after every key. So the rows are worked out only
//! when the list, the filter, the sort or (for a `feature:` term) the
//! loaded permissions changed — `AppState::refresh_rows`, which `update`
//! calls after every action — and drawing reads them as they are. Typing a
//! filter narrows the previous rows instead of starting again.

use crate::brevo::User;
use crate::brevo::summary::access_summary;

use super::filter::{Holds, Query, matcher};
use super::{AppState, Cached, PermissionsCache, SortKey, user_key};
use std::borrow::Cow;

/// One list as loaded. `revision` is bumped whenever `UserList::users` is
/// replaced; the address and length are a second guard against a list
/// replaced by hand (tests) without the bump.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ListId {
    revision: u64,
    address: usize,
    len: usize,
}

impl ListId {
    fn of(revision: u64, users: &[User]) -> Self {
        Self {
            revision,
            address: users.as_ptr() as usize,
            len: users.len(),
        }
    }
}

/// What the rows depend on besides the list.
#[derive(Clone, Copy, Debug)]
pub struct RowQuery<'a> {
    pub filter: &'a str,
    pub sort: SortKey,
    pub reverse: bool,
    pub permissions: &'a PermissionsCache,
}

impl RowQuery<'_> {
    /// The permissions as far as the rows care: changed when one arrives
    /// or is dropped (the length guards a cache filled by hand in tests).
    fn permissions_id(&self) -> (u64, usize) {
        (self.permissions.revision, self.permissions.cache.len())
    }
}

/// What never changes while the list stays the same.
#[derive(Clone, Debug, Default)]
struct PerList {
    id: ListId,
    /// Emails lower-cased once, for filtering and sorting.
    lower: Vec<String>,
    /// Every user in the (ascending) order of one sort key.
    order: Option<(SortKey, Vec<usize>)>,
}

/// The rows for one filter and sort, and what the title and the filter
/// line say about them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    pub rows: Vec<usize>,
    /// Users left out only because a `feature:` term needs their
    /// permissions and they are not loaded: counted, never dropped silently.
    pub not_loaded: Vec<usize>,
    /// Pending invitations among the rows.
    pub pending: usize,
    /// What of the filter could not be read.
    pub hint: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct PerView {
    text: String,
    sort: SortKey,
    reverse: bool,
    /// Set when a `feature:` term made the rows depend on permissions.
    permissions: Option<(u64, usize)>,
    shown: Shown,
}

#[derive(Clone, Debug, Default)]
pub struct RowCache {
    list: Option<PerList>,
    view: Option<PerView>,
    /// Earlier views whose text starts the current one: `Backspace` gets
    /// its rows back without a pass over the list, and a new letter
    /// narrows from the longest of them.
    history: Vec<PerView>,
}

/// Views kept for `Backspace` (a filter is rarely longer).
const HISTORY: usize = 16;

impl RowCache {
    /// The cached rows, if they were worked out for exactly this list and
    /// query.
    pub fn get(&self, revision: u64, users: &[User], query: &RowQuery) -> Option<&Shown> {
        let list = self.list.as_ref()?;
        let view = self.view.as_ref()?;
        let fresh = list.id == ListId::of(revision, users)
            && view.sort == query.sort
            && view.reverse == query.reverse
            && view.text == query.filter
            && view
                .permissions
                .is_none_or(|id| id == query.permissions_id());
        fresh.then_some(&view.shown)
    }

    /// Works the rows out again if anything they depend on changed.
    pub fn refresh(&mut self, revision: u64, users: &[User], query: &RowQuery) {
        if self.get(revision, users, query).is_some() {
            return;
        }
        let id = ListId::of(revision, users);
        if self.list.as_ref().is_none_or(|list| list.id != id) {
            self.list = Some(PerList {
                id,
                lower: users.iter().map(|u| u.email.to_lowercase()).collect(),
                order: None,
            });
            self.view = None;
            self.history.clear();
        }
        let Some(list) = self.list.as_mut() else {
            return;
        };
        if list
            .order
            .as_ref()
            .is_none_or(|(key, _)| *key != query.sort)
        {
            list.order = Some((query.sort, sorted(users, &list.lower, query.sort)));
        }
        let parsed = Query::parse(query.filter);
        let permissions = parsed.needs_permissions().then(|| query.permissions_id());
        let all: &[usize] = list.order.as_ref().map_or(&[], |(_, order)| order);
        // Only views on the way to this text are worth keeping.
        if let Some(view) = self.view.take() {
            self.history.push(view);
        }
        self.history.retain(|view| {
            view.sort == query.sort
                && view.reverse == query.reverse
                && view.permissions == permissions
                && query.filter.starts_with(&view.text)
        });
        if let Some(at) = self.history.iter().position(|v| v.text == query.filter) {
            self.view = Some(self.history.remove(at));
            return;
        }
        if self.history.len() > HISTORY {
            self.history.remove(1);
        }
        // Typing one more letter can only narrow the rows already shown,
        // which are in the right order already: from the longest earlier
        // view this query narrows, where nobody was left out for want of
        // permissions.
        let narrowing = self
            .history
            .iter()
            .filter(|view| {
                view.shown.not_loaded.is_empty() && parsed.narrows(&Query::parse(&view.text))
            })
            .max_by_key(|view| view.text.len());
        let base: Vec<usize> = match narrowing {
            Some(view) => view.shown.rows.clone(),
            None if query.reverse => all.iter().rev().copied().collect(),
            None => all.to_vec(),
        };
        let mut shown = Shown {
            hint: parsed.hint.clone(),
            ..Shown::default()
        };
        if parsed.terms.is_empty() {
            shown.rows = base;
        } else {
            let mut matcher = matcher();
            let holds = |user: &User, key: &str| match query
                .permissions
                .cache
                .get(&user_key(&user.email))
            {
                Some(Cached::Loaded(p)) if p.grants.get(key).is_some_and(|s| !s.is_empty()) => {
                    Holds::Yes
                }
                Some(Cached::Loaded(_)) => Holds::No,
                _ => Holds::Unknown,
            };
            for i in base {
                let user = &users[i];
                match parsed.passes(&mut matcher, user, &list.lower[i], |key| holds(user, key)) {
                    Holds::Yes => shown.rows.push(i),
                    Holds::Unknown => shown.not_loaded.push(i),
                    Holds::No => {}
                }
            }
        }
        shown.pending = shown
            .rows
            .iter()
            .filter(|&&i| users[i].is_pending())
            .count();
        self.view = Some(PerView {
            text: query.filter.to_owned(),
            sort: query.sort,
            reverse: query.reverse,
            permissions,
            shown,
        });
    }
}

/// Every user in `sort` order, ties broken by email; stable, as before.
fn sorted(users: &[User], lower: &[String], sort: SortKey) -> Vec<usize> {
    let mut order: Vec<usize> = (0..users.len()).collect();
    match sort {
        SortKey::Email => order.sort_by(|&a, &b| lower[a].cmp(&lower[b])),
        SortKey::Status => order.sort_by(|&a, &b| {
            (status_rank(&users[a]), &lower[a]).cmp(&(status_rank(&users[b]), &lower[b]))
        }),
        SortKey::Role => order.sort_by(|&a, &b| {
            (!users[a].is_owner, &lower[a]).cmp(&(!users[b].is_owner, &lower[b]))
        }),
        SortKey::Access => {
            let summaries: Vec<String> = users
                .iter()
                .map(|u| access_summary(u).to_lowercase())
                .collect();
            order.sort_by(|&a, &b| (&summaries[a], &lower[a]).cmp(&(&summaries[b], &lower[b])));
        }
    }
    order
}

fn status_rank(user: &User) -> u8 {
    if user.is_pending() {
        0
    } else if user.is_active() {
        1
    } else {
        2
    }
}

/// The rows as the rest of the dashboard asks for them.
impl AppState {
    fn row_query(&self) -> RowQuery<'_> {
        RowQuery {
            filter: &self.view.filter.text,
            sort: self.view.sort,
            reverse: self.view.reverse,
            permissions: &self.permissions,
        }
    }

    /// The rows shown, filtered and sorted, with what the title says of
    /// them. Borrowed from the cache that `update` keeps fresh; worked out
    /// anew only for a state changed by hand since.
    pub fn shown(&self) -> Cow<'_, Shown> {
        let (revision, users) = (self.list.revision, &self.list.users);
        let query = self.row_query();
        if let Some(shown) = self.rows.get(revision, users, &query) {
            return Cow::Borrowed(shown);
        }
        let mut cache = RowCache::default();
        cache.refresh(revision, users, &query);
        Cow::Owned(
            cache
                .get(revision, users, &query)
                .cloned()
                .unwrap_or_default(),
        )
    }

    /// Indices into `list.users` of the rows shown, filtered and sorted.
    pub fn visible(&self) -> Cow<'_, [usize]> {
        match self.shown() {
            Cow::Borrowed(shown) => Cow::Borrowed(&shown.rows),
            Cow::Owned(shown) => Cow::Owned(shown.rows),
        }
    }

    /// Works the rows out again if the list, filter, sort or (for a
    /// `feature:` term) the loaded permissions changed.
    pub fn refresh_rows(&mut self) {
        let (revision, users) = (self.list.revision, &self.list.users);
        let query = RowQuery {
            filter: &self.view.filter.text,
            sort: self.view.sort,
            reverse: self.view.reverse,
            permissions: &self.permissions,
        };
        self.rows.refresh(revision, users, &query);
    }

    pub fn selected_user(&self) -> Option<&User> {
        let email = self.view.selected.as_deref()?;
        // Usually the row remembered in `view.index`; else look for it.
        let (revision, users) = (self.list.revision, &self.list.users);
        let rows = self.rows.get(revision, users, &self.row_query());
        rows.and_then(|shown| shown.rows.get(self.view.index).copied())
            .map(|i| &users[i])
            .filter(|u| u.email == email)
            .or_else(|| users.iter().find(|u| u.email == email))
    }

    /// Pending invitations among the rows shown.
    pub fn pending_count(&self) -> usize {
        self.shown().pending
    }
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
