//! Building the mock's JSON answers.

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

/// A JSON answer. Serialising a `serde_json::Value` cannot fail.
pub fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    json_bytes_response(status, serde_json::to_vec(value).unwrap_or_default())
}

/// A JSON answer already serialised.
pub fn json_bytes_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
