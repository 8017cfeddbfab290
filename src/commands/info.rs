//! `info` and `config init`: where things are and what is in force — the
//! first thing to run when a profile or a key does not behave as expected.
//! `info` runs nothing and asks for nothing unless `--check-key` says so,
//! and exits 2 when what it found would stop the other commands.

use serde_json::{Value, json};

use super::output::write_json;
use super::{Console, Failure};
use crate::brevo::endpoint::DEFAULT_BASE_URL;
use crate::cli::{GlobalOptions, InfoArgs};
use crate::config::credentials::{self, CredentialError, KeySource};
use crate::config::env::EnvLookup;
use crate::config::{self, Config, api_url, paths};

/// Where the key is, as far as `info` looked.
enum Key {
    /// Got, from this source.
    Found(KeySource),
    /// This source would be used; it was not run (`--check-key` runs it).
    WouldCome(KeySource),
    /// No source: the other commands ask on a terminal, or fail.
    NotFound,
    /// A source was found and failed.
    Failed(String),
}

/// What `info` reports; the key itself is never part of it.
struct Report {
    config_file: Option<String>,
    config_state: String,
    warnings: Vec<String>,
    log_file: Option<String>,
    logging: String,
    profile: Option<String>,
    api_url: String,
    read_only: bool,
    key: Key,
    /// What would stop the other commands; any makes `info` exit 2.
    problems: Vec<String>,
}

pub async fn info(
    global: &GlobalOptions,
    args: &InfoArgs,
    env: EnvLookup<'_>,
    console: &mut Console<'_>,
) -> Result<(), Failure> {
    let report = gather(global, args.check_key, env).await;
    if args.json {
        write_json(console.out, &to_json(&report)).map_err(Failure::Io)?;
        // The document already holds the problems; only the exit code is left.
        if report.problems.is_empty() {
            return Ok(());
        }
        return Err(Failure::Reported(2));
    }
    let none = "(none)".to_owned();
    let lines = [
        (
            "config file",
            format!(
                "{} ({})",
                report.config_file.as_ref().unwrap_or(&none),
                report.config_state
            ),
        ),
        (
            "log file",
            format!(
                "{} ({})",
                report.log_file.as_ref().unwrap_or(&none),
                report.logging
            ),
        ),
        (
            "profile",
            report
                .profile
                .clone()
                .unwrap_or_else(|| "(none: environment only)".to_owned()),
        ),
        ("API", report.api_url.clone()),
        (
            "read-only",
            if report.read_only { "yes" } else { "no" }.to_owned(),
        ),
        ("API key", describe_key(&report.key)),
        (
            "account",
            "plan, seats and quota: `brevo-users whoami` (one request)".to_owned(),
        ),
    ];
    for (label, value) in lines {
        writeln!(console.out, "{label:<12} {value}").map_err(Failure::Io)?;
    }
    for warning in &report.warnings {
        console.warn(warning);
    }
    match report.problems.split_first() {
        None => Ok(()),
        Some((first, rest)) => {
            for problem in rest {
                console.warn(problem);
            }
            Err(Failure::Setup {
                kind: "config",
                message: first.clone(),
            })
        }
    }
}

fn describe_key(key: &Key) -> String {
    match key {
        Key::Found(source) => format!("found, from {source}"),
        Key::WouldCome(source) => format!(
            "would come from {source}; not run (`brevo-users info --check-key` runs it)"
        ),
        Key::NotFound => "not found: set BREVO_API_KEY, or give the profile an \
                          api_key_command or api_key_file (on a terminal, the other commands ask for it)"
            .to_owned(),
        Key::Failed(reason) => format!("not usable: {reason}"),
    }
}

async fn gather(global: &GlobalOptions, check_key: bool, env: EnvLookup<'_>) -> Report {
    let mut problems = Vec::new();
    let config_path = paths::config_file(env);
    let (config, config_state) = match Config::load(env) {
        Ok(config) if config.path.is_some() => (config, "read".to_owned()),
        Ok(config) => (
            config,
            "not found: defaults in force; `brevo-users config init` writes an example".to_owned(),
        ),
        Err(error) => {
            problems.push(error.to_string());
            (Config::default(), format!("error: {error}"))
        }
    };
    let logging = match global
        .log_level
        .clone()
        .or_else(|| env("BREVO_USERS_LOG"))
        .or(config.log_level.clone())
    {
        Some(level) => format!("logging at {level}"),
        None => "logging off; --log-level or BREVO_USERS_LOG turns it on".to_owned(),
    };
    let selected = config.select_profile(global.profile.as_deref(), env);
    let profile = match &selected {
        Ok(profile) => profile.map(|p| p.name.clone()),
        Err(message) => {
            problems.push(message.clone());
            Some(format!("error: {message}"))
        }
    };
    let profile_ref = selected.ok().flatten();
    let read_only = global.read_only || profile_ref.is_some_and(|p| p.read_only);
    let (api_url, key) = if global.demo {
        (
            "the in-process demo organization on 127.0.0.1".to_owned(),
            Key::Found(KeySource::Demo),
        )
    } else {
        let raw = env("BREVO_API_URL")
            .filter(|u| !u.trim().is_empty())
            .or_else(|| profile_ref.and_then(|p| p.api_url.clone()))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let url = match api_url::check(&raw) {
            Ok(url) => url.to_string(),
            Err(error) => {
                problems.push(error.clone());
                format!("{} (error: {error})", api_url::redact(&raw))
            }
        };
        let planned = credentials::planned_source(profile_ref, env);
        let key = match planned {
            // Running a command is not reporting: it may ask for a
            // passphrase, or have effects of its own.
            Some(source @ KeySource::Command(_)) if !check_key => Key::WouldCome(source),
            None => Key::NotFound,
            Some(_) => {
                // No prompt here: `info` reports, it does not ask.
                match credentials::resolve(profile_ref, env, None, credentials::COMMAND_TIMEOUT)
                    .await
                {
                    Ok((_, source)) => Key::Found(source),
                    Err(CredentialError::NotFound) => Key::NotFound,
                    Err(other) => {
                        problems.push(other.to_string());
                        Key::Failed(other.to_string())
                    }
                }
            }
        };
        (url, key)
    };
    Report {
        config_file: config_path.map(|p| p.display().to_string()),
        config_state,
        warnings: config.warnings.iter().map(ToString::to_string).collect(),
        log_file: paths::log_file(env).map(|p| p.display().to_string()),
        logging,
        profile,
        api_url,
        read_only,
        key,
        problems,
    }
}

fn to_json(report: &Report) -> Value {
    let (found, checked, source, problem) = match &report.key {
        Key::Found(source) => (true, true, Some(source.to_string()), None),
        Key::WouldCome(source) => (false, false, Some(source.to_string()), None),
        Key::NotFound => (false, true, None, Some(describe_key(&report.key))),
        Key::Failed(reason) => (false, true, None, Some(reason.clone())),
    };
    json!({
        "config_file": report.config_file,
        "config_state": report.config_state,
        "warnings": report.warnings,
        "log_file": report.log_file,
        "logging": report.logging,
        "profile": report.profile,
        "api_url": report.api_url,
        "read_only": report.read_only,
        "key_found": found,
        "key_checked": checked,
        "key_source": source,
        "key_problem": problem,
        "problems": report.problems,
    })
}

/// `config init`: the commented example, never over an existing file.
pub fn config_init(env: EnvLookup<'_>, console: &mut Console<'_>) -> Result<(), Failure> {
    let path = config::init(env).map_err(|message| Failure::Setup {
        kind: "config",
        message,
    })?;
    console.note(format!(
        "wrote {}; edit it, then check with `brevo-users info`",
        path.display()
    ));
    Ok(())
}
