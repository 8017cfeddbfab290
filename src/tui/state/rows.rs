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
use super::{Cached, PermissionsCache, SortKey, user_key};

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
}

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
        // Typing one more letter can only narrow the rows already shown,
        // which are in the right order already: when both texts read
        // whole, and nobody was left out for want of permissions.
        let narrowing = self.view.as_ref().filter(|view| {
            view.sort == query.sort
                && view.reverse == query.reverse
                && view.permissions == permissions
                && query.filter.starts_with(&view.text)
                && view.shown.hint.is_none()
                && view.shown.not_loaded.is_empty()
                && parsed.hint.is_none()
        });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brevo::{Grants, UserPermissions, UserStatus};

    fn user(email: &str, status: &str, owner: bool) -> User {
        User {
            email: email.into(),
            is_owner: owner,
            status: UserStatus::parse(status),
            feature_access: Default::default(),
            id: None,
            locale: None,
        }
    }

    fn query<'a>(filter: &'a str, sort: SortKey, perms: &'a PermissionsCache) -> RowQuery<'a> {
        RowQuery {
            filter,
            sort,
            reverse: false,
            permissions: perms,
        }
    }

    fn fresh(users: &[User], q: &RowQuery) -> Vec<usize> {
        let mut cache = RowCache::default();
        cache.refresh(0, users, q);
        cache.get(0, users, q).unwrap().rows.clone()
    }

    #[test]
    fn narrowing_a_filter_gives_what_starting_again_gives() {
        let users: Vec<User> = (0..300)
            .map(|i| {
                user(
                    &format!("U{}x{}@Acme.test", i % 17, i % 5),
                    ["active", "pending", "odd"][i % 3],
                    i % 50 == 0,
                )
            })
            .collect();
        let perms = PermissionsCache::default();
        for sort in [
            SortKey::Email,
            SortKey::Status,
            SortKey::Role,
            SortKey::Access,
        ] {
            for reverse in [false, true] {
                let mut cache = RowCache::default();
                let mut typed = String::new();
                for c in "u1x2@ status:pending".chars() {
                    typed.push(c);
                    let q = RowQuery {
                        reverse,
                        ..query(&typed, sort, &perms)
                    };
                    cache.refresh(0, &users, &q);
                    assert_eq!(cache.get(0, &users, &q).unwrap().rows, fresh(&users, &q));
                }
                while typed.pop().is_some() {
                    let q = RowQuery {
                        reverse,
                        ..query(&typed, sort, &perms)
                    };
                    cache.refresh(0, &users, &q);
                    assert_eq!(cache.get(0, &users, &q).unwrap().rows, fresh(&users, &q));
                }
            }
        }
    }

    #[test]
    fn a_new_list_or_sort_is_not_served_from_the_cache() {
        let users = vec![user("b@x", "active", false), user("a@x", "pending", false)];
        let perms = PermissionsCache::default();
        let mut cache = RowCache::default();
        cache.refresh(0, &users, &query("", SortKey::Email, &perms));
        let get = |cache: &RowCache, rev, users: &[User], q: RowQuery| {
            cache.get(rev, users, &q).map(|s| s.rows.clone())
        };
        assert_eq!(
            get(&cache, 0, &users, query("", SortKey::Email, &perms)).unwrap(),
            [1, 0]
        );
        assert!(get(&cache, 1, &users, query("", SortKey::Email, &perms)).is_none());
        assert!(get(&cache, 0, &users, query("", SortKey::Role, &perms)).is_none());
        assert!(get(&cache, 0, &users, query("A", SortKey::Email, &perms)).is_none());
        let reversed = RowQuery {
            reverse: true,
            ..query("", SortKey::Email, &perms)
        };
        assert!(get(&cache, 0, &users, reversed).is_none());
        let other = users.clone();
        assert!(get(&cache, 0, &other, query("", SortKey::Email, &perms)).is_none());
    }

    #[test]
    fn upper_case_filters_match_as_lower_case_and_fuzzily() {
        let users = vec![
            user("Ops@Acme.test", "active", false),
            user("x@y", "active", false),
        ];
        let perms = PermissionsCache::default();
        assert_eq!(fresh(&users, &query("ACME", SortKey::Email, &perms)), [0]);
        assert_eq!(fresh(&users, &query("oacm", SortKey::Email, &perms)), [0]);
    }

    #[test]
    fn reversing_reverses_and_the_title_counts_the_shown_pending() {
        let users = vec![
            user("a@x", "pending", false),
            user("b@x", "active", true),
            user("c@x", "pending", false),
        ];
        let perms = PermissionsCache::default();
        let q = RowQuery {
            reverse: true,
            ..query("", SortKey::Email, &perms)
        };
        assert_eq!(fresh(&users, &q), [2, 1, 0]);
        let mut cache = RowCache::default();
        let q = query("role:member", SortKey::Email, &perms);
        cache.refresh(0, &users, &q);
        let shown = cache.get(0, &users, &q).unwrap();
        assert_eq!((shown.rows.clone(), shown.pending), (vec![0, 2], 2));
        let q = query("status:active", SortKey::Email, &perms);
        cache.refresh(0, &users, &q);
        assert_eq!(cache.get(0, &users, &q).unwrap().pending, 0);
    }

    #[test]
    fn a_feature_term_counts_who_is_not_loaded_and_follows_arrivals() {
        let users = vec![
            user("a@x", "active", false),
            user("b@x", "active", false),
            user("o@x", "active", true),
        ];
        let mut perms = PermissionsCache::default();
        let loaded = |grants: Grants| {
            Cached::Loaded(UserPermissions {
                email: String::new(),
                status: UserStatus::Active,
                grants,
                unrecognised: Vec::new(),
            })
        };
        let contacts = Grants::from_pairs([("contacts", ["view"])]);
        perms.cache.insert("a@x".into(), loaded(contacts));
        let mut cache = RowCache::default();
        let q = query("feature:contacts", SortKey::Email, &perms);
        cache.refresh(0, &users, &q);
        let shown = cache.get(0, &users, &q).unwrap().clone();
        assert_eq!(shown.rows, [0, 2], "a holds it, the owner holds everything");
        assert_eq!(shown.not_loaded, [1]);
        perms.cache.insert("b@x".into(), loaded(Grants::new()));
        perms.revision += 1;
        let q = query("feature:contacts", SortKey::Email, &perms);
        assert!(cache.get(0, &users, &q).is_none(), "b arrived");
        cache.refresh(0, &users, &q);
        let shown = cache.get(0, &users, &q).unwrap();
        assert_eq!(
            (shown.rows.clone(), shown.not_loaded.len()),
            (vec![0, 2], 0)
        );
    }
}
