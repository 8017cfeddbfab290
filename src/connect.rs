//! From the command line and the environment to a ready `Client`: the real
//! account (`BREVO_API_KEY`, `BREVO_API_URL`) or the demo organization on an
//! in-process mock. Every face (dashboard, commands) connects through here.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::brevo::endpoint::DEFAULT_BASE_URL;
use crate::brevo::{ApiError, Client, ClientBuilder, Preset, presets};
use crate::cli::GlobalOptions;
use crate::config::credentials::{self, CredentialError, KeySource, Prompter};
use crate::config::{Config, Located, api_url};
use crate::mock::{MockOptions, MockServer, Seed};

// The environment belongs to the configuration; re-exported here because
// every face reaches it through `connect`.
pub use crate::config::env::{EnvLookup, SharedEnv, process_env};
pub use crate::config::key_turn::KeyTurn;

/// The demo mock answers a little slowly, like the real API does, so that
/// what the dashboard shows while loading is part of the demo.
const DEMO_LATENCY: Duration = Duration::from_millis(120);

pub struct Connection {
    pub client: Client,
    /// Keeps the demo's in-process mock alive as long as the connection.
    pub demo: Option<MockServer>,
    pub key_source: KeySource,
    /// The profile in force, if any.
    pub profile: Option<String>,
    /// The built-in presets plus the profile's own.
    pub presets: Vec<Preset>,
    /// Unknown keys in the configuration file, each with file and line.
    pub warnings: Vec<String>,
}

#[derive(Debug)]
pub enum ConnectError {
    /// No key anywhere: the caller explains how to set one (exit 2).
    NoKey,
    /// The URL or the key cannot be used.
    Client(ApiError),
    /// The demo's mock could not start.
    Demo(std::io::Error),
    /// The configuration file is wrong (file and line in the message).
    Config(Located),
    /// `--profile` or `BREVO_USERS_PROFILE` names no profile.
    Profile(String),
    /// A credential source was found but failed.
    Credential(CredentialError),
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
            Self::Config(error) => write!(f, "{error}"),
            Self::Profile(message) => f.write_str(message),
            Self::Credential(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for ConnectError {}

/// Connects as the options, the configuration and the environment say.
/// `prompt` asks for the key when no other source has one; `tune` adjusts
/// the client's builder (tests set millisecond timings through it).
pub async fn connect_with(
    options: &GlobalOptions,
    config: &Config,
    env: EnvLookup<'_>,
    prompt: Option<Prompter<'_>>,
    tune: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<Connection, ConnectError> {
    connect_in_turn(options, config, env, prompt, tune, None).await
}

/// [`connect_with`], getting the key only while holding `turn`: several
/// profiles connect at once (building a client takes a while), and still
/// no two key commands or prompts share the terminal.
async fn connect_in_turn(
    options: &GlobalOptions,
    config: &Config,
    env: EnvLookup<'_>,
    prompt: Option<Prompter<'_>>,
    tune: impl FnOnce(ClientBuilder) -> ClientBuilder,
    turn: Option<&KeyTurn>,
) -> Result<Connection, ConnectError> {
    let profile = config
        .select_profile(options.profile.as_deref(), env)
        .map_err(ConnectError::Profile)?;
    let read_only = options.read_only || profile.is_some_and(|p| p.read_only);
    let profile_name = profile.map(|p| p.name.clone());
    let presets = profile.map_or_else(presets::builtin, |p| p.presets.clone());
    if options.demo {
        let (mock, client) = start_demo(crate::mock::demo_seed(), read_only, tune).await?;
        return Ok(Connection {
            client,
            demo: Some(mock),
            key_source: KeySource::Demo,
            profile: profile_name,
            presets,
            warnings: config.warnings.iter().map(ToString::to_string).collect(),
        });
    }
    let my_turn = match turn {
        Some(turn) => Some(turn.take(profile_name.as_deref().unwrap_or_default()).await),
        None => None,
    };
    let (key, key_source) =
        credentials::resolve(profile, env, prompt, credentials::COMMAND_TIMEOUT)
            .await
            .map_err(|e| match e {
                CredentialError::NotFound => ConnectError::NoKey,
                other => ConnectError::Credential(other),
            })?;
    drop(my_turn);
    let url = env("BREVO_API_URL")
        .filter(|u| !u.trim().is_empty())
        .or_else(|| profile.and_then(|p| p.api_url.clone()))
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    // Checked here too for BREVO_API_URL: a URL with a password is refused
    // without the password ever being shown.
    api_url::check(&url).map_err(|e| ConnectError::Client(ApiError::Config(e)))?;
    let builder = Client::builder()
        .base_url(url)
        .api_key(key)
        .read_only(read_only);
    let builder = tune(builder);
    let client = match turn {
        // Building loads the TLS roots (tens of milliseconds): off this
        // thread, so that connections made at once build side by side.
        Some(_) => tokio::task::spawn_blocking(move || builder.build())
            .await
            .unwrap_or_else(|e| Err(ApiError::Config(format!("no HTTP client: {e}")))),
        None => builder.build(),
    }
    .map_err(ConnectError::Client)?;
    Ok(Connection {
        client,
        demo: None,
        key_source,
        profile: profile_name,
        presets,
        warnings: config.warnings.iter().map(ToString::to_string).collect(),
    })
}

/// Starts an in-process demo mock on `seed` and a client for it (the
/// demo organization here; the dashboard's second demo account too).
pub async fn start_demo(
    seed: Seed,
    read_only: bool,
    tune: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<(MockServer, Client), ConnectError> {
    let mock = MockServer::start(MockOptions {
        seed,
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
        .read_only(read_only);
    let client = tune(builder).build().map_err(ConnectError::Client)?;
    Ok((mock, client))
}

/// Loads the configuration and connects, with the client's builder adjusted
/// by `tune`; asks for the key on the terminal when one is attached and no
/// other source has it.
pub async fn connect_tuned(
    options: &GlobalOptions,
    env: EnvLookup<'_>,
    tune: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<Connection, ConnectError> {
    let config = Config::load(env).map_err(ConnectError::Config)?;
    let prompt = credentials::terminal_prompt();
    let prompt = prompt.as_ref().map(|p| p as Prompter<'_>);
    connect_with(options, &config, env, prompt, tune).await
}

/// What the dashboard's profile switcher needs to connect again, to
/// another profile of the same configuration, the same way as at start.
#[derive(Clone)]
pub struct Reconnect {
    options: GlobalOptions,
    /// The Everywhere view builds its `everywhere::Connector` on it.
    pub config: Arc<Config>,
    env: SharedEnv,
    tune: Arc<dyn Fn(ClientBuilder) -> ClientBuilder + Send + Sync>,
    /// Ask on the terminal when no other source has the key.
    prompt: bool,
}

impl Reconnect {
    pub fn new(options: &GlobalOptions, config: Arc<Config>, env: SharedEnv, prompt: bool) -> Self {
        Self {
            options: options.clone(),
            config,
            env,
            tune: Arc::new(|builder| builder),
            prompt,
        }
    }

    /// Adjusts every client it builds (tests set millisecond timings).
    pub fn tuned(
        mut self,
        tune: impl Fn(ClientBuilder) -> ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.tune = Arc::new(tune);
        self
    }

    /// Whether getting this profile's key may talk to the person at the
    /// terminal: a key command (`pass` asks for a passphrase) or the prompt.
    pub fn needs_terminal(&self, name: &str) -> bool {
        let env_key = (self.env)("BREVO_API_KEY").is_some_and(|k| !k.trim().is_empty());
        let profile = self.config.profiles.get(name);
        !env_key && profile.is_some_and(|p| p.api_key_command.is_some() || p.api_key_file.is_none())
    }

    /// Connects to the named profile; `--read-only` still holds.
    pub async fn to(&self, name: &str) -> Result<Connection, ConnectError> {
        self.to_in_turn(name, None).await
    }

    /// [`Reconnect::to`], getting the key only while holding `turn` (see
    /// `everywhere`: many profiles at once, one key at a time).
    pub async fn to_in_turn(
        &self,
        name: &str,
        turn: Option<&KeyTurn>,
    ) -> Result<Connection, ConnectError> {
        let options = GlobalOptions {
            profile: Some(name.to_owned()),
            demo: false,
            ..self.options.clone()
        };
        let prompt = if self.prompt {
            credentials::terminal_prompt()
        } else {
            None
        };
        let prompt = prompt.as_ref().map(|p| p as Prompter<'_>);
        let env = |variable: &str| (self.env)(variable);
        connect_in_turn(
            &options,
            &self.config,
            &env,
            prompt,
            |b| (self.tune)(b),
            turn,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn config(text: &str) -> Config {
        Config::parse(text, Path::new("config.toml"), &env_of(&[])).unwrap()
    }

    const TWO_PROFILES: &str = "default_profile = \"live\"\n\
        [profiles.live]\napi_url = \"https://live.example.test\"\n\
        [profiles.audit]\napi_url = \"https://audit.example.test\"\nread_only = true\n";

    #[tokio::test]
    async fn without_any_key_the_error_explains_how_to_set_one() {
        let error = connect_with(
            &GlobalOptions::default(),
            &Config::default(),
            &env_of(&[]),
            None,
            |b| b,
        )
        .await
        .err()
        .unwrap();
        assert!(matches!(error, ConnectError::NoKey));
        let text = error.to_string();
        assert!(
            text.contains("export BREVO_API_KEY=") && text.contains("--demo"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn the_profile_gives_the_url_and_read_only_and_the_environment_overrides_the_url() {
        let config = config(TWO_PROFILES);
        let env = env_of(&[("BREVO_API_KEY", "k")]);
        let live = connect_with(&GlobalOptions::default(), &config, &env, None, |b| b)
            .await
            .unwrap();
        assert_eq!(
            (live.client.host(), live.client.is_read_only()),
            ("live.example.test".to_owned(), false)
        );
        assert_eq!(live.profile.as_deref(), Some("live"));

        let options = GlobalOptions {
            profile: Some("audit".into()),
            ..GlobalOptions::default()
        };
        let audit = connect_with(&options, &config, &env, None, |b| b)
            .await
            .unwrap();
        assert!(
            audit.client.is_read_only(),
            "the profile's read_only holds without the flag"
        );

        let env = env_of(&[
            ("BREVO_API_KEY", "k"),
            ("BREVO_API_URL", "http://127.0.0.1:9"),
        ]);
        let overridden = connect_with(&GlobalOptions::default(), &config, &env, None, |b| b)
            .await
            .unwrap();
        assert_eq!(overridden.client.host(), "127.0.0.1:9");
    }

    #[tokio::test]
    async fn an_unknown_profile_is_named_in_the_error() {
        let options = GlobalOptions {
            profile: Some("prod".into()),
            ..GlobalOptions::default()
        };
        let env = env_of(&[("BREVO_API_KEY", "k")]);
        let error = connect_with(&options, &config(TWO_PROFILES), &env, None, |b| b)
            .await
            .err()
            .unwrap();
        assert!(
            error
                .to_string()
                .contains("profile \"prod\" is not defined (defined: audit, live)"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn the_demo_needs_no_key_and_serves_the_demo_organization() {
        let options = GlobalOptions {
            demo: true,
            read_only: true,
            ..GlobalOptions::default()
        };
        let demo = connect_with(&options, &Config::default(), &env_of(&[]), None, |b| b)
            .await
            .unwrap();
        assert_eq!(demo.key_source, KeySource::Demo);
        assert!(demo.client.is_read_only());
        assert!(demo.client.list_users().await.unwrap().len() > 20);
    }
}
