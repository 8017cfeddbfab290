//! A Brevo-compatible mock of the user-management API (spec §4, §10), for
//! the demo, our tests, and anyone who scripts against Brevo offline.
//!
//! It speaks the wire format the spec describes — boolean `is_owner`, label
//! strings in the permissions answer, `{code, message}` errors, rate-limit
//! headers — built here by hand, independent of the client's wire types, so
//! that a client bug cannot hide behind a matching mock bug.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use brevo_users::mock::{MockOptions, MockServer};
//! let server = MockServer::start(MockOptions::default()).await?;
//! let base = server.base_url(); // http://127.0.0.1:PORT/v3
//! server.control().accept("new.hire@acme.test");
//! # Ok(()) }
//! ```

mod connections;
mod control;
mod error;
mod faults;
mod log;
mod pipeline;
mod rate;
mod request;
mod routes;
mod seed;
mod serve;
mod state;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use connections::Limits;
pub use control::MockControl;
pub use faults::{Fault, FaultKind};
pub use log::{LoggedRequest, RequestLog};
pub use seed::{MockUser, Seed, SeedError, demo_seed, load_seed};
pub use serve::{ServeError, ServeOptions, serve_cli};

use control::Shared;
use rate::RateLimiter;
use state::Org;

/// How a mock starts.
#[derive(Clone, Debug)]
pub struct MockOptions {
    pub seed: Seed,
    /// Accept only this `api-key`; without it any non-empty key passes.
    pub api_key: Option<String>,
    /// Added before every `/v3` answer.
    pub latency: Duration,
    /// Requests per window before 429; `None` never refuses (the headers
    /// still count down from 100, Brevo's general-tier budget).
    pub rate_limit: Option<u32>,
    pub rate_window: Duration,
    /// Answer the permissions endpoint with keys instead of labels.
    pub permissions_as_keys: bool,
    /// Read timeout, connection cap and shutdown grace.
    pub limits: Limits,
}

impl Default for MockOptions {
    fn default() -> Self {
        Self {
            seed: demo_seed(),
            api_key: None,
            latency: Duration::ZERO,
            rate_limit: None,
            rate_window: Duration::from_secs(3600),
            permissions_as_keys: false,
            limits: Limits::default(),
        }
    }
}

/// A running mock. It stops when dropped or on [`MockServer::shutdown`].
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    control: MockControl,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Serves on 127.0.0.1 and a free port.
    pub async fn start(options: MockOptions) -> std::io::Result<Self> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), options).await
    }

    /// Serves on `addr` (port 0 picks a free port). Needs a tokio runtime.
    pub async fn start_on(addr: SocketAddr, options: MockOptions) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shutdown = CancellationToken::new();
        let shared = Arc::new(Shared {
            org: Mutex::new(Org::from_seed(options.seed)),
            faults: Mutex::new(Vec::new()),
            log: Mutex::new(RequestLog::default()),
            rate: Mutex::new(RateLimiter::new(options.rate_limit, options.rate_window)),
            latency: Mutex::new(options.latency),
            api_key: options.api_key,
            permissions_as_keys: AtomicBool::new(options.permissions_as_keys),
            read_timeout: options.limits.read_timeout,
            shutdown: shutdown.clone(),
        });
        let control = MockControl { shared };
        let app: Router = control::router()
            .fallback(pipeline::serve)
            .with_state(control.clone());
        let task = tokio::spawn(connections::serve(listener, app, options.limits, shutdown));
        Ok(Self {
            addr,
            control,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT/v3`: what a client uses as Brevo's base URL.
    /// On every interface (`0.0.0.0`, `[::]`) it names loopback, which
    /// reaches it from this machine.
    pub fn base_url(&self) -> String {
        format!("http://{}/v3", self.reachable_addr())
    }

    /// The address a client on this machine connects to.
    pub fn reachable_addr(&self) -> SocketAddr {
        let mut addr = self.addr;
        match addr {
            SocketAddr::V4(_) if addr.ip().is_unspecified() => {
                addr.set_ip(Ipv4Addr::LOCALHOST.into());
            }
            SocketAddr::V6(_) if addr.ip().is_unspecified() => {
                addr.set_ip(Ipv6Addr::LOCALHOST.into());
            }
            _ => {}
        }
        addr
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn control(&self) -> MockControl {
        self.control.clone()
    }

    /// Stops accepting, ends stalled answers, and waits for open requests
    /// (at most [`Limits::shutdown_grace`], then cuts them).
    pub async fn shutdown(mut self) {
        self.control.shared.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.control.shared.shutdown.cancel();
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A JSON answer. Serialising a `serde_json::Value` cannot fail.
pub(crate) fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    json_bytes_response(status, serde_json::to_vec(value).unwrap_or_default())
}

/// A JSON answer already serialised.
pub(crate) fn json_bytes_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
