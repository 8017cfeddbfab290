//! The rows of the users table, filtered and sorted, kept between frames.
//!
//! Lower-casing, filtering and sorting 10,000 users costs milliseconds, and
//! the screen is drawn after every key. So the rows are worked out only
//! when the list, the filter or the sort changed — `AppState::refresh_rows`,
//! which `update` calls after every action — and drawing reads them as they
//! are. Typing a filter narrows the previous rows instead of starting again.

use crate::brevo::User;

use super::SortKey;

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

/// What never changes while the list stays the same.
#[derive(Clone, Debug, Default)]
struct PerList {
    id: ListId,
    /// Emails lower-cased once, for filtering and sorting.
    lower: Vec<String>,
    /// Every user in the order of one sort key.
    order: Option<(SortKey, Vec<usize>)>,
    pending: usize,
}

/// The rows for one filter and sort.
#[derive(Clone, Debug, Default)]
struct PerView {
    needle: String,
    sort: SortKey,
    rows: Vec<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct RowCache {
    list: Option<PerList>,
    view: Option<PerView>,
}

impl RowCache {
    /// The cached rows, if they were worked out for exactly this list,
    /// filter and sort.
    pub fn get(
        &self,
        revision: u64,
        users: &[User],
        filter: &str,
        sort: SortKey,
    ) -> Option<&[usize]> {
        let list = self.list.as_ref()?;
        let view = self.view.as_ref()?;
        let fresh = list.id == ListId::of(revision, users)
            && view.sort == sort
            && same_needle(&view.needle, filter);
        fresh.then_some(view.rows.as_slice())
    }

    /// How many of the users are pending, if this list is the one cached.
    pub fn pending(&self, revision: u64, users: &[User]) -> Option<usize> {
        let list = self.list.as_ref()?;
        (list.id == ListId::of(revision, users)).then_some(list.pending)
    }

    /// Works the rows out again if anything they depend on changed.
    pub fn refresh(&mut self, revision: u64, users: &[User], filter: &str, sort: SortKey) {
        if self.get(revision, users, filter, sort).is_some() {
            return;
        }
        let id = ListId::of(revision, users);
        if self.list.as_ref().is_none_or(|list| list.id != id) {
            self.list = Some(PerList {
                id,
                lower: users.iter().map(|u| u.email.to_lowercase()).collect(),
                order: None,
                pending: users.iter().filter(|u| u.is_pending()).count(),
            });
            self.view = None;
        }
        let Some(list) = self.list.as_mut() else {
            return;
        };
        if list.order.as_ref().is_none_or(|(key, _)| *key != sort) {
            list.order = Some((sort, sorted(users, &list.lower, sort)));
        }
        let needle = filter.to_lowercase();
        let all: &[usize] = list.order.as_ref().map_or(&[], |(_, order)| order);
        // Typing one more letter can only narrow the rows already shown,
        // which are in the right order already.
        let base = match &self.view {
            Some(view) if view.sort == sort && needle.starts_with(&view.needle) => &view.rows,
            _ => all,
        };
        let rows = if needle.is_empty() {
            base.to_vec()
        } else {
            base.iter()
                .copied()
                .filter(|&i| list.lower[i].contains(&needle))
                .collect()
        };
        self.view = Some(PerView { needle, sort, rows });
    }
}

fn same_needle(needle: &str, filter: &str) -> bool {
    // Filters are short; comparing lower-cased chars allocates nothing.
    let mut lowered = filter.chars().flat_map(char::to_lowercase);
    needle.chars().all(|c| lowered.next() == Some(c)) && lowered.next().is_none()
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
    use crate::brevo::UserStatus;

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

    fn fresh(users: &[User], filter: &str, sort: SortKey) -> Vec<usize> {
        let mut cache = RowCache::default();
        cache.refresh(0, users, filter, sort);
        cache.get(0, users, filter, sort).unwrap().to_vec()
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
        for sort in [SortKey::Email, SortKey::Status, SortKey::Role] {
            let mut cache = RowCache::default();
            let mut typed = String::new();
            for c in "u1x2@".chars() {
                typed.push(c);
                cache.refresh(0, &users, &typed, sort);
                assert_eq!(
                    cache.get(0, &users, &typed, sort).unwrap(),
                    fresh(&users, &typed, sort)
                );
            }
            while typed.pop().is_some() {
                cache.refresh(0, &users, &typed, sort);
                assert_eq!(
                    cache.get(0, &users, &typed, sort).unwrap(),
                    fresh(&users, &typed, sort)
                );
            }
        }
    }

    #[test]
    fn a_new_list_or_sort_is_not_served_from_the_cache() {
        let users = vec![user("b@x", "active", false), user("a@x", "pending", false)];
        let mut cache = RowCache::default();
        cache.refresh(0, &users, "", SortKey::Email);
        assert_eq!(cache.get(0, &users, "", SortKey::Email).unwrap(), [1, 0]);
        assert!(cache.get(1, &users, "", SortKey::Email).is_none());
        assert!(cache.get(0, &users, "", SortKey::Role).is_none());
        assert!(cache.get(0, &users, "A", SortKey::Email).is_none());
        let other = users.clone();
        assert!(cache.get(0, &other, "", SortKey::Email).is_none());
    }

    #[test]
    fn upper_case_filters_match_as_lower_case() {
        let users = vec![
            user("Ops@Acme.test", "active", false),
            user("x@y", "active", false),
        ];
        let mut cache = RowCache::default();
        cache.refresh(0, &users, "ACME", SortKey::Email);
        assert_eq!(cache.get(0, &users, "ACME", SortKey::Email).unwrap(), [0]);
        assert!(cache.get(0, &users, "acme", SortKey::Email).is_some());
    }
}
