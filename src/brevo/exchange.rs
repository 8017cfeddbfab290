//! One HTTP exchange as a face may record it (the dashboard's journal):
//! when, method, route as sent, status, duration, request id and requests
//! left. Never a header, never the key, never a body.

use std::sync::Arc;
use std::time::SystemTime;

/// What a client saw of one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeRecord {
    pub at: SystemTime,
    pub method: String,
    /// The path as sent (the admin's own journal may name the user acted
    /// on; it never holds the query, a header or the key).
    pub route: String,
    /// Absent when no answer came (timeout, connection failure).
    pub status: Option<u16>,
    pub elapsed_ms: u64,
    /// Sanitised and shortened by the transport.
    pub request_id: Option<String>,
    pub remaining: Option<u64>,
    /// The error's kind when the attempt failed (`timeout`, `rate_limited`, …).
    pub error: Option<&'static str>,
}

impl ExchangeRecord {
    /// The record of an attempt that just ended, stamped now.
    pub(crate) fn new(
        method: &reqwest::Method,
        url: &reqwest::Url,
        status: Option<u16>,
        elapsed_ms: u64,
        request_id: Option<&str>,
        remaining: Option<u64>,
        error: Option<&'static str>,
    ) -> Self {
        Self {
            at: SystemTime::now(),
            method: method.to_string(),
            route: url.path().to_owned(),
            status,
            elapsed_ms,
            request_id: request_id.map(str::to_owned),
            remaining,
            error,
        }
    }
}

/// Called once per attempt, on the task that made it: keep it cheap (the
/// dashboard sends the record down a channel).
pub type ExchangeObserver = Arc<dyn Fn(ExchangeRecord) + Send + Sync>;
