//! The mock server, driven over real HTTP on 127.0.0.1: every endpoint, its
//! error paths, the headers every answer carries, the control routes and
//! the `mock-server` binary.

use std::time::{Duration, Instant};

use brevo_users::mock::{Fault, FaultKind, MockControl, MockOptions, MockServer, MockUser, Seed};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const KEY: &str = "xkeysib-test";
const LIST: &str = "/organization/invited/users";
const SEND: &str = "/organization/user/invitation/send";
const UPDATE: &str = "/organization/user/update/permissions";

struct Api {
    server: MockServer,
    http: reqwest::Client,
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no {name} header"))
    }
}

fn http() -> reqwest::Client {
    // reqwest is built with `rustls-no-provider`: even a plain-http client
    // refuses to build until a process-wide provider is installed. A second
    // install from another test fails harmlessly.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client")
}

async fn start(options: MockOptions) -> Api {
    let server = MockServer::start(options).await.expect("the mock starts");
    Api {
        server,
        http: http(),
    }
}

async fn demo() -> Api {
    start(MockOptions::default()).await
}

impl Api {
    fn control(&self) -> MockControl {
        self.server.control()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the mock answers");
        Reply {
            status: response.status(),
            headers: response.headers().clone(),
            text: response.text().await.expect("a body"),
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut request = self
            .http
            .request(method, self.url(path))
            .header("api-key", KEY)
            .header("accept", "application/json");
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    async fn put(&self, path: &str) -> Reply {
        self.call(Method::PUT, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(body)).await
    }

    async fn control_call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let base = self.server.base_url().replace("/v3", "");
        let mut request = self.http.request(method, format!("{base}{path}"));
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    async fn permissions(&self, email: &str) -> Value {
        let reply = self
            .get(&format!("/organization/user/{email}/permissions"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.json()
    }
}

fn privileges_of(answer: &Value) -> Vec<(String, Vec<String>)> {
    answer["privileges"]
        .as_array()
        .expect("privileges")
        .iter()
        .map(|p| {
            let permissions = p["permissions"]
                .as_array()
                .expect("permissions")
                .iter()
                .map(|v| v.as_str().expect("a string").to_owned())
                .collect();
            (
                p["feature"].as_str().expect("feature").to_owned(),
                permissions,
            )
        })
        .collect()
}

fn permissions_for(answer: &Value, feature: &str) -> Vec<String> {
    privileges_of(answer)
        .into_iter()
        .find(|(f, _)| f == feature)
        .map(|(_, p)| p)
        .unwrap_or_else(|| panic!("no {feature} in {answer}"))
}

fn invite(email: &str) -> Value {
    json!({
        "email": email,
        "all_features_access": false,
        "privileges": [{"feature": "contacts", "permissions": ["view", "import"]}],
    })
}

// ---------------------------------------------------------------- list

#[tokio::test]
async fn lists_the_owner_and_members_in_the_live_shape() {
    let api = demo().await;
    let reply = api.get(LIST).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("content-type").starts_with("application/json"));
    let users = reply.json()["users"].as_array().expect("users").clone();
    assert_eq!(users.len(), api.control().users().len());
    let owners: Vec<&Value> = users.iter().filter(|u| u["is_owner"] == true).collect();
    assert_eq!(owners.len(), 1);
    assert!(
        owners[0]["feature_access"]
            .as_object()
            .expect("feature_access")
            .values()
            .all(|v| v == "owner")
    );
    for user in &users {
        assert!(user["is_owner"].is_boolean());
        assert!(user["email"].is_string());
        let status = user["status"].as_str().expect("status");
        assert!(status == "active" || status == "pending");
        if user["is_owner"] == false {
            let keys: Vec<&String> = user["feature_access"]
                .as_object()
                .expect("feature_access")
                .keys()
                .collect();
            for key in [
                "marketing",
                "conversations",
                "crm",
                "transactional",
                "phone",
                "meetings",
                "sequences",
            ] {
                assert!(keys.iter().any(|k| *k == key), "{key} missing for {user}");
            }
        }
        if status == "active" {
            assert_eq!(user["id"].as_str().expect("an id").len(), 24);
        }
    }
}

// ---------------------------------------------------------- permissions

#[tokio::test]
async fn permissions_come_as_labels_with_none_for_missing_features() {
    let api = demo().await;
    let answer = api.permissions("ops@acme.test").await;
    assert_eq!(answer["email"], "ops@acme.test");
    assert_eq!(answer["status"], "active");
    assert_eq!(
        permissions_for(&answer, "Email campaign"),
        ["Create / edit / delete"]
    );
    assert_eq!(
        permissions_for(&answer, "Contacts"),
        ["View", "Contact forms"]
    );
    assert_eq!(permissions_for(&answer, "SMTP & API"), ["API Keys"]);
    assert_eq!(permissions_for(&answer, "User management"), ["None"]);
    // No label is documented for these: the key goes out.
    assert_eq!(permissions_for(&answer, "transactional_emails"), ["None"]);
    assert_eq!(privileges_of(&answer).len(), 15);
}

#[tokio::test]
async fn permissions_come_as_keys_when_asked() {
    let api = start(MockOptions {
        permissions_as_keys: true,
        ..MockOptions::default()
    })
    .await;
    let answer = api.permissions("ops@acme.test").await;
    assert_eq!(permissions_for(&answer, "contacts"), ["view", "forms"]);
    assert_eq!(permissions_for(&answer, "user_management"), ["none"]);
    api.control().set_permissions_as_keys(false);
    let answer = api.permissions("ops@acme.test").await;
    assert_eq!(
        permissions_for(&answer, "Contacts"),
        ["View", "Contact forms"]
    );
}

#[tokio::test]
async fn the_owner_holds_every_feature() {
    let api = demo().await;
    let owner = api
        .control()
        .users()
        .into_iter()
        .find(|u| u.owner)
        .expect("an owner");
    let answer = api.permissions(&owner.email).await;
    let privileges = privileges_of(&answer);
    assert_eq!(privileges.len(), 15);
    assert!(
        privileges
            .iter()
            .all(|(_, p)| !p.contains(&"None".to_owned()))
    );
    assert_eq!(permissions_for(&answer, "Landing pages"), ["All"]);
}

#[tokio::test]
async fn permissions_of_an_unknown_email_are_a_document_not_found() {
    let api = demo().await;
    let reply = api
        .get("/organization/user/nobody@acme.test/permissions")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.code(), "document_not_found");
    assert!(reply.json()["message"].is_string());
}

#[tokio::test]
async fn email_segments_decode_raw_at_percent_40_and_percent_2b() {
    let api = demo().await;
    for path in [
        "sarah.connor+newsletter@acme.test",
        "sarah.connor+newsletter%40acme.test",
        "sarah.connor%2Bnewsletter%40acme.test",
        "SARAH.Connor%2Bnewsletter@ACME.test",
    ] {
        let answer = api.permissions(path).await;
        assert_eq!(
            answer["email"], "sarah.connor+newsletter@acme.test",
            "{path}"
        );
    }
    let answer = api
        .permissions("j%C3%BCrgen.m%C3%BCller%40b%C3%BCcher.example")
        .await;
    assert_eq!(answer["email"], "jürgen.müller@bücher.example");
    // `+` is a literal plus in a path, never a space.
    let reply = api
        .get("/organization/user/sarah.connor newsletter@acme.test/permissions")
        .await;
    assert_eq!(reply.code(), "document_not_found");
}

// --------------------------------------------------------------- invite

#[tokio::test]
async fn an_invitation_creates_a_pending_user() {
    let api = demo().await;
    api.control().set_seat_billing(false);
    let reply = api.post(SEND, invite("new.person@acme.test")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json(), json!({"status": "OK"}));
    let user = api.control().user("NEW.person@acme.test").expect("created");
    assert!(user.is_pending() && !user.owner);
    assert_eq!(user.privileges["contacts"], ["view", "import"]);
    let listed = api.get(LIST).await.json();
    assert!(
        listed["users"]
            .as_array()
            .expect("users")
            .iter()
            .any(|u| u["email"] == "new.person@acme.test" && u["status"] == "pending")
    );
}

// Seat billing: see mock/account.rs.

#[tokio::test]
async fn a_duplicate_invitation_is_refused_whatever_the_case() {
    let api = demo().await;
    for email in ["OPS@acme.test", "new.hire@ACME.test"] {
        let reply = api.post(SEND, invite(email)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{email}");
        assert_eq!(reply.code(), "duplicate_parameter", "{email}");
    }
}

#[tokio::test]
async fn invitation_mistakes_get_their_codes() {
    let api = demo().await;
    let before = api.control().users().len();
    let cases = [
        (
            json!({"email": "not-an-email", "all_features_access": true}),
            "invalid_parameter",
        ),
        (json!({"all_features_access": true}), "missing_parameter"),
        (json!({"email": "a@acme.test"}), "missing_parameter"),
        (
            json!({"email": "a@acme.test", "all_features_access": false}),
            "missing_parameter",
        ),
        (
            json!({"email": "a@acme.test", "all_features_access": false, "privileges": []}),
            "missing_parameter",
        ),
        (
            json!({"email": "a@acme.test", "all_features_access": false, "privileges": [{}]}),
            "missing_parameter",
        ),
        (
            json!({"email": "a@acme.test", "all_features_access": false,
                   "privileges": [{"feature": "contacts", "permissions": []}]}),
            "missing_parameter",
        ),
        (
            json!({"email": "a@acme.test", "all_features_access": false,
                   "privileges": [{"feature": "contacts", "permissions": ["send_schedule_suspend"]}]}),
            "invalid_parameter",
        ),
        (
            json!({"email": "a@acme.test", "all_features_access": false,
                   "privileges": [{"feature": "meetings", "permissions": ["all"]}]}),
            "invalid_parameter",
        ),
        (
            json!({"email": "a@acme.test", "all_features_access": false,
                   "privileges": [{"feature": "contacts", "permissions": ["teleport"]}]}),
            "invalid_parameter",
        ),
        (
            json!({"email": "a@acme.test", "all_features_access": "yes"}),
            "invalid_parameter",
        ),
    ];
    for (body, code) in cases {
        let reply = api.post(SEND, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.code(), code, "{body}");
    }
    assert_eq!(api.control().users().len(), before);
}

#[tokio::test]
async fn all_features_invitations_take_any_privileges_form() {
    let api = demo().await;
    let forms = [
        json!({"email": "a@acme.test", "all_features_access": true}),
        json!({"email": "b@acme.test", "all_features_access": true, "privileges": []}),
        json!({"email": "c@acme.test", "all_features_access": true, "privileges": [{}]}),
    ];
    for body in forms {
        let reply = api.post(SEND, body.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{body}: {}", reply.text);
    }
    let user = api.control().user("c@acme.test").expect("invited");
    assert!(user.all_features_access);
}

#[tokio::test]
async fn legacy_spellings_are_accepted_and_normalised() {
    let api = demo().await;
    let reply = api
        .post(
            SEND,
            json!({"email": "legacy@acme.test", "all_features_access": false, "privileges": [
                {"feature": "companies", "permissions": ["manage_other_companies"]},
                {"feature": "facebook_ads", "permissions": ["create_edit_delete"]},
                {"feature": "user_management", "permissions": ["none"]},
            ]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let user = api.control().user("legacy@acme.test").expect("invited");
    assert_eq!(user.privileges["companies"], ["manage_others_companies"]);
    assert!(user.privileges.contains_key("facebook_ads"));
    assert!(!user.privileges.contains_key("user_management"));
}

// --------------------------------------------------------------- update

#[tokio::test]
async fn an_update_merges_per_feature() {
    let api = demo().await;
    let reply = api
        .post(
            UPDATE,
            json!({"email": "OPS@acme.test", "all_features_access": false, "privileges": [
                {"feature": "sms_campaigns", "permissions": ["create_edit_delete"]},
                {"feature": "contacts", "permissions": ["view"]},
                {"feature": "smtp_api", "permissions": ["none"]},
            ]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json()["status"], "OK");
    let user = api.control().user("ops@acme.test").expect("still there");
    assert_eq!(user.privileges["sms_campaigns"], ["create_edit_delete"]);
    assert_eq!(user.privileges["contacts"], ["view"]);
    assert_eq!(user.privileges["email_campaigns"], ["create_edit_delete"]);
    assert!(!user.privileges.contains_key("smtp_api"));

    let all = api
        .post(
            UPDATE,
            json!({"email": "ops@acme.test", "all_features_access": true}),
        )
        .await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(
        api.control()
            .user("ops@acme.test")
            .expect("there")
            .all_features_access
    );
}

#[tokio::test]
async fn leaving_all_features_keeps_what_is_not_named() {
    let api = demo().await;
    api.post(
        UPDATE,
        json!({"email": "marketing.lead@acme.test", "all_features_access": false,
               "privileges": [{"feature": "user_management", "permissions": ["none"]}]}),
    )
    .await;
    let user = api
        .control()
        .user("marketing.lead@acme.test")
        .expect("there");
    assert!(!user.all_features_access);
    assert!(!user.privileges.contains_key("user_management"));
    assert_eq!(user.privileges["landing_pages"], ["all"]);
}

#[tokio::test]
async fn update_refusals() {
    let api = demo().await;
    let owner = api
        .control()
        .users()
        .into_iter()
        .find(|u| u.owner)
        .expect("owner");
    let cases = [
        (
            json!({"email": owner.email, "all_features_access": false,
                "privileges": [{"feature": "phone", "permissions": ["none"]}]}),
            StatusCode::FORBIDDEN,
            "permission_denied",
        ),
        (
            json!({"email": "nobody@acme.test", "all_features_access": true}),
            StatusCode::BAD_REQUEST,
            "document_not_found",
        ),
        (
            json!({"email": "ops@acme.test", "all_features_access": false, "privileges": [
                {"feature": "phone", "permissions": ["view"]}]}),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            json!({"email": "ops@acme.test", "all_features_access": false}),
            StatusCode::BAD_REQUEST,
            "missing_parameter",
        ),
    ];
    for (body, status, code) in cases {
        let reply = api.post(UPDATE, body.clone()).await;
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (status, code),
            "{body}"
        );
    }
}

// ---------------------------------------------- resend, cancel, revoke

#[tokio::test]
async fn resend_and_cancel_work_on_pending_invitations_only() {
    let api = demo().await;
    let resend = api
        .put("/organization/user/invitation/resend/new.hire%40acme.test")
        .await;
    assert_eq!(resend.status, StatusCode::OK);
    assert_eq!(resend.json()["status"], "OK");
    assert!(api.control().user("new.hire@acme.test").is_some());

    for action in ["resend", "cancel"] {
        let reply = api
            .put(&format!(
                "/organization/user/invitation/{action}/ops@acme.test"
            ))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{action}");
        assert_eq!(reply.code(), "permission_denied");
        let reply = api
            .put(&format!(
                "/organization/user/invitation/{action}/nobody@acme.test"
            ))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{action}");
    }

    let cancel = api
        .put("/organization/user/invitation/cancel/new.hire@acme.test")
        .await;
    assert_eq!(cancel.status, StatusCode::OK);
    assert!(api.control().user("new.hire@acme.test").is_none());

    let odd = api
        .put("/organization/user/invitation/delete/finance@acme.test")
        .await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);
    assert_eq!(odd.code(), "invalid_parameter");
}

#[tokio::test]
async fn revoke_removes_active_members_only() {
    let api = demo().await;
    let reply = api
        .put("/organization/user/invitation/revoke/ops%40acme.test")
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(api.control().user("ops@acme.test").is_none());

    let owner = api
        .control()
        .users()
        .into_iter()
        .find(|u| u.owner)
        .expect("owner");
    for email in [
        owner.email.as_str(),
        "new.hire@acme.test",
        "nobody@acme.test",
    ] {
        let reply = api
            .put(&format!("/organization/user/invitation/revoke/{email}"))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email}");
        assert_eq!(reply.code(), "permission_denied", "{email}");
    }
    assert!(api.control().user(&owner.email).is_some());
}

// ------------------------------------------------- auth and rate limits

#[tokio::test]
async fn a_missing_or_wrong_key_is_unauthorized() {
    let api = start(MockOptions {
        api_key: Some(KEY.into()),
        ..MockOptions::default()
    })
    .await;
    let missing = api.send(api.http.get(api.url(LIST))).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        missing.json(),
        json!({"message": "authentication not found in headers", "code": "unauthorized"})
    );
    let wrong = api
        .send(
            api.http
                .get(api.url(LIST))
                .header("api-key", "xkeysib-wrong"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.json(),
        json!({"message": "Key not found", "code": "unauthorized"})
    );
    assert!(!wrong.header("sib-request-id").is_empty());
    assert_eq!(api.get(LIST).await.status, StatusCode::OK);
}

#[tokio::test]
async fn without_a_configured_key_any_non_empty_key_passes() {
    let api = demo().await;
    let any = api
        .send(api.http.get(api.url(LIST)).header("api-key", "anything"))
        .await;
    assert_eq!(any.status, StatusCode::OK);
    let empty = api
        .send(api.http.get(api.url(LIST)).header("api-key", ""))
        .await;
    assert_eq!(empty.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn past_the_rate_limit_answers_429_with_its_headers() {
    let api = start(MockOptions {
        rate_limit: Some(2),
        rate_window: Duration::from_secs(600),
        ..MockOptions::default()
    })
    .await;
    let first = api.get(LIST).await;
    assert_eq!(first.header("x-sib-ratelimit-limit"), "2");
    assert_eq!(first.header("x-sib-ratelimit-remaining"), "1");
    let second = api.get(LIST).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.header("x-sib-ratelimit-remaining"), "0");
    let third = api.get(LIST).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        third.json(),
        json!({"code": "too_many_requests", "message": "Too many requests"})
    );
    assert_eq!(third.header("x-sib-ratelimit-remaining"), "0");
    let reset: u64 = third
        .header("x-sib-ratelimit-reset")
        .parse()
        .expect("seconds");
    assert!(reset > 0 && reset <= 600, "{reset}");
    assert_eq!(
        third.header("retry-after"),
        third.header("x-sib-ratelimit-reset")
    );
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_rate_headers() {
    let api = demo().await;
    let replies = [
        api.get(LIST).await,
        api.get("/organization/user/nobody@acme.test/permissions")
            .await,
        api.get("/no/such/route").await,
        api.send(api.http.get(api.url(LIST))).await,
    ];
    let mut remaining = Vec::new();
    for reply in &replies {
        let id = reply.header("sib-request-id");
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
        assert_eq!(reply.header("x-sib-ratelimit-limit"), "100");
        remaining.push(reply.header("x-sib-ratelimit-remaining").to_owned());
        assert!(reply.header("x-sib-ratelimit-reset").parse::<u64>().is_ok());
    }
    assert_eq!(remaining[..3], ["99", "98", "97"]);
    assert_ne!(
        replies[0].header("sib-request-id"),
        replies[1].header("sib-request-id")
    );
}

// ----------------------------------------------------- request shapes

#[tokio::test]
async fn content_type_on_get_and_bodyless_put_is_accepted() {
    let api = demo().await;
    let get = api
        .send(
            api.http
                .get(api.url(LIST))
                .header("api-key", KEY)
                .header("content-type", "application/json"),
        )
        .await;
    assert_eq!(get.status, StatusCode::OK);
    let put = api
        .send(
            api.http
                .put(api.url("/organization/user/invitation/resend/new.hire@acme.test"))
                .header("api-key", KEY)
                .header("content-type", "application/json"),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
}

#[tokio::test]
async fn malformed_json_gets_a_brevo_shaped_400() {
    let api = demo().await;
    for path in [SEND, UPDATE] {
        let reply = api
            .send(
                api.http
                    .post(api.url(path))
                    .header("api-key", KEY)
                    .header("content-type", "application/json")
                    .body("{\"email\": \"a@acme.test\", "),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(reply.code(), "bad_request");
        assert!(reply.json()["message"].is_string());
    }
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_answer_json() {
    let api = demo().await;
    let missing = api.get("/organization/nothing").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.code(), "not_found");
    let wrong = api.call(Method::DELETE, LIST, None).await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong.code(), "method_not_allowed");
    assert_eq!(wrong.header("allow"), "GET");
    let get_send = api.get(SEND).await;
    assert_eq!(get_send.code(), "method_not_allowed");
}

// --------------------------------------------------- control and faults

#[tokio::test]
async fn a_fault_hits_the_next_matching_requests_only() {
    let api = demo().await;
    let reply = api
        .control_call(
            Method::POST,
            "/_mock/faults",
            Some(json!({"times": 2, "method": "GET", "route": LIST,
                        "kind": "error", "status": 503, "code": "unavailable",
                        "message": "try later"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    // Another route is not affected.
    assert_eq!(api.permissions("ops@acme.test").await["status"], "active");
    for _ in 0..2 {
        let reply = api.get(LIST).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            reply.json(),
            json!({"message": "try later", "code": "unavailable"})
        );
        assert!(!reply.header("sib-request-id").is_empty());
    }
    assert_eq!(api.get(LIST).await.status, StatusCode::OK);
}

#[tokio::test]
async fn route_patterns_match_templates_and_concrete_paths() {
    let api = demo().await;
    let control = api.control();
    control.add_fault(Fault::error(500, "boom", "x").on("GET", "*/permissions"));
    control.add_fault(Fault::error(502, "boom", "y").on(
        "PUT",
        "/v3/organization/user/invitation/resend/new.hire@acme.test",
    ));
    let reply = api
        .get("/organization/user/ops@acme.test/permissions")
        .await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    let reply = api
        .put("/organization/user/invitation/resend/finance@acme.test")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = api
        .put("/organization/user/invitation/resend/new.hire@acme.test")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
    assert!(control.faults().is_empty());
}

#[tokio::test]
async fn faults_can_be_listed_and_cleared_over_http() {
    let api = demo().await;
    let faults = json!([{"kind": "html"}, {"kind": "stall", "times": 3}]);
    api.control_call(Method::POST, "/_mock/faults", Some(faults))
        .await;
    let listed = api
        .control_call(Method::GET, "/_mock/faults", None)
        .await
        .json();
    assert_eq!(listed["faults"].as_array().expect("faults").len(), 2);
    let cleared = api
        .control_call(Method::DELETE, "/_mock/faults", None)
        .await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert!(api.control().faults().is_empty());
    assert_eq!(api.get(LIST).await.status, StatusCode::OK);
    let bad = api
        .control_call(
            Method::POST,
            "/_mock/faults",
            Some(json!({"kind": "meteor"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn malformed_and_html_faults_send_unparseable_bodies() {
    let api = demo().await;
    api.control()
        .add_fault(Fault::new(FaultKind::MalformedJson { status: 500 }));
    api.control()
        .add_fault(Fault::new(FaultKind::Html { status: 403 }));
    let malformed = api.get(LIST).await;
    assert_eq!(malformed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        malformed
            .header("content-type")
            .starts_with("application/json")
    );
    assert!(serde_json::from_str::<Value>(&malformed.text).is_err());
    let html = api.get(LIST).await;
    assert_eq!(html.status, StatusCode::FORBIDDEN);
    assert!(html.text.to_ascii_lowercase().starts_with("<!doctype html"));
}

#[tokio::test]
async fn a_stall_outlasts_the_client_timeout() {
    let api = demo().await;
    api.control().add_fault(Fault::new(FaultKind::Stall));
    let outcome = api
        .http
        .get(api.url(LIST))
        .header("api-key", KEY)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(outcome.expect_err("no answer").is_timeout());
    assert_eq!(api.get(LIST).await.status, StatusCode::OK);
}

#[tokio::test]
async fn apply_then_fail_changes_the_state_but_loses_the_answer() {
    let api = demo().await;
    let control = api.control();
    control.add_fault(Fault::new(FaultKind::ApplyThenFail { status: 500 }).on("POST", SEND));
    let reply = api.post(SEND, invite("lost.answer@acme.test")).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(control.user("lost.answer@acme.test").is_some());
    // The client's retry now meets the invitation it did send.
    assert_eq!(
        api.post(SEND, invite("lost.answer@acme.test")).await.code(),
        "duplicate_parameter"
    );

    control.add_fault(Fault::new(FaultKind::ApplyThenStall).on("PUT", "*/revoke/*"));
    let outcome = api
        .http
        .put(api.url("/organization/user/invitation/revoke/ops@acme.test"))
        .header("api-key", KEY)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(outcome.expect_err("no answer").is_timeout());
    assert!(control.user("ops@acme.test").is_none());
}

#[tokio::test]
async fn a_latency_fault_delays_one_answer() {
    let api = demo().await;
    api.control()
        .add_fault(Fault::new(FaultKind::Latency { ms: 150 }));
    let started = Instant::now();
    assert_eq!(api.get(LIST).await.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));
    api.control().set_latency(Duration::from_millis(100));
    let started = Instant::now();
    api.get(LIST).await;
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn the_request_log_counts_v3_requests_and_keeps_bodies() {
    let api = demo().await;
    api.get(LIST).await;
    api.get(LIST).await;
    api.get("/organization/user/ops%40acme.test/permissions")
        .await;
    api.post(SEND, invite("logged@acme.test")).await;
    api.control_call(Method::GET, "/_mock/state", None).await;

    let log = api.control().request_log();
    assert_eq!(log.count("GET", LIST), 2);
    assert_eq!(
        log.count("get", "/organization/user/{email}/permissions"),
        1
    );
    assert_eq!(log.count("POST", SEND), 1);
    assert_eq!(log.total(), 4, "control routes are not counted");
    let body: Value = serde_json::from_str(log.last_body("POST", SEND).expect("a body"))
        .expect("the body as sent");
    assert_eq!(body["email"], "logged@acme.test");

    let over_http = api
        .control_call(Method::GET, "/_mock/requests", None)
        .await
        .json();
    assert_eq!(over_http["counts"]["GET /organization/invited/users"], 2);
    api.control_call(Method::DELETE, "/_mock/requests", None)
        .await;
    assert_eq!(api.control().request_log().total(), 0);
}

#[tokio::test]
async fn accepting_an_invitation_makes_it_active() {
    let api = demo().await;
    let reply = api
        .control_call(Method::POST, "/_mock/accept/new.hire%40acme.test", None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let user = api.control().user("new.hire@acme.test").expect("there");
    assert!(user.is_active());
    assert_eq!(user.id.as_deref().map(str::len), Some(24));
    let again = api
        .control_call(Method::POST, "/_mock/accept/new.hire@acme.test", None)
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(api.control().accept("finance@acme.test"));
    // An active user can now be revoked rather than cancelled.
    let revoke = api
        .put("/organization/user/invitation/revoke/new.hire@acme.test")
        .await;
    assert_eq!(revoke.status, StatusCode::OK);
}

#[tokio::test]
async fn the_state_can_be_read_and_replaced_over_http() {
    let api = demo().await;
    let state = api
        .control_call(Method::GET, "/_mock/state", None)
        .await
        .json();
    assert_eq!(
        state["users"].as_array().expect("users").len(),
        api.control().users().len()
    );
    let replacement = json!({"users": [
        {"email": "boss@tiny.test", "status": "active", "owner": true, "all_features_access": true}
    ]});
    let reply = api
        .control_call(Method::PUT, "/_mock/state", Some(replacement))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let users = api.get(LIST).await.json();
    assert_eq!(users["users"].as_array().expect("users").len(), 1);
}

#[tokio::test]
async fn hostile_seeded_data_is_served_without_failing() {
    let api = start(MockOptions {
        seed: Seed::default(),
        ..MockOptions::default()
    })
    .await;
    let mut weird = MockUser::active("evil\u{1b}]0;pwned\u{7}@x.test\u{202e}");
    weird.status = "suspended".into();
    weird
        .privileges
        .insert("meetings".into(), vec!["teleport".into()]);
    weird
        .privileges
        .insert("contacts".into(), vec!["view".into(), "".into()]);
    let control = api.control();
    control.set_users(vec![
        MockUser::owner("owner@x.test"),
        weird.clone(),
        MockUser::pending("😀@emoji.example").with_privilege("phone", &["all"]),
    ]);
    let list = api.get(LIST).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()["users"][1]["email"], weird.email);
    assert_eq!(list.json()["users"][1]["status"], "suspended");
    let encoded: String = weird.email.bytes().map(|b| format!("%{b:02X}")).collect();
    let answer = api.permissions(&encoded).await;
    assert_eq!(permissions_for(&answer, "meetings"), ["teleport"]);
    let bad_utf8 = api.get("/organization/user/%FF%FE/permissions").await;
    assert_eq!(bad_utf8.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_utf8.code(), "invalid_parameter");
}

#[tokio::test]
async fn shutdown_ends_stalled_requests_and_stops_serving() {
    let api = demo().await;
    api.control().add_fault(Fault::new(FaultKind::Stall));
    let url = api.url(LIST);
    let stalled = tokio::spawn({
        let http = api.http.clone();
        let url = url.clone();
        async move { http.get(url).header("api-key", KEY).send().await }
    });
    // Wait (with a deadline) until the stalled request has arrived.
    let deadline = Instant::now() + Duration::from_secs(10);
    while api.control().request_log().total() == 0 {
        assert!(Instant::now() < deadline, "the request never arrived");
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let Api { server, http } = api;
    tokio::time::timeout(Duration::from_secs(10), server.shutdown())
        .await
        .expect("shutdown does not hang on a stall");
    let _ = stalled.await;
    assert!(http.get(url).header("api-key", KEY).send().await.is_err());
}

// ----------------------------------------------------------- the binary

#[tokio::test]
async fn the_mock_server_binary_prints_its_url_and_serves() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let home = tempfile::tempdir().expect("a temp HOME");
    let mut child = binary(&["--api-key", KEY, "--keys"], home.path())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    tokio::time::timeout(
        Duration::from_secs(30),
        BufReader::new(stdout).read_line(&mut line),
    )
    .await
    .expect("a first line in time")
    .expect("readable stdout");
    let base = line.trim();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/v3"),
        "{base}"
    );

    let reply = http()
        .get(format!("{base}{LIST}"))
        .header("api-key", KEY)
        .send()
        .await
        .expect("an answer");
    assert_eq!(reply.status(), StatusCode::OK);
    let body: Value = reply.json().await.expect("JSON");
    assert!(body["users"].as_array().expect("users").len() > 20);
    let wrong = http()
        .get(format!("{base}{LIST}"))
        .header("api-key", "nope")
        .send()
        .await
        .expect("an answer");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    if !cfg!(unix) {
        child.kill().await.expect("the mock stops");
        return;
    }
    // SIGTERM stops it cleanly.
    let pid = child.id().expect("a running child").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("the mock exits in time")
        .expect("an exit status");
    assert!(status.success(), "{status:?}");
}

fn binary(args: &[&str], home: &std::path::Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_brevo-users"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .arg("mock-server")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    command
}

#[tokio::test]
async fn the_binary_serves_a_seed_file_with_its_options() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let home = tempfile::tempdir().expect("a temp HOME");
    let seed = home.path().join("org.json");
    std::fs::write(
        &seed,
        r#"{"users":[{"email":"boss@tiny.test","status":"active","owner":true},
                     {"email":"ann@tiny.test","status":"active",
                      "privileges":{"phone":["all"]}}]}"#,
    )
    .expect("a seed file");
    let seed = seed.to_str().expect("a UTF-8 path");
    let mut child = binary(
        &["--seed", seed, "--keys", "--rate-limit", "1"],
        home.path(),
    )
    .spawn()
    .expect("the binary starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    tokio::time::timeout(
        Duration::from_secs(30),
        BufReader::new(stdout).read_line(&mut line),
    )
    .await
    .expect("a first line in time")
    .expect("readable stdout");
    let base = line.trim().to_owned();
    let get = |path: &str| {
        http()
            .get(format!("{base}{path}"))
            .header("api-key", "any")
            .send()
    };
    let reply = get("/organization/user/ann@tiny.test/permissions")
        .await
        .expect("an answer");
    assert_eq!(reply.status(), StatusCode::OK);
    let body: Value = reply.json().await.expect("JSON");
    assert_eq!(permissions_for(&body, "phone"), ["all"]);
    let limited = get(LIST).await.expect("an answer");
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    child.kill().await.expect("the mock stops");
}

#[tokio::test]
async fn the_binary_refuses_an_unreadable_seed() {
    let home = tempfile::tempdir().expect("a temp HOME");
    let missing = home.path().join("missing.json");
    let output = binary(&["--seed", missing.to_str().expect("UTF-8")], home.path())
        .output()
        .await
        .expect("the binary runs");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("seed"));
}

#[path = "mock/account.rs"]
mod account;
#[path = "mock/binary.rs"]
mod binary_cli;
#[path = "mock/connections.rs"]
mod connections;
#[path = "mock/limits.rs"]
mod limits;
