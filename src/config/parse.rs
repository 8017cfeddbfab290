//! Reading `config.toml`: typed values through serde, and a second walk over
//! the spanned document that knows the line of every key — for unknown keys
//! (with the nearest valid one) and for errors about bad values. Nothing is
//! silently ignored: an ignored `read_only = "yes"` or `read-only = true`
//! would leave a profile writable, so an unknown key inside a profile is an
//! error; at the top level (theme, log level) it is a warning.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::brevo::catalog::edit_distance;

/// A problem in the file, located by line where the file says where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for Located {}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawConfig {
    pub default_profile: Option<String>,
    pub theme: Option<String>,
    pub log_level: Option<String>,
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, RawProfile>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawProfile {
    pub api_url: Option<String>,
    /// A string or a list: checked by `key_command`, which can say what
    /// both forms look like (serde alone could name only one).
    pub api_key_command: Option<toml::Value>,
    pub api_key_file: Option<String>,
    pub read_only: Option<bool>,
    #[serde(default)]
    pub presets: BTreeMap<String, RawPreset>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawPreset {
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub all_features: bool,
    #[serde(default)]
    pub grants: BTreeMap<String, Vec<String>>,
}

/// The keys each table may hold. `*` stands for a name the user chooses
/// (a profile, a preset, a command, a feature).
const SCHEMA: &[(&str, &[&str])] = &[
    (
        "",
        &["default_profile", "theme", "log_level", "keys", "profiles"],
    ),
    (
        "profiles.*",
        &[
            "api_url",
            "api_key_command",
            "api_key_file",
            "read_only",
            "presets",
        ],
    ),
    (
        "profiles.*.presets.*",
        &["name", "description", "all_features", "grants"],
    ),
];

/// The parsed document plus the line of every key, by dotted path
/// (`profiles.work.read_only`).
pub(crate) struct Parsed {
    pub raw: RawConfig,
    pub lines: BTreeMap<String, usize>,
    pub warnings: Vec<Located>,
}

pub(crate) fn parse(text: &str, path: &Path) -> Result<Parsed, Located> {
    let at = |line: Option<usize>, message: String| Located {
        path: path.to_owned(),
        line,
        message,
    };
    let document = DeTable::parse(text).map_err(|e| {
        at(
            e.span().map(|s| line_of(text, s.start)),
            e.message().to_owned(),
        )
    })?;
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        at(
            e.span().map(|s| line_of(text, s.start)),
            e.message().trim().to_owned(),
        )
    })?;

    let mut lines = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    walk(
        document.get_ref(),
        "",
        text,
        &mut lines,
        &mut |key_path, line| {
            if let Some((unknown, hint)) = unknown_key(key_path) {
                if key_path.starts_with("profiles.") {
                    errors.push(at(Some(line), format!("{unknown}{hint}")));
                } else {
                    warnings.push(at(Some(line), format!("{unknown} is ignored{hint}")));
                }
            }
        },
    );
    if let Some(first) = errors.into_iter().next() {
        return Err(first);
    }
    Ok(Parsed {
        raw,
        lines,
        warnings,
    })
}

fn walk(
    table: &DeTable<'_>,
    prefix: &str,
    text: &str,
    lines: &mut BTreeMap<String, usize>,
    visit: &mut dyn FnMut(&str, usize),
) {
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        let key_path = if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        };
        let line = line_of(text, key.span().start);
        lines.insert(key_path.clone(), line);
        visit(&key_path, line);
        if let DeValue::Table(inner) = value.get_ref() {
            walk(inner, &key_path, text, lines, visit);
        }
    }
}

/// `Some((what, hint))` when the key's table does not know it: what is
/// unknown, and the nearest valid key if one is near.
fn unknown_key(key_path: &str) -> Option<(String, String)> {
    let (table, key) = key_path.rsplit_once('.').unwrap_or(("", key_path));
    let pattern = generalise(table);
    // Names the user chooses are free: profiles, presets, key bindings and
    // preset grants (whose features are checked elsewhere, as values).
    let free = ["profiles", "keys", "profiles.*.presets"].contains(&pattern.as_str())
        || pattern.starts_with("keys.")
        || pattern.starts_with("profiles.*.presets.*.grants");
    if free {
        return None;
    }
    let known = SCHEMA
        .iter()
        .find(|(t, _)| *t == pattern)
        .map(|(_, keys)| *keys)?;
    if known.contains(&key) {
        return None;
    }
    let hint = nearest(key, known)
        .map(|k| format!(" (did you mean {k:?}?)"))
        .unwrap_or_default();
    let place = if table.is_empty() {
        "at the top level".to_owned()
    } else {
        format!("in [{table}]")
    };
    Some((format!("unknown key {key:?} {place}"), hint))
}

/// `profiles.work.presets.support` → `profiles.*.presets.*`.
fn generalise(table: &str) -> String {
    table
        .split('.')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 && !table.is_empty() {
                "*"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The valid key nearest to `key`, ignoring case and `-` for `_`
/// (`readOnly`, `read-only` → `read_only`).
fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let folded = key.to_ascii_lowercase().replace('-', "_");
    known
        .iter()
        .map(|k| {
            let distance = edit_distance(&folded, k)
                .min(edit_distance(&folded.replace('_', ""), &k.replace('_', "")));
            (distance, *k)
        })
        .filter(|(d, k)| *d <= (k.len() / 2).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Parsed {
        parse(text, Path::new("config.toml")).expect("parses")
    }

    #[test]
    fn warns_about_unknown_top_level_keys_with_their_line_and_the_nearest_valid_key() {
        let parsed = parse_ok(
            "theme = \"mono\"\n\nlog_levle = \"info\"\n[profiles.work]\napi_url = \"https://api.brevo.com\"\n",
        );
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(
            parsed.warnings[0].to_string(),
            "config.toml:3: unknown key \"log_levle\" at the top level is ignored (did you mean \"log_level\"?)"
        );
        assert_eq!(parsed.lines["profiles.work.api_url"], 5);
    }

    #[test]
    fn a_misspelt_key_in_a_profile_is_an_error_so_no_typo_leaves_it_writable() {
        for (typo, line) in [
            ("read-only", 3),
            ("readonly", 3),
            ("readOnly", 3),
            ("read_onyl", 3),
        ] {
            let text =
                format!("[profiles.work]\napi_url = \"https://api.brevo.com\"\n{typo} = true\n");
            let error = parse(&text, Path::new("config.toml")).err().expect(typo);
            assert_eq!(
                error.to_string(),
                format!(
                    "config.toml:{line}: unknown key {typo:?} in [profiles.work] (did you mean \"read_only\"?)"
                )
            );
        }
        let error = parse(
            "[profiles.a.presets.x]\ngrants = { contacts = [\"view\"] }\ndescripton = \"x\"\n",
            Path::new("config.toml"),
        )
        .err()
        .expect("a preset is inside a profile");
        assert_eq!(error.line, Some(3), "{error}");
    }

    #[test]
    fn user_chosen_names_are_not_unknown_keys() {
        let text = "[keys]\nrevoke = \"D\"\n[profiles.a.presets.support]\nname = \"Support\"\ngrants = { contacts = [\"view\"] }\n";
        assert!(parse_ok(text).warnings.is_empty());
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error_with_its_line() {
        let error = parse(
            "[profiles.work]\nread_only = \"yes\"\n",
            Path::new("c.toml"),
        )
        .err()
        .unwrap();
        assert_eq!(error.line, Some(2), "{error}");
        assert!(error.to_string().starts_with("c.toml:2: "), "{error}");
    }

    #[test]
    fn broken_toml_is_an_error_with_its_line() {
        let error = parse("theme = \"mono\"\nprofiles = [\n", Path::new("c.toml"))
            .err()
            .unwrap();
        assert!(error.line.is_some(), "{error}");
    }
}
