//! `Client`: one reqwest client, built once, one method per endpoint.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, Url};
use secrecy::SecretString;
use serde::de::DeserializeOwned;

use super::endpoint::{DEFAULT_BASE_URL, is_loopback, parse_base_url};
use super::error::ApiError;
use super::model::{
    AccessRequest, ChangeOutcome, User, UserList, UserPermissions, WirePermissions,
};
use super::retry::{Decision, Operation, RateLimit, RetryPolicy};
use super::transport::{Reply, Transport};

/// Everything but the unreserved characters is encoded in a path segment:
/// `@` becomes `%40` (safe, spec §1) and `+` becomes `%2B`, never a space.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Answers larger than this are refused (a user list of 10,000 is ~3 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A cheap-to-clone handle on one HTTP client and its settings.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    base_url: Url,
    retry: RetryPolicy,
    read_only: bool,
    rate_limit: Mutex<Option<RateLimit>>,
}

/// Sets up a [`Client`]; every timing setting is adjustable so that tests
/// run in milliseconds.
pub struct ClientBuilder {
    base_url: String,
    api_key: Option<SecretString>,
    connect_timeout: Duration,
    request_timeout: Duration,
    retry: RetryPolicy,
    max_body_bytes: usize,
    read_only: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key: None,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            read_only: false,
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

    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Every change is refused inside the client, whatever face calls it.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
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
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                base_url,
                retry: self.retry,
                read_only: self.read_only,
                rate_limit: Mutex::new(None),
            }),
        })
    }
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The API host, for headers and `info`.
    pub fn host(&self) -> String {
        let url = &self.inner.base_url;
        match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_owned(),
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.inner.read_only
    }

    /// The rate-limit headers of the latest answer, if any came.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        *self
            .inner
            .rate_limit
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Everyone with access: the owner and every invited user.
    pub async fn list_users(&self) -> Result<Vec<User>, ApiError> {
        let reply = self
            .call(
                Operation::ListUsers,
                Method::GET,
                &["organization", "invited", "users"],
                None,
            )
            .await?;
        Ok(decode::<UserList>(&reply)?.users)
    }

    /// One user's permissions, normalised to catalogue keys.
    pub async fn user_permissions(&self, email: &str) -> Result<UserPermissions, ApiError> {
        let path = ["organization", "user", email, "permissions"];
        let reply = self
            .call(Operation::GetPermissions, Method::GET, &path, None)
            .await?;
        Ok(decode::<WirePermissions>(&reply)?.into())
    }

    pub async fn invite(&self, request: &AccessRequest) -> Result<ChangeOutcome, ApiError> {
        self.refuse_if_read_only(Operation::Invite)?;
        request.validate()?;
        let path = ["organization", "user", "invitation", "send"];
        let reply = self
            .call(
                Operation::Invite,
                Method::POST,
                &path,
                Some(request.to_body()),
            )
            .await?;
        decode_outcome(&reply)
    }

    /// Build the request with [`AccessRequest::update`], the one body builder.
    pub async fn update_permissions(
        &self,
        request: &AccessRequest,
    ) -> Result<ChangeOutcome, ApiError> {
        self.refuse_if_read_only(Operation::UpdatePermissions)?;
        request.validate()?;
        let path = ["organization", "user", "update", "permissions"];
        let reply = self
            .call(
                Operation::UpdatePermissions,
                Method::POST,
                &path,
                Some(request.to_body()),
            )
            .await?;
        decode_outcome(&reply)
    }

    pub async fn resend_invitation(&self, email: &str) -> Result<ChangeOutcome, ApiError> {
        self.invitation_action(Operation::ResendInvitation, "resend", email)
            .await
    }

    pub async fn cancel_invitation(&self, email: &str) -> Result<ChangeOutcome, ApiError> {
        self.invitation_action(Operation::CancelInvitation, "cancel", email)
            .await
    }

    pub async fn revoke(&self, email: &str) -> Result<ChangeOutcome, ApiError> {
        self.invitation_action(Operation::Revoke, "revoke", email)
            .await
    }

    async fn invitation_action(
        &self,
        op: Operation,
        action: &str,
        email: &str,
    ) -> Result<ChangeOutcome, ApiError> {
        self.refuse_if_read_only(op)?;
        let path = ["organization", "user", "invitation", action, email];
        let reply = self.call(op, Method::PUT, &path, None).await?;
        decode_outcome(&reply)
    }

    fn refuse_if_read_only(&self, operation: Operation) -> Result<(), ApiError> {
        if self.inner.read_only && operation.is_change() {
            return Err(ApiError::ReadOnly {
                operation: operation.describe(),
            });
        }
        Ok(())
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base_url.clone();
        let mut path = url.path().trim_end_matches('/').to_owned();
        for segment in segments {
            path.push('/');
            path.extend(utf8_percent_encode(segment, PATH_SEGMENT));
        }
        url.set_path(&path);
        url
    }

    /// Sends with the operation's retry policy and records the rate limit.
    async fn call(
        &self,
        operation: Operation,
        method: Method,
        segments: &[&str],
        body: Option<serde_json::Value>,
    ) -> Result<Reply, ApiError> {
        let url = self.url(segments);
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let result = self
                .inner
                .transport
                .send(method.clone(), url.clone(), body.as_ref())
                .await;
            let headers = match &result {
                Ok(reply) => Some(&reply.headers),
                Err(failure) => failure.headers.as_ref(),
            };
            let limit = headers.and_then(|h| RateLimit::from_headers(h, Instant::now()));
            if let Some(limit) = limit {
                *self
                    .inner
                    .rate_limit
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(limit);
            }
            // One line per call for the optional log file: never a header,
            // never the key, never an email (the route is the template).
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let remaining = limit.and_then(|l| l.remaining);
            let error = match result {
                Ok(reply) => {
                    tracing::info!(%method, route = operation.route(), status = reply.status, elapsed_ms,
                        request_id = reply.request_id.as_deref(), remaining, "api call");
                    return Ok(reply);
                }
                Err(failure) => failure.error,
            };
            tracing::info!(%method, route = operation.route(), status = error.status(), elapsed_ms,
                request_id = error.request_id(), remaining, attempt, error = error.kind(), "api call failed");
            match self.inner.retry.decide(operation, attempt, &error) {
                Decision::RetryAfter(wait) => {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Decision::GiveUp => return Err(error),
            }
        }
    }
}

fn decode<T: DeserializeOwned>(reply: &Reply) -> Result<T, ApiError> {
    serde_json::from_slice(&reply.body).map_err(|e| reply.undecodable(&e.to_string()))
}

/// Brevo documents a JSON body on every success; an empty body is read as
/// a plain "OK" rather than a failure, since the change did happen.
fn decode_outcome(reply: &Reply) -> Result<ChangeOutcome, ApiError> {
    if reply.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(ChangeOutcome {
            status: "OK".to_owned(),
            ..ChangeOutcome::default()
        });
    }
    decode(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(read_only: bool) -> Client {
        Client::builder()
            .base_url("http://127.0.0.1:9/v3")
            .api_key(SecretString::from("xkeysib-test"))
            .read_only(read_only)
            .build()
            .unwrap()
    }

    #[test]
    fn emails_are_percent_encoded_in_paths() {
        let url = client(false).url(&["organization", "user", "a+b@x.test", "permissions"]);
        assert_eq!(
            url.path(),
            "/v3/organization/user/a%2Bb%40x.test/permissions"
        );
        let url = client(false).url(&["x", "jürgen/../admin"]);
        assert_eq!(url.path(), "/v3/x/j%C3%BCrgen%2F..%2Fadmin");
    }

    #[test]
    fn building_without_a_key_says_how_to_get_one() {
        let error = Client::builder().build().err().unwrap();
        assert!(error.to_string().contains("BREVO_API_KEY"));
    }

    #[tokio::test]
    async fn read_only_refuses_every_change_before_sending() {
        let client = client(true);
        let error = client.revoke("a@b.test").await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "read-only mode: revoking access was not sent"
        );
        assert!(matches!(
            client.cancel_invitation("a@b.test").await,
            Err(ApiError::ReadOnly { .. })
        ));
    }
}
