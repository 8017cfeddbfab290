//! Wording shared by `update` (toasts, form notices) and the views (the
//! panes' error lines), so that both say the same about the same failure.

use std::time::{Duration, SystemTime};

use crate::brevo::ApiError;

/// A sentence for an API failure, with what to do about the usual ones.
pub fn explain_error(error: &ApiError) -> String {
    let sentence = explain_sentence(error);
    // The core's sentence no longer carries the request id; a toast is one
    // line, so it follows the sentence rather than a line of its own.
    match error.request_id_line() {
        Some(line) => format!("{sentence} · {line}"),
        None => sentence,
    }
}

/// The sentence alone, for a place that puts the request id last itself.
pub fn explain_sentence(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized { .. } => {
            format!("{error} — the API key is wrong: check BREVO_API_KEY")
        }
        _ => error.to_string(),
    }
}

/// "about 42 min", "about 30 s": a wait counted down in steps is never exact.
pub fn about(wait: Duration) -> String {
    let seconds = wait.as_secs();
    if seconds >= 90 {
        format!("about {} min", seconds.div_ceil(60))
    } else {
        format!("about {} s", seconds.max(1))
    }
}

/// What to do after a failed read, or `None` when pressing a key again
/// cannot help (a wrong key, a refusal) — then the error alone is shown.
/// `key` is the key that retries exactly that read (`R` for the list,
/// `Enter` for one user's permissions: the one request, not every cached
/// permission).
pub fn retry_hint(error: &ApiError, key: &str, quota_wait: Option<Duration>) -> Option<String> {
    if let Some(left) = quota_wait {
        return Some(format!(
            "{key} works again when Brevo's quota resets, in {}",
            about(left)
        ));
    }
    match error {
        ApiError::Unauthorized { .. } | ApiError::Forbidden { .. } => None,
        _ => Some(format!("press {key} to try again")),
    }
}

/// The local time of day, `14:02:31`, for "the list from 14:02:31".
pub fn clock_time(at: SystemTime) -> String {
    let Ok(since_epoch) = at.duration_since(SystemTime::UNIX_EPOCH) else {
        return "an unknown time".to_owned();
    };
    let Ok(seconds) = libc::time_t::try_from(since_epoch.as_secs()) else {
        return "an unknown time".to_owned();
    };
    // SAFETY: `localtime_r` writes only into the `tm` we own and reads the
    // `time_t` we pass; it is the thread-safe variant.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let converted = unsafe { libc::localtime_r(&seconds, &mut tm) };
    if converted.is_null() {
        return "an unknown time".to_owned();
    }
    format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec)
}

/// The first letter in upper case, for a hint that starts a sentence.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
