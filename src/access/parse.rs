//! Reading `access.toml`. The document is walked as `toml::de::DeTable`, the
//! spanned tree the `toml` crate parses into: every key and every value has
//! its byte span, so every error (syntax, unknown key, misspelt feature or
//! permission, a pair that does not fit) carries its line and column. All
//! errors are collected, not only the first.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::file::{AccessFile, Desired, Entry, FileError, is_known_pair};
use crate::brevo::catalog::{self, edit_distance};
use crate::brevo::grants::Grants;
use crate::brevo::presets::{self, Preset};

const TOP_KEYS: &[&str] = &["account", "users"];
const USER_KEYS: &[&str] = &["preset", "grants", "all_features", "unrecognised"];

/// Parses the file. `presets` are the catalogue's and the profile's (what
/// `config` loads); a preset the file names must be one of them.
pub fn parse(text: &str, presets: &[Preset]) -> Result<AccessFile, Vec<FileError>> {
    let reader = Reader {
        text,
        presets,
        errors: Vec::new(),
    };
    reader.read()
}

struct Reader<'a> {
    text: &'a str,
    presets: &'a [Preset],
    errors: Vec<FileError>,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl Reader<'_> {
    fn read(mut self) -> Result<AccessFile, Vec<FileError>> {
        let document = match DeTable::parse(self.text) {
            Ok(document) => document,
            Err(error) => {
                let at = error.span().unwrap_or(0..0);
                self.error(at, error.message().trim_end_matches('.').to_owned(), None);
                return Err(self.errors);
            }
        };
        let mut file = AccessFile::default();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (key, value) in document.get_ref().iter() {
            match key.get_ref().as_ref() {
                "account" => match value.get_ref().as_str() {
                    Some(account) if !account.trim().is_empty() => {
                        file.account = Some(account.trim().to_owned());
                    }
                    _ => self.error(
                        value.span(),
                        "account must be the account's email, in quotes".into(),
                        None,
                    ),
                },
                "users" => match value.get_ref().as_table() {
                    Some(users) => {
                        // The table is sorted by key: read in file order, so
                        // "listed twice" points at the later line.
                        let mut in_order: Vec<_> = users.iter().collect();
                        in_order.sort_by_key(|(email, _)| email.span().start);
                        for (email, table) in in_order {
                            if let Some(entry) = self.entry(email, table, &mut seen) {
                                file.users.push(entry);
                            }
                        }
                    }
                    None => self.error(
                        value.span(),
                        "users must be tables: [users.\"name@example.com\"]".into(),
                        None,
                    ),
                },
                other => {
                    let hint = closest(other, TOP_KEYS);
                    self.error(
                        key.span(),
                        format!("unknown key \"{other}\": the file holds account and [users.\"…\"] tables"),
                        hint,
                    );
                }
            }
        }
        if !self.errors.is_empty() {
            self.errors.sort_by_key(|e| (e.line, e.column));
            return Err(self.errors);
        }
        file.sort();
        Ok(file)
    }

    fn entry(
        &mut self,
        email: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Value<'_>,
        seen: &mut BTreeMap<String, usize>,
    ) -> Option<Entry> {
        let line = self.position(email.span().start).0;
        let address = email.get_ref().trim();
        if address.is_empty() || !address.contains('@') {
            // Only what cannot be an address at all: the full check is the
            // invitation's (an existing user's odd address must read back).
            self.error(
                email.span(),
                format!("\"{address}\" is not an email address"),
                None,
            );
            return None;
        }
        if let Some(first) = seen.insert(address.to_ascii_lowercase(), line) {
            self.error(
                email.span(),
                format!("{address} is listed twice (also on line {first}; emails are compared without case)"),
                None,
            );
            return None;
        }
        let Some(table) = value.get_ref().as_table() else {
            self.error(
                value.span(),
                format!("{address} must be a table: [users.\"{address}\"]"),
                None,
            );
            return None;
        };
        let mut desired = Vec::new();
        let mut unrecognised = Grants::new();
        for (key, value) in table.iter() {
            let name: &str = key.get_ref().as_ref();
            match name {
                "preset" => desired.push(self.preset(value)),
                "grants" => desired.push(self.grants(value).map(Desired::Grants)),
                "all_features" => desired.push(self.all_features(value)),
                "unrecognised" => unrecognised = self.unrecognised(value),
                other => {
                    let hint = closest(other, USER_KEYS);
                    self.error(
                        key.span(),
                        format!("unknown key \"{other}\" for {address}: a user has one of preset, grants or all_features"),
                        hint,
                    );
                }
            }
        }
        match desired.len() {
            1 => desired.pop().flatten().map(|desired| Entry {
                email: address.to_owned(),
                desired,
                unrecognised,
                line,
            }),
            0 => {
                self.error(
                    email.span(),
                    format!("{address} gives none of preset, grants or all_features (grants = {{}} means no access)"),
                    None,
                );
                None
            }
            _ => {
                self.error(
                    email.span(),
                    format!(
                        "{address} gives more than one of preset, grants and all_features: keep one"
                    ),
                    None,
                );
                None
            }
        }
    }

    /// `Some(None)` is "present but wrong" (the error is recorded), so that
    /// "more than one of" is still judged on what was written.
    fn preset(&mut self, value: &Value<'_>) -> Option<Desired> {
        let Some(name) = value.get_ref().as_str() else {
            self.error(value.span(), "preset must be a name in quotes".into(), None);
            return None;
        };
        match presets::find(self.presets, name.trim()) {
            Some(preset) => Some(Desired::Preset(preset.id.clone())),
            None => {
                let known: Vec<&str> = self.presets.iter().map(|p| p.id.as_str()).collect();
                let hint = presets::suggest(self.presets, name).map(str::to_owned);
                self.error(
                    value.span(),
                    format!("unknown preset \"{name}\" (known: {})", known.join(", ")),
                    hint,
                );
                None
            }
        }
    }

    fn all_features(&mut self, value: &Value<'_>) -> Option<Desired> {
        match value.get_ref().as_bool() {
            Some(true) => Some(Desired::AllFeatures),
            Some(false) => {
                self.error(
                    value.span(),
                    "all_features = false grants nothing: give grants or a preset instead".into(),
                    None,
                );
                None
            }
            None => {
                self.error(value.span(), "all_features must be true".into(), None);
                None
            }
        }
    }

    fn grants(&mut self, value: &Value<'_>) -> Option<Grants> {
        let table = self.feature_table(value, "grants")?;
        let before = self.errors.len();
        let mut grants = Grants::new();
        for (feature, permissions) in table {
            let Some(known) = catalog::feature(feature.get_ref()).filter(|f| f.current) else {
                let name = feature.get_ref();
                let why = if catalog::feature(name).is_some() {
                    format!("feature \"{name}\" is no longer offered by Brevo")
                } else {
                    format!("unknown feature \"{name}\"")
                };
                let hint = catalog::suggest_feature(name).map(str::to_owned);
                self.error(feature.span(), why, hint);
                continue;
            };
            let values = self.strings(permissions, known.key);
            if values.len() > 1 && values.iter().any(|(p, _)| p.trim() == catalog::NONE) {
                self.error(
                    permissions.span(),
                    format!(
                        "{} lists \"none\" with other permissions: keep one",
                        known.key
                    ),
                    None,
                );
                continue;
            }
            for (permission, span) in values {
                let permission = permission.trim();
                if permission == catalog::NONE {
                    continue;
                }
                match catalog::permission(permission) {
                    Some(p) if is_known_pair(known.key, p.key) => grants.insert(known.key, p.key),
                    found => {
                        let why = match found {
                            Some(p) if catalog::fits(known.key, p.key) => {
                                format!("permission \"{permission}\" is no longer offered by Brevo")
                            }
                            Some(_) => format!(
                                "\"{permission}\" does not apply to {} (it takes: {})",
                                known.key,
                                known.permissions.join(", ")
                            ),
                            None => {
                                format!("unknown permission \"{permission}\" for {}", known.key)
                            }
                        };
                        let hint = catalog::suggest_permission(known.key, permission)
                            .filter(|s| *s != permission)
                            .map(str::to_owned);
                        self.error(span, why, hint);
                    }
                }
            }
        }
        (self.errors.len() == before).then_some(grants)
    }

    fn unrecognised(&mut self, value: &Value<'_>) -> Grants {
        let mut kept = Grants::new();
        let Some(table) = self.feature_table(value, "unrecognised") else {
            return kept;
        };
        for (feature, permissions) in table {
            for (permission, span) in self.strings(permissions, feature.get_ref()) {
                if is_known_pair(feature.get_ref(), &permission) {
                    self.error(
                        span,
                        format!(
                            "{} = \"{permission}\" is in the catalogue: write it under grants",
                            feature.get_ref()
                        ),
                        None,
                    );
                } else {
                    kept.insert(feature.get_ref(), permission);
                }
            }
        }
        kept
    }

    /// The `feature = [...]` pairs of a `grants` or `unrecognised` table.
    fn feature_table<'v, 'i>(
        &mut self,
        value: &'v Value<'i>,
        what: &str,
    ) -> Option<Vec<(Spanned<String>, &'v Value<'i>)>> {
        let Some(table) = value.get_ref().as_table() else {
            self.error(
                value.span(),
                format!("{what} must be a table of feature = [permissions]"),
                None,
            );
            return None;
        };
        Some(
            table
                .iter()
                .map(|(k, v)| (Spanned::new(k.span(), k.get_ref().to_string()), v))
                .collect(),
        )
    }

    fn strings(&mut self, value: &Value<'_>, feature: &str) -> Vec<(String, Range<usize>)> {
        let Some(items) = value.get_ref().as_array() else {
            self.error(
                value.span(),
                format!("{feature} must list its permissions in brackets: [\"view\"]"),
                None,
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref().as_str() {
                Some(text) => out.push((text.to_owned(), item.span())),
                None => self.error(
                    item.span(),
                    format!("a permission of {feature} must be a name in quotes"),
                    None,
                ),
            }
        }
        out
    }

    fn error(&mut self, span: Range<usize>, message: String, suggestion: Option<String>) {
        let (line, column) = self.position(span.start);
        self.errors.push(FileError {
            line,
            column,
            message,
            suggestion,
        });
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }
}

fn closest(typed: &str, keys: &[&str]) -> Option<String> {
    let typed = typed.to_ascii_lowercase().replace('-', "_");
    let limit = (typed.len() / 3).max(2);
    keys.iter()
        .map(|k| (edit_distance(&typed, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.to_owned())
}
