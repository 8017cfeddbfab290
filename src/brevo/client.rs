//! `Client`: one reqwest client, built once, one method per endpoint.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;

use super::account::Account;
use super::error::ApiError;
use super::exchange::{ExchangeObserver, ExchangeRecord};
use super::model::{ChangeOutcome, User, UserList, UserPermissions, WirePermissions};
use super::request::AccessRequest;
use super::retry::{Decision, Operation, RateLimit, RecheckPolicy, RetryPolicy, Tries};
use super::transport::{Reply, Transport};

/// Everything but the unreserved characters is encoded in a path segment:
/// `@` becomes `%40` (safe, spec §1) and `+` becomes `%2B`, never a space.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A cheap-to-clone handle on one HTTP client and its settings.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    base_url: Url,
    retry: RetryPolicy,
    recheck: RecheckPolicy,
    read_only: bool,
    rate_limit: Mutex<Option<RateLimit>>,
    observer: Option<ExchangeObserver>,
}

impl Client {
    /// Built by `ClientBuilder::build` (`Client::builder()` lives beside
    /// the builder, so that this file does not lean on it).
    pub(super) fn assemble(
        transport: Transport,
        base_url: Url,
        retry: RetryPolicy,
        recheck: RecheckPolicy,
        read_only: bool,
        observer: Option<ExchangeObserver>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                transport,
                base_url,
                retry,
                recheck,
                read_only,
                rate_limit: Mutex::new(None),
                observer,
            }),
        }
    }

    /// The same client (same connection pool and settings) reporting each
    /// exchange to `observer` instead: the dashboard's journal.
    pub fn observed_by(&self, observer: ExchangeObserver) -> Self {
        let inner = &self.inner;
        Self {
            inner: Arc::new(Inner {
                transport: inner.transport.clone(),
                base_url: inner.base_url.clone(),
                retry: inner.retry.clone(),
                recheck: inner.recheck,
                read_only: inner.read_only,
                rate_limit: Mutex::new(self.rate_limit()),
                observer: Some(observer),
            }),
        }
    }

    /// Reports an attempt, built only when someone listens.
    fn observe(&self, record: impl FnOnce() -> ExchangeRecord) {
        if let Some(observer) = &self.inner.observer {
            observer(record());
        }
    }

    /// How reconciling looks again after a lost answer.
    pub(super) fn recheck_policy(&self) -> RecheckPolicy {
        self.inner.recheck
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

    /// The account the key belongs to: plan and seats (spec §8.1). One
    /// request of the hourly quota: read it once, not per key press.
    pub async fn account(&self) -> Result<Account, ApiError> {
        let reply = self
            .call(Operation::GetAccount, Method::GET, &["account"], None)
            .await?;
        decode::<Account>(&reply)
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
        // The body (2.6 MB at 10,000 users) goes as soon as it is decoded.
        let users = decode::<UserList>(&reply)?.into_users();
        drop(reply);
        Ok(users)
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
        let first_started = Instant::now();
        let mut tries = Tries::default();
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
                    let (status, id) = (Some(reply.status), reply.request_id.as_deref());
                    self.observe(|| {
                        ExchangeRecord::new(&method, &url, status, elapsed_ms, id, remaining, None)
                    });
                    tracing::info!(%method, route = operation.route(), status = reply.status, elapsed_ms,
                        request_id = logged(reply.request_id.as_deref()).as_deref(), remaining, "api call");
                    return Ok(reply);
                }
                Err(failure) => failure.error,
            };
            tries.record(&error);
            let (status, id, kind) = (error.status(), error.request_id(), Some(error.kind()));
            self.observe(|| {
                ExchangeRecord::new(&method, &url, status, elapsed_ms, id, remaining, kind)
            });
            tracing::info!(%method, route = operation.route(), status = error.status(), elapsed_ms,
                request_id = logged(error.request_id()).as_deref(), remaining, attempt = tries.attempts, error = error.kind(), "api call failed");
            match self.inner.retry.decide(operation, &tries, &error) {
                Decision::RetryAfter(wait) => {
                    if matches!(error, ApiError::RateLimited { .. }) {
                        tries.rate_limited += 1;
                    }
                    tokio::time::sleep(wait).await;
                }
                Decision::GiveUp => return Err(given_up(error, &tries, first_started)),
            }
        }
    }
}

/// A timeout after retries says so, with the real time spent: "did not
/// answer within 30 s" after 91 s of three attempts would be untrue.
fn given_up(error: ApiError, tries: &Tries, first_started: Instant) -> ApiError {
    match error {
        ApiError::Timeout { .. } if tries.attempts > 1 => ApiError::Timeout {
            after: first_started.elapsed(),
            attempts: tries.attempts,
        },
        other => other,
    }
}

/// A server's request id as the log may hold it: a hostile one with line
/// breaks must not forge log lines.
fn logged(request_id: Option<&str>) -> Option<String> {
    request_id.map(|id| super::sanitize::sanitize_shortened(id, 100))
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
    use secrecy::SecretString;

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
