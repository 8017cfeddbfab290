//! The accounts `find` and `offboard` ask: the profiles chosen with
//! `--all-profiles` / `--profiles`, each connected as the switcher does,
//! or without either the one account every other command uses.

use std::sync::Arc;

use crate::brevo::sanitize::sanitize;
use crate::cli::{GlobalOptions, ProfileSelection};
use crate::config::Config;
use crate::connect::{Connection, EnvLookup, Reconnect, SharedEnv};
use crate::everywhere::{self, AccountError, Connector, Selection, SelectionError, Target};

use super::{Console, Failure};

impl ProfileSelection {
    /// `None` when neither flag was given.
    pub fn selection(&self) -> Option<Selection> {
        if self.all_profiles {
            Some(Selection::All)
        } else if self.profiles.is_empty() {
            None
        } else {
            Some(Selection::Named(self.profiles.clone()))
        }
    }
}

/// The accounts asked, and what must live as long as they are asked.
pub(super) struct Accounts {
    pub targets: Vec<Target>,
    /// The single account's connection (the demo's mock lives in it).
    _connection: Option<Connection>,
}

/// The targets, keys obtained one profile at a time; `env` is the
/// process's environment in the binary.
pub(super) async fn targets(
    global: &GlobalOptions,
    selection: Option<Selection>,
    env: SharedEnv,
    console: &mut Console<'_>,
) -> Result<Accounts, Failure> {
    let lookup = |name: &str| env(name);
    let Some(selection) = selection else {
        return single(global, &lookup, console).await;
    };
    if global.profile.is_some() {
        return Err(Failure::Usage(
            "--profile picks one account, --all-profiles and --profiles several: give one or the other"
                .to_owned(),
        ));
    }
    if global.demo {
        return Err(Failure::Usage(
            "the demo is one account: --all-profiles and --profiles need a configuration with profiles"
                .to_owned(),
        ));
    }
    let config = Config::load(&lookup).map_err(|e| Failure::Setup {
        kind: "config",
        message: e.to_string(),
    })?;
    for warning in &config.warnings {
        console.warn(warning.to_string());
    }
    let names = everywhere::select(&config, &selection, &lookup).map_err(|e| match e {
        SelectionError::NoProfiles => Failure::Setup {
            kind: "config",
            message: e.to_string(),
        },
        other => Failure::Usage(other.to_string()),
    })?;
    let config = Arc::new(config);
    let reconnect = Reconnect::new(global, Arc::clone(&config), env, true);
    let connector = Connector::new(reconnect, config);
    // Said only where a passphrase could be asked for. `connect_all` calls
    // this on our own task (the thread holding stderr's lock, which
    // `eprintln!` takes again), right before the key command runs.
    let announce = console.stdin_is_terminal;
    let targets = connector
        .connect_all(&names, move |name| {
            if announce {
                eprintln!("profile {}: getting its API key…", sanitize(name));
            }
        })
        .await;
    Ok(Accounts {
        targets,
        _connection: None,
    })
}

/// Without a selection: the profile in force, or the environment's key.
async fn single(
    global: &GlobalOptions,
    env: EnvLookup<'_>,
    console: &mut Console<'_>,
) -> Result<Accounts, Failure> {
    let connection = crate::connect::connect_tuned(global, env, |b| b)
        .await
        .map_err(super::connect_failure)?;
    for warning in &connection.warnings {
        console.warn(warning);
    }
    let read_only = connection
        .client
        .is_read_only()
        .then_some(if global.read_only {
            everywhere::ReadOnlyReason::Flag
        } else {
            everywhere::ReadOnlyReason::Profile
        });
    let target = Target {
        profile: connection.profile.clone().unwrap_or_default(),
        read_only,
        client: Ok(connection.client.clone()),
    };
    Ok(Accounts {
        targets: vec![target],
        _connection: Some(connection),
    })
}

/// A profile as people read it; the account of the environment's key has
/// no profile name.
pub(super) fn profile_label(profile: &str) -> String {
    if profile.is_empty() {
        "(BREVO_API_KEY)".to_owned()
    } else {
        sanitize(profile).into_owned()
    }
}

/// `{kind, message}` for the JSON documents.
pub(super) fn error_json(error: &AccountError) -> serde_json::Value {
    serde_json::json!({"kind": error.kind, "message": error.message})
}
