//! What the mock remembers of the requests it saw: counts per endpoint and
//! the latest requests, bounded so that no client can make it grow.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One request as the mock saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    pub method: String,
    /// The route template, e.g. `/organization/user/{email}/permissions`,
    /// or `(unknown)` for a path no endpoint serves.
    pub route: String,
    /// The path as sent, without the query.
    pub path: String,
    /// The raw body (lossy UTF-8); absent when empty, refused (over the
    /// size cap) or sent without a valid api-key.
    pub body: Option<String>,
}

impl LoggedRequest {
    /// What keeping it costs, roughly: the parts a client chooses.
    fn size(&self) -> usize {
        self.method.len() + self.path.len() + self.body.as_ref().map_or(0, String::len)
    }
}

/// Every `/v3` request since the last reset: counts per "METHOD route" of
/// the endpoints, a count of the rest, and the most recent requests,
/// bodies included. Control routes are not logged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLog {
    /// Only the endpoints: a made-up method or path never adds a key.
    pub counts: BTreeMap<String, u64>,
    /// Requests that reached no endpoint: an unknown path, or a method the
    /// path does not take.
    #[serde(default)]
    pub unmatched: u64,
    /// The latest requests, oldest first: at most [`RequestLog::KEEP`] of
    /// them, and at most [`RequestLog::KEEP_BYTES`] of their methods, paths
    /// and bodies together.
    pub recent: Vec<LoggedRequest>,
}

impl RequestLog {
    pub const KEEP: usize = 1_000;
    /// 8 MiB: eight bodies at the 1 MiB cap, or thousands of real ones.
    pub const KEEP_BYTES: usize = 8 << 20;

    /// How many requests `method route` received, e.g.
    /// `count("GET", "/organization/invited/users")`.
    pub fn count(&self, method: &str, route: &str) -> u64 {
        self.counts
            .get(&format!("{} {route}", method.to_ascii_uppercase()))
            .copied()
            .unwrap_or(0)
    }

    /// Every `/v3` request, to an endpoint or not.
    pub fn total(&self) -> u64 {
        self.counts.values().sum::<u64>() + self.unmatched
    }

    /// The body of the latest `method route` request.
    pub fn last_body(&self, method: &str, route: &str) -> Option<&str> {
        self.recent
            .iter()
            .rev()
            .find(|r| r.method.eq_ignore_ascii_case(method) && r.route == route)
            .and_then(|r| r.body.as_deref())
    }

    /// Logs a request; `endpoint` says whether it reached one of the
    /// endpoints (and so has a key in `counts`).
    pub(crate) fn record(&mut self, request: LoggedRequest, endpoint: bool) {
        if endpoint {
            *self
                .counts
                .entry(format!("{} {}", request.method, request.route))
                .or_insert(0) += 1;
        } else {
            self.unmatched += 1;
        }
        self.recent.push(request);
        // Summed afresh (a thousand additions) rather than tracked, so that
        // `recent` stays a plain public list.
        let mut kept: usize = self.recent.iter().map(LoggedRequest::size).sum();
        let mut oldest = 0;
        // The newest request always stays: one is never over the budget.
        while oldest + 1 < self.recent.len()
            && (self.recent.len() - oldest > Self::KEEP || kept > Self::KEEP_BYTES)
        {
            kept -= self.recent[oldest].size();
            oldest += 1;
        }
        self.recent.drain(..oldest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, body: usize) -> LoggedRequest {
        LoggedRequest {
            method: "POST".into(),
            route: "/r".into(),
            path: path.into(),
            body: (body > 0).then(|| "x".repeat(body)),
        }
    }

    #[test]
    fn the_log_keeps_the_newest_within_its_bounds() {
        let mut log = RequestLog::default();
        for n in 0..RequestLog::KEEP + 3 {
            log.record(request(&format!("/{n}"), 0), true);
        }
        assert_eq!(log.recent.len(), RequestLog::KEEP);
        assert_eq!(log.recent[0].path, "/3");
        for _ in 0..20 {
            log.record(request("/big", 1 << 20), false);
        }
        let kept: usize = log.recent.iter().map(LoggedRequest::size).sum();
        assert!(kept <= RequestLog::KEEP_BYTES);
        assert_eq!(log.recent.last().map(|r| r.path.as_str()), Some("/big"));
        assert_eq!(log.unmatched, 20);
        assert_eq!(log.counts.len(), 1);
    }
}
