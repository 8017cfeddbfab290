//! From the command line and the environment to a ready `Client`: the real
//! account (`BREVO_API_KEY`, `BREVO_API_URL`) or the demo organization on an
//! in-process mock. Every face (dashboard, commands) connects through here.

use std::fmt;
use std::time::Duration;

use secrecy::SecretString;

use crate::brevo::endpoint::DEFAULT_BASE_URL;
use crate::brevo::{ApiError, Client, ClientBuilder};
use crate::cli::GlobalOptions;
use crate::mock::{MockOptions, MockServer};

/// Reads one environment variable. Injected, so that tests never need
/// `set_var` (which races with other threads) to describe an environment.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, for `main`.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The demo mock answers a little slowly, like the real API does, so that
/// what the dashboard shows while loading is part of the demo.
const DEMO_LATENCY: Duration = Duration::from_millis(120);

/// Where the API key came from, for `info` and error messages; never the
/// key itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    Demo,
}

pub struct Connection {
    pub client: Client,
    /// Keeps the demo's in-process mock alive as long as the connection.
    pub demo: Option<MockServer>,
    pub key_source: KeySource,
}

#[derive(Debug)]
pub enum ConnectError {
    /// No key anywhere: the caller explains how to set one (exit 2).
    NoKey,
    /// The URL or the key cannot be used.
    Client(ApiError),
    /// The demo's mock could not start.
    Demo(std::io::Error),
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoKey => f.write_str(
                "no API key found.\n\
                 Create one in Brevo (Settings → SMTP & API → API keys) and set it in the environment:\n\
                 \n    export BREVO_API_KEY=xkeysib-...\n\n\
                 Or try the tool on a demo organization, with no account and no network:\n\
                 \n    brevo-users --demo",
            ),
            Self::Client(error) => write!(f, "{error}"),
            Self::Demo(error) => write!(f, "the demo organization could not start: {error}"),
        }
    }
}

impl std::error::Error for ConnectError {}

/// Connects as the options and the environment say. `tune` adjusts the
/// client's builder (tests set millisecond timings through it).
pub async fn connect_with(
    options: &GlobalOptions,
    env: EnvLookup<'_>,
    tune: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<Connection, ConnectError> {
    if options.demo {
        let mock = MockServer::start(MockOptions {
            latency: DEMO_LATENCY,
            ..MockOptions::default()
        })
        .await
        .map_err(ConnectError::Demo)?;
        // BREVO_API_KEY is never sent to the demo: a real key has no business
        // leaving for a server it was not made for.
        let builder = Client::builder()
            .base_url(mock.base_url())
            .api_key(SecretString::from("demo"))
            .read_only(options.read_only);
        let client = tune(builder).build().map_err(ConnectError::Client)?;
        return Ok(Connection {
            client,
            demo: Some(mock),
            key_source: KeySource::Demo,
        });
    }
    let key = env("BREVO_API_KEY")
        .filter(|k| !k.trim().is_empty())
        .ok_or(ConnectError::NoKey)?;
    let url = env("BREVO_API_URL")
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let builder = Client::builder()
        .base_url(url)
        .api_key(SecretString::from(key))
        .read_only(options.read_only);
    let client = tune(builder).build().map_err(ConnectError::Client)?;
    Ok(Connection {
        client,
        demo: None,
        key_source: KeySource::Environment,
    })
}

pub async fn connect(
    options: &GlobalOptions,
    env: EnvLookup<'_>,
) -> Result<Connection, ConnectError> {
    connect_with(options, env, |builder| builder).await
}
