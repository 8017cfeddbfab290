//! Accepting and serving connections with the limits a server that scripts
//! (or strangers, with `--listen 0.0.0.0`) can reach needs: a read timeout
//! (no slowloris, no idle connections piling up), a cap on connections open
//! at once, and a stop that does not wait for ever on a slow client.
//!
//! `axum::serve` offers none of these, so connections are served here with
//! hyper's HTTP/1 builder on our own accept loop.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// How long and how many: the mock's protection against clients that hold
/// on to it. Tests shorten the timeouts to milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A request's header must arrive within this time, and then its body
    /// within this time again; an idle keep-alive connection is closed
    /// after it too.
    pub read_timeout: Duration,
    /// Connections open at once. One more is closed as soon as it is
    /// accepted: a clear refusal rather than a silent queue.
    pub max_connections: usize,
    /// After a stop, how long open connections may take to finish before
    /// they are cut.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            read_timeout: Duration::from_secs(10),
            max_connections: 256,
            shutdown_grace: Duration::from_secs(3),
        }
    }
}

/// After an accept error that is not about one connection (out of file
/// descriptors, say), a pause before trying again instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until `shutdown` is cancelled, then gives open
/// connections `limits.shutdown_grace` to finish and cuts the rest.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: CancellationToken,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            () = shutdown.cancelled() => break,
            // Finished connections are reaped as they end, so the set only
            // ever holds open ones.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) if is_connection_error(&error) => continue,
            Err(error) => {
                tracing::warn!(%error, "the mock cannot accept a connection; trying again");
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                }
            }
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            tracing::debug!(
                limit = limits.max_connections,
                "the mock has too many connections open; closing a new one"
            );
            drop(stream);
            continue;
        };
        connections.spawn(serve_connection(
            stream,
            app.clone(),
            limits,
            shutdown.clone(),
            permit,
        ));
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown_grace, drain)
        .await
        .is_err()
    {
        tracing::debug!("the mock cuts the connections still open after the grace period");
        connections.shutdown().await;
    }
}

/// Errors that concern one connection only: the next accept may well work.
fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

async fn serve_connection(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    shutdown: CancellationToken,
    _permit: OwnedSemaphorePermit,
) {
    let mut builder = http1::Builder::new();
    // hyper counts the header timeout from the moment it waits for a
    // request, so it also closes a connection that sends nothing at all.
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.read_timeout);
    let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        served = connection.as_mut() => {
            if let Err(error) = served {
                tracing::debug!(%error, "a mock connection ended with an error");
            }
        }
        () = shutdown.cancelled() => {
            // Finishes the request in progress (stalls and waits end on the
            // same token), then closes; the grace period bounds the rest.
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}
