//! When to try a request again, decided per operation rather than per HTTP
//! method: a failed read costs nothing to repeat, a failed change may have
//! happened already (a second invitation email, a second billing change).

use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;

use super::error::ApiError;

/// The seven calls the client makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    GetAccount,
    ListUsers,
    GetPermissions,
    Invite,
    UpdatePermissions,
    ResendInvitation,
    CancelInvitation,
    Revoke,
}

impl Operation {
    pub fn is_change(self) -> bool {
        !matches!(
            self,
            Self::GetAccount | Self::ListUsers | Self::GetPermissions
        )
    }

    /// The route template, for logs (emails stay out of the log).
    pub fn route(self) -> &'static str {
        match self {
            Self::GetAccount => "/account",
            Self::ListUsers => "/organization/invited/users",
            Self::GetPermissions => "/organization/user/{email}/permissions",
            Self::Invite => "/organization/user/invitation/send",
            Self::UpdatePermissions => "/organization/user/update/permissions",
            Self::ResendInvitation => "/organization/user/invitation/resend/{email}",
            Self::CancelInvitation => "/organization/user/invitation/cancel/{email}",
            Self::Revoke => "/organization/user/invitation/revoke/{email}",
        }
    }

    /// For messages: "read-only mode: revoking access was not sent".
    pub fn describe(self) -> &'static str {
        match self {
            Self::GetAccount => "reading the account",
            Self::ListUsers => "listing users",
            Self::GetPermissions => "reading permissions",
            Self::Invite => "the invitation",
            Self::UpdatePermissions => "the permission change",
            Self::ResendInvitation => "resending the invitation",
            Self::CancelInvitation => "cancelling the invitation",
            Self::Revoke => "revoking access",
        }
    }
}

/// Timing settings, all adjustable through the client builder so that tests
/// run in milliseconds.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// First backoff step; each retry doubles it, up to `max_backoff`.
    pub backoff_base: Duration,
    pub max_backoff: Duration,
    /// A 429 whose reset is further away than this is returned at once
    /// instead of waited for.
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            backoff_base: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_rate_limit_wait: Duration::from_secs(10),
        }
    }
}

/// How reconciling looks again when Brevo may still be working on a change
/// whose answer was lost (a 40 s invite appears after the 30 s timeout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecheckPolicy {
    /// The pause before each look after the first.
    pub wait: Duration,
    /// Looks after the first; each costs one read of the rate-limit budget.
    pub rechecks: u32,
}

impl Default for RecheckPolicy {
    fn default() -> Self {
        Self {
            wait: Duration::from_secs(3),
            rechecks: 2,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    RetryAfter(Duration),
    GiveUp,
}

/// What one call has cost so far, counted by the client as it goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tries {
    /// Attempts made, the one that just failed included.
    pub attempts: u32,
    /// Attempts that reached a server (all but failures to connect): for a
    /// change, each may have been acted on.
    pub delivered: u32,
    /// Retries made because of a 429.
    pub rate_limited: u32,
}

impl Tries {
    /// Counts an attempt that failed with `error`.
    pub fn record(&mut self, error: &ApiError) {
        self.attempts += 1;
        if !matches!(error, ApiError::Connect { .. }) {
            self.delivered += 1;
        }
    }
}

/// A change reaches Brevo at most this often for one call: the first
/// sending and one retry after a 429 (which Brevo refused before acting).
const MAX_DELIVERIES_OF_A_CHANGE: u32 = 2;

impl RetryPolicy {
    /// Decides after the attempt counted last in `tries` failed.
    pub fn decide(&self, operation: Operation, tries: &Tries, error: &ApiError) -> Decision {
        if tries.attempts >= self.max_attempts {
            return Decision::GiveUp;
        }
        let change = operation.is_change();
        if change && tries.delivered >= MAX_DELIVERIES_OF_A_CHANGE {
            return Decision::GiveUp;
        }
        match error {
            // Brevo refused before doing anything: waiting and repeating is
            // safe for changes too, as long as the wait is short. A change
            // waits for one reset only: a second 429 means the window is
            // still full, and the caller decides (spec §7).
            ApiError::RateLimited { .. } if change && tries.rate_limited >= 1 => Decision::GiveUp,
            ApiError::RateLimited { reset_after, .. } => match reset_after {
                Some(wait) if *wait <= self.max_rate_limit_wait => Decision::RetryAfter(*wait),
                Some(_) => Decision::GiveUp,
                None => Decision::RetryAfter(self.backoff(tries.attempts)),
            },
            // The request never left: no change can have happened.
            ApiError::Connect { .. } => Decision::RetryAfter(self.backoff(tries.attempts)),
            ApiError::Timeout { .. } | ApiError::Network { .. } | ApiError::Server { .. }
                if !change =>
            {
                Decision::RetryAfter(self.backoff(tries.attempts))
            }
            _ => Decision::GiveUp,
        }
    }

    /// Exponential backoff with full jitter: a random wait between zero and
    /// the doubled step, so that many clients do not retry in step.
    fn backoff(&self, attempt: u32) -> Duration {
        let step = self
            .backoff_base
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_backoff);
        let millis = u64::try_from(step.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=millis))
    }
}

/// The rate-limit state Brevo reported on its latest answer (spec §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// Seconds until the window resets, as reported (a relative count).
    pub reset_after: Option<Duration>,
    pub observed_at: Instant,
}

impl RateLimit {
    pub fn from_headers(headers: &HeaderMap, now: Instant) -> Option<Self> {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(|v| v as u64)
        };
        let limit = number("x-sib-ratelimit-limit");
        let remaining = number("x-sib-ratelimit-remaining");
        let reset_after = number("x-sib-ratelimit-reset").map(Duration::from_secs);
        (limit.is_some() || remaining.is_some() || reset_after.is_some()).then_some(Self {
            limit,
            remaining,
            reset_after,
            observed_at: now,
        })
    }

    /// The window's reset, counted from `now` rather than from when the
    /// headers arrived.
    pub fn resets_in(&self, now: Instant) -> Option<Duration> {
        self.reset_after
            .map(|reset| reset.saturating_sub(now.saturating_duration_since(self.observed_at)))
    }
}

/// How long a 429 asks us to wait: `x-sib-ratelimit-reset`, else
/// `Retry-After` (whether Brevo sends it is unconfirmed, spec §7).
pub fn rate_limit_wait(headers: &HeaderMap) -> Option<Duration> {
    let seconds = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
    };
    seconds("x-sib-ratelimit-reset").or_else(|| seconds("retry-after"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            backoff_base: Duration::from_millis(10),
            max_backoff: Duration::from_millis(40),
            max_rate_limit_wait: Duration::from_secs(10),
        }
    }

    fn server_error() -> ApiError {
        ApiError::Server {
            status: 500,
            message: String::new().into(),
            request_id: None,
        }
    }

    /// After `attempts` attempts, each of which reached the server.
    fn after(attempts: u32) -> Tries {
        Tries {
            attempts,
            delivered: attempts,
            rate_limited: 0,
        }
    }

    #[test]
    fn reads_are_retried_on_server_errors_until_the_attempts_run_out() {
        let policy = policy();
        assert!(matches!(
            policy.decide(Operation::ListUsers, &after(1), &server_error()),
            Decision::RetryAfter(_)
        ));
        assert!(matches!(
            policy.decide(Operation::GetPermissions, &after(2), &server_error()),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            policy.decide(Operation::ListUsers, &after(3), &server_error()),
            Decision::GiveUp
        );
    }

    #[test]
    fn changes_are_retried_only_when_the_connection_was_never_made() {
        let policy = policy();
        let never_sent = ApiError::Connect {
            host: "h".into(),
            message: String::new(),
        };
        assert!(matches!(
            policy.decide(
                Operation::Invite,
                &Tries {
                    attempts: 1,
                    ..Tries::default()
                },
                &never_sent
            ),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            policy.decide(Operation::Invite, &after(1), &server_error()),
            Decision::GiveUp
        );
        let timeout = ApiError::Timeout {
            after: Duration::from_secs(1),
            attempts: 1,
        };
        assert_eq!(
            policy.decide(Operation::Revoke, &after(1), &timeout),
            Decision::GiveUp
        );
    }

    #[test]
    fn a_short_rate_limit_is_waited_for_and_a_long_one_returned() {
        let policy = policy();
        let short = ApiError::RateLimited {
            reset_after: Some(Duration::from_secs(2)),
            request_id: None,
        };
        let long = ApiError::RateLimited {
            reset_after: Some(Duration::from_secs(3600)),
            request_id: None,
        };
        assert_eq!(
            policy.decide(Operation::Invite, &after(1), &short),
            Decision::RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(
            policy.decide(Operation::Invite, &after(1), &long),
            Decision::GiveUp
        );
    }

    #[test]
    fn a_change_waits_for_one_reset_only_and_never_goes_out_a_third_time() {
        let policy = RetryPolicy {
            max_attempts: 10,
            ..policy()
        };
        let limited = ApiError::RateLimited {
            reset_after: Some(Duration::from_secs(1)),
            request_id: None,
        };
        let once_limited = Tries {
            attempts: 2,
            delivered: 2,
            rate_limited: 1,
        };
        assert_eq!(
            policy.decide(Operation::UpdatePermissions, &once_limited, &limited),
            Decision::GiveUp
        );
        // A read may keep waiting for short resets.
        assert!(matches!(
            policy.decide(Operation::ListUsers, &once_limited, &limited),
            Decision::RetryAfter(_)
        ));
        // Two deliveries already: not even a refused connection is retried.
        let never_sent = ApiError::Connect {
            host: "h".into(),
            message: String::new(),
        };
        let twice = Tries {
            attempts: 3,
            delivered: 2,
            rate_limited: 1,
        };
        assert_eq!(
            policy.decide(Operation::Invite, &twice, &never_sent),
            Decision::GiveUp
        );
    }

    #[test]
    fn backoff_stays_within_the_doubled_step_and_the_cap() {
        let policy = policy();
        for attempt in 1..10 {
            let wait = policy.backoff(attempt);
            assert!(wait <= Duration::from_millis(40), "{attempt}: {wait:?}");
        }
    }

    #[test]
    fn rate_limit_headers_are_parsed_and_counted_down() {
        let mut headers = HeaderMap::new();
        headers.insert("x-sib-ratelimit-limit", "100".parse().unwrap());
        headers.insert("x-sib-ratelimit-remaining", "42".parse().unwrap());
        headers.insert("x-sib-ratelimit-reset", "60".parse().unwrap());
        let start = Instant::now();
        let limit = RateLimit::from_headers(&headers, start).unwrap();
        assert_eq!((limit.limit, limit.remaining), (Some(100), Some(42)));
        assert_eq!(
            limit.resets_in(start + Duration::from_secs(15)),
            Some(Duration::from_secs(45))
        );
        assert_eq!(rate_limit_wait(&headers), Some(Duration::from_secs(60)));
        assert!(RateLimit::from_headers(&HeaderMap::new(), start).is_none());
    }
}
