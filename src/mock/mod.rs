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

mod control;
mod error;
mod faults;
mod pipeline;
mod rate;
mod request;
mod routes;
mod seed;
mod state;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use color_eyre::eyre::{Result, WrapErr};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use control::MockControl;
pub use faults::{Fault, FaultKind, LoggedRequest, RequestLog};
pub use seed::{MockUser, Seed, SeedError, demo_seed, load_seed};

use crate::cli::MockServerArgs;
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
            shutdown: shutdown.clone(),
        });
        let control = MockControl { shared };
        let app: Router = control::router()
            .fallback(pipeline::serve)
            .with_state(control.clone());
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown.cancelled_owned())
                .await;
            if let Err(error) = served {
                tracing::warn!(%error, "the mock server stopped");
            }
        });
        Ok(Self {
            addr,
            control,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT/v3`: what a client uses as Brevo's base URL.
    pub fn base_url(&self) -> String {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(Ipv4Addr::LOCALHOST.into());
        }
        format!("http://{addr}/v3")
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn control(&self) -> MockControl {
        self.control.clone()
    }

    /// Stops accepting, ends stalled answers, and waits for open requests.
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

/// `brevo-users mock-server`: prints the base URL as the first line of
/// stdout, then serves until SIGINT or SIGTERM.
pub async fn serve_cli(args: MockServerArgs) -> Result<()> {
    use std::io::Write;

    let seed = match &args.seed {
        Some(path) => load_seed(path)?,
        None => demo_seed(),
    };
    let users = seed.users.len();
    let options = MockOptions {
        seed,
        api_key: args.api_key.filter(|key| !key.is_empty()),
        latency: Duration::from_millis(args.latency_ms),
        rate_limit: args.rate_limit,
        rate_window: Duration::from_secs(args.rate_window_secs),
        permissions_as_keys: args.keys,
    };
    let server = MockServer::start_on(args.listen, options)
        .await
        .wrap_err_with(|| format!("cannot listen on {}", args.listen))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", server.base_url()).wrap_err("cannot write to stdout")?;
    stdout.flush().wrap_err("cannot write to stdout")?;
    drop(stdout);
    eprintln!(
        "brevo-users mock-server: {users} users; control routes under {}/_mock/; Ctrl-C stops",
        server.base_url().trim_end_matches("/v3")
    );
    stop_signal().await?;
    server.shutdown().await;
    Ok(())
}

async fn stop_signal() -> Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).wrap_err("cannot watch SIGTERM")?;
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted.wrap_err("cannot watch SIGINT")?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .wrap_err("cannot watch Ctrl-C")?;
    Ok(())
}
