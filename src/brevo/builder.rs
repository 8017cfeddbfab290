//! `ClientBuilder`: the settings a [`Client`] is built with, every timing
//! among them adjustable so that tests run in milliseconds.

use std::time::Duration;

use secrecy::SecretString;

use super::client::Client;
use super::endpoint::{DEFAULT_BASE_URL, is_loopback, parse_base_url};
use super::error::ApiError;
use super::exchange::ExchangeObserver;
use super::retry::{RecheckPolicy, RetryPolicy};
use super::transport::Transport;

/// Answers larger than this are refused (a user list of 10,000 is ~3 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Sets up a [`Client`]; every timing setting is adjustable so that tests
/// run in milliseconds.
pub struct ClientBuilder {
    base_url: String,
    api_key: Option<SecretString>,
    connect_timeout: Duration,
    request_timeout: Duration,
    retry: RetryPolicy,
    recheck: RecheckPolicy,
    max_body_bytes: usize,
    read_only: bool,
    observer: Option<ExchangeObserver>,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key: None,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            recheck: RecheckPolicy::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            read_only: false,
            observer: None,
        }
    }
}

impl ClientBuilder {
    /// `https://api.brevo.com/v3` by default; a bare host gets `/v3`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    pub fn api_key(mut self, key: SecretString) -> Self {
        self.api_key = Some(key);
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest one attempt may take, answer body included.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    pub fn backoff_base(mut self, base: Duration) -> Self {
        self.retry.backoff_base = base;
        self
    }

    pub fn max_backoff(mut self, max: Duration) -> Self {
        self.retry.max_backoff = max;
        self
    }

    /// A 429 that resets later than this is returned instead of waited for.
    pub fn max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.retry.max_rate_limit_wait = wait;
        self
    }

    /// Attempts in all for one call, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    /// After a lost answer, when Brevo may still be working on the change,
    /// reconciling pauses this long before each look after the first
    /// (3 s by default).
    pub fn reconcile_wait(mut self, wait: Duration) -> Self {
        self.recheck.wait = wait;
        self
    }

    /// How many more looks reconciling takes after the first, in that case
    /// (2 by default; 0 looks once).
    pub fn reconcile_rechecks(mut self, rechecks: u32) -> Self {
        self.recheck.rechecks = rechecks;
        self
    }

    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Every change is refused inside the client, whatever face calls it.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// Reports every attempt (method, route, status, duration, request id,
    /// requests left; never a header or the key) to `observer`.
    pub fn on_exchange(mut self, observer: ExchangeObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    pub fn build(self) -> Result<Client, ApiError> {
        let base_url = parse_base_url(&self.base_url)?;
        let key = self.api_key.ok_or_else(|| {
            ApiError::Config("no API key: set BREVO_API_KEY, or try --demo".to_owned())
        })?;
        let transport = Transport::new(
            &key,
            self.connect_timeout,
            self.request_timeout,
            self.max_body_bytes,
            is_loopback(&base_url),
            base_url.host_str().unwrap_or_default(),
        )?;
        Ok(Client::assemble(
            transport,
            base_url,
            self.retry,
            self.recheck,
            self.read_only,
            self.observer,
        ))
    }
}
