//! `[keys]` merged over the default keymap. A binding `revoke = "D"`
//! replaces the keys of `revoke` in every mode that has it, so the help and
//! the footer show D and x no longer revokes. Two exceptions keep the
//! dashboard usable whatever the file says: Ctrl-C always quits, and in the
//! filter and the email field, where letters are text, a single-character
//! binding is not applied there (the default keys stay).

use std::path::PathBuf;

use crossterm::event::KeyCode;

use super::super::action::Command;
use super::super::state::Mode;
use super::{Binding, Key, Keymap, Yielded};
use crate::brevo::catalog::edit_distance;
use crate::config::{Config, KeyBinding, Located};

/// A binding and the line of `[keys]` it came from (`None`: a default).
struct Sourced {
    binding: Binding,
    line: Option<usize>,
    from_file: bool,
}

impl Keymap {
    /// The default keymap with the configuration's `[keys]` over it. Errors
    /// name the file and line: an unknown command (with the nearest name),
    /// a key that cannot be read, or two commands on one key in one mode.
    pub fn from_config(config: &Config) -> Result<Self, Located> {
        let path = config.path.clone().unwrap_or_default();
        let mut merged: Vec<Sourced> = Self::default()
            .bindings
            .into_iter()
            .map(|binding| Sourced {
                binding,
                line: None,
                from_file: false,
            })
            .collect();
        for entry in &config.keys {
            let at = |message: String| Located {
                path: path.clone(),
                line: entry.line,
                message,
            };
            let (command, key) = read(entry).map_err(at)?;
            apply(&mut merged, command, key, entry.line);
        }
        let yielded = yield_later_defaults(&mut merged);
        check_conflicts(&merged, &path)?;
        let mut keymap = Self::from_bindings(merged.into_iter().map(|s| s.binding).collect());
        keymap.yielded = yielded;
        Ok(keymap)
    }
}

fn read(entry: &KeyBinding) -> Result<(Command, Key), String> {
    let command = Command::from_name(&entry.command).ok_or_else(|| {
        let nearest = Command::ALL
            .iter()
            .map(|c| c.name())
            .min_by_key(|name| edit_distance(&entry.command, name))
            .unwrap_or("help");
        format!(
            "[keys]: there is no command {:?}; did you mean {nearest:?}? (the README lists the commands)",
            entry.command
        )
    })?;
    let key = Key::parse(&entry.key).map_err(|e| format!("[keys] {}: {e}", entry.command))?;
    Ok((command, key))
}

fn apply(merged: &mut Vec<Sourced>, command: Command, key: Key, line: Option<usize>) {
    let mut modes: Vec<Mode> = merged
        .iter()
        .filter(|s| s.binding.command == command)
        .map(|s| s.binding.mode)
        .collect();
    modes.dedup();
    for mode in modes {
        let is_text = matches!(
            mode,
            Mode::Filter | Mode::FormText | Mode::EverywherePrompt | Mode::Palette
        );
        if is_text && !key.ctrl && matches!(key.code, KeyCode::Char(_)) {
            continue;
        }
        let replaced = |s: &Sourced| {
            s.binding.mode == mode
                && s.binding.command == command
                && !(command == Command::Quit && s.binding.key == Key::ctrl('c'))
        };
        // The new key takes the place of the first old one, so the help
        // keeps its order.
        let Some(first) = merged.iter().position(replaced) else {
            continue;
        };
        merged[first] = Sourced {
            binding: Binding { mode, key, command },
            line,
            from_file: true,
        };
        let mut index = 0;
        merged.retain(|s| {
            index += 1;
            index - 1 == first || !replaced(s)
        });
    }
}

/// A default key introduced later (`Binding::introduced_later`) that a
/// user's binding holds in the same mode goes to the user: a configuration
/// that worked before keeps working, and the help names what it took.
fn yield_later_defaults(merged: &mut Vec<Sourced>) -> Vec<Yielded> {
    let mut yielded = Vec::new();
    let taker = |merged: &[Sourced], s: &Sourced| {
        merged
            .iter()
            .find(|u| {
                u.from_file
                    && u.binding.mode == s.binding.mode
                    && u.binding.key == s.binding.key
                    && u.binding.command != s.binding.command
            })
            .map(|u| u.binding.command)
    };
    for s in merged.iter() {
        if s.from_file || !s.binding.introduced_later() {
            continue;
        }
        if let Some(taken_by) = taker(merged, s) {
            yielded.push(Yielded {
                mode: s.binding.mode,
                key: s.binding.key,
                command: s.binding.command,
                taken_by,
            });
        }
    }
    merged.retain(|s| {
        !yielded
            .iter()
            .any(|y| !s.from_file && y.mode == s.binding.mode && y.key == s.binding.key)
    });
    yielded
}

fn check_conflicts(merged: &[Sourced], path: &std::path::Path) -> Result<(), Located> {
    for (i, a) in merged.iter().enumerate() {
        for b in &merged[i + 1..] {
            let same_key = a.binding.mode == b.binding.mode && a.binding.key == b.binding.key;
            if !same_key || a.binding.command == b.binding.command {
                continue;
            }
            let (ours, other) = if a.from_file { (a, b) } else { (b, a) };
            let whose = if other.from_file {
                "also set in [keys]".to_owned()
            } else {
                format!(
                    "its default key; bind {} to another key too",
                    other.binding.command.name()
                )
            };
            return Err(Located {
                path: PathBuf::from(path),
                line: ours.line,
                message: format!(
                    "[keys]: {:?} would run both {} and {} in the {} ({whose})",
                    ours.binding.key.label(),
                    ours.binding.command.name(),
                    other.binding.command.name(),
                    ours.binding.mode.describe(),
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
