//! What the configuration file means once read: the types every face uses.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::parse::Located;
use crate::brevo::presets::Preset;

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
    /// An argv, run without a shell; its trimmed stdout is the key. The file
    /// may give it as a list or as one string split into words.
    pub api_key_command: Option<Vec<String>>,
    /// Absolute: a relative path in the file is taken from the file's folder.
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
    /// Unknown top-level keys, each with its line and the nearest valid key.
    pub warnings: Vec<Located>,
}

pub(super) fn unknown_profile(name: &str, profiles: &BTreeMap<String, Profile>) -> String {
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
