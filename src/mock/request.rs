//! Reading the `Inviteuser` body of the two POST endpoints (spec §4.5, §4.6)
//! from raw bytes, so that every mistake gets a Brevo-shaped 400 and never a
//! framework's plain-text rejection.

use serde_json::{Map, Value};

use super::error::MockError;
use crate::brevo::{catalog, validate::check_email};

/// A validated invite or update request. Permission keys are normalised
/// (`manage_other_companies` → `manage_others_companies`); `["none"]` is kept
/// and means "no access to this feature".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Access {
    pub email: String,
    pub all_features_access: bool,
    pub privileges: Vec<(String, Vec<String>)>,
}

fn missing(message: impl Into<String>) -> MockError {
    MockError::bad("missing_parameter", message)
}

fn invalid(message: impl Into<String>) -> MockError {
    MockError::bad("invalid_parameter", message)
}

/// Parses a JSON body into a value, answering Brevo's `bad_request` shape
/// when it is not JSON. An empty body reads as `{}` so that it is reported
/// as missing parameters.
pub fn parse_json(body: &[u8]) -> Result<Value, MockError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body)
        .map_err(|e| MockError::bad("bad_request", format!("Malformed JSON body: {e}")))
}

/// Reads an `Inviteuser` body. `check_address` is false for updates: the
/// user is looked up, not created, so a seeded odd address stays reachable.
pub fn parse_access(body: &[u8], check_address: bool) -> Result<Access, MockError> {
    let value = parse_json(body)?;
    let Value::Object(object) = value else {
        return Err(MockError::bad(
            "bad_request",
            "The request body must be a JSON object",
        ));
    };
    let email = match object.get("email") {
        None | Some(Value::Null) => return Err(missing("email is missing")),
        Some(Value::String(email)) => email.trim().to_owned(),
        Some(_) => return Err(invalid("email must be a string")),
    };
    if email.is_empty() {
        return Err(missing("email is missing"));
    }
    if check_address {
        check_email(&email)
            .map_err(|problem| invalid(format!("Invalid email address: {problem}")))?;
    }
    let all_features_access = match object.get("all_features_access") {
        None | Some(Value::Null) => return Err(missing("all_features_access is missing")),
        Some(Value::Bool(flag)) => *flag,
        Some(_) => return Err(invalid("all_features_access must be a boolean")),
    };
    // With all features, Brevo ignores privileges: missing, [] and [{}] pass.
    let privileges = if all_features_access {
        Vec::new()
    } else {
        parse_privileges(object.get("privileges"))?
    };
    Ok(Access {
        email,
        all_features_access,
        privileges,
    })
}

fn parse_privileges(value: Option<&Value>) -> Result<Vec<(String, Vec<String>)>, MockError> {
    let items = match value {
        None | Some(Value::Null) => {
            return Err(missing(
                "privileges are required unless all_features_access is true",
            ));
        }
        Some(Value::Array(items)) if items.is_empty() => {
            return Err(missing(
                "privileges are required unless all_features_access is true",
            ));
        }
        Some(Value::Array(items)) => items,
        Some(_) => return Err(invalid("privileges must be an array")),
    };
    items.iter().map(parse_privilege).collect()
}

fn parse_privilege(item: &Value) -> Result<(String, Vec<String>), MockError> {
    let Value::Object(item) = item else {
        return Err(invalid("each privilege must be an object"));
    };
    let feature = match item.get("feature") {
        None | Some(Value::Null) => return Err(missing("privileges.feature is missing")),
        Some(Value::String(feature)) => feature.as_str(),
        Some(_) => return Err(invalid("privileges.feature must be a string")),
    };
    // Legacy features such as facebook_ads are still accepted (spec §2.1).
    if catalog::feature(feature).is_none() {
        return Err(invalid(format!("Invalid feature: {feature}")));
    }
    let permissions = match item.get("permissions") {
        None | Some(Value::Null) => return Err(missing("privileges.permissions is missing")),
        Some(Value::Array(list)) if list.is_empty() => {
            return Err(missing("privileges.permissions is empty"));
        }
        Some(Value::Array(list)) => list,
        Some(_) => return Err(invalid("privileges.permissions must be an array")),
    };
    let mut keys = Vec::with_capacity(permissions.len());
    for permission in permissions {
        let Value::String(permission) = permission else {
            return Err(invalid("each permission must be a string"));
        };
        let Some(entry) = catalog::permission(permission) else {
            return Err(invalid(format!("Invalid permission: {permission}")));
        };
        if !catalog::fits(feature, entry.key) {
            return Err(invalid(format!(
                "Permission {permission} does not apply to feature {feature}"
            )));
        }
        if !keys.contains(&entry.key.to_owned()) {
            keys.push(entry.key.to_owned());
        }
    }
    if keys.len() > 1 && keys.iter().any(|k| k == catalog::NONE) {
        return Err(invalid(format!(
            "Permission none cannot be combined with others for feature {feature}"
        )));
    }
    Ok((feature.to_owned(), keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(body: &str) -> &'static str {
        parse_access(body.as_bytes(), true).unwrap_err().code
    }

    #[test]
    fn reports_each_kind_of_mistake_with_its_code() {
        assert_eq!(code("{not json"), "bad_request");
        assert_eq!(code("[]"), "bad_request");
        assert_eq!(code(""), "missing_parameter");
        assert_eq!(code(r#"{"all_features_access":true}"#), "missing_parameter");
        assert_eq!(code(r#"{"email":"a@b.test"}"#), "missing_parameter");
        assert_eq!(
            code(r#"{"email":"nope","all_features_access":true}"#),
            "invalid_parameter"
        );
        assert_eq!(
            code(r#"{"email":"a@b.test","all_features_access":false,"privileges":[{}]}"#),
            "missing_parameter"
        );
        assert_eq!(
            code(
                r#"{"email":"a@b.test","all_features_access":false,"privileges":[{"feature":"contacts","permissions":["send"]}]}"#
            ),
            "invalid_parameter"
        );
        assert_eq!(
            code(
                r#"{"email":"a@b.test","all_features_access":false,"privileges":[{"feature":"meetings","permissions":["all"]}]}"#
            ),
            "invalid_parameter"
        );
    }

    #[test]
    fn normalises_the_legacy_companies_spelling() {
        let access = parse_access(
            br#"{"email":"a@b.test","all_features_access":false,
                "privileges":[{"feature":"companies","permissions":["manage_other_companies"]},
                              {"feature":"facebook_ads","permissions":["schedule_pause"]}]}"#,
            true,
        )
        .expect("valid");
        assert_eq!(
            access.privileges[0],
            ("companies".into(), vec!["manage_others_companies".into()])
        );
    }
}
