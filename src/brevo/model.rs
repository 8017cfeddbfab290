//! Wire types, decoded tolerantly (spec §3): Brevo sends more, and sometimes
//! other, than its schema says. We keep what we do not understand instead of
//! failing on it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{catalog, grants::Grants};

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
    /// values are not a closed enum either.
    #[serde(default, deserialize_with = "null_as_default")]
    pub feature_access: BTreeMap<String, String>,
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
    serde_json::from_slice::<UserList>(bytes).map(|list| list.users)
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
mod tests {
    use super::*;

    #[test]
    fn decodes_the_live_list_shape_with_extra_fields() {
        let body = r#"{"users":[
            {"id":"65f0a1b2c3d4e5f601234567","email":"founder@acme.test","is_owner":true,"status":"active","locale":"en_US",
             "feature_access":{"marketing":"owner","meetings":"owner"}},
            {"email":"new.hire@acme.test","is_owner":"False","status":"pending","feature_access":{"crm":"none"},"surprise":1},
            {"email":"odd@acme.test","is_owner":"TRUE","status":"suspended","feature_access":null}
        ]}"#;
        let list: UserList = serde_json::from_str(body).unwrap();
        assert_eq!(list.users.len(), 3);
        assert!(list.users[0].is_owner);
        assert_eq!(list.users[0].feature_access["meetings"], "owner");
        assert!(!list.users[1].is_owner);
        assert!(list.users[1].is_pending());
        assert!(list.users[2].is_owner);
        assert_eq!(list.users[2].status, UserStatus::Other("suspended".into()));
    }

    #[test]
    fn decode_user_list_reads_what_the_client_reads() {
        let body = br#"{"users":[{"email":"a@x.test","is_owner":"true","status":"odd","feature_access":{"crm":"full"}}],"extra":1}"#;
        let users = decode_user_list(body).unwrap();
        assert_eq!(users.len(), 1);
        assert!(users[0].is_owner);
        assert_eq!(users[0].status, UserStatus::Other("odd".into()));
        assert!(decode_user_list(b"{}").unwrap().is_empty());
        assert!(decode_user_list(b"[").is_err());
    }

    #[test]
    fn a_missing_or_null_user_array_is_empty() {
        assert!(
            serde_json::from_str::<UserList>("{}")
                .unwrap()
                .users
                .is_empty()
        );
        assert!(
            serde_json::from_str::<UserList>(r#"{"users":null}"#)
                .unwrap()
                .users
                .is_empty()
        );
    }

    #[test]
    fn labels_and_keys_normalise_to_the_same_grants() {
        let labels = r#"{"email":"ops@acme.test","status":"active","privileges":[
            {"feature":"Email campaign","permissions":["Create / edit / delete"]},
            {"feature":"Contacts","permissions":["View","Contact forms"]},
            {"feature":"User management","permissions":["None"]}]}"#;
        let keys = r#"{"email":"ops@acme.test","status":"active","privileges":[
            {"feature":"email_campaigns","permissions":["create_edit_delete"]},
            {"feature":"contacts","permissions":["view","forms"]}]}"#;
        let from_labels =
            UserPermissions::from(serde_json::from_str::<WirePermissions>(labels).unwrap());
        let from_keys =
            UserPermissions::from(serde_json::from_str::<WirePermissions>(keys).unwrap());
        assert_eq!(from_labels.grants, from_keys.grants);
        assert!(from_labels.unrecognised.is_empty());
    }

    #[test]
    fn unknown_permission_values_are_kept_as_they_came() {
        let body = r#"{"email":"a@b.test","status":"active","privileges":[{"feature":"Meetings","permissions":["Book rooms"]}]}"#;
        let permissions =
            UserPermissions::from(serde_json::from_str::<WirePermissions>(body).unwrap());
        assert!(permissions.grants.contains("Meetings", "Book rooms"));
        assert_eq!(permissions.unrecognised.len(), 2);
    }

    #[test]
    fn outcome_accepts_invoice_as_string_or_list() {
        let one: ChangeOutcome =
            serde_json::from_str(r#"{"status":"OK","invoice_id":"INV-1"}"#).unwrap();
        let many: ChangeOutcome = serde_json::from_str(
            r#"{"status":"OK","invoice_id":["INV-1","INV-2"],"credit_notes":["CN-1"]}"#,
        )
        .unwrap();
        assert_eq!(one.invoice_ids, vec!["INV-1"]);
        assert_eq!(many.invoice_ids.len(), 2);
        assert!(many.billing_note().unwrap().contains("CN-1"));
        assert_eq!(
            serde_json::from_str::<ChangeOutcome>(r#"{"status":"OK"}"#)
                .unwrap()
                .billing_note(),
            None
        );
    }

    mod never_panics {
        use proptest::prelude::*;

        use super::*;

        fn json_value() -> impl Strategy<Value = serde_json::Value> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::Bool),
                any::<f64>().prop_map(|f| serde_json::json!(f)),
                any::<i64>().prop_map(|i| serde_json::json!(i)),
                ".{0,12}".prop_map(serde_json::Value::String),
                prop::sample::select(vec![
                    "users",
                    "email",
                    "is_owner",
                    "status",
                    "privileges",
                    "feature",
                    "permissions"
                ])
                .prop_map(|s| serde_json::Value::String(s.to_owned())),
            ];
            leaf.prop_recursive(4, 64, 8, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                    prop::collection::btree_map(
                        prop::sample::select(vec![
                            "users",
                            "email",
                            "is_owner",
                            "status",
                            "feature_access",
                            "privileges",
                            "feature",
                            "permissions",
                            "invoice_id",
                            "credit_notes",
                            "id",
                            "x"
                        ])
                        .prop_map(str::to_owned),
                        inner,
                        0..6,
                    )
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #[test]
            fn arbitrary_bytes_decode_to_a_value_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
                let _ = serde_json::from_slice::<UserList>(&bytes);
                let _ = serde_json::from_slice::<WirePermissions>(&bytes).map(UserPermissions::from);
                let _ = serde_json::from_slice::<ChangeOutcome>(&bytes);
            }

            #[test]
            fn arbitrary_json_decodes_to_a_value_or_an_error(value in json_value()) {
                let text = value.to_string();
                let _ = serde_json::from_str::<UserList>(&text);
                let _ = serde_json::from_str::<WirePermissions>(&text).map(UserPermissions::from);
                let _ = serde_json::from_str::<ChangeOutcome>(&text).map(|o| o.billing_note());
            }
        }
    }
}
