//! Wire types, decoded tolerantly (spec §3): Brevo sends more, and sometimes
//! other, than its schema says. We keep what we do not understand instead of
//! failing on it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{catalog, grants::Grants};

mod feature_access;
pub use feature_access::{FeatureAccess, LIVE_ACCESS_AREAS};

/// `active` or `pending` per the docs; anything else is kept as it came.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UserStatus {
    Active,
    Pending,
    Other(String),
}

impl UserStatus {
    pub fn parse(value: &str) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "active" => Self::Active,
            "pending" => Self::Pending,
            _ => Self::Other(value.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Other(other) => other,
        }
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UserStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self::parse(&String::deserialize(deserializer)?))
    }
}

impl Serialize for UserStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One entry of `GET /organization/invited/users` (spec §3.1).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct User {
    pub email: String,
    /// Every schema says string, the live API sends a boolean: take both.
    #[serde(deserialize_with = "bool_or_string")]
    pub is_owner: bool,
    pub status: UserStatus,
    /// An open map: the live API sends more keys than the docs name, and the
    /// values are not a closed enum either. Kept compactly (10,000 users
    /// each carry one): see `FeatureAccess`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub feature_access: FeatureAccess,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

impl User {
    pub fn is_pending(&self) -> bool {
        self.status == UserStatus::Pending
    }

    pub fn is_active(&self) -> bool {
        self.status == UserStatus::Active
    }

    /// Emails are compared without regard to case: Brevo's own behaviour is
    /// unconfirmed (spec §11.7), and two addresses differing only in case
    /// reach the same person in practice.
    pub fn has_email(&self, email: &str) -> bool {
        self.email.eq_ignore_ascii_case(email.trim())
    }
}

/// The list response. `users` is optional in the schema: missing or `null`
/// means nobody.
#[derive(Debug, Deserialize)]
pub(crate) struct UserList {
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<User>,
}

/// Decodes a `GET /organization/invited/users` body exactly as the client
/// does (benches and tools use it; `UserList` itself stays private).
pub fn decode_user_list(bytes: &[u8]) -> Result<Vec<User>, serde_json::Error> {
    serde_json::from_slice::<UserList>(bytes).map(UserList::into_users)
}

impl UserList {
    /// The users without the spare room the decoder's doubling left (up
    /// to half the list again at 10,000 users).
    pub(crate) fn into_users(self) -> Vec<User> {
        let mut users = self.users;
        users.shrink_to_fit();
        users
    }
}

/// One user's permissions, normalised to catalogue keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserPermissions {
    pub email: String,
    pub status: UserStatus,
    pub grants: Grants,
    /// Features or permissions the catalogue did not recognise, as they came.
    /// They are kept in `grants` too; this list lets the caller warn.
    pub unrecognised: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WirePermissions {
    pub email: String,
    pub status: UserStatus,
    #[serde(default, deserialize_with = "null_as_default")]
    pub privileges: Vec<WirePrivilege>,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct WirePrivilege {
    pub feature: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub permissions: Vec<String>,
}

impl From<WirePermissions> for UserPermissions {
    /// Labels ("Email campaign" / "Create / edit / delete") and keys are both
    /// mapped to catalogue keys; whether the live API sends labels or keys is
    /// unconfirmed (spec §2.6). Unknown values are kept, never dropped.
    fn from(wire: WirePermissions) -> Self {
        let mut grants = Grants::new();
        let mut unrecognised = Vec::new();
        for privilege in wire.privileges {
            let feature = match catalog::feature_from_wire(&privilege.feature) {
                Some(feature) => feature.key.to_owned(),
                None => {
                    unrecognised.push(privilege.feature.clone());
                    privilege.feature
                }
            };
            for value in privilege.permissions {
                let permission = match catalog::permission_from_wire(&value) {
                    Some(permission) => permission.key.to_owned(),
                    None => {
                        unrecognised.push(format!("{feature}: {value}"));
                        value
                    }
                };
                grants.insert(&feature, permission);
            }
        }
        if !unrecognised.is_empty() {
            tracing::warn!(values = ?unrecognised, "permissions response holds values the catalogue does not know; kept as they came");
        }
        Self {
            email: wire.email,
            status: wire.status,
            grants,
            unrecognised,
        }
    }
}

/// What a change returned (spec §3.2): billing side effects included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct ChangeOutcome {
    #[serde(default)]
    pub status: String,
    /// A paid seat was bought. A string in V4, an array in an older spec:
    /// both are read into a list.
    #[serde(default, rename = "invoice_id", deserialize_with = "string_or_list")]
    pub invoice_ids: Vec<String>,
    /// A seat was refunded.
    #[serde(default, deserialize_with = "string_or_list")]
    pub credit_notes: Vec<String>,
}

impl ChangeOutcome {
    /// A sentence about billing, for toasts and CLI output; `None` when the
    /// change touched no bill.
    pub fn billing_note(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.invoice_ids.is_empty() {
            parts.push(format!(
                "a paid seat was bought (invoice {})",
                self.invoice_ids.join(", ")
            ));
        }
        if !self.credit_notes.is_empty() {
            parts.push(format!(
                "a seat was refunded (credit note {})",
                self.credit_notes.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

fn bool_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    match Flag::deserialize(deserializer)? {
        Flag::Bool(flag) => Ok(flag),
        Flag::Text(text) if text.trim().eq_ignore_ascii_case("true") => Ok(true),
        Flag::Text(text) if text.trim().eq_ignore_ascii_case("false") => Ok(false),
        Flag::Text(text) => Err(serde::de::Error::custom(format!(
            "is_owner is neither true nor false: {text:?}"
        ))),
    }
}

fn string_or_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
        Nothing(()),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) if one.is_empty() => Vec::new(),
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
        OneOrMany::Nothing(()) => Vec::new(),
    })
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests;
