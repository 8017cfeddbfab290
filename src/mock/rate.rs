//! The rate-limit budget behind the `x-sib-ratelimit-*` headers (spec §7).

use std::time::{Duration, Instant};

/// A fixed window that opens with its first request.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    /// The enforced budget; without one the headers still count down from
    /// [`RateLimiter::ADVERTISED`] but no request is refused.
    limit: Option<u32>,
    window: Duration,
    opened: Option<Instant>,
    used: u32,
}

/// What the `x-sib-ratelimit-*` headers say about one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RateStatus {
    pub limit: u32,
    pub remaining: u32,
    pub reset_secs: u64,
    pub exceeded: bool,
}

impl RateLimiter {
    /// Brevo's general-tier budget for these endpoints (spec §7).
    pub const ADVERTISED: u32 = 100;

    pub fn new(limit: Option<u32>, window: Duration) -> Self {
        Self {
            limit,
            window: window.max(Duration::from_secs(1)),
            opened: None,
            used: 0,
        }
    }

    /// Counts one request against the budget.
    pub fn take(&mut self, now: Instant) -> RateStatus {
        self.roll(now);
        self.opened.get_or_insert(now);
        self.used = self.used.saturating_add(1);
        let mut status = self.status(now);
        status.exceeded = self.limit.is_some_and(|limit| self.used > limit);
        status
    }

    /// The budget as it stands, without using any of it.
    pub fn peek(&mut self, now: Instant) -> RateStatus {
        self.roll(now);
        self.status(now)
    }

    fn roll(&mut self, now: Instant) {
        if self
            .opened
            .is_some_and(|opened| now.duration_since(opened) >= self.window)
        {
            self.opened = None;
            self.used = 0;
        }
    }

    fn status(&self, now: Instant) -> RateStatus {
        let limit = self.limit.unwrap_or(Self::ADVERTISED);
        let left = match self.opened {
            Some(opened) => self.window.saturating_sub(now.duration_since(opened)),
            None => self.window,
        };
        RateStatus {
            limit,
            remaining: limit.saturating_sub(self.used),
            reset_secs: left.as_secs() + u64::from(left.subsec_nanos() > 0),
            exceeded: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_resets_with_the_window() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(Some(2), Duration::from_secs(10));
        assert!(!limiter.take(start).exceeded);
        assert_eq!(limiter.take(start).remaining, 0);
        let third = limiter.take(start + Duration::from_millis(500));
        assert!(third.exceeded);
        assert_eq!(third.reset_secs, 10);
        assert!(!limiter.take(start + Duration::from_secs(10)).exceeded);
    }
}
