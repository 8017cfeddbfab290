//! Decoding what Brevo really sends, and never panicking on what it might.

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
    assert_eq!(list.users[0].feature_access.get("meetings"), Some("owner"));
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
    let from_keys = UserPermissions::from(serde_json::from_str::<WirePermissions>(keys).unwrap());
    assert_eq!(from_labels.grants, from_keys.grants);
    assert!(from_labels.unrecognised.is_empty());
}

#[test]
fn unknown_permission_values_are_kept_as_they_came() {
    let body = r#"{"email":"a@b.test","status":"active","privileges":[{"feature":"Meetings","permissions":["Book rooms"]}]}"#;
    let permissions = UserPermissions::from(serde_json::from_str::<WirePermissions>(body).unwrap());
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
