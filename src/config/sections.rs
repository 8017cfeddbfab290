//! From the parsed document to a [`Config`], one function per section: the
//! top-level settings, each profile, each of its presets, the key bindings.
//! Every value is checked here, with the line it came from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::env::EnvLookup;
use super::model::{Config, KeyBinding, Profile, ThemeName, unknown_profile};
use super::parse::{self, Located, RawPreset, RawProfile};
use super::{api_url, key_command, paths};
use crate::brevo::Grants;
use crate::brevo::presets::{self, Preset};
use crate::brevo::validate::check_pair;

const LOG_LEVELS: &[&str] = &["error", "warn", "info", "debug", "trace"];

/// Turns a dotted key (`profiles.work.api_url`) into a located error.
struct Locator<'a> {
    path: &'a Path,
    lines: &'a BTreeMap<String, usize>,
}

impl Locator<'_> {
    fn fail(&self, key: &str, message: String) -> Located {
        Located {
            path: self.path.to_owned(),
            line: self.lines.get(key).copied(),
            message,
        }
    }
}

impl Config {
    pub fn parse(text: &str, path: &Path, env: EnvLookup<'_>) -> Result<Self, Located> {
        let parse::Parsed {
            raw,
            lines,
            warnings,
        } = parse::parse(text, path)?;
        let at = Locator {
            path,
            lines: &lines,
        };
        let theme = theme(&at, raw.theme.as_deref())?;
        check_log_level(&at, raw.log_level.as_deref())?;
        let mut profiles = BTreeMap::new();
        for (name, raw_profile) in raw.profiles {
            let parsed = profile(&at, &name, raw_profile, env)?;
            profiles.insert(name, parsed);
        }
        if let Some(default) = &raw.default_profile
            && !profiles.contains_key(default)
        {
            return Err(at.fail("default_profile", unknown_profile(default, &profiles)));
        }
        Ok(Self {
            path: Some(path.to_owned()),
            default_profile: raw.default_profile,
            theme,
            log_level: raw.log_level,
            keys: keys(&at, raw.keys),
            profiles,
            warnings,
        })
    }
}

fn theme(at: &Locator<'_>, raw: Option<&str>) -> Result<ThemeName, Located> {
    match raw {
        None | Some("default") => Ok(ThemeName::Default),
        Some("mono") => Ok(ThemeName::Mono),
        Some(other) => Err(at.fail(
            "theme",
            format!("theme {other:?} is not one of \"default\", \"mono\""),
        )),
    }
}

fn check_log_level(at: &Locator<'_>, raw: Option<&str>) -> Result<(), Located> {
    match raw {
        Some(level) if !LOG_LEVELS.contains(&level) => Err(at.fail(
            "log_level",
            format!(
                "log_level {level:?} is not one of {}",
                LOG_LEVELS.join(", ")
            ),
        )),
        _ => Ok(()),
    }
}

fn profile(
    at: &Locator<'_>,
    name: &str,
    raw: RawProfile,
    env: EnvLookup<'_>,
) -> Result<Profile, Located> {
    let key = |field: &str| format!("profiles.{name}.{field}");
    if let Some(url) = &raw.api_url {
        api_url::check(url).map_err(|e| at.fail(&key("api_url"), e))?;
    }
    let api_key_command = raw
        .api_key_command
        .as_ref()
        .map(key_command::argv)
        .transpose()
        .map_err(|e| at.fail(&key("api_key_command"), e))?;
    let mut presets = presets::builtin();
    for (id, raw_preset) in raw.presets {
        let own = preset(at, &key(&format!("presets.{id}")), id, raw_preset)?;
        presets.retain(|p: &Preset| p.id != own.id);
        presets.push(own);
    }
    Ok(Profile {
        name: name.to_owned(),
        api_url: raw.api_url,
        api_key_command,
        api_key_file: raw
            .api_key_file
            .map(|file| key_file_path(&file, at.path, env)),
        read_only: raw.read_only.unwrap_or(false),
        presets,
    })
}

/// `~/` is the home folder; any other relative path is taken from the
/// configuration file's folder, not from wherever the program was started.
fn key_file_path(file: &str, config: &Path, env: EnvLookup<'_>) -> PathBuf {
    let expanded = paths::expand_home(file, env);
    match config.parent() {
        Some(folder) if expanded.is_relative() => folder.join(expanded),
        _ => expanded,
    }
}

fn preset(at: &Locator<'_>, key: &str, id: String, raw: RawPreset) -> Result<Preset, Located> {
    let mut grants = Grants::new();
    for (feature, permissions) in &raw.grants {
        for permission in permissions {
            check_pair(feature, permission)
                .map_err(|e| at.fail(key, format!("preset {id:?}: {e}")))?;
            grants.insert(feature, permission.clone());
        }
    }
    if grants.is_empty() && !raw.all_features {
        return Err(at.fail(
            key,
            format!("preset {id:?} grants nothing: add grants or all_features = true"),
        ));
    }
    Ok(Preset {
        name: raw.name.unwrap_or_else(|| id.clone()),
        id,
        description: raw.description.unwrap_or_default(),
        all_features: raw.all_features,
        grants,
    })
}

/// The bindings as written, each with its line: the dashboard's keymap,
/// which knows the command names, judges them.
fn keys(at: &Locator<'_>, raw: BTreeMap<String, String>) -> Vec<KeyBinding> {
    raw.into_iter()
        .map(|(command, key)| KeyBinding {
            line: at.lines.get(&format!("keys.{command}")).copied(),
            command,
            key,
        })
        .collect()
}
