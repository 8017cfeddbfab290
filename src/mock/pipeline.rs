//! What every `/v3` request goes through, in order: api-key, body (capped),
//! log, latency, the 401 if any, rate limit, routing errors, injected
//! faults, the endpoint itself; and the headers every answer carries (spec
//! §1, §7).

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use futures::StreamExt;
use serde_json::json;

use super::control::{MockControl, Shared, lock};
use super::error::MockError;
use super::faults::{FaultKind, take_fault};
use super::log::LoggedRequest;
use super::rate::RateStatus;
use super::response::{json_bytes_response, json_response};
use super::routes::{Routed, handle, not_found, route};

/// Bodies are small JSON objects; anything larger is refused with 413.
pub(crate) const MAX_BODY: usize = 1 << 20;

/// A refused or unauthenticated body is still read (and thrown away) up to
/// this size, so that the client reads our answer rather than a connection
/// reset; past it the connection is simply closed after the answer.
const DRAIN_LIMIT: usize = 16 << 20;

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
    let routed = route(&method, path);
    // A stranger's body is neither kept nor parsed: it is only drained.
    let authenticated = authenticate(shared, &headers);
    let body = match &authenticated {
        Ok(()) => read_body(shared, &headers, body).await,
        Err(_) => {
            drain(shared, &headers, body).await;
            Ok(Vec::new())
        }
    };
    let body = match body {
        Ok(body) => body,
        Err(refusal) => {
            record(shared, &method, &routed, path, &[]);
            let rate = lock(&shared.rate).peek(Instant::now());
            return finish(error(&refusal), &request_id, rate);
        }
    };
    record(shared, &method, &routed, path, &body);

    let latency = *lock(&shared.latency);
    wait(shared, latency).await;

    if let Err(refusal) = authenticated {
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

fn record(shared: &Shared, method: &Method, routed: &Routed, path: &str, body: &[u8]) {
    lock(&shared.log).record(
        LoggedRequest {
            method: method.as_str().to_owned(),
            route: routed.template.to_owned(),
            path: path.to_owned(),
            body: (!body.is_empty()).then(|| String::from_utf8_lossy(body).into_owned()),
        },
        routed.is_endpoint(),
    );
}

fn too_large() -> MockError {
    MockError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("The request body is over the mock's limit of 1 MiB ({MAX_BODY} bytes)"),
    )
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse().ok())
}

/// The whole body, at most [`MAX_BODY`] bytes, within the read timeout.
async fn read_body(shared: &Shared, headers: &HeaderMap, body: Body) -> Result<Vec<u8>, MockError> {
    if declared_length(headers).is_some_and(|length| length > MAX_BODY as u64) {
        drain(shared, headers, body).await;
        return Err(too_large());
    }
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let read = async {
        while let Some(chunk) = stream.next().await {
            let chunk = chunk
                .map_err(|_| MockError::bad("bad_request", "The request body could not be read"))?;
            if bytes.len() + chunk.len() > MAX_BODY {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(())
    };
    let timeout = shared.read_timeout;
    let outcome = tokio::select! {
        outcome = tokio::time::timeout(timeout, read) => outcome.unwrap_or_else(|_| Err(MockError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            format!("The request body did not arrive within {} ms", timeout.as_millis()),
        ))),
        () = shared.shutdown.cancelled() => Err(shutting_down()),
    };
    match outcome {
        Ok(()) => Ok(bytes),
        Err(refusal) => {
            if refusal.status == StatusCode::PAYLOAD_TOO_LARGE {
                drain_stream(shared, stream, bytes.len()).await;
            }
            Err(refusal)
        }
    }
}

/// Reads and drops a body nobody will use, up to [`DRAIN_LIMIT`].
async fn drain(shared: &Shared, headers: &HeaderMap, body: Body) {
    if declared_length(headers).is_some_and(|length| length > DRAIN_LIMIT as u64) {
        return;
    }
    drain_stream(shared, body.into_data_stream(), 0).await;
}

async fn drain_stream(shared: &Shared, mut stream: axum::body::BodyDataStream, mut read: usize) {
    let drained = async {
        while read <= DRAIN_LIMIT {
            match stream.next().await {
                Some(Ok(chunk)) => read += chunk.len(),
                _ => break,
            }
        }
    };
    tokio::select! {
        _ = tokio::time::timeout(shared.read_timeout, drained) => {}
        () = shared.shutdown.cancelled() => {}
    }
}

fn shutting_down() -> MockError {
    MockError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "The mock is shutting down",
    )
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
            error(&shutting_down())
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
