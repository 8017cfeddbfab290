//! The organization the mock holds, and the transitions of spec §10. Requests
//! arrive here already parsed (`request.rs`); answers leave as JSON values
//! built by hand, independent of the client's wire types.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::error::MockError;
use super::request::Access;
use super::seed::{MockUser, Seed, object_id};
use super::seed_account::SeedAccount;
use crate::brevo::seats::area_of_feature;
use crate::brevo::{User, UserStatus, catalog, grants::Grants};

/// The users of the account, in the order they joined, plus the account
/// and its billing state (`account.rs`).
#[derive(Debug)]
pub struct Org {
    users: Vec<MockUser>,
    pub(super) account: SeedAccount,
    pub(super) seat_billing: bool,
    pub(super) invoices: u32,
    pub(super) credit_notes: u32,
}

impl Default for Org {
    fn default() -> Self {
        Self::from_seed(Seed::default())
    }
}

/// The `feature_access` keys the live API sends for members (spec §2.5).
const ACCESS_KEYS: [&str; 7] = crate::brevo::model::LIVE_ACCESS_AREAS;
/// The live owner entry carried only these five.
const OWNER_ACCESS_KEYS: [&str; 5] = [
    "marketing",
    "conversations",
    "crm",
    "transactional",
    "phone",
];

impl Org {
    pub fn from_seed(seed: Seed) -> Self {
        let derived = seed.account.is_none();
        let mut account = seed.account.unwrap_or_else(|| {
            let owner = seed.users.iter().find(|u| u.owner);
            SeedAccount::default_for(owner.map(|o| o.email.as_str()), seed.seat_billing)
        });
        for vertical in &mut account.plan_verticals {
            vertical
                .included_seats
                .get_or_insert(vertical.purchased_seats);
        }
        let mut org = Self {
            users: seed.users,
            account,
            seat_billing: seed.seat_billing,
            invoices: 0,
            credit_notes: 0,
        };
        if derived {
            org.buy_the_seats_in_use();
        }
        org
    }

    pub fn to_seed(&self) -> Seed {
        Seed {
            seat_billing: self.seat_billing,
            account: Some(self.account.clone()),
            users: self.users.clone(),
        }
    }

    pub fn users(&self) -> &[MockUser] {
        &self.users
    }

    pub fn set_users(&mut self, users: Vec<MockUser>) {
        self.users = users;
    }

    pub fn set_seat_billing(&mut self, on: bool) {
        self.seat_billing = on;
    }

    pub fn find(&self, email: &str) -> Option<&MockUser> {
        self.users.iter().find(|u| u.has_email(email))
    }

    fn position(&self, email: &str) -> Option<usize> {
        self.users.iter().position(|u| u.has_email(email))
    }

    /// `GET /organization/invited/users`, serialised straight from the
    /// stored users: building a `serde_json::Value` per user first took
    /// ~70 ms for 10,000 users, most of the dashboard's start-up time.
    pub fn list(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct List<'a> {
            users: Vec<ListItem<'a>>,
        }
        let list = List {
            users: self.users.iter().map(ListItem::from).collect(),
        };
        serde_json::to_vec(&list).unwrap_or_default()
    }

    /// `GET /organization/user/{email}/permissions`, in label or key form.
    pub fn permissions(&self, email: &str, as_keys: bool) -> Result<Value, MockError> {
        let user = self
            .find(email)
            .ok_or_else(|| MockError::bad("document_not_found", "User not found"))?;
        let held = effective_grants(user);
        let mut privileges = Vec::new();
        let mut emit = |feature: &str, permissions: Vec<&str>| {
            let (feature, permissions): (&str, Vec<&str>) = if as_keys {
                (feature, permissions)
            } else {
                (
                    catalog::feature_wire_label(feature),
                    permissions
                        .into_iter()
                        .map(catalog::permission_wire_label)
                        .collect(),
                )
            };
            privileges.push(json!({ "feature": feature, "permissions": permissions }));
        };
        let by_feature: BTreeMap<&str, Vec<&str>> = held.iter().collect();
        for feature in catalog::current_features() {
            let permissions = by_feature
                .get(feature.key)
                .cloned()
                .unwrap_or_else(|| vec![catalog::NONE]);
            emit(feature.key, permissions);
        }
        // Legacy or unknown features a seed gave the user go out as they are.
        for (feature, permissions) in held.iter() {
            if catalog::feature(feature).is_none_or(|f| !f.current) {
                emit(feature, permissions);
            }
        }
        Ok(json!({ "email": user.email, "status": user.status, "privileges": privileges }))
    }

    /// `POST /organization/user/invitation/send`.
    pub fn invite(&mut self, access: Access) -> Result<Value, MockError> {
        if let Some(existing) = self.find(&access.email) {
            let what = if existing.is_pending() {
                "already invited"
            } else {
                "already a user of this organization"
            };
            return Err(MockError::bad(
                "duplicate_parameter",
                format!("{} is {what}", access.email),
            ));
        }
        let mut user = MockUser::pending(access.email);
        user.all_features_access = access.all_features_access;
        if !access.all_features_access {
            user.privileges = to_map(&Grants::from_pairs(access.privileges));
        }
        let before = self.seats();
        self.users.push(user);
        let mut answer = ok();
        self.settle(&before, &mut answer);
        Ok(answer)
    }

    /// `POST /organization/user/update/permissions`: a per-feature merge.
    pub fn update(&mut self, access: Access) -> Result<Value, MockError> {
        let index = self
            .position(&access.email)
            .ok_or_else(|| MockError::bad("document_not_found", "User not found"))?;
        if self.users[index].owner {
            return Err(MockError::forbidden(
                "The owner's permissions cannot be changed",
            ));
        }
        let before = self.seats();
        let mut answer = ok();
        self.merge(index, access);
        self.settle(&before, &mut answer);
        Ok(answer)
    }

    fn merge(&mut self, index: usize, access: Access) {
        let user = &mut self.users[index];
        if access.all_features_access {
            user.all_features_access = true;
            user.privileges.clear();
            return;
        }
        // Leaving "all features" starts from everything the user could do.
        let mut grants = effective_grants(user);
        for (feature, permissions) in access.privileges {
            grants.set(&feature, permissions);
        }
        user.all_features_access = false;
        user.privileges = to_map(&grants);
    }

    /// `PUT /organization/user/invitation/{resend|cancel}/{email}`.
    pub fn resend_or_cancel(&mut self, cancel: bool, email: &str) -> Result<Value, MockError> {
        let index = self
            .position(email)
            .filter(|&i| self.users[i].is_pending())
            .ok_or_else(|| MockError::forbidden("No pending invitation for this email"))?;
        if !cancel {
            return Ok(ok());
        }
        Ok(self.remove(index))
    }

    /// `PUT /organization/user/invitation/revoke/{email}`.
    pub fn revoke(&mut self, email: &str) -> Result<Value, MockError> {
        let index = self
            .position(email)
            .ok_or_else(|| MockError::forbidden("No such user in this organization"))?;
        let user = &self.users[index];
        if user.owner {
            return Err(MockError::forbidden("The owner cannot be revoked"));
        }
        if !user.is_active() {
            return Err(MockError::forbidden("Only an active user can be revoked"));
        }
        Ok(self.remove(index))
    }

    /// The test hook: the invitee clicked the link. False when there is no
    /// pending invitation for `email`.
    pub fn accept(&mut self, email: &str) -> bool {
        let Some(user) = self.users.iter_mut().find(|u| u.has_email(email)) else {
            return false;
        };
        if !user.is_pending() {
            return false;
        }
        user.status = "active".into();
        user.id.get_or_insert_with(object_id);
        user.locale.get_or_insert_with(|| "en_US".into());
        true
    }

    /// Removes a user; a paid seat freed comes back as a credit note.
    fn remove(&mut self, index: usize) -> Value {
        let before = self.seats();
        self.users.remove(index);
        let mut answer = ok();
        self.settle(&before, &mut answer);
        answer
    }
}

fn ok() -> Value {
    json!({ "status": "OK" })
}

/// What the user can do: everything for the owner and all-features users,
/// else the stored privileges.
fn effective_grants(user: &MockUser) -> Grants {
    if user.owner || user.all_features_access {
        return Grants::everything();
    }
    Grants::from_pairs(user.privileges.iter().map(|(f, p)| (f.as_str(), p.iter())))
}

fn to_map(grants: &Grants) -> BTreeMap<String, Vec<String>> {
    grants
        .iter()
        .map(|(f, p)| (f.to_owned(), p.into_iter().map(str::to_owned).collect()))
        .collect()
}

/// One entry of the list, borrowing from the stored user.
#[derive(Serialize)]
struct ListItem<'a> {
    email: &'a str,
    is_owner: bool,
    status: &'a str,
    feature_access: FeatureAccess,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<&'a str>,
}

impl<'a> From<&'a MockUser> for ListItem<'a> {
    fn from(user: &'a MockUser) -> Self {
        Self {
            email: &user.email,
            is_owner: user.owner,
            status: &user.status,
            feature_access: feature_access(user),
            id: user.id.as_deref(),
            locale: user.locale.as_deref(),
        }
    }
}

/// A stored user as the list serves it, in the core's model: what the
/// seat rule counts (the same rule a client applies to the list).
pub(super) fn listed(user: &MockUser) -> User {
    User {
        email: user.email.clone(),
        is_owner: user.owner,
        status: UserStatus::parse(&user.status),
        feature_access: feature_access(user)
            .0
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        id: None,
        locale: None,
    }
}

/// `feature_access` as (key, level) pairs, written as a JSON object.
struct FeatureAccess(Vec<(&'static str, &'static str)>);

impl Serialize for FeatureAccess {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().copied())
    }
}

/// Spec §10's guess at the list's summary; tests assert only the key set.
fn feature_access(user: &MockUser) -> FeatureAccess {
    if user.owner {
        return FeatureAccess(OWNER_ACCESS_KEYS.iter().map(|k| (*k, "owner")).collect());
    }
    if user.all_features_access {
        return FeatureAccess(ACCESS_KEYS.iter().map(|k| (*k, "full")).collect());
    }
    // Which area a feature shows under is the core's rule, the same one
    // the seat count reads, so the mock's summary and its seats agree.
    let touches = |area: &str| {
        user.privileges
            .iter()
            .any(|(feature, perms)| !perms.is_empty() && area_of_feature(feature) == Some(area))
    };
    FeatureAccess(
        ACCESS_KEYS
            .iter()
            .map(|area| {
                let word = if *area == "marketing" {
                    "custom"
                } else {
                    "full"
                };
                (*area, if touches(area) { word } else { "none" })
            })
            .collect(),
    )
}
