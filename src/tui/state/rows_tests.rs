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
