//! Starting and stopping one mock: its options, its listener, its handle.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::connections::Limits;
use super::control::{MockControl, Shared};
use super::log::RequestLog;
use super::rate::RateLimiter;
use super::seed::{Seed, demo_seed};
use super::state::Org;
use super::{connections, control, pipeline};

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
