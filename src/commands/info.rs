//! `info` and `config init`: where things are and what is in force — the
//! first thing to run when a profile or a key does not behave as expected.

use serde_json::{Value, json};

use super::output::write_json;
use super::{Console, Failure};
use crate::brevo::endpoint::{DEFAULT_BASE_URL, parse_base_url};
use crate::cli::GlobalOptions;
use crate::config::credentials::{self, KeySource};
use crate::config::{self, Config, paths};
use crate::connect::EnvLookup;

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
    key: Result<KeySource, String>,
}

pub async fn info(
    global: &GlobalOptions,
    json: bool,
    env: EnvLookup<'_>,
    console: &mut Console<'_>,
) -> Result<(), Failure> {
    let report = gather(global, env).await;
    if json {
        write_json(console.out, &to_json(&report)).map_err(Failure::Io)?;
        return Ok(());
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
        (
            "API key",
            match &report.key {
                Ok(source) => format!("found, from {source}"),
                Err(reason) => format!("not found: {reason}"),
            },
        ),
    ];
    for (label, value) in lines {
        writeln!(console.out, "{label:<12} {value}").map_err(Failure::Io)?;
    }
    for warning in &report.warnings {
        console.warn(warning);
    }
    Ok(())
}

async fn gather(global: &GlobalOptions, env: EnvLookup<'_>) -> Report {
    let config_path = paths::config_file(env);
    let (config, config_state) = match Config::load(env) {
        Ok(config) if config.path.is_some() => (config, "read".to_owned()),
        Ok(config) => (
            config,
            "not found: defaults in force; `brevo-users config init` writes an example".to_owned(),
        ),
        Err(error) => (Config::default(), format!("error: {error}")),
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
        Err(message) => Some(format!("error: {message}")),
    };
    let profile_ref = selected.ok().flatten();
    let read_only = global.read_only || profile_ref.is_some_and(|p| p.read_only);
    let (api_url, key) = if global.demo {
        (
            "the in-process demo organization on 127.0.0.1".to_owned(),
            Ok(KeySource::Demo),
        )
    } else {
        let raw = env("BREVO_API_URL")
            .filter(|u| !u.trim().is_empty())
            .or_else(|| profile_ref.and_then(|p| p.api_url.clone()))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let url =
            parse_base_url(&raw).map_or_else(|e| format!("{raw} (error: {e})"), |u| u.to_string());
        // No prompt here: `info` reports, it does not ask.
        let key = credentials::resolve(profile_ref, env, None, credentials::COMMAND_TIMEOUT)
            .await
            .map(|(_, source)| source)
            .map_err(|e| match e {
                credentials::CredentialError::NotFound => {
                    "set BREVO_API_KEY, or give the profile an api_key_command or api_key_file"
                        .to_owned()
                }
                other => other.to_string(),
            });
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
    }
}

fn to_json(report: &Report) -> Value {
    json!({
        "config_file": report.config_file,
        "config_state": report.config_state,
        "warnings": report.warnings,
        "log_file": report.log_file,
        "logging": report.logging,
        "profile": report.profile,
        "api_url": report.api_url,
        "read_only": report.read_only,
        "key_found": report.key.is_ok(),
        "key_source": report.key.as_ref().ok().map(ToString::to_string),
        "key_problem": report.key.as_ref().err(),
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
