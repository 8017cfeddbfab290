//! `ApiError`: every way a call can fail, told apart the way a caller must
//! act on it, and displayed as a sentence an admin understands.

use std::time::Duration;

use thiserror::Error;

pub use super::error_body::ErrorBody;
use super::sanitize::sanitize_shortened;
use super::validate::InvalidRequest;

/// Server text other than Brevo's message (a code, a location, a request
/// id) is cut to this many characters.
const SHOWN_SERVER_TEXT: usize = 300;

/// Each variant displays as one sentence without nested parentheses, and
/// without the request id: faces print [`ApiError::request_id_line`] on a
/// line of its own, so that a sentence built around this one stays
/// readable.
#[derive(Clone, Debug, Error)]
pub enum ApiError {
    #[error("{}", answered("Brevo refused the API key with", 401, "", message))]
    Unauthorized {
        message: ErrorBody,
        request_id: Option<String>,
    },

    #[error("{}", answered("Brevo refused the request with", 403, code, message))]
    Forbidden {
        code: String,
        message: ErrorBody,
        request_id: Option<String>,
    },

    #[error("{}", answered("Brevo rejected the request with", *status, code, message))]
    BadRequest {
        status: u16,
        code: String,
        message: ErrorBody,
        request_id: Option<String>,
    },

    #[error("Brevo's rate limit is reached; {}", reset_text(reset_after))]
    RateLimited {
        reset_after: Option<Duration>,
        request_id: Option<String>,
    },

    #[error("{}", answered("Brevo failed with server error", *status, "", message))]
    Server {
        status: u16,
        message: ErrorBody,
        request_id: Option<String>,
    },

    #[error("Brevo answered {status}, a redirect{}, which is not followed so that the API key stays with Brevo",
        location.as_deref().map(|l| format!(" to {}", shown(l))).unwrap_or_default())]
    Redirect {
        status: u16,
        location: Option<String>,
        request_id: Option<String>,
    },

    /// `after` is the time from the first attempt to giving up, and
    /// `attempts` how many were made (a read may be tried more than once).
    #[error("{}", timeout_text(*after, *attempts))]
    Timeout { after: Duration, attempts: u32 },

    #[error("could not connect to {host}: {}", shown(message))]
    Connect { host: String, message: String },

    #[error("the connection failed after the request was sent: {}", shown(message))]
    Network { message: String },

    #[error("Brevo answered {status} with more than {}, which was not read", size_text(*limit))]
    TooLarge { status: u16, limit: usize },

    /// A 2xx answer that is not what the endpoint documents; `problem` is
    /// the decoder's (for the log), `body` what came instead.
    #[error("{}", unreadable_text(body))]
    Decode {
        problem: String,
        body: ErrorBody,
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
    /// request went out and no clear answer came back (none in time, a
    /// server error, an answer we could not read or would not read, a
    /// redirect from something between us and Brevo). Such a change must
    /// be reconciled, never resent blindly.
    pub fn is_unclear(&self) -> bool {
        match self {
            Self::Timeout { .. }
            | Self::Network { .. }
            | Self::Server { .. }
            | Self::Decode { .. }
            | Self::Redirect { .. } => true,
            // A refusal (4xx) is clear even when its body is too big to read.
            Self::TooLarge { status, .. } => !(400..500).contains(status),
            _ => false,
        }
    }

    /// After this unclear failure, Brevo may still be working on the
    /// request: no answer came in time, the connection broke, or a gateway
    /// gave up waiting (504, Cloudflare's 524). Its state may show the
    /// change only later, so one look that finds nothing proves nothing.
    pub fn may_still_be_working(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Network { .. } => true,
            Self::Server { status, .. } => matches!(status, 504 | 524),
            _ => false,
        }
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

    /// `request id: …`, sanitised, for a line of its own under the error
    /// (Brevo's support asks for it); `None` when Brevo sent none.
    pub fn request_id_line(&self) -> Option<String> {
        self.request_id()
            .map(|id| format!("request id: {}", shown(id)))
    }

    /// The HTTP status, for errors that came with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::RateLimited { .. } => Some(429),
            Self::BadRequest { status, .. }
            | Self::Server { status, .. }
            | Self::Redirect { status, .. }
            | Self::TooLarge { status, .. } => Some(*status),
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

/// "Brevo rejected the request with 400 duplicate_parameter: …", or, when
/// the body was not Brevo's, what came instead.
fn answered(lead: &str, status: u16, code: &str, body: &ErrorBody) -> String {
    if let Some(instead) = body.not_brevos() {
        return format!("the server answered {status} {instead}");
    }
    let code = if code.is_empty() {
        String::new()
    } else {
        format!(" {}", shown(code))
    };
    match body.message() {
        Some(_) => format!("{lead} {status}{code}: {body}"),
        None => format!("{lead} {status}{code} and no message"),
    }
}

fn unreadable_text(body: &ErrorBody) -> String {
    match body {
        ErrorBody::HtmlPage => {
            "the server answered with an HTML page (a proxy or gateway error, not Brevo's JSON)"
                .to_owned()
        }
        ErrorBody::Unreadable(excerpt) => {
            format!("Brevo sent an unreadable answer that begins “{excerpt}”")
        }
        ErrorBody::Message(_) | ErrorBody::Empty => "Brevo sent an unreadable answer".to_owned(),
    }
}

fn timeout_text(after: Duration, attempts: u32) -> String {
    if attempts <= 1 {
        format!("Brevo did not answer within {}", human_duration(after))
    } else {
        format!(
            "Brevo did not answer: {attempts} attempts over {}",
            human_duration(after)
        )
    }
}

/// "8 MiB", "16 KiB", "300 bytes".
fn size_text(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
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
#[path = "error_tests.rs"]
mod tests;
