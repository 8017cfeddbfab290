//! The `/v3` endpoints: the six of user management (spec §4) and
//! `GET /account` (spec §8.1). Routing is done by hand on the raw
//! path so that the email segment is decoded exactly as spec §1 says (`%40`
//! and raw `@`, `+` stays a plus, `%2F` stays inside the segment) and every
//! answer, 404 and 405 included, is Brevo-shaped JSON.

use axum::http::{Method, StatusCode};
use percent_encoding::percent_decode_str;

use super::error::MockError;
use super::request::parse_access;
use super::state::Org;

/// An endpoint with its decoded path parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    List,
    Permissions(String),
    Invite,
    Update,
    Invitation { action: String, email: String },
    Revoke(String),
    Account,
}

/// Where a path led: the route template (as the request log names it), and
/// the endpoint or the error that answers it.
pub(crate) struct Routed {
    pub template: &'static str,
    pub endpoint: Result<Endpoint, MockError>,
    /// For a 405: the method the route takes.
    pub allow: Option<Method>,
}

impl Routed {
    /// Whether the method and path name one of the endpoints (a bad
    /// email segment included): only those are counted in the request log.
    pub fn is_endpoint(&self) -> bool {
        self.template != UNKNOWN_ROUTE && self.allow.is_none()
    }
}

pub(crate) const UNKNOWN_ROUTE: &str = "(unknown)";

const LIST: &str = "/organization/invited/users";
const INVITE: &str = "/organization/user/invitation/send";
const UPDATE: &str = "/organization/user/update/permissions";
const PERMISSIONS: &str = "/organization/user/{email}/permissions";
const REVOKE: &str = "/organization/user/invitation/revoke/{email}";
const INVITATION: &str = "/organization/user/invitation/{action}/{email}";
const ACCOUNT: &str = "/account";

/// Every endpoint as the request log names it, with the method it takes.
pub(crate) const ENDPOINTS: [(Method, &str); 7] = [
    (Method::GET, LIST),
    (Method::GET, PERMISSIONS),
    (Method::POST, INVITE),
    (Method::POST, UPDATE),
    (Method::PUT, INVITATION),
    (Method::PUT, REVOKE),
    (Method::GET, ACCOUNT),
];

/// Matches a path (already stripped of `/v3`) and method to an endpoint.
/// Literal segments win over parameters, as in any router.
pub(crate) fn route(method: &Method, path: &str) -> Routed {
    let segments: Vec<&str> = match path.strip_prefix('/') {
        Some(rest) => rest.split('/').collect(),
        None => Vec::new(),
    };
    let (template, wanted, endpoint): (&'static str, Method, Result<Endpoint, MockError>) =
        match segments.as_slice() {
            ["organization", "invited", "users"] => (LIST, Method::GET, Ok(Endpoint::List)),
            ["account"] => (ACCOUNT, Method::GET, Ok(Endpoint::Account)),
            ["organization", "user", "invitation", "send"] => {
                (INVITE, Method::POST, Ok(Endpoint::Invite))
            }
            ["organization", "user", "update", "permissions"] => {
                (UPDATE, Method::POST, Ok(Endpoint::Update))
            }
            ["organization", "user", email, "permissions"] if !email.is_empty() => (
                PERMISSIONS,
                Method::GET,
                decode(email).map(Endpoint::Permissions),
            ),
            ["organization", "user", "invitation", "revoke", email] if !email.is_empty() => {
                (REVOKE, Method::PUT, decode(email).map(Endpoint::Revoke))
            }
            ["organization", "user", "invitation", action, email]
                if !action.is_empty() && !email.is_empty() =>
            {
                (
                    INVITATION,
                    Method::PUT,
                    decode(email).map(|email| Endpoint::Invitation {
                        action: (*action).to_owned(),
                        email,
                    }),
                )
            }
            _ => {
                return Routed {
                    template: UNKNOWN_ROUTE,
                    endpoint: Err(not_found()),
                    allow: None,
                };
            }
        };
    if *method != wanted {
        return Routed {
            template,
            endpoint: Err(MockError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("Method {method} is not allowed on this endpoint; use {wanted}"),
            )),
            allow: Some(wanted),
        };
    }
    Routed {
        template,
        endpoint,
        allow: None,
    }
}

/// Our own 404 body: Brevo documents no 404 for these paths.
pub(crate) fn not_found() -> MockError {
    MockError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "Invalid URL: no such endpoint",
    )
}

/// Percent-decodes an email path segment; `+` is a literal plus in a path.
fn decode(segment: &str) -> Result<String, MockError> {
    percent_decode_str(segment)
        .decode_utf8()
        .map(|email| email.into_owned())
        .map_err(|_| MockError::bad("invalid_parameter", "The email in the path is not UTF-8"))
}

/// Runs an endpoint against the organization; the answer is the JSON body.
pub(crate) fn handle(
    org: &mut Org,
    endpoint: &Endpoint,
    body: &[u8],
    permissions_as_keys: bool,
) -> Result<Vec<u8>, MockError> {
    let value = match endpoint {
        Endpoint::List => return Ok(org.list()),
        Endpoint::Account => org.account(),
        Endpoint::Permissions(email) => org.permissions(email, permissions_as_keys),
        Endpoint::Invite => org.invite(parse_access(body, true)?),
        Endpoint::Update => org.update(parse_access(body, false)?),
        Endpoint::Revoke(email) => org.revoke(email),
        Endpoint::Invitation { action, email } => match action.as_str() {
            "resend" => org.resend_or_cancel(false, email),
            "cancel" => org.resend_or_cancel(true, email),
            _ => Err(MockError::bad(
                "invalid_parameter",
                "action must be resend or cancel",
            )),
        },
    }?;
    Ok(serde_json::to_vec(&value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email_of(path: &str) -> Endpoint {
        route(&Method::GET, path).endpoint.expect("routes")
    }

    #[test]
    fn decodes_the_email_segment_as_a_path_segment() {
        let p = |e: &str| Endpoint::Permissions(e.to_owned());
        assert_eq!(
            email_of("/organization/user/a@b.test/permissions"),
            p("a@b.test")
        );
        assert_eq!(
            email_of("/organization/user/a%40b.test/permissions"),
            p("a@b.test")
        );
        assert_eq!(
            email_of("/organization/user/a+x@b.test/permissions"),
            p("a+x@b.test")
        );
        assert_eq!(
            email_of("/organization/user/a%2Bx%40b.test/permissions"),
            p("a+x@b.test")
        );
        assert_eq!(
            email_of("/organization/user/a%2Fb@c.test/permissions"),
            p("a/b@c.test")
        );
    }

    #[test]
    fn literal_routes_win_over_parameters() {
        let routed = route(
            &Method::PUT,
            "/organization/user/invitation/revoke/a@b.test",
        );
        assert_eq!(routed.endpoint, Ok(Endpoint::Revoke("a@b.test".into())));
        let routed = route(&Method::GET, "/organization/user/update/permissions");
        assert_eq!(
            routed.endpoint.map_err(|e| e.code),
            Err("method_not_allowed")
        );
        let routed = route(&Method::GET, "/organization/user//permissions");
        assert_eq!(routed.template, UNKNOWN_ROUTE);
        let routed = route(&Method::GET, "organization/invited/users");
        assert_eq!(routed.template, UNKNOWN_ROUTE);
    }

    proptest::proptest! {
        /// Whatever arrives, the mock answers instead of panicking.
        #[test]
        fn any_path_and_body_gets_an_answer(
            path in "(/[a-z%@+0-9A-F.]{0,12}){0,6}",
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            json_body in "\\{\"email\":\"[a-z@.]{0,10}\",\"all_features_access\":(true|false|1),\"privileges\":\\[(\\{\"feature\":\"[a-z_]{0,12}\",\"permissions\":\\[\"[a-z_]{0,10}\"\\]\\})?\\]\\}",
        ) {
            let mut org = Org::from_seed(crate::mock::demo_seed());
            for method in [Method::GET, Method::PUT, Method::POST] {
                for path in [path.clone(), format!("/organization/user{path}"), format!("/organization/user/invitation{path}")] {
                    if let Ok(endpoint) = route(&method, &path).endpoint {
                        let _ = handle(&mut org, &endpoint, &body, false);
                        let _ = handle(&mut org, &endpoint, json_body.as_bytes(), true);
                    }
                }
            }
            for endpoint in [Endpoint::Invite, Endpoint::Update] {
                let _ = handle(&mut org, &endpoint, &body, false);
                let _ = handle(&mut org, &endpoint, json_body.as_bytes(), false);
            }
        }
    }
}
