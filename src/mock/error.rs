//! The error answer every refusal takes (spec §6).

use axum::http::StatusCode;
use serde_json::{Value, json};

/// A Brevo-shaped error: a status and a `{code, message}` body (spec §6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl MockError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "permission_denied", message)
    }

    pub fn body(&self) -> Value {
        json!({ "message": self.message, "code": self.code })
    }
}
