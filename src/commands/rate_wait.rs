//! Brevo allows about 100 requests an hour on these endpoints (spec §7), so
//! the commands that make one request per user (export, import) look at the
//! budget before starting and, when they hit the limit, wait if the window
//! resets soon — saying so — or stop and say what is left.

use std::time::{Duration, Instant};

use crate::brevo::error::human_duration;
use crate::brevo::{ApiError, Client};

use super::Console;

/// Consecutive waits for one request before giving up: a window that keeps
/// refusing after resetting is not going to let us through.
pub const MAX_CONSECUTIVE_WAITS: u32 = 3;

/// What the latest answer said about the budget, measured against `needed`.
pub enum Budget {
    /// Enough requests are left (or Brevo did not say).
    Enough,
    /// Not enough; the window resets within the allowed wait.
    ShortWait,
    /// Not enough, and the window resets later than the allowed wait (or
    /// Brevo did not say when).
    TooLong {
        remaining: u64,
        resets_in: Option<Duration>,
    },
}

/// Compares the requests still allowed in the current window with `needed`,
/// and warns on stderr when they fall short.
pub fn check_budget(
    client: &Client,
    console: &mut Console<'_>,
    needed: usize,
    max_wait: Duration,
    what: &str,
) -> Budget {
    let Some(limit) = client.rate_limit() else {
        return Budget::Enough;
    };
    let Some(remaining) = limit.remaining else {
        return Budget::Enough;
    };
    if needed as u64 <= remaining {
        return Budget::Enough;
    }
    let resets_in = limit.resets_in(Instant::now());
    console.warn(format!(
        "{what} needs {needed} requests, and Brevo allows {remaining} more until its rate-limit window resets{}",
        resets_in.map(|d| format!(" in {}", human_duration(d))).unwrap_or_default()
    ));
    match resets_in {
        Some(resets_in) if resets_in <= max_wait => Budget::ShortWait,
        _ => Budget::TooLong {
            remaining,
            resets_in,
        },
    }
}

/// After a failed request: how long to wait before trying it again, when
/// the failure is a rate limit that resets within `max_wait`.
pub fn wait_for(error: &ApiError, max_wait: Duration, waits_so_far: u32) -> Option<Duration> {
    match error {
        ApiError::RateLimited {
            reset_after: Some(reset),
            ..
        } if *reset <= max_wait && waits_so_far < MAX_CONSECUTIVE_WAITS => {
            // Brevo counts whole seconds: a little margin avoids arriving
            // just before the window turns.
            Some(*reset + Duration::from_millis(250))
        }
        _ => None,
    }
}

/// Like [`wait_for`], for a change: it waits for one reset only, so that a
/// row of an import reaches Brevo twice at the most (the first sending and
/// one after the window turned) — never a third time on its own.
pub fn wait_for_change(
    error: &ApiError,
    max_wait: Duration,
    waits_so_far: u32,
) -> Option<Duration> {
    if waits_so_far >= 1 {
        return None;
    }
    wait_for(error, max_wait, waits_so_far)
}

/// Says why we pause, then pauses.
pub async fn pause(console: &mut Console<'_>, wait: Duration) {
    console.note(format!(
        "Brevo's rate limit is reached: waiting {} for the window to reset",
        human_duration(wait)
    ));
    tokio::time::sleep(wait).await;
}

/// "the quota resets in 12 min", or that Brevo did not say.
pub fn reset_phrase(resets_in: Option<Duration>) -> String {
    match resets_in {
        Some(d) => format!("the quota resets in {}", human_duration(d)),
        None => "Brevo did not say when the quota resets".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_waits_for_one_reset_only_and_a_read_for_three() {
        let limited = ApiError::RateLimited {
            reset_after: Some(Duration::from_secs(1)),
            request_id: None,
        };
        let max = Duration::from_secs(10);
        assert!(wait_for_change(&limited, max, 0).is_some());
        assert!(
            wait_for_change(&limited, max, 1).is_none(),
            "a third sending of one change is never made"
        );
        assert!(wait_for(&limited, max, 2).is_some());
        assert!(wait_for(&limited, max, MAX_CONSECUTIVE_WAITS).is_none());
    }
}
