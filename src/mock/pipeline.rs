//! What every `/v3` request goes through, in order: log, latency, api-key,
//! rate limit, routing errors, injected faults, the endpoint itself; and the
//! headers every answer carries (spec §1, §7).

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::http::header::{ALLOW, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use super::control::{MockControl, Shared, lock};
use super::error::MockError;
use super::faults::{FaultKind, LoggedRequest, take_fault};
use super::rate::RateStatus;
use super::routes::{handle, not_found, route};
use super::{json_bytes_response, json_response};

/// Bodies are small JSON objects; anything larger is refused.
const MAX_BODY: usize = 1 << 20;

/// The fallback handler: every path that is not a `/_mock/` control route.
pub(crate) async fn serve(
    State(control): State<MockControl>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let shared = &control.shared;
    let request_id = request_id();
    let Some(path) = uri.path().strip_prefix("/v3") else {
        let rate = lock(&shared.rate).peek(Instant::now());
        return finish(error(&not_found()), &request_id, rate);
    };
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(_) => {
            let too_large = MockError::bad("bad_request", "The request body is too large");
            let rate = lock(&shared.rate).peek(Instant::now());
            return finish(error(&too_large), &request_id, rate);
        }
    };
    let routed = route(&method, path);
    lock(&shared.log).record(LoggedRequest {
        method: method.as_str().to_owned(),
        route: routed.template.to_owned(),
        path: path.to_owned(),
        body: (!body.is_empty()).then(|| String::from_utf8_lossy(&body).into_owned()),
    });

    let latency = *lock(&shared.latency);
    wait(shared, latency).await;

    if let Err(refusal) = authenticate(shared, &headers) {
        let rate = lock(&shared.rate).peek(Instant::now());
        return finish(error(&refusal), &request_id, rate);
    }
    let rate = lock(&shared.rate).take(Instant::now());
    if rate.exceeded {
        // Brevo documents neither this body nor its code (spec §7): ours.
        let mut response = json_response(
            StatusCode::TOO_MANY_REQUESTS,
            &json!({ "code": "too_many_requests", "message": "Too many requests" }),
        );
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(rate.reset_secs));
        return finish(response, &request_id, rate);
    }
    let endpoint = match routed.endpoint {
        Ok(endpoint) => endpoint,
        Err(refusal) => {
            let mut response = error(&refusal);
            if let Some(allow) = routed.allow
                && let Ok(value) = HeaderValue::from_str(allow.as_str())
            {
                response.headers_mut().insert(ALLOW, value);
            }
            return finish(response, &request_id, rate);
        }
    };

    let fault = take_fault(
        &mut lock(&shared.faults),
        method.as_str(),
        routed.template,
        path,
    );
    let after_applying = match fault {
        None => None,
        Some(FaultKind::Latency { ms }) => {
            wait(shared, Duration::from_millis(ms)).await;
            None
        }
        Some(kind @ (FaultKind::ApplyThenFail { .. } | FaultKind::ApplyThenStall)) => Some(kind),
        Some(kind) => return finish(fault_response(shared, &kind).await, &request_id, rate),
    };

    let as_keys = shared.permissions_as_keys.load(Ordering::Relaxed);
    let answer = handle(&mut lock(&shared.org), &endpoint, &body, as_keys);
    let response = match (after_applying, answer) {
        (Some(kind), _) => fault_response(shared, &kind).await,
        (None, Ok(body)) => json_bytes_response(StatusCode::OK, body),
        (None, Err(refusal)) => error(&refusal),
    };
    finish(response, &request_id, rate)
}

/// Spec §6.1's two real 401 bodies.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<(), MockError> {
    let key = headers
        .get("api-key")
        .map(|value| value.as_bytes())
        .filter(|value| !value.is_empty());
    let Some(key) = key else {
        return Err(MockError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "authentication not found in headers",
        ));
    };
    match &shared.api_key {
        Some(expected) if expected.as_bytes() != key => Err(MockError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Key not found",
        )),
        _ => Ok(()),
    }
}

async fn fault_response(shared: &Shared, kind: &FaultKind) -> Response {
    let status =
        |code: u16| StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match kind {
        FaultKind::Error {
            status: code,
            code: error_code,
            message,
        } => json_response(
            status(*code),
            &json!({ "message": message, "code": error_code }),
        ),
        FaultKind::MalformedJson { status: code } => raw(
            status(*code),
            "application/json",
            r#"{"message":"Internal server error","code":"#,
        ),
        FaultKind::Html { status: code } => raw(
            status(*code),
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>\
             <body><h1>Bad Gateway</h1><p>cloudflare</p></body></html>",
        ),
        FaultKind::ApplyThenFail { status: code } => json_response(
            status(*code),
            &json!({ "message": "Internal server error", "code": "internal_error" }),
        ),
        FaultKind::Stall | FaultKind::ApplyThenStall => {
            shared.shutdown.cancelled().await;
            error(&MockError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The mock is shutting down",
            ))
        }
        FaultKind::Latency { .. } => error(&MockError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Latency is not an answer",
        )),
    }
}

/// Sleeps, unless the server stops first.
async fn wait(shared: &Shared, duration: Duration) {
    if duration.is_zero() {
        return;
    }
    tokio::select! {
        () = tokio::time::sleep(duration) => {}
        () = shared.shutdown.cancelled() => {}
    }
}

fn error(error: &MockError) -> Response {
    json_response(error.status, &error.body())
}

fn raw(status: StatusCode, content_type: &'static str, body: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Adds `sib-request-id` and the three `x-sib-ratelimit-*` headers.
fn finish(mut response: Response, request_id: &str, rate: RateStatus) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("sib-request-id", value);
    }
    headers.insert("x-sib-ratelimit-limit", HeaderValue::from(rate.limit));
    headers.insert(
        "x-sib-ratelimit-remaining",
        HeaderValue::from(rate.remaining),
    );
    headers.insert("x-sib-ratelimit-reset", HeaderValue::from(rate.reset_secs));
    response
}

/// UUID-shaped random hex, like Brevo's `2dc45d44-da76-909c-8a3a-c4fa031d5e3a`.
fn request_id() -> String {
    let n = fastrand::u128(..);
    let hex = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
