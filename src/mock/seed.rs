//! The organization a mock starts from, and the shape `/_mock/state` and
//! `MockControl::users` report it in. The format is documented in
//! `docs/mock.md`; `assets/demo-org.json` is an example of it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::seed_account::SeedAccount;

/// A whole organization: its users, plus how the account bills seats.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seed {
    /// When true, a change that needs a seat beyond those purchased answers
    /// with an `invoice_id`, and one that frees a seat bought over the plan
    /// with `credit_notes` (spec §3.2, §8.1.1; see `account.rs`).
    #[serde(default)]
    pub seat_billing: bool,
    /// What `GET /account` serves; absent in older seeds, which get
    /// [`SeedAccount::default_for`] their owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<SeedAccount>,
    #[serde(default)]
    pub users: Vec<MockUser>,
}

/// One user as the mock stores it. Field values are kept verbatim: a seed
/// may hold hostile or unusual data (odd statuses, unknown features) so that
/// clients can be tested against it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MockUser {
    pub email: String,
    /// `active` or `pending`; anything else is served as it is.
    pub status: String,
    #[serde(default)]
    pub owner: bool,
    /// 24 hex characters on real accounts; absent for fresh invitations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default)]
    pub all_features_access: bool,
    /// Feature key → permission keys. A feature without access is absent.
    #[serde(default)]
    pub privileges: BTreeMap<String, Vec<String>>,
}

impl MockUser {
    /// An active member with the given privileges and nothing else set.
    pub fn active(email: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            status: "active".into(),
            owner: false,
            id: Some(object_id()),
            locale: Some("en_US".into()),
            all_features_access: false,
            privileges: BTreeMap::new(),
        }
    }

    /// A pending invitation, as `POST /organization/user/invitation/send`
    /// creates it: no id and no locale yet.
    pub fn pending(email: impl Into<String>) -> Self {
        Self {
            status: "pending".into(),
            id: None,
            locale: None,
            ..Self::active(email)
        }
    }

    /// The account owner.
    pub fn owner(email: impl Into<String>) -> Self {
        Self {
            owner: true,
            all_features_access: true,
            ..Self::active(email)
        }
    }

    pub fn with_privilege(mut self, feature: &str, permissions: &[&str]) -> Self {
        self.privileges.insert(
            feature.to_owned(),
            permissions.iter().map(|p| (*p).to_owned()).collect(),
        );
        self
    }

    pub fn is_pending(&self) -> bool {
        self.status.eq_ignore_ascii_case("pending")
    }

    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("active")
    }

    /// Brevo's email comparison is assumed case-insensitive (spec §1).
    pub fn has_email(&self, email: &str) -> bool {
        same_email(&self.email, email)
    }
}

pub(crate) fn same_email(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// A MongoDB-ObjectId-looking id: 24 lower-case hex characters.
pub(crate) fn object_id() -> String {
    format!("{:024x}", fastrand::u128(..) >> 32)
}

const DEMO_ORG: &str = include_str!("../../assets/demo-org.json");

/// The built-in demo organization (`assets/demo-org.json`).
pub fn demo_seed() -> Seed {
    // The asset is compiled in and checked by a test, so this cannot fail in
    // a released binary; an empty organization is the safe fallback anyway.
    serde_json::from_str(DEMO_ORG).unwrap_or_default()
}

/// Reads a seed file (the format of `assets/demo-org.json`).
pub fn load_seed(path: &Path) -> Result<Seed, SeedError> {
    let text = std::fs::read_to_string(path).map_err(|source| SeedError::Read {
        path: path.display().to_string(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| SeedError::Parse {
        path: path.display().to_string(),
        source,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read the seed file {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the seed file {path} is not a valid organization")]
    Parse {
        path: String,
        #[source]
        source: serde_json::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brevo::catalog;

    #[test]
    fn the_demo_organization_parses_and_is_believable() {
        let seed: Seed = serde_json::from_str(DEMO_ORG).expect("demo-org.json parses");
        assert_eq!(seed.users.iter().filter(|u| u.owner).count(), 1);
        assert!(seed.users.len() >= 20);
        assert!(seed.users.iter().any(|u| u.is_pending()));
        assert!(seed.users.iter().any(|u| u.email.contains('+')));
        assert!(seed.users.iter().any(|u| u.email.chars().count() == 60));
        assert!(seed.users.iter().any(|u| !u.email.is_ascii()));
        for user in &seed.users {
            for (feature, permissions) in &user.privileges {
                for permission in permissions {
                    assert!(
                        catalog::fits(feature, permission),
                        "{}: {feature}/{permission}",
                        user.email
                    );
                }
            }
        }
    }

    #[test]
    fn the_demo_has_its_marketing_seats_exactly_full_and_a_free_crm_seat() {
        let seats = crate::mock::state::Org::from_seed(demo_seed()).seats();
        let figures: Vec<_> = seats
            .iter()
            .map(|s| (s.vertical.to_string(), s.used, s.purchased))
            .collect();
        assert_eq!(
            figures,
            [
                ("Marketing".to_owned(), 23, Some(23)),
                ("CRM".to_owned(), 8, Some(9))
            ],
            "the --demo header warns on Marketing and has room in CRM"
        );
    }

    #[test]
    fn a_seed_without_an_account_still_loads_with_a_per_seat_plan() {
        let old = r#"{"seat_billing":true,"users":[
            {"email":"o@acme.test","status":"active","owner":true,"all_features_access":true},
            {"email":"a@acme.test","status":"active","privileges":{"contacts":["view"]}}]}"#;
        let seed: Seed = serde_json::from_str(old).expect("an old seed parses");
        assert!(seed.account.is_none());
        let org = crate::mock::state::Org::from_seed(seed);
        let figures: Vec<_> = org.seats().iter().map(|s| (s.used, s.purchased)).collect();
        assert_eq!(figures, [(2, Some(2)), (1, Some(1)), (1, Some(1))]);
        assert_eq!(org.seed_account().email.as_deref(), Some("o@acme.test"));
        let free = crate::mock::state::Org::from_seed(Seed::default());
        assert!(free.seats().is_empty(), "no billing: a free plan, no seats");
    }

    #[test]
    fn object_ids_look_like_mongo_ids() {
        let id = object_id();
        assert_eq!(id.len(), 24);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
