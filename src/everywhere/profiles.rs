//! Which profiles to ask, and a client for each, obtained one profile at
//! a time exactly as the dashboard's profile switcher (`P`) does.

use std::fmt;
use std::sync::Arc;

use crate::brevo::Client;
use crate::brevo::catalog::edit_distance;
use crate::config::Config;
use crate::config::env::EnvLookup;
use crate::connect::{KeyTurn, Reconnect};

use futures::StreamExt;

use super::error::AccountError;
use super::fan_out::PARALLEL;

/// The profiles asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every profile of the configuration (`--all-profiles`).
    All,
    /// These, in this order (`--profiles a,b`).
    Named(Vec<String>),
}

/// Why no list of profiles could be made. Display: one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectionError {
    /// `BREVO_API_KEY` wins over every profile's key (see the README's
    /// key order): every profile would reach the one account of that key.
    EnvironmentKey,
    /// The configuration has no `[profiles.*]`.
    NoProfiles,
    /// A name given is not a profile.
    Unknown {
        name: String,
        suggestion: Option<String>,
        defined: Vec<String>,
    },
}

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EnvironmentKey => f.write_str(
                "BREVO_API_KEY is set: that one key would reach one account under every profile's name; \
                 unset it so that each profile is reached with its own key",
            ),
            Self::NoProfiles => {
                f.write_str("the configuration has no [profiles.*] table: no accounts to ask")
            }
            Self::Unknown {
                name,
                suggestion,
                defined,
            } => {
                let hint = suggestion
                    .as_ref()
                    .map(|s| format!(" (did you mean {s:?}?)"))
                    .unwrap_or_default();
                write!(
                    f,
                    "profile {name:?} is not defined{hint}; defined: {}",
                    defined.join(", ")
                )
            }
        }
    }
}

/// Whether `BREVO_API_KEY` is set (an empty value counts as unset), in
/// which case it is the key of every profile.
pub fn env_key_in_force(env: EnvLookup<'_>) -> bool {
    env("BREVO_API_KEY").is_some_and(|k| !k.trim().is_empty())
}

/// The profile names to ask, in order, without repeats.
pub fn select(
    config: &Config,
    selection: &Selection,
    env: EnvLookup<'_>,
) -> Result<Vec<String>, SelectionError> {
    if env_key_in_force(env) {
        return Err(SelectionError::EnvironmentKey);
    }
    if config.profiles.is_empty() {
        return Err(SelectionError::NoProfiles);
    }
    let defined: Vec<String> = config.profiles.keys().cloned().collect();
    let names = match selection {
        Selection::All => return Ok(defined),
        Selection::Named(names) => names,
    };
    let mut chosen: Vec<String> = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !config.profiles.contains_key(name) {
            return Err(SelectionError::Unknown {
                name: name.to_owned(),
                suggestion: nearest(name, &defined),
                defined,
            });
        }
        if !chosen.iter().any(|c| c == name) {
            chosen.push(name.to_owned());
        }
    }
    if chosen.is_empty() {
        return Err(SelectionError::Unknown {
            name: String::new(),
            suggestion: None,
            defined,
        });
    }
    Ok(chosen)
}

fn nearest(name: &str, defined: &[String]) -> Option<String> {
    let typed = name.to_lowercase();
    let limit = (typed.chars().count() / 3).max(2);
    defined
        .iter()
        .map(|d| (edit_distance(&typed, &d.to_lowercase()), d))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, d)| d.clone())
}

/// Why a profile may not change anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadOnlyReason {
    /// `read_only = true` in the profile.
    Profile,
    /// `--read-only` on the command line (every profile).
    Flag,
}

impl fmt::Display for ReadOnlyReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Profile => "the profile is read-only",
            Self::Flag => "--read-only is set",
        })
    }
}

/// One profile, ready to be asked, or why not.
#[derive(Clone)]
pub struct Target {
    pub profile: String,
    pub read_only: Option<ReadOnlyReason>,
    pub client: Result<Client, AccountError>,
}

/// Connects to profiles the way the switcher does (same key order, same
/// `--read-only`, same client settings).
#[derive(Clone)]
pub struct Connector {
    reconnect: Reconnect,
    config: Arc<Config>,
}

impl Connector {
    /// `reconnect` must be made from the same `config`.
    pub fn new(reconnect: Reconnect, config: Arc<Config>) -> Self {
        Self { reconnect, config }
    }

    /// Whether getting this profile's key may talk to the person at the
    /// terminal (a key command, the prompt): a face gives the terminal back
    /// or says which profile is asking.
    pub fn needs_terminal(&self, profile: &str) -> bool {
        self.reconnect.needs_terminal(profile)
    }

    /// Gets the profile's key and builds its client. Sends nothing.
    pub async fn connect(&self, profile: &str) -> Target {
        self.connect_in_turn(profile, None).await
    }

    async fn connect_in_turn(&self, profile: &str, turn: Option<&KeyTurn>) -> Target {
        let profile_read_only = self
            .config
            .profiles
            .get(profile)
            .is_some_and(|p| p.read_only);
        match self.reconnect.to_in_turn(profile, turn).await {
            Ok(connection) => {
                let read_only = match (connection.client.is_read_only(), profile_read_only) {
                    (false, _) => None,
                    (true, true) => Some(ReadOnlyReason::Profile),
                    (true, false) => Some(ReadOnlyReason::Flag),
                };
                Target {
                    profile: profile.to_owned(),
                    read_only,
                    client: Ok(connection.client),
                }
            }
            Err(error) => Target {
                profile: profile.to_owned(),
                read_only: profile_read_only.then_some(ReadOnlyReason::Profile),
                client: Err((&error).into()),
            },
        }
    }

    /// Every profile at once ([`PARALLEL`] at a time), their keys still
    /// one after the other: `before_key` hears a
    /// profile's name when its key is about to be obtained and that may
    /// ask something (to say "profile x: getting its key"). Building a
    /// client takes tens of milliseconds (TLS roots), so ten profiles
    /// connected in turn would cost more than the requests themselves.
    pub async fn connect_all(
        &self,
        profiles: &[String],
        before_key: impl Fn(&str) + Send + Sync + 'static,
    ) -> Vec<Target> {
        let asks = {
            let connector = self.clone();
            move |name: &str| {
                if connector.needs_terminal(name) {
                    before_key(name);
                }
            }
        };
        let turn = KeyTurn::new(asks);
        // Polled here, not spawned: a key prompt runs on the caller's task,
        // as for one profile; the clients are built on blocking threads.
        futures::stream::iter(
            profiles
                .iter()
                .map(|profile| self.connect_in_turn(profile, Some(&turn))),
        )
        .buffered(PARALLEL)
        .collect()
        .await
    }

    /// One profile after the other, never two at once; `before_each` is
    /// told which profile comes next (the dashboard gives the terminal back
    /// around a profile whose key may ask something).
    pub async fn connect_each(
        &self,
        profiles: &[String],
        mut before_each: impl FnMut(&str),
    ) -> Vec<Target> {
        let mut targets = Vec::with_capacity(profiles.len());
        for profile in profiles {
            before_each(profile);
            targets.push(self.connect(profile).await);
        }
        targets
    }
}
