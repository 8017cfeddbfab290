//! What the client says after a failure is true and readable: a gateway's
//! page is named rather than pasted, a sentence stays one sentence, a lost
//! answer is not called "did not take effect" while Brevo may still be
//! working, and a change under a rate limit never goes out a third time.

use std::time::{Duration, Instant};

use brevo_users::brevo::{
    AccessRequest, ApiError, Change, Client, Grants, LostAnswer, Reconciliation,
};
use secrecy::SecretString;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{KEY, raw_server, read_request_head, requests_to};

const LIST: &str = "/v3/organization/invited/users";
const INVITE: &str = "/v3/organization/user/invitation/send";
const UPDATE: &str = "/v3/organization/user/update/permissions";

/// Millisecond timings, reconcile's pause included.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v3", server.uri()))
        .api_key(SecretString::from(KEY))
        .request_timeout(Duration::from_millis(150))
        .backoff_base(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(10))
        .max_rate_limit_wait(Duration::from_secs(2))
        .reconcile_wait(Duration::from_millis(20))
        .build()
        .expect("client")
}

fn invite(email: &str) -> Change {
    Change::Invite(AccessRequest::invite(email, true, Grants::new()))
}

fn users(emails: &[&str]) -> ResponseTemplate {
    let users: Vec<_> = emails
        .iter()
        .map(|email| json!({"email": email, "is_owner": false, "status": "pending", "feature_access": {}}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({ "users": users }))
}

/// An invitation whose answer never comes in time.
async fn stalled_invite(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(INVITE))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"status": "OK"}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_gateway_page_is_named_not_pasted() {
    let server = MockServer::start().await;
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en-US\"><head><title>api.brevo.com | 502: Bad gateway</title></head>\
         <body>{}<span>Performance &amp; security by cloudflare</span></body></html>",
        "<div class=\"cf-error\">Bad gateway</div>".repeat(50)
    );
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html; charset=UTF-8"))
        .mount(&server)
        .await;
    let error = client(&server).list_users().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the server answered 502 with an HTML page (a proxy or gateway error, not Brevo's JSON)"
    );
}

#[tokio::test]
async fn a_truncated_answer_is_unreadable_with_a_short_clean_excerpt() {
    let server = MockServer::start().await;
    let mut cut = String::from("{\"users\":[");
    for i in 0..40 {
        cut.push_str(&format!(
            "{{\"email\":\"user{i}@acme.test\",\"status\":\"active\"}},"
        ));
    }
    cut.push_str("{\"email\":\"\u{1b}[31mhalf");
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_raw(cut, "application/json"))
        .mount(&server)
        .await;
    let error = client(&server).list_users().await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("Brevo sent an unreadable answer that begins “{\"users\":["),
        "{text}"
    );
    let excerpt = text.split('“').nth(1).unwrap_or_default();
    assert!(
        excerpt.chars().count() <= 81,
        "{} chars: {text}",
        excerpt.chars().count()
    );
    assert!(!text.contains('\u{1b}'), "sanitised: {text}");
}

#[tokio::test]
async fn a_refusal_is_one_sentence_and_its_request_id_is_given_apart() {
    let server = MockServer::start().await;
    Mock::given(path(INVITE))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(
                    json!({"code": "duplicate_parameter", "message": "User already invited"}),
                )
                .insert_header("sib-request-id", "2dc45d44-da76-909c-8a3a-c4fa031d5e3a"),
        )
        .mount(&server)
        .await;
    let error = invite("ops@acme.test")
        .apply(&client(&server))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Brevo rejected the request with 400 duplicate_parameter: User already invited"
    );
    assert_eq!(
        error.request_id_line().as_deref(),
        Some("request id: 2dc45d44-da76-909c-8a3a-c4fa031d5e3a")
    );
}

#[tokio::test]
async fn after_a_timeout_a_late_invitation_is_found_by_looking_again() {
    let server = MockServer::start().await;
    stalled_invite(&server).await;
    // Brevo is still working at the first look and done at the second.
    Mock::given(path(LIST))
        .respond_with(users(&[]))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(users(&["late@acme.test"]))
        .mount(&server)
        .await;
    let client = client(&server);
    let change = invite("late@acme.test");
    let error = change.apply(&client).await.unwrap_err();
    assert!(matches!(error, ApiError::Timeout { .. }), "{error:?}");
    assert_eq!(
        change.reconcile(&client, &error).await.unwrap(),
        Reconciliation::AlreadyDone
    );
    let received = server.received_requests().await.unwrap();
    assert_eq!(requests_to(&received, LIST), 2, "looked twice");
    assert_eq!(requests_to(&received, INVITE), 1, "never resent");
}

#[tokio::test]
async fn after_a_timeout_an_absent_invitation_is_not_visible_yet_rather_than_safe_to_resend() {
    let server = MockServer::start().await;
    stalled_invite(&server).await;
    Mock::given(path(LIST))
        .respond_with(users(&[]))
        .mount(&server)
        .await;
    let client = client(&server);
    let change = invite("slow@acme.test");
    let error = change.apply(&client).await.unwrap_err();
    let started = Instant::now();
    let found = change.reconcile(&client, &error).await.unwrap();
    assert_eq!(found, Reconciliation::NotVisibleYet);
    assert!(
        started.elapsed() >= Duration::from_millis(40),
        "two pauses of 20 ms between the looks"
    );
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        requests_to(&received, LIST),
        3,
        "the first look and two more"
    );
    let sentence = found.sentence(&change);
    assert!(sentence.contains("does not show"), "{sentence}");
    assert!(!sentence.contains("did not take effect"), "{sentence}");
    assert!(!sentence.contains("safe to try again"), "{sentence}");
    assert!(sentence.contains("second invitation email"), "{sentence}");
}

#[test]
fn a_resend_is_never_called_safe_without_the_second_email() {
    let resend = Change::ResendInvitation("a@acme.test".into());
    for found in [
        Reconciliation::NotDone,
        Reconciliation::NotVisibleYet,
        Reconciliation::CannotTell,
    ] {
        let sentence = found.sentence(&resend);
        assert!(!sentence.contains("safe"), "{sentence}");
        assert!(sentence.contains("email"), "{sentence}");
    }
}

#[tokio::test]
async fn a_redirect_answering_a_change_is_unclear_and_reconciled() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("location", "https://elsewhere.test/"),
        )
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(users(&[]))
        .mount(&server)
        .await;
    let client = client(&server);
    let change = Change::Revoke("ops@acme.test".into());
    let error = change.apply(&client).await.unwrap_err();
    assert!(
        matches!(error, ApiError::Redirect { status: 307, .. }),
        "{error:?}"
    );
    assert!(error.is_unclear(), "it may have been applied");
    // The redirect was an answer: one look tells, and ops is gone.
    assert_eq!(
        change.reconcile(&client, &error).await.unwrap(),
        Reconciliation::AlreadyDone
    );
}

#[tokio::test]
async fn a_change_answered_with_an_oversized_body_is_unclear_and_sent_once() {
    let (base, connections) = raw_server(|mut stream| async move {
        read_request_head(&mut stream).await;
        let head = b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 65536\r\n\r\n";
        if stream.write_all(head).await.is_ok() {
            let _ = stream.write_all(&[b' '; 65536]).await;
        }
    })
    .await;
    let client = Client::builder()
        .base_url(base)
        .api_key(SecretString::from(KEY))
        .max_body_bytes(4096)
        .build()
        .unwrap();
    let error = invite("big@acme.test").apply(&client).await.unwrap_err();
    assert!(
        matches!(
            error,
            ApiError::TooLarge {
                status: 201,
                limit: 4096
            }
        ),
        "{error:?}"
    );
    assert!(
        error.is_unclear(),
        "a 201 over the cap may have been applied"
    );
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(
        error.to_string(),
        "Brevo answered 201 with more than 4 KiB, which was not read"
    );
}

#[tokio::test]
async fn an_update_under_a_rate_limit_goes_out_twice_at_most() {
    let server = MockServer::start().await;
    Mock::given(path(UPDATE))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(json!({"code": "too_many_requests", "message": "Too many requests"}))
                .insert_header("x-sib-ratelimit-remaining", "0")
                .insert_header("x-sib-ratelimit-reset", "0"),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/v3", server.uri()))
        .api_key(SecretString::from(KEY))
        .max_attempts(5)
        .build()
        .unwrap();
    let grants = Grants::from_pairs([("contacts", vec!["view"])]);
    let request = AccessRequest::update("ops@acme.test", &Grants::new(), &grants, false);
    let error = client.update_permissions(&request).await.unwrap_err();
    assert!(matches!(error, ApiError::RateLimited { .. }), "{error:?}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        requests_to(&received, UPDATE),
        2,
        "the first sending and one retry after the documented reset"
    );
}

#[tokio::test]
async fn a_read_that_timed_out_on_every_attempt_says_so_with_the_real_time() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(users(&[]).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client(&server);
    let started = Instant::now();
    let error = client.list_users().await.unwrap_err();
    let spent = started.elapsed();
    let ApiError::Timeout { after, attempts } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts, 3);
    assert!(
        *after >= Duration::from_millis(450) && *after <= spent,
        "{after:?} of {spent:?}"
    );
    let text = error.to_string();
    assert!(
        text.starts_with("Brevo did not answer: 3 attempts over "),
        "{text}"
    );
    assert!(!text.contains("within"), "{text}");
}

#[tokio::test]
async fn after_brevos_own_error_one_look_is_enough() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(users(&[]))
        .mount(&server)
        .await;
    let client = client(&server);
    let found = invite("absent@acme.test")
        .reconcile(&client, LostAnswer::Answered)
        .await
        .unwrap();
    assert_eq!(found, Reconciliation::NotDone);
    let received = server.received_requests().await.unwrap();
    assert_eq!(requests_to(&received, LIST), 1);
    assert!(
        found
            .sentence(&invite("absent@acme.test"))
            .contains("safe to try again")
    );
}
