//! The sentences `ApiError` shows, and which failures are unclear.

use super::*;

#[test]
fn a_message_is_one_sentence_and_the_request_id_a_line_of_its_own() {
    let error = ApiError::Forbidden {
        code: "permission_denied".into(),
        message: "Owner cannot be revoked".into(),
        request_id: Some("2dc45d44".into()),
    };
    assert_eq!(
        error.to_string(),
        "Brevo refused the request with 403 permission_denied: Owner cannot be revoked"
    );
    assert_eq!(
        error.request_id_line().as_deref(),
        Some("request id: 2dc45d44")
    );
    let duplicate = ApiError::BadRequest {
        status: 400,
        code: "duplicate_parameter".into(),
        message: "User already invited".into(),
        request_id: Some("rid".into()),
    };
    let text = duplicate.to_string();
    assert_eq!(
        text,
        "Brevo rejected the request with 400 duplicate_parameter: User already invited"
    );
    assert!(!text.contains('(') && !text.contains("rid"), "{text}");
    let timeout = ApiError::Timeout {
        after: Duration::from_secs(1),
        attempts: 1,
    };
    assert_eq!(timeout.request_id_line(), None);
}

#[test]
fn a_body_that_is_not_brevos_is_named_not_pasted() {
    let gateway = ApiError::Server {
        status: 502,
        message: ErrorBody::HtmlPage,
        request_id: None,
    };
    assert_eq!(
        gateway.to_string(),
        "the server answered 502 with an HTML page (a proxy or gateway error, not Brevo's JSON)"
    );
    let cut = ApiError::Decode {
        problem: "EOF while parsing a list at line 1 column 11".into(),
        body: ErrorBody::Unreadable("{\"users\": [".into()),
        request_id: None,
    };
    assert_eq!(
        cut.to_string(),
        "Brevo sent an unreadable answer that begins “{\"users\": [”"
    );
    let silent = ApiError::Server {
        status: 503,
        message: ErrorBody::Empty,
        request_id: None,
    };
    assert_eq!(
        silent.to_string(),
        "Brevo failed with server error 503 and no message"
    );
}

#[test]
fn server_text_is_sanitised_and_shortened() {
    let error = ApiError::Server {
        status: 500,
        message: format!("\u{1b}[31m{}", "x".repeat(1000)).into(),
        request_id: Some("\u{1b}]0;pwned\u{7}".into()),
    };
    let text = error.to_string();
    assert!(!text.contains('\u{1b}'));
    assert!(text.chars().count() < 400);
    let line = error.request_id_line().unwrap();
    assert!(
        !line.contains('\u{1b}') && !line.contains('\u{7}'),
        "{line}"
    );
}

#[test]
fn rate_limit_says_when_the_quota_resets() {
    let error = ApiError::RateLimited {
        reset_after: Some(Duration::from_secs(3540)),
        request_id: None,
    };
    assert!(error.to_string().contains("resets in 59 min"), "{error}");
    assert_eq!(human_duration(Duration::from_secs(3600)), "1 h");
    assert_eq!(human_duration(Duration::from_millis(250)), "250 ms");
}

#[test]
fn a_retried_timeout_says_how_many_attempts_and_how_long_in_all() {
    let once = ApiError::Timeout {
        after: Duration::from_secs(30),
        attempts: 1,
    };
    assert_eq!(once.to_string(), "Brevo did not answer within 30 s");
    let thrice = ApiError::Timeout {
        after: Duration::from_secs(91),
        attempts: 3,
    };
    assert_eq!(
        thrice.to_string(),
        "Brevo did not answer: 3 attempts over 1 min 31 s"
    );
}

#[test]
fn a_small_size_cap_is_not_shown_as_zero_mib() {
    let error = ApiError::TooLarge {
        status: 200,
        limit: 16 * 1024,
    };
    assert_eq!(
        error.to_string(),
        "Brevo answered 200 with more than 16 KiB, which was not read"
    );
}

#[test]
fn only_failures_after_sending_are_unclear() {
    let server = |status| ApiError::Server {
        status,
        message: ErrorBody::Empty,
        request_id: None,
    };
    let timeout = ApiError::Timeout {
        after: Duration::from_secs(1),
        attempts: 1,
    };
    assert!(timeout.is_unclear() && timeout.may_still_be_working());
    assert!(server(502).is_unclear() && !server(502).may_still_be_working());
    assert!(server(504).may_still_be_working());
    assert!(
        !ApiError::Connect {
            host: "x".into(),
            message: String::new()
        }
        .is_unclear()
    );
    assert!(
        !ApiError::Unauthorized {
            message: ErrorBody::Empty,
            request_id: None
        }
        .is_unclear()
    );
}

#[test]
fn an_answer_that_may_have_applied_a_change_is_unclear() {
    let redirect = ApiError::Redirect {
        status: 302,
        location: None,
        request_id: None,
    };
    assert!(redirect.is_unclear());
    let big = |status| ApiError::TooLarge {
        status,
        limit: 1024,
    };
    assert!(big(200).is_unclear() && big(502).is_unclear());
    assert!(!big(400).is_unclear(), "a refusal is clear");
}
