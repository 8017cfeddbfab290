//! `ApiError`: every way a call can fail, told apart the way a caller must
//! act on it, and displayed as a sentence an admin understands.

use std::time::Duration;

use thiserror::Error;

use super::sanitize::sanitize_shortened;
use super::validate::InvalidRequest;

/// Server text shown to a person is cut to this many characters.
const SHOWN_SERVER_TEXT: usize = 300;

#[derive(Clone, Debug, Error)]
pub enum ApiError {
    #[error(
        "Brevo refused the API key (401): {}{}",
        shown(message),
        rid(request_id)
    )]
    Unauthorized {
        message: String,
        request_id: Option<String>,
    },

    #[error(
        "Brevo refused the request (403 {}): {}{}",
        shown(code),
        shown(message),
        rid(request_id)
    )]
    Forbidden {
        code: String,
        message: String,
        request_id: Option<String>,
    },

    #[error(
        "Brevo rejected the request ({status} {}): {}{}",
        shown(code),
        shown(message),
        rid(request_id)
    )]
    BadRequest {
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
    },

    #[error(
        "Brevo's rate limit is reached; {}{}",
        reset_text(reset_after),
        rid(request_id)
    )]
    RateLimited {
        reset_after: Option<Duration>,
        request_id: Option<String>,
    },

    #[error(
        "Brevo had a server error ({status}): {}{}",
        shown(message),
        rid(request_id)
    )]
    Server {
        status: u16,
        message: String,
        request_id: Option<String>,
    },

    #[error("Brevo answered with a redirect ({status}{}), which is not followed so the API key stays with Brevo{}",
        location.as_deref().map(|l| format!(" to {}", shown(l))).unwrap_or_default(), rid(request_id))]
    Redirect {
        status: u16,
        location: Option<String>,
        request_id: Option<String>,
    },

    #[error("Brevo did not answer within {}", human_duration(*after))]
    Timeout { after: Duration },

    #[error("could not connect to {host}: {}", shown(message))]
    Connect { host: String, message: String },

    #[error("the connection failed after the request was sent: {}", shown(message))]
    Network { message: String },

    #[error("Brevo's answer is larger than {} MiB and was refused", limit / (1024 * 1024))]
    TooLarge { limit: usize },

    #[error(
        "Brevo's answer could not be read ({}): {}{}",
        shown(problem),
        shown(body),
        rid(request_id)
    )]
    Decode {
        problem: String,
        body: String,
        request_id: Option<String>,
    },

    #[error("read-only mode: {operation} was not sent")]
    ReadOnly { operation: &'static str },

    #[error("{0}")]
    Invalid(#[from] InvalidRequest),

    #[error("{0}")]
    Config(String),
}

impl ApiError {
    /// After this failure, a change may or may not have taken effect: the
    /// request went out and no clear answer came back. Such a change must be
    /// reconciled, never resent blindly.
    pub fn is_unclear(&self) -> bool {
        matches!(
            self,
            Self::Timeout { .. } | Self::Network { .. } | Self::Server { .. } | Self::Decode { .. }
        )
    }

    /// The `sib-request-id` Brevo sent with the failing answer, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Unauthorized { request_id, .. }
            | Self::Forbidden { request_id, .. }
            | Self::BadRequest { request_id, .. }
            | Self::RateLimited { request_id, .. }
            | Self::Server { request_id, .. }
            | Self::Redirect { request_id, .. }
            | Self::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, for errors that came with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::RateLimited { .. } => Some(429),
            Self::BadRequest { status, .. }
            | Self::Server { status, .. }
            | Self::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Brevo's machine-readable `code`, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Forbidden { code, .. } | Self::BadRequest { code, .. } if !code.is_empty() => {
                Some(code)
            }
            _ => None,
        }
    }

    /// A stable one-word name for scripts (`--json` errors).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthorized { .. } => "unauthorized",
            Self::Forbidden { .. } => "forbidden",
            Self::BadRequest { .. } => "bad_request",
            Self::RateLimited { .. } => "rate_limited",
            Self::Server { .. } => "server_error",
            Self::Redirect { .. } => "redirect",
            Self::Timeout { .. } => "timeout",
            Self::Connect { .. } => "connect",
            Self::Network { .. } => "network",
            Self::TooLarge { .. } => "too_large",
            Self::Decode { .. } => "undecodable_response",
            Self::ReadOnly { .. } => "read_only",
            Self::Invalid(_) => "invalid_request",
            Self::Config(_) => "config",
        }
    }
}

fn shown(text: &str) -> String {
    sanitize_shortened(text, SHOWN_SERVER_TEXT)
}

fn rid(request_id: &Option<String>) -> String {
    request_id
        .as_deref()
        .map(|id| format!(" (request id {})", shown(id)))
        .unwrap_or_default()
}

fn reset_text(reset_after: &Option<Duration>) -> String {
    match reset_after {
        Some(after) => format!("the quota resets in {}", human_duration(*after)),
        None => "Brevo did not say when the quota resets".to_owned(),
    }
}

/// "45 s", "12 min", "1 h 5 min": short, for toasts and headers.
pub fn human_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs == 0 {
        return format!("{} ms", duration.as_millis());
    }
    match secs {
        0..=59 => format!("{secs} s"),
        60..=3599 => format!("{} min {} s", secs / 60, secs % 60).replace(" 0 s", ""),
        _ => format!("{} h {} min", secs / 3600, (secs % 3600) / 60).replace(" 0 min", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_sentences_with_the_request_id() {
        let error = ApiError::Forbidden {
            code: "permission_denied".into(),
            message: "Owner cannot be revoked".into(),
            request_id: Some("2dc45d44".into()),
        };
        assert_eq!(
            error.to_string(),
            "Brevo refused the request (403 permission_denied): Owner cannot be revoked (request id 2dc45d44)"
        );
    }

    #[test]
    fn server_text_is_sanitised_and_shortened() {
        let error = ApiError::Server {
            status: 500,
            message: format!("\u{1b}[31m{}", "x".repeat(1000)),
            request_id: None,
        };
        let text = error.to_string();
        assert!(!text.contains('\u{1b}'));
        assert!(text.chars().count() < 400);
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
    fn only_failures_after_sending_are_unclear() {
        assert!(
            ApiError::Timeout {
                after: Duration::from_secs(1)
            }
            .is_unclear()
        );
        assert!(
            ApiError::Server {
                status: 502,
                message: String::new(),
                request_id: None
            }
            .is_unclear()
        );
        assert!(
            !ApiError::Connect {
                host: "x".into(),
                message: String::new()
            }
            .is_unclear()
        );
        assert!(
            !ApiError::Unauthorized {
                message: String::new(),
                request_id: None
            }
            .is_unclear()
        );
    }
}
