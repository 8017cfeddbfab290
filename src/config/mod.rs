//! The configuration file: profiles for several accounts, credential
//! sources, key bindings, theme and logging. The program never creates or
//! rewrites the file on its own; `config init` writes the commented example.

pub mod credentials;
mod parse;
pub mod paths;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use parse::Located;

use crate::brevo::endpoint::parse_base_url;
use crate::brevo::presets::Preset;
use crate::brevo::validate::check_pair;
use crate::brevo::{Grants, presets};
use crate::connect::EnvLookup;

/// The commented example `config init` writes.
pub const EXAMPLE: &str = include_str!("../../assets/config.example.toml");

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeName {
    /// The 16 ANSI colours: readable on dark and light terminals, through
    /// tmux and screen.
    #[default]
    Default,
    /// Bold, reverse and underline only (also chosen by `NO_COLOR`).
    Mono,
}

/// One binding from `[keys]`, checked by the dashboard's keymap, which knows
/// the command names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyBinding {
    pub command: String,
    pub key: String,
    pub line: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub api_url: Option<String>,
    /// An argv, run without a shell; its trimmed stdout is the key.
    pub api_key_command: Option<Vec<String>>,
    pub api_key_file: Option<PathBuf>,
    pub read_only: bool,
    /// The built-in presets plus the profile's own.
    pub presets: Vec<Preset>,
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file read, if there was one.
    pub path: Option<PathBuf>,
    pub default_profile: Option<String>,
    pub theme: ThemeName,
    pub log_level: Option<String>,
    pub keys: Vec<KeyBinding>,
    pub profiles: BTreeMap<String, Profile>,
    /// Unknown keys, each with its line and the nearest valid key.
    pub warnings: Vec<Located>,
}

const LOG_LEVELS: &[&str] = &["error", "warn", "info", "debug", "trace"];

impl Config {
    /// Reads the file the environment points at. No file is no error (the
    /// defaults apply) unless `BREVO_USERS_CONFIG` names one explicitly.
    pub fn load(env: EnvLookup<'_>) -> Result<Self, Located> {
        let Some(path) = paths::config_file(env) else {
            return Ok(Self::default());
        };
        let explicit = env("BREVO_USERS_CONFIG").is_some_and(|v| !v.trim().is_empty());
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, &path, env),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Self::default()),
            Err(e) => Err(Located {
                path,
                line: None,
                message: format!("cannot be read: {e}"),
            }),
        }
    }

    pub fn parse(text: &str, path: &Path, env: EnvLookup<'_>) -> Result<Self, Located> {
        let parse::Parsed {
            raw,
            lines,
            warnings,
        } = parse::parse(text, path)?;
        let fail = |key: &str, message: String| Located {
            path: path.to_owned(),
            line: lines.get(key).copied(),
            message,
        };

        let theme = match raw.theme.as_deref() {
            None | Some("default") => ThemeName::Default,
            Some("mono") => ThemeName::Mono,
            Some(other) => {
                return Err(fail(
                    "theme",
                    format!("theme {other:?} is not one of \"default\", \"mono\""),
                ));
            }
        };
        if let Some(level) = &raw.log_level
            && !LOG_LEVELS.contains(&level.as_str())
        {
            return Err(fail(
                "log_level",
                format!(
                    "log_level {level:?} is not one of {}",
                    LOG_LEVELS.join(", ")
                ),
            ));
        }

        let mut profiles = BTreeMap::new();
        for (name, raw_profile) in raw.profiles {
            let at = |key: &str| format!("profiles.{name}.{key}");
            if let Some(url) = &raw_profile.api_url {
                parse_base_url(url).map_err(|e| fail(&at("api_url"), e.to_string()))?;
            }
            if let Some(command) = &raw_profile.api_key_command
                && command
                    .first()
                    .is_none_or(|program| program.trim().is_empty())
            {
                return Err(fail(
                    &at("api_key_command"),
                    "api_key_command needs a program to run".to_owned(),
                ));
            }
            let mut presets = presets::builtin();
            for (id, raw_preset) in raw_profile.presets {
                let key = at(&format!("presets.{id}"));
                let mut grants = Grants::new();
                for (feature, permissions) in &raw_preset.grants {
                    for permission in permissions {
                        check_pair(feature, permission)
                            .map_err(|e| fail(&key, format!("preset {id:?}: {e}")))?;
                        grants.insert(feature, permission.clone());
                    }
                }
                if grants.is_empty() && !raw_preset.all_features {
                    return Err(fail(
                        &key,
                        format!("preset {id:?} grants nothing: add grants or all_features = true"),
                    ));
                }
                presets.retain(|p: &Preset| p.id != id);
                presets.push(Preset {
                    name: raw_preset.name.unwrap_or_else(|| id.clone()),
                    id,
                    description: raw_preset.description.unwrap_or_default(),
                    all_features: raw_preset.all_features,
                    grants,
                });
            }
            let profile = Profile {
                name: name.clone(),
                api_url: raw_profile.api_url,
                api_key_command: raw_profile.api_key_command,
                api_key_file: raw_profile
                    .api_key_file
                    .map(|f| paths::expand_home(&f, env)),
                read_only: raw_profile.read_only.unwrap_or(false),
                presets,
            };
            profiles.insert(name, profile);
        }
        if let Some(default) = &raw.default_profile
            && !profiles.contains_key(default)
        {
            return Err(fail("default_profile", unknown_profile(default, &profiles)));
        }

        let keys = raw
            .keys
            .into_iter()
            .map(|(command, key)| KeyBinding {
                line: lines.get(&format!("keys.{command}")).copied(),
                command,
                key,
            })
            .collect();
        Ok(Self {
            path: Some(path.to_owned()),
            default_profile: raw.default_profile,
            theme,
            log_level: raw.log_level,
            keys,
            profiles,
            warnings,
        })
    }

    /// The profile in force: `--profile`, else `BREVO_USERS_PROFILE`, else
    /// `default_profile`; `None` when none is named (environment only).
    pub fn select_profile(
        &self,
        flag: Option<&str>,
        env: EnvLookup<'_>,
    ) -> Result<Option<&Profile>, String> {
        let named = flag
            .map(str::to_owned)
            .or_else(|| env("BREVO_USERS_PROFILE").filter(|p| !p.trim().is_empty()))
            .or_else(|| self.default_profile.clone());
        match named {
            None => Ok(None),
            Some(name) => self
                .profiles
                .get(&name)
                .map(Some)
                .ok_or_else(|| unknown_profile(&name, &self.profiles)),
        }
    }
}

fn unknown_profile(name: &str, profiles: &BTreeMap<String, Profile>) -> String {
    if profiles.is_empty() {
        return format!(
            "profile {name:?} is not defined: the configuration has no [profiles.*] table"
        );
    }
    let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
    format!(
        "profile {name:?} is not defined (defined: {})",
        known.join(", ")
    )
}

/// `config init`: writes the commented example, refusing to overwrite.
pub fn init(env: EnvLookup<'_>) -> Result<PathBuf, String> {
    let path = paths::config_file(env)
        .ok_or("no HOME and no BREVO_USERS_CONFIG: nowhere to write the file")?;
    if path.exists() {
        return Err(format!(
            "{} already exists; it was left as it is",
            path.display()
        ));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, EXAMPLE.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests;
