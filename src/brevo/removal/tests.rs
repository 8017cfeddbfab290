//! The removal guards as an admin meets them: the owner refused, the last
//! user manager warned about (and said when it is only a possibility), a
//! prune held to a quarter of the account.

use super::*;
use crate::brevo::UserStatus;

fn user(email: &str, owner: bool, status: &str) -> User {
    User {
        email: email.to_owned(),
        is_owner: owner,
        status: UserStatus::parse(status),
        feature_access: Default::default(),
        id: None,
        locale: None,
    }
}

fn account() -> Vec<User> {
    vec![
        user("owner@acme.test", true, "active"),
        user("deputy@acme.test", false, "active"),
        user("ana@acme.test", false, "active"),
        user("new@acme.test", false, "pending"),
    ]
}

fn manager() -> Grants {
    Grants::from_pairs([("user_management", vec!["all"])])
}

fn viewer() -> Grants {
    Grants::from_pairs([("contacts", vec!["view"])])
}

#[test]
fn the_owner_is_never_a_target() {
    let users = account();
    let check = check_removals(
        &users,
        &["OWNER@acme.test"],
        &KnownPermissions::new(),
        Scope::Targeted,
    );
    assert!(check.is_refused());
    assert_eq!(
        check.refusals[0].to_string(),
        "owner@acme.test is the owner of the account: the owner's access is never removed"
    );
    assert_eq!(refuse_owner(&users[1]), Ok(()));
}

#[test]
fn removing_the_last_known_user_manager_warns_with_certainty() {
    let users = account();
    let mut known = KnownPermissions::new();
    known.record("deputy@acme.test", &manager());
    known.record("ana@acme.test", &viewer());
    let check = check_removals(&users, &["deputy@acme.test"], &known, Scope::Targeted);
    assert!(!check.is_refused() && check.needs_confirmation());
    assert_eq!(
        check.warning.unwrap().to_string(),
        "deputy@acme.test is the last user besides the owner who holds User management: \
         afterwards only the owner can manage users"
    );
}

#[test]
fn when_others_were_not_read_the_warning_says_so() {
    let users = account();
    let mut known = KnownPermissions::new();
    known.record("deputy@acme.test", &Grants::everything());
    let warning = last_user_manager(&users, &["deputy@acme.test"], &known).unwrap();
    assert_eq!(
        warning,
        RemovalWarning::LastUserManager {
            emails: vec!["deputy@acme.test".into()],
            others_not_read: 1,
        }
    );
    let text = warning.to_string();
    assert!(
        text.contains("the permissions of 1 other member were not read")
            && text.contains("may be the last"),
        "{text}"
    );
}

#[test]
fn another_known_manager_or_a_target_without_it_needs_no_warning() {
    let users = account();
    let mut known = KnownPermissions::from_read(&[UserPermissions {
        email: "Ana@acme.test".into(),
        status: UserStatus::Active,
        grants: manager(),
        unrecognised: Vec::new(),
    }]);
    known.record("deputy@acme.test", &manager());
    assert_eq!(
        last_user_manager(&users, &["deputy@acme.test"], &known),
        None
    );
    let mut known = KnownPermissions::new();
    known.record("deputy@acme.test", &viewer());
    assert_eq!(
        last_user_manager(&users, &["deputy@acme.test"], &known),
        None
    );
    // A pending invitation holds nothing yet: cancelling it never warns.
    assert_eq!(
        last_user_manager(&users, &["new@acme.test"], &KnownPermissions::new()),
        None
    );
}

#[test]
fn a_target_whose_permissions_were_not_read_is_said_to_be_unknown() {
    let users = account();
    let warning = last_user_manager(&users, &["ana@acme.test"], &KnownPermissions::new()).unwrap();
    assert!(matches!(
        warning,
        RemovalWarning::NotKnown {
            others_not_read: 1,
            ..
        }
    ));
    assert!(warning.to_string().contains("is not known"), "{warning}");
}

#[test]
fn a_prune_removes_at_most_a_quarter_unless_a_maximum_is_given() {
    let users: Vec<User> = (0..12)
        .map(|i| user(&format!("u{i}@acme.test"), i == 0, "active"))
        .collect();
    assert_eq!(prune_limit(&users, 3, None), Ok(()));
    let refusal = prune_limit(&users, 4, None).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "refusing to remove 4 of the 12 users with access: more than 25 % (at most 3) needs an explicit maximum of removals"
    );
    assert_eq!(prune_limit(&users, 4, Some(4)), Ok(()));
    assert_eq!(
        prune_limit(&users, 5, Some(4)).unwrap_err().to_string(),
        "refusing to remove 5 users: the maximum of removals given is 4"
    );
    let removing = [
        "u1@acme.test",
        "u2@acme.test",
        "u3@acme.test",
        "u4@acme.test",
    ];
    let check = check_removals(
        &users,
        &removing,
        &KnownPermissions::new(),
        Scope::Prune { max_removals: None },
    );
    assert!(check.is_refused());
    let targeted = check_removals(&users, &removing, &KnownPermissions::new(), Scope::Targeted);
    assert!(!targeted.is_refused(), "a named removal has no share limit");
}

#[test]
fn emails_not_in_the_list_are_nothing_to_guard() {
    let check = check_removals(
        &account(),
        &["gone@acme.test"],
        &KnownPermissions::new(),
        Scope::Targeted,
    );
    assert_eq!(check, RemovalCheck::default());
}
