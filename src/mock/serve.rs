//! `brevo-users mock-server`: the mock as a program. The CLI turns its
//! flags into [`ServeOptions`]; every expected failure (a busy port, a seed
//! that cannot be read) comes back as a [`ServeError`], one sentence with
//! its exit code, never a crash report.

use std::io::{ErrorKind, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::seed::{SeedError, demo_seed, load_seed};
use super::{MockOptions, MockServer};
use crate::brevo::sanitize::sanitize;

/// What `mock-server` was asked to do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServeOptions {
    /// `HOST:PORT`: an IP address or a name (resolved, IPv4 first); port 0
    /// picks a free port.
    pub listen: String,
    pub seed: Option<PathBuf>,
    /// Accept only this `api-key`; empty or absent accepts any non-empty key.
    pub api_key: Option<String>,
    pub latency: Duration,
    pub rate_limit: Option<u32>,
    pub rate_window: Duration,
    pub permissions_as_keys: bool,
}

/// Why `mock-server` could not start or keep serving.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "--listen takes HOST:PORT with a port from 0 to 65535 (for example 127.0.0.1:8025), not {0}"
    )]
    ListenForm(String),
    #[error("cannot resolve {listen}: {reason}")]
    Resolve { listen: String, reason: String },
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: SocketAddr, reason: String },
    #[error("{0}")]
    Seed(String),
    #[error("cannot watch for the stop signal: {0}")]
    Signal(String),
    #[error("cannot write the base URL to stdout: {0}")]
    Stdout(String),
}

impl ServeError {
    /// 2 for what the user can fix in the command line (the README's usage
    /// errors), 1 for the rest.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Signal(_) | Self::Stdout(_) => 1,
            _ => 2,
        }
    }
}

/// Prints the base URL as the first line of stdout, then serves until
/// SIGINT or SIGTERM.
pub async fn serve_cli(options: ServeOptions) -> Result<(), ServeError> {
    let seed = match &options.seed {
        Some(path) => load_seed(path).map_err(|e| ServeError::Seed(seed_sentence(&e)))?,
        None => demo_seed(),
    };
    let users = seed.users.len();
    let mock_options = MockOptions {
        seed,
        api_key: options.api_key.filter(|key| !key.is_empty()),
        latency: options.latency,
        rate_limit: options.rate_limit,
        rate_window: options.rate_window,
        permissions_as_keys: options.permissions_as_keys,
        ..MockOptions::default()
    };
    let server = bind(&options.listen, mock_options).await?;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{}", server.base_url()).and_then(|()| stdout.flush()) {
        // Nobody reads stdout (`| true`): the note below still names the
        // address, and the mock is still useful.
        Err(error) if error.kind() == ErrorKind::BrokenPipe => {}
        Err(error) => return Err(ServeError::Stdout(io_reason(&error))),
        Ok(()) => {}
    }
    drop(stdout);
    let origin = server.base_url().trim_end_matches("/v3").to_owned();
    if !server.addr().ip().is_loopback() {
        warn_reachable(&server);
    }
    eprintln!(
        "brevo-users mock-server: {users} users; control routes under {origin}/_mock/; Ctrl-C stops"
    );
    stop_signal().await?;
    server.shutdown().await;
    Ok(())
}

/// Resolves `listen` and serves on the first of its addresses that binds.
async fn bind(listen: &str, options: MockOptions) -> Result<MockServer, ServeError> {
    let addrs = resolve(listen).await?;
    let mut first_failure = None;
    for addr in addrs {
        match MockServer::start_on(addr, options.clone()).await {
            Ok(server) => return Ok(server),
            Err(error) => {
                first_failure.get_or_insert(ServeError::Bind {
                    addr,
                    reason: bind_reason(&error),
                });
            }
        }
    }
    Err(first_failure.unwrap_or_else(|| ServeError::Resolve {
        listen: listen.to_owned(),
        reason: "the name has no address".into(),
    }))
}

/// `127.0.0.1:8025`, `[::1]:0` or `localhost:0`; IPv4 addresses first, so
/// that a name prints the same `127.0.0.1` URL as everywhere else.
async fn resolve(listen: &str) -> Result<Vec<SocketAddr>, ServeError> {
    if let Ok(addr) = listen.parse::<SocketAddr>() {
        return Ok(vec![addr]);
    }
    let well_formed = listen
        .rsplit_once(':')
        .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
    if !well_formed {
        return Err(ServeError::ListenForm(listen.to_owned()));
    }
    let resolved = tokio::net::lookup_host(listen)
        .await
        .map_err(|error| ServeError::Resolve {
            listen: listen.to_owned(),
            reason: io_reason(&error),
        })?;
    let mut addrs: Vec<SocketAddr> = resolved.collect();
    addrs.sort_by_key(|addr| !addr.is_ipv4());
    addrs.dedup();
    Ok(addrs)
}

/// The mock has no authentication worth the name: on any address but
/// loopback, say who can reach what.
fn warn_reachable(server: &MockServer) {
    let addr = server.addr();
    eprintln!(
        "brevo-users mock-server: warning: listening on {addr}, which the network can reach: \
         anyone who reaches this machine can use the mock, change it through its control \
         routes under /_mock/ and read its request log, request bodies included; \
         --listen 127.0.0.1:{} keeps it on this machine",
        addr.port()
    );
    if addr.ip().is_unspecified() {
        eprintln!(
            "brevo-users mock-server: reachable here at {}, and at this machine's other \
             addresses on port {}",
            server.base_url(),
            addr.port()
        );
    }
}

fn bind_reason(error: &std::io::Error) -> String {
    match error.kind() {
        ErrorKind::AddrInUse => "another program is already listening there".into(),
        ErrorKind::AddrNotAvailable => "this machine has no such address".into(),
        ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges)".into()
        }
        _ => io_reason(error),
    }
}

/// One sentence with its reason: the file's path, and what is wrong with it.
fn seed_sentence(error: &SeedError) -> String {
    match error {
        SeedError::Read { path, source } => {
            let reason = match source.kind() {
                ErrorKind::NotFound => "there is no such file".to_owned(),
                ErrorKind::IsADirectory => "it is a folder".to_owned(),
                _ => io_reason(source),
            };
            format!("cannot read the seed file {path}: {reason}")
        }
        // serde_json quotes what it found; the file is the user's own, but
        // it may hold anything, so it is sanitised like network text.
        SeedError::Parse { path, source } => format!(
            "the seed file {path} is not a valid organization: {}",
            sanitize(&source.to_string())
        ),
    }
}

/// An I/O error as the end of a sentence: "permission denied", without
/// "(os error 13)".
fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = text.split(" (os error").next().unwrap_or_default();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "an unknown error".into(),
    }
}

async fn stop_signal() -> Result<(), ServeError> {
    let failed = |error: std::io::Error| ServeError::Signal(io_reason(&error));
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).map_err(failed)?;
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted.map_err(failed)?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await.map_err(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn listen_addresses_resolve_ipv4_first() {
        let addrs = resolve("127.0.0.1:0").await.expect("an address");
        assert_eq!(addrs, ["127.0.0.1:0".parse::<SocketAddr>().unwrap()]);
        let named = resolve("localhost:0").await.expect("localhost resolves");
        assert!(named[0].is_ipv4(), "{named:?}");
        for bad in ["localhost", ":80", "127.0.0.1:99999", "host:port"] {
            assert!(
                matches!(resolve(bad).await, Err(ServeError::ListenForm(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn io_reasons_read_as_the_end_of_a_sentence() {
        let error = std::io::Error::from_raw_os_error(13);
        assert_eq!(io_reason(&error), "permission denied");
    }
}
