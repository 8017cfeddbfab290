//! Steering the mock: in-process through [`MockControl`], over HTTP through
//! the `/_mock/` routes. Neither is logged nor rate limited, and neither
//! needs an api-key: they are test hooks with no Brevo equivalent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use super::error::MockError;
use super::faults::Fault;
use super::log::RequestLog;
use super::rate::RateLimiter;
use super::request::parse_json;
use super::response::json_response;
use super::seed::{MockUser, Seed};
use super::seed_account::SeedAccount;
use super::state::Org;
use crate::brevo::seats::SeatUse;

/// Everything one mock server holds. Locks are never held across an await,
/// and a poisoned lock is used as is: a panicking handler must not take the
/// whole mock down with it.
#[derive(Debug)]
pub(crate) struct Shared {
    pub org: Mutex<Org>,
    pub faults: Mutex<Vec<Fault>>,
    pub log: Mutex<RequestLog>,
    pub rate: Mutex<RateLimiter>,
    pub latency: Mutex<Duration>,
    pub api_key: Option<String>,
    pub permissions_as_keys: AtomicBool,
    /// How long a request body may take to arrive (the header has its own
    /// timeout in the connection).
    pub read_timeout: Duration,
    /// Cancelled when the server stops; stalled answers wait for it.
    pub shutdown: CancellationToken,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A cheap handle on a running mock's state and behaviour.
#[derive(Clone, Debug)]
pub struct MockControl {
    pub(crate) shared: Arc<Shared>,
}

impl MockControl {
    /// Every user, owner included, in list order.
    pub fn users(&self) -> Vec<MockUser> {
        lock(&self.shared.org).users().to_vec()
    }

    /// One user, found case-insensitively.
    pub fn user(&self, email: &str) -> Option<MockUser> {
        lock(&self.shared.org).find(email).cloned()
    }

    /// Replaces every user (hostile data included: nothing is validated).
    pub fn set_users(&self, users: Vec<MockUser>) {
        lock(&self.shared.org).set_users(users);
    }

    /// Replaces the whole organization, billing mode included.
    pub fn set_seed(&self, seed: Seed) {
        *lock(&self.shared.org) = Org::from_seed(seed);
    }

    /// The organization in seed form.
    pub fn seed(&self) -> Seed {
        lock(&self.shared.org).to_seed()
    }

    /// The account `GET /account` serves, purchased seats as they stand.
    pub fn account(&self) -> SeedAccount {
        lock(&self.shared.org).seed_account().clone()
    }

    /// Seats per vertical of the account: purchased as they stand, used
    /// counted from the users by the core's rule (`brevo::seats`).
    pub fn seats(&self) -> Vec<SeatUse> {
        lock(&self.shared.org).seats()
    }

    /// Whether changes over the seats answer with invoices, and removals of
    /// paid seats with credit notes.
    pub fn set_seat_billing(&self, on: bool) {
        lock(&self.shared.org).set_seat_billing(on);
    }

    /// Turns a pending invitation active, as if the invitee accepted it.
    /// False when `email` has no pending invitation.
    pub fn accept(&self, email: &str) -> bool {
        lock(&self.shared.org).accept(email)
    }

    pub fn add_fault(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// The faults not used up yet.
    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.shared.faults).clone()
    }

    /// A delay added to every `/v3` answer from now on.
    pub fn set_latency(&self, latency: Duration) {
        *lock(&self.shared.latency) = latency;
    }

    /// Answer the permissions endpoint with keys instead of labels.
    pub fn set_permissions_as_keys(&self, keys: bool) {
        self.shared
            .permissions_as_keys
            .store(keys, Ordering::Relaxed);
    }

    pub fn request_log(&self) -> RequestLog {
        lock(&self.shared.log).clone()
    }

    pub fn reset_log(&self) {
        *lock(&self.shared.log) = RequestLog::default();
    }
}

/// The `/_mock/` routes.
pub(crate) fn router() -> Router<MockControl> {
    Router::new()
        .route(
            "/_mock/faults",
            get(list_faults).post(add_faults).delete(clear_faults),
        )
        .route("/_mock/requests", get(requests).delete(reset_requests))
        .route("/_mock/accept/{email}", post(accept))
        .route("/_mock/state", get(state).put(replace_state))
        .route("/_mock/latency", put(set_latency))
}

fn ok() -> Response {
    json_response(StatusCode::OK, &json!({ "status": "OK" }))
}

fn error(error: &MockError) -> Response {
    json_response(error.status, &error.body())
}

/// Parses a control body into `T`, answering a JSON 400 when it does not fit.
fn body_as<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, MockError> {
    let value = parse_json(body)?;
    serde_json::from_value(value).map_err(|e| MockError::bad("invalid_parameter", e.to_string()))
}

async fn list_faults(State(control): State<MockControl>) -> Response {
    json_response(StatusCode::OK, &json!({ "faults": control.faults() }))
}

/// Takes one fault object or an array of them.
async fn add_faults(State(control): State<MockControl>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Fault),
        Many(Vec<Fault>),
    }
    let faults = match body_as::<OneOrMany>(&body) {
        Ok(OneOrMany::One(fault)) => vec![fault],
        Ok(OneOrMany::Many(faults)) => faults,
        Err(refusal) => return error(&refusal),
    };
    // All or none: a batch with one fault that could never fire adds none.
    for (index, fault) in faults.iter().enumerate() {
        if let Err(mut refusal) = fault.check_reachable() {
            if faults.len() > 1 {
                refusal.message = format!(
                    "Fault {} of {}: {}",
                    index + 1,
                    faults.len(),
                    refusal.message
                );
            }
            return error(&refusal);
        }
    }
    for fault in faults {
        control.add_fault(fault);
    }
    ok()
}

async fn clear_faults(State(control): State<MockControl>) -> Response {
    control.clear_faults();
    ok()
}

async fn requests(State(control): State<MockControl>) -> Response {
    json_response(StatusCode::OK, &json!(control.request_log()))
}

async fn reset_requests(State(control): State<MockControl>) -> Response {
    control.reset_log();
    ok()
}

async fn accept(
    State(control): State<MockControl>,
    email: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(email)) = email else {
        return error(&MockError::bad(
            "invalid_parameter",
            "Malformed email in the path",
        ));
    };
    if control.accept(&email) {
        ok()
    } else {
        error(&MockError::new(
            StatusCode::NOT_FOUND,
            "document_not_found",
            "No pending invitation for this email",
        ))
    }
}

async fn state(State(control): State<MockControl>) -> Response {
    json_response(StatusCode::OK, &json!(control.seed()))
}

async fn replace_state(State(control): State<MockControl>, body: Bytes) -> Response {
    match body_as::<Seed>(&body) {
        Ok(seed) => {
            control.set_seed(seed);
            ok()
        }
        Err(refusal) => error(&refusal),
    }
}

async fn set_latency(State(control): State<MockControl>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    struct Latency {
        ms: u64,
    }
    match body_as::<Latency>(&body) {
        Ok(Latency { ms }) => {
            control.set_latency(Duration::from_millis(ms));
            ok()
        }
        Err(refusal) => error(&refusal),
    }
}
