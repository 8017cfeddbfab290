//! What the mock keeps and refuses so that a script (or a stranger) cannot
//! make it grow without bound: the body cap, the request log's bounds, the
//! counts of known routes only, no body from an unauthenticated request,
//! and no fault that could never fire.

use super::*;

const MIB: usize = 1 << 20;

/// An invitation padded with trailing spaces to exactly `size` bytes: valid
/// JSON whatever its size.
fn padded_invite(email: &str, size: usize) -> String {
    let mut body = invite(email).to_string();
    assert!(body.len() <= size);
    body.extend(std::iter::repeat_n(' ', size - body.len()));
    body
}

impl Api {
    async fn post_raw(&self, path: &str, body: String, key: Option<&str>) -> Reply {
        let mut request = self
            .http
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body);
        if let Some(key) = key {
            request = request.header("api-key", key);
        }
        self.send(request).await
    }
}

#[tokio::test]
async fn a_body_over_one_mib_is_refused_with_413_and_not_stored() {
    let api = demo().await;
    let over = api
        .post_raw(SEND, padded_invite("big@acme.test", MIB + 1), Some(KEY))
        .await;
    assert_eq!(over.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", over.text);
    assert_eq!(over.code(), "payload_too_large");
    assert!(over.json()["message"].as_str().unwrap().contains("1 MiB"));
    assert!(api.control().user("big@acme.test").is_none());
    let log = api.control().request_log();
    let logged = log.recent.last().expect("the refused request is logged");
    assert_eq!(logged.route, SEND);
    assert_eq!(logged.body, None, "a refused body is not kept");

    // Just under the cap is an ordinary invitation.
    let under = api
        .post_raw(SEND, padded_invite("fits@acme.test", MIB), Some(KEY))
        .await;
    assert_eq!(under.status, StatusCode::OK, "{}", under.text);
    assert!(api.control().user("fits@acme.test").is_some());
}

#[tokio::test]
async fn a_chunked_body_over_the_cap_is_refused_too() {
    let api = demo().await;
    // No Content-Length: the cap is found while reading.
    let chunks = (0..3).map(|_| Ok::<_, std::io::Error>(vec![b' '; MIB / 2]));
    let request = api
        .http
        .post(api.url(SEND))
        .header("api-key", KEY)
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)));
    let reply = api.send(request).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text
    );
    assert_eq!(api.control().request_log().recent[0].body, None);
}

#[tokio::test]
async fn the_request_log_keeps_the_last_thousand_requests() {
    let api = demo().await;
    for n in 0..1_005 {
        let path = format!("/organization/user/n{n}@acme.test/permissions");
        api.get(&path).await;
    }
    let log = api.control().request_log();
    assert_eq!(log.recent.len(), 1_000);
    assert_eq!(
        log.recent[0].path,
        "/organization/user/n5@acme.test/permissions"
    );
    assert_eq!(
        log.recent[999].path,
        "/organization/user/n1004@acme.test/permissions"
    );
    assert_eq!(
        log.count("GET", "/organization/user/{email}/permissions"),
        1_005
    );
}

#[tokio::test]
async fn the_request_log_keeps_at_most_eight_mib_of_bodies() {
    let api = demo().await;
    for n in 0..12 {
        let reply = api
            .post_raw(
                SEND,
                padded_invite(&format!("p{n}@acme.test"), 900_000),
                Some(KEY),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    let log = api.control().request_log();
    let kept: usize = log
        .recent
        .iter()
        .map(|r| r.body.as_deref().map_or(0, str::len) + r.path.len())
        .sum();
    assert!(kept <= 8 * MIB, "{kept} bytes kept");
    assert!(
        log.recent.len() < 12 && log.recent.len() >= 8,
        "{}",
        log.recent.len()
    );
    let newest = log.last_body("POST", SEND).expect("the newest body");
    assert!(newest.contains("p11@acme.test"));
    assert_eq!(
        log.count("POST", SEND),
        12,
        "the counts still count them all"
    );
}

#[tokio::test]
async fn made_up_methods_and_paths_stay_out_of_the_counts() {
    let api = demo().await;
    for n in 0..40 {
        let method = Method::from_bytes(format!("BREW{n}").as_bytes()).expect("a method");
        api.call(method, LIST, None).await;
        api.get(&format!("/made/up/{n}")).await;
    }
    api.call(Method::DELETE, LIST, None).await;
    api.get(LIST).await;
    let log = api.control().request_log();
    assert_eq!(
        log.counts.keys().collect::<Vec<_>>(),
        ["GET /organization/invited/users"],
        "only endpoints are counted"
    );
    assert_eq!(log.unmatched, 81);
    assert_eq!(log.total(), 82);
    let over_http = api
        .control_call(Method::GET, "/_mock/requests", None)
        .await
        .json();
    assert_eq!(over_http["unmatched"], 81);
    assert_eq!(over_http["counts"].as_object().expect("counts").len(), 1);
}

#[tokio::test]
async fn unauthenticated_requests_do_not_store_their_bodies() {
    let api = start(MockOptions {
        api_key: Some(KEY.into()),
        ..MockOptions::default()
    })
    .await;
    let secret = invite("stranger@acme.test").to_string();
    for key in [None, Some("wrong-key")] {
        let reply = api.post_raw(SEND, secret.clone(), key).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        let log = api.control().request_log();
        let logged = log.recent.last().expect("the attempt is logged");
        assert_eq!(logged.route, SEND);
        assert_eq!(logged.body, None, "{key:?}: the body is not kept");
    }
    // Nor is an oversized one read: the 401 comes first.
    let big = api
        .post_raw(SEND, padded_invite("x@acme.test", 2 * MIB), None)
        .await;
    assert_eq!(big.status, StatusCode::UNAUTHORIZED);
    let ok = api.post_raw(SEND, secret, Some(KEY)).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(
        api.control()
            .request_log()
            .last_body("POST", SEND)
            .is_some()
    );
}

#[tokio::test]
async fn a_fault_on_a_route_no_endpoint_serves_is_refused_with_the_routes() {
    let api = demo().await;
    let add = |fault: Value| api.control_call(Method::POST, "/_mock/faults", Some(fault));
    let typo = add(json!({"route": "/organization/invited/user", "kind": "error"})).await;
    assert_eq!(typo.status, StatusCode::BAD_REQUEST, "{}", typo.text);
    assert_eq!(typo.code(), "invalid_parameter");
    let message = typo.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("/organization/invited/user "), "{message}");
    for endpoint in [
        "GET /organization/invited/users",
        "GET /organization/user/{email}/permissions",
        "POST /organization/user/invitation/send",
        "POST /organization/user/update/permissions",
        "PUT /organization/user/invitation/{action}/{email}",
        "PUT /organization/user/invitation/revoke/{email}",
    ] {
        assert!(message.contains(endpoint), "{endpoint} missing: {message}");
    }
    // A method the route never takes can never fire either.
    let wrong_method = add(json!({"method": "GET", "route": SEND, "kind": "html"})).await;
    assert_eq!(wrong_method.status, StatusCode::BAD_REQUEST);
    // A batch with one bad fault adds none of them.
    let batch = add(json!([{"kind": "html"}, {"route": "/nope", "kind": "stall"}])).await;
    assert_eq!(batch.status, StatusCode::BAD_REQUEST);
    assert!(batch.json()["message"].as_str().unwrap().contains("/nope"));
    assert!(api.control().faults().is_empty());

    // Patterns, concrete paths and /v3 prefixes that reach an endpoint pass.
    for good in [
        json!({"kind": "html"}),
        json!({"route": "*users", "kind": "html"}),
        json!({"route": "/organization/*", "method": "put", "kind": "html"}),
        json!({"route": "/v3/organization/user/ops@acme.test/permissions", "kind": "html"}),
        json!({"route": "/organization/user/*@acme.test/permissions", "kind": "html"}),
        json!({"route": "/organization/user/invitation/resend/*", "method": "PUT", "kind": "html"}),
    ] {
        let reply = add(good.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{good}: {}", reply.text);
    }
    assert_eq!(api.control().faults().len(), 6);
}
