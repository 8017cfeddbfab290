//! The client against servers on 127.0.0.1: scripted ones here (what Brevo
//! really sends, and every way an exchange can go wrong), our
//! Brevo-compatible mock in `client/against_mock.rs`, and the fault matrix
//! in `client/fault_matrix.rs`. One test binary: each links the whole crate.

#[path = "client/against_mock.rs"]
mod against_mock;
#[path = "client/fault_matrix.rs"]
mod fault_matrix;
#[path = "client/recovery.rs"]
mod recovery;
#[path = "client/truth.rs"]
mod truth;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use brevo_users::brevo::{
    AccessRequest, ApiError, Change, Client, Grants, Reconciliation, UserStatus,
};
use secrecy::SecretString;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "xkeysib-test-0000";

fn client_for(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .api_key(SecretString::from(KEY))
        .connect_timeout(Duration::from_millis(500))
        .request_timeout(Duration::from_millis(500))
        .backoff_base(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
        .max_rate_limit_wait(Duration::from_secs(2))
        .build()
        .expect("client")
}

async fn wiremock() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = client_for(&format!("{}/v3", server.uri()));
    (server, client)
}

fn requests_to(received: &[wiremock::Request], route: &str) -> usize {
    received.iter().filter(|r| r.url.path() == route).count()
}

const LIST_EXAMPLE: &str = r#"{"users":[
  {"id":"65f0a1b2c3d4e5f601234567","email":"founder@acme.test","is_owner":true,"status":"active","locale":"en_US",
   "feature_access":{"marketing":"owner","conversations":"owner","crm":"owner","transactional":"owner","phone":"owner"}},
  {"id":"65f0a1b2c3d4e5f601234568","email":"ops@acme.test","is_owner":"false","status":"active","locale":"fr_FR",
   "feature_access":{"marketing":"custom","conversations":"none","crm":"full","transactional":"full","phone":"none","meetings":"none","sequences":"none"}},
  {"email":"new.hire@acme.test","is_owner":false,"status":"pending","feature_access":{"marketing":"custom","conversations":"none","crm":"none"}}
]}"#;

#[tokio::test]
async fn lists_users_as_brevo_really_sends_them() {
    let (server, client) = wiremock().await;
    Mock::given(method("GET"))
        .and(path("/v3/organization/invited/users"))
        .and(header("api-key", KEY))
        .and(header("accept", "application/json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(LIST_EXAMPLE, "application/json")
                .insert_header("x-sib-ratelimit-limit", "100")
                .insert_header("x-sib-ratelimit-remaining", "87")
                .insert_header("x-sib-ratelimit-reset", "1200"),
        )
        .mount(&server)
        .await;

    let users = client.list_users().await.expect("list");
    assert_eq!(users.len(), 3);
    assert!(users[0].is_owner && !users[1].is_owner && !users[2].is_owner);
    assert_eq!(users[1].feature_access.get("sequences"), Some("none"));
    assert_eq!(users[2].status, UserStatus::Pending);
    assert_eq!(users[2].id, None);
    let limit = client.rate_limit().expect("rate limit recorded");
    assert_eq!((limit.limit, limit.remaining), (Some(100), Some(87)));
}

#[tokio::test]
async fn reads_permissions_in_label_form_and_in_key_form() {
    let (server, client) = wiremock().await;
    let labels = json!({"email":"ops@acme.test","status":"active","privileges":[
        {"feature":"Email campaign","permissions":["Create / edit / delete"]},
        {"feature":"Contacts","permissions":["View","Contact forms"]},
        {"feature":"SMTP & API","permissions":["API Keys"]},
        {"feature":"User management","permissions":["None"]}]});
    let keys = json!({"email":"b@acme.test","status":"pending","privileges":[
        {"feature":"email_campaigns","permissions":["create_edit_delete"]},
        {"feature":"contacts","permissions":["view","forms"]},
        {"feature":"smtp_api","permissions":["api_keys"]},
        {"feature":"meetings","permissions":["book"]}]});
    Mock::given(path("/v3/organization/user/ops%40acme.test/permissions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(labels))
        .mount(&server)
        .await;
    Mock::given(path("/v3/organization/user/b%40acme.test/permissions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(keys))
        .mount(&server)
        .await;

    let from_labels = client
        .user_permissions("ops@acme.test")
        .await
        .expect("labels");
    let from_keys = client.user_permissions("b@acme.test").await.expect("keys");
    let expected = Grants::from_pairs([
        ("email_campaigns", vec!["create_edit_delete"]),
        ("contacts", vec!["view", "forms"]),
        ("smtp_api", vec!["api_keys"]),
    ]);
    assert_eq!(from_labels.grants, expected);
    assert!(
        from_keys.grants.contains("meetings", "book"),
        "unknown values are kept"
    );
    assert_eq!(from_keys.unrecognised.len(), 2);
}

#[tokio::test]
async fn a_plus_address_keeps_its_plus_in_the_path() {
    let (server, client) = wiremock().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status":"OK"})))
        .mount(&server)
        .await;
    client
        .resend_invitation("a+b@x.test")
        .await
        .expect("resend");
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].url.path(),
        "/v3/organization/user/invitation/resend/a%2Bb%40x.test"
    );
    assert!(received[0].body.is_empty(), "bodyless PUT");
}

#[tokio::test]
async fn sends_the_documented_invite_body_and_reports_billing() {
    let (server, client) = wiremock().await;
    Mock::given(method("POST"))
        .and(path("/v3/organization/user/invitation/send"))
        .and(header("content-type", "application/json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status":"OK","invoice_id":"INV-2026-0815"})),
        )
        .mount(&server)
        .await;
    let grants = Grants::from_pairs([("contacts", vec!["view", "import"])]);
    let outcome = client
        .invite(&AccessRequest::invite("new.hire@acme.test", false, grants))
        .await
        .expect("invite");
    assert_eq!(outcome.invoice_ids, vec!["INV-2026-0815"]);
    let received = server.received_requests().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(
        body,
        json!({"email":"new.hire@acme.test","all_features_access":false,
               "privileges":[{"feature":"contacts","permissions":["view","import"]}]})
    );
}

#[tokio::test]
async fn an_invalid_request_is_refused_before_sending() {
    let (server, client) = wiremock().await;
    let grants = Grants::from_pairs([("contacts", vec!["send_schedule_suspend"])]);
    let error = client
        .invite(&AccessRequest::invite("x@y.test", false, grants))
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::Invalid(_)), "{error:?}");
    let error = client
        .invite(&AccessRequest::invite("not-an-email", true, Grants::new()))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("no @"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn documented_errors_become_sentences_with_the_request_id() {
    let (server, client) = wiremock().await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message":"Key not found","code":"unauthorized"}))
                .insert_header("sib-request-id", "2dc45d44-da76-909c-8a3a-c4fa031d5e3a"),
        )
        .mount(&server)
        .await;
    Mock::given(path(
        "/v3/organization/user/invitation/revoke/founder%40acme.test",
    ))
    .respond_with(
        ResponseTemplate::new(403)
            .set_body_json(json!({"code":"permission_denied","message":"Owner cannot be revoked"})),
    )
    .mount(&server)
    .await;
    Mock::given(path("/v3/organization/user/invitation/send"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(
                json!({"code":"duplicate_parameter","message":"User already invited"}),
            ),
        )
        .mount(&server)
        .await;

    let error = client.list_users().await.unwrap_err();
    assert!(matches!(error, ApiError::Unauthorized { .. }));
    assert_eq!(
        error.request_id(),
        Some("2dc45d44-da76-909c-8a3a-c4fa031d5e3a")
    );
    assert!(error.to_string().contains("refused the API key"), "{error}");

    let error = client.revoke("founder@acme.test").await.unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(403), Some("permission_denied"))
    );

    let error = client
        .invite(&AccessRequest::invite("ops@acme.test", true, Grants::new()))
        .await
        .unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(400), Some("duplicate_parameter"))
    );
    assert!(error.to_string().contains("User already invited"));
}

#[tokio::test]
async fn a_redirect_is_an_error_and_the_target_never_sees_the_key() {
    let (server, client) = wiremock().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/steal", elsewhere.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let error = client.list_users().await.unwrap_err();
    assert!(
        matches!(error, ApiError::Redirect { status: 302, .. }),
        "{error:?}"
    );
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_short_rate_limit_is_waited_out_and_a_long_one_returned_with_its_reset() {
    let (server, client) = wiremock().await;
    let too_many = |reset: &str| {
        ResponseTemplate::new(429)
            .set_body_json(json!({"code":"too_many_requests","message":"Too many requests"}))
            .insert_header("x-sib-ratelimit-limit", "100")
            .insert_header("x-sib-ratelimit-remaining", "0")
            .insert_header("x-sib-ratelimit-reset", reset)
    };
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(too_many("1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users":[]})))
        .mount(&server)
        .await;
    Mock::given(path("/v3/organization/user/invitation/resend/a%40b.test"))
        .respond_with(too_many("3600"))
        .mount(&server)
        .await;

    assert!(
        client
            .list_users()
            .await
            .expect("waited and retried")
            .is_empty()
    );
    let error = client.resend_invitation("a@b.test").await.unwrap_err();
    let ApiError::RateLimited { reset_after, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*reset_after, Some(Duration::from_secs(3600)));
    assert!(error.to_string().contains("resets in 1 h"), "{error}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(requests_to(&received, "/v3/organization/invited/users"), 2);
    assert_eq!(
        requests_to(
            &received,
            "/v3/organization/user/invitation/resend/a%40b.test"
        ),
        1
    );
}

#[tokio::test]
async fn a_read_is_retried_after_a_server_error() {
    let (server, client) = wiremock().await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html><body>oops</body></html>"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(LIST_EXAMPLE, "application/json"))
        .mount(&server)
        .await;
    assert_eq!(client.list_users().await.expect("second attempt").len(), 3);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_invite_that_gets_a_500_is_sent_once_and_reconcile_tells_whether_it_took_effect() {
    let (server, client) = wiremock().await;
    Mock::given(path("/v3/organization/user/invitation/send"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"message":"Internal error"})))
        .mount(&server)
        .await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(LIST_EXAMPLE, "application/json"))
        .mount(&server)
        .await;

    let taken = Change::Invite(AccessRequest::invite(
        "NEW.hire@acme.test",
        true,
        Grants::new(),
    ));
    let error = taken.apply(&client).await.unwrap_err();
    assert!(error.is_unclear(), "{error:?}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        requests_to(&received, "/v3/organization/user/invitation/send"),
        1,
        "never resent on its own"
    );
    assert_eq!(
        taken.reconcile(&client, &error).await.unwrap(),
        Reconciliation::AlreadyDone
    );

    let not_taken = Change::Invite(AccessRequest::invite(
        "someone.else@acme.test",
        true,
        Grants::new(),
    ));
    assert_eq!(
        not_taken.reconcile(&client, &error).await.unwrap(),
        Reconciliation::NotDone
    );
    assert_eq!(
        Change::ResendInvitation("x@y.test".into())
            .reconcile(&client, &error)
            .await
            .unwrap(),
        Reconciliation::CannotTell
    );
}

#[tokio::test]
async fn a_stalled_answer_hits_the_timeout() {
    let (server, _) = wiremock().await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"users":[]}))
                .set_delay(Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/v3", server.uri()))
        .api_key(SecretString::from(KEY))
        .request_timeout(Duration::from_millis(100))
        .max_attempts(1)
        .build()
        .unwrap();
    let error = client.list_users().await.unwrap_err();
    assert!(matches!(error, ApiError::Timeout { .. }), "{error:?}");
    assert!(
        error.to_string().contains("did not answer within 100 ms"),
        "{error}"
    );
}

/// A raw listener for faults wiremock cannot make; each connection is
/// handed to `serve`, and connections are counted.
async fn raw_server<F, Fut>(serve: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v3", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let serve = Arc::new(serve);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let serve = serve.clone();
            tokio::spawn(async move { serve(stream).await });
        }
    });
    (base, connections)
}

async fn read_request_head(stream: &mut tokio::net::TcpStream) {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buffer[..n]),
        }
    }
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_even_without_content_length() {
    let (base, _) = raw_server(|mut stream| async move {
        read_request_head(&mut stream).await;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n").await;
        let chunk = format!("{:x}\r\n{}\r\n", 1024, "x".repeat(1024));
        for _ in 0..64 {
            if stream.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    })
    .await;
    let client = Client::builder()
        .base_url(base)
        .api_key(SecretString::from(KEY))
        .max_body_bytes(16 * 1024)
        .max_attempts(1)
        .build()
        .unwrap();
    let error = client.list_users().await.unwrap_err();
    assert!(
        matches!(error, ApiError::TooLarge { limit: 16384, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_connection_reset_after_sending_a_change_is_unclear_and_not_retried() {
    let (base, connections) = raw_server(|mut stream| async move {
        read_request_head(&mut stream).await;
        drop(stream);
    })
    .await;
    let client = client_for(&base);
    let error = client.revoke("ops@acme.test").await.unwrap_err();
    assert!(error.is_unclear(), "{error:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn connection_refused_is_told_apart_from_an_unclear_failure() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client_for(&format!("http://127.0.0.1:{port}/v3"));
    let error = client.revoke("ops@acme.test").await.unwrap_err();
    assert!(matches!(error, ApiError::Connect { .. }), "{error:?}");
    assert!(
        !error.is_unclear(),
        "a change that never left is not in doubt"
    );
    assert!(
        error
            .to_string()
            .starts_with("could not connect to 127.0.0.1"),
        "{error}"
    );
}

#[tokio::test]
async fn malformed_json_is_an_undecodable_answer_quoted_in_the_error() {
    let (server, client) = wiremock().await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("{\"users\": [ {\"email\": \u{1b}[31m", "application/json"),
        )
        .mount(&server)
        .await;
    let error = client.list_users().await.unwrap_err();
    assert!(matches!(error, ApiError::Decode { .. }), "{error:?}");
    assert!(
        !error.to_string().contains('\u{1b}'),
        "server text is sanitised"
    );
}

#[tokio::test]
async fn the_account_takes_seat_counts_as_numbers_and_missing_verticals() {
    let (server, client) = wiremock().await;
    Mock::given(method("GET"))
        .and(path("/v3/account"))
        .and(header("api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "email": "o@acme.test", "organization_id": "x", "enterprise": false,
            "planVerticals": [{"planCategory": "CRM", "users": {"purchasedSeats": 2, "usedSeats": 1}}]
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let account = client.account().await.expect("the account");
    let crm = account
        .seats(&brevo_users::brevo::Vertical::Crm)
        .expect("CRM");
    assert_eq!((crm.used, crm.purchased), (Some(1), Some(2)));
    assert!(
        account
            .seats(&brevo_users::brevo::Vertical::Marketing)
            .is_none()
    );
    Mock::given(method("GET"))
        .and(path("/v3/account"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"code": "permission_denied", "message": "restricted key"})),
        )
        .mount(&server)
        .await;
    let refused = client.account().await.expect_err("a restricted key");
    assert_eq!(refused.status(), Some(403));
}
