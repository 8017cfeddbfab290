//! What a test can make the mock do wrong: faults, and which of them could
//! ever fire.

use axum::http::Method;
use serde::{Deserialize, Serialize};

use super::error::MockError;
use super::routes::{ENDPOINTS, route};

/// Makes the next `times` requests that match `method` and `route` misbehave.
///
/// JSON form (`POST /_mock/faults`), fields other than `kind` optional:
/// `{"times":2,"method":"POST","route":"/organization/user/invitation/send",
///   "kind":"error","status":503,"code":"unavailable","message":"down"}`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// How many matching requests this fault hits before it is used up.
    #[serde(default = "one")]
    pub times: u32,
    /// Only requests with this method (any case); all methods when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Only requests whose route template (as in the request log, e.g.
    /// `/organization/user/{email}/permissions`) or whose decoded path
    /// matches this pattern; `*` matches anything, a leading `/v3` is
    /// ignored. All routes when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    #[serde(flatten)]
    pub kind: FaultKind,
}

fn one() -> u32 {
    1
}

/// How a faulted request is answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// A Brevo-shaped JSON error `{code, message}` with this status.
    Error {
        #[serde(default = "server_error")]
        status: u16,
        #[serde(default = "internal_error")]
        code: String,
        #[serde(default = "error_message")]
        message: String,
    },
    /// `Content-Type: application/json` with a truncated body.
    MalformedJson {
        #[serde(default = "server_error")]
        status: u16,
    },
    /// An HTML page, as an auth gateway or a proxy sends (spec §6.3).
    Html {
        #[serde(default = "bad_gateway")]
        status: u16,
    },
    /// Never answers (until the server shuts down): longer than any timeout.
    Stall,
    /// Answers normally, after this delay.
    Latency { ms: u64 },
    /// Applies the change, then answers a JSON error with this status: the
    /// request reached Brevo but its answer was lost.
    ApplyThenFail {
        #[serde(default = "server_error")]
        status: u16,
    },
    /// Applies the change, then never answers.
    ApplyThenStall,
}

fn server_error() -> u16 {
    500
}
fn bad_gateway() -> u16 {
    502
}
fn internal_error() -> String {
    // Not a documented Brevo code: Brevo documents none for 5xx answers.
    "internal_error".into()
}
fn error_message() -> String {
    "Injected fault".into()
}

impl Fault {
    /// A fault for the next request, whatever its route.
    pub fn new(kind: FaultKind) -> Self {
        Self {
            times: 1,
            method: None,
            route: None,
            kind,
        }
    }

    /// A JSON error `{code, message}` with `status`.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Self::new(FaultKind::Error {
            status,
            code: code.into(),
            message: message.into(),
        })
    }

    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    /// Only for requests of `method` to routes matching `route`.
    pub fn on(mut self, method: &str, route: &str) -> Self {
        self.method = Some(method.into());
        self.route = Some(route.into());
        self
    }

    pub(crate) fn matches(&self, method: &str, template: &str, path: &str) -> bool {
        self.takes_method(method)
            && self
                .pattern()
                .is_none_or(|pattern| glob(pattern, template) || glob(pattern, path))
    }

    fn takes_method(&self, method: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
    }

    /// The route pattern without its optional `/v3`.
    fn pattern(&self) -> Option<&str> {
        let pattern = self.route.as_deref()?;
        Some(pattern.strip_prefix("/v3").unwrap_or(pattern))
    }

    /// Refuses a fault no request could ever hit (a typo'd route, or a
    /// method its route does not take), naming every endpoint instead.
    pub(crate) fn check_reachable(&self) -> Result<(), MockError> {
        if ENDPOINTS
            .iter()
            .any(|(method, template)| self.reaches(method, template))
        {
            return Ok(());
        }
        let endpoints: Vec<String> = ENDPOINTS
            .iter()
            .map(|(method, template)| format!("{method} {template}"))
            .collect();
        let aimed_at = match (&self.method, &self.route) {
            (Some(method), Some(route)) => format!("{method} {route}"),
            (Some(method), None) => format!("method {method}"),
            (None, Some(route)) => route.clone(),
            (None, None) => "every request".into(),
        };
        Err(MockError::bad(
            "invalid_parameter",
            format!(
                "The fault's {aimed_at} matches no endpoint, so it could never fire; \
                 the endpoints are: {}",
                endpoints.join(", ")
            ),
        ))
    }

    /// Whether some request to `template` with `method` would hit it: the
    /// pattern matches the template, or, read as a concrete path (each `*`
    /// as one character), routes to it.
    fn reaches(&self, method: &Method, template: &str) -> bool {
        let concrete = |pattern: &str| {
            let routed = route(method, &pattern.replace('*', "x"));
            routed.is_endpoint() && routed.template == template
        };
        self.matches(method.as_str(), template, template)
            || (self.takes_method(method.as_str()) && self.pattern().is_some_and(concrete))
    }
}

/// Takes the first fault that matches, using up one of its `times`.
pub(crate) fn take_fault(
    faults: &mut Vec<Fault>,
    method: &str,
    template: &str,
    path: &str,
) -> Option<FaultKind> {
    let index = faults
        .iter()
        .position(|f| f.times > 0 && f.matches(method, template, path))?;
    let fault = &mut faults[index];
    fault.times -= 1;
    let kind = fault.kind.clone();
    if fault.times == 0 {
        faults.remove(index);
    }
    Some(kind)
}

/// `*` matches any run of characters, everything else itself.
fn glob(pattern: &str, text: &str) -> bool {
    let Some((head, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(head) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('*').collect();
    let Some((last, middle)) = parts.split_last() else {
        return true;
    };
    for part in middle {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_templates_and_paths() {
        assert!(glob("/organization/*", "/organization/invited/users"));
        assert!(glob(
            "*permissions",
            "/organization/user/{email}/permissions"
        ));
        assert!(glob("/a/*/c", "/a/b/c"));
        assert!(!glob("/a/*/c", "/a/b/d"));
        assert!(glob("*", ""));
    }

    #[test]
    fn a_fault_is_used_up_after_its_times() {
        let mut faults = vec![Fault::error(500, "x", "y").times(2).on("get", "*users")];
        let route = "/organization/invited/users";
        assert!(take_fault(&mut faults, "POST", route, route).is_none());
        assert!(take_fault(&mut faults, "GET", route, route).is_some());
        assert!(take_fault(&mut faults, "GET", route, route).is_some());
        assert!(take_fault(&mut faults, "GET", route, route).is_none());
    }

    #[test]
    fn a_fault_must_reach_an_endpoint() {
        let reachable = |route: &str| {
            Fault::new(FaultKind::Stall)
                .on("PUT", route)
                .check_reachable()
        };
        assert!(reachable("*/revoke/*").is_ok());
        assert!(reachable("/v3/organization/user/invitation/cancel/a@b.test").is_ok());
        assert!(
            reachable("/organization/invited/users").is_err(),
            "a GET route"
        );
        assert!(reachable("/organization/user/invitaton/revoke/*").is_err());
        assert!(Fault::new(FaultKind::Stall).check_reachable().is_ok());
    }

    #[test]
    fn fault_json_round_trips() {
        let fault: Fault =
            serde_json::from_str(r#"{"kind":"html","route":"/organization/*"}"#).expect("parses");
        assert_eq!(fault.times, 1);
        assert_eq!(fault.kind, FaultKind::Html { status: 502 });
    }
}
