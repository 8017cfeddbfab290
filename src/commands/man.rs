//! `brevo-users man`: manual pages generated from the clap definitions
//! (clap_mangen), with the sections clap does not know: the dashboard's
//! keys (read from the keymap the help overlay reads, so they cannot
//! drift), the exit status, the environment and the files.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_mangen::Man;
use roff::{Roff, bold, italic, roman};

use crate::cli::Cli;
use crate::tui::Keymap;
use crate::tui::state::Mode;

/// The exit codes, as the README's table words them (a test compares).
pub const EXIT_STATUS: &[(u8, &str)] = &[
    (0, "success"),
    (
        1,
        "API or general error (a refusal, a 5xx, a rate limit, an import with rows left to do)",
    ),
    (
        2,
        "usage error (a wrong argument, an invalid name, an unreadable import file, a bad BREVO_API_URL), declined or missing confirmation, --read-only refusal, no API key",
    ),
    (3, "authentication: Brevo answered 401"),
    (4, "network error or timeout"),
    (5, "user not found"),
    (
        6,
        "plan --detailed-exitcode: changes pending (the account differs from the file)",
    ),
    (
        7,
        "plan --detailed-exitcode: not everything could be checked (the quota ran out, or answers came from the cache); the entries are listed",
    ),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "BREVO_API_KEY",
        "The API key. Wins over every profile's key source. It is never a flag, never printed and never logged; --demo never sends it.",
    ),
    (
        "BREVO_API_URL",
        "The API's base URL (default https://api.brevo.com/v3; a bare host gets /v3). Plain http is refused except on loopback. Overrides the profile's api_url.",
    ),
    (
        "BREVO_USERS_PROFILE",
        "The configuration profile to use when --profile is not given (else the file's default_profile).",
    ),
    (
        "BREVO_USERS_CONFIG",
        "Another configuration file; naming one that cannot be read is an error.",
    ),
    (
        "BREVO_USERS_LOG",
        "Write the log file at this level (error, warn, info, debug, trace); --log-level wins over it.",
    ),
    (
        "NO_COLOR",
        "Set to anything: no colour in the output, and the dashboard draws with bold, reverse and underline only.",
    ),
    (
        "XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME",
        "Where the configuration, the log and the permissions cache live (see FILES), on every system.",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "~/.config/brevo-users/config.toml",
        "The configuration: profiles, key sources, presets, theme, [keys]. $XDG_CONFIG_HOME/brevo-users/config.toml when XDG_CONFIG_HOME is set; BREVO_USERS_CONFIG names another. Never written on its own: brevo-users config init writes the commented example.",
    ),
    (
        "~/.local/state/brevo-users/brevo-users.log",
        "The log, written only when a log level is asked for: one line per API call, never a header, the key or an email. $XDG_STATE_HOME/brevo-users/ when XDG_STATE_HOME is set. brevo-users info shows both paths.",
    ),
    (
        "~/.cache/brevo-users/access-HOST-ACCOUNT.json",
        "The permissions last read by plan, snapshot and diff --live, per account: emails, permissions and when each was read, never the key; 0600 in a 0700 folder. $XDG_CACHE_HOME/brevo-users/ when XDG_CACHE_HOME is set. --no-cache neither reads nor writes it; deleting it is always safe.",
    ),
];

/// The page of `path` (empty: brevo-users(1); `["config", "init"]`: a
/// nested command), as roff.
pub fn page(path: &[String]) -> Result<Vec<u8>, String> {
    let mut command = Cli::command();
    command.build();
    for name in path {
        let known: Vec<String> = visible(&command).map(|c| c.get_name().to_owned()).collect();
        let Some(found) = command
            .get_subcommands()
            .find(|c| c.get_name() == name && !c.is_hide_set())
        else {
            return Err(match known.is_empty() {
                true => format!("{} has no commands", command.get_name()),
                false => format!(
                    "no command {name:?} in {}; pages exist for: {}",
                    command.get_bin_name().unwrap_or("brevo-users"),
                    known.join(", ")
                ),
            });
        };
        command = found.clone();
    }
    render(command, path.is_empty()).map_err(|e| format!("cannot render the page: {e}"))
}

/// Writes every page into `dir` (created if missing); returns the files.
pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut command = Cli::command();
    command.build();
    let mut written = Vec::new();
    write_tree(&command, true, dir, &mut written)?;
    Ok(written)
}

fn write_tree(
    command: &clap::Command,
    top: bool,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<(), String> {
    let name = command
        .get_display_name()
        .unwrap_or(command.get_name())
        .to_owned();
    let path = dir.join(format!("{name}.1"));
    let text = render(command.clone(), top).map_err(|e| format!("cannot render {name}: {e}"))?;
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    written.push(path);
    for sub in visible(command) {
        write_tree(sub, false, dir, written)?;
    }
    Ok(())
}

fn visible(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
}

/// clap_mangen's sections in its order, with ours before VERSION, in the
/// usual order of a page: options, commands, keys, exit status,
/// environment, files.
fn render(command: clap::Command, top: bool) -> std::io::Result<Vec<u8>> {
    let has_commands = command.get_subcommands().any(|c| !c.is_hide_set());
    // Only the top command has a version; every page's footer names it.
    let has_version = command.get_version().is_some();
    let man = Man::new(command).source(format!("brevo-users {}", env!("BREVO_USERS_VERSION")));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    if has_commands {
        man.render_subcommands_section(&mut out)?;
    }
    let mut ours = Roff::new();
    if top {
        keys_section(&mut ours);
    }
    exit_status_section(&mut ours);
    listing(&mut ours, "ENVIRONMENT", ENVIRONMENT);
    listing(&mut ours, "FILES", FILES);
    if !top {
        ours.control("SH", ["SEE ALSO"]);
        ours.text([bold("brevo-users"), roman("(1)")]);
    }
    ours.to_writer(&mut out)?;
    if has_version {
        man.render_version_section(&mut out)?;
    }
    Ok(one_preamble(out))
}

/// Each clap_mangen section (and roff document) starts with the same
/// two-line apostrophe preamble; the page needs it once, at the top.
fn one_preamble(page: Vec<u8>) -> Vec<u8> {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let text = match String::from_utf8(page) {
        Ok(text) => text,
        Err(not_utf8) => return not_utf8.into_bytes(),
    };
    match text.split_once(PREAMBLE) {
        Some((before, after)) => {
            format!("{before}{PREAMBLE}{}", after.replace(PREAMBLE, "")).into_bytes()
        }
        None => text.into_bytes(),
    }
}

fn keys_section(roff: &mut Roff) {
    roff.control("SH", ["DASHBOARD KEYS"]);
    roff.text([roman(
        "brevo-users without a command opens the dashboard. Its default keys, per place; \
         the name in brackets is what [keys] in the configuration binds (revoke = \"D\"), \
         and ? in the dashboard shows the keys in force.",
    )]);
    let keymap = Keymap::default();
    // Places with the same keys (the users list and the permissions pane)
    // are listed once, under both names.
    let mut places: Vec<(Vec<&str>, Vec<_>)> = Vec::new();
    for mode in Mode::ALL {
        let commands = keymap.commands(mode);
        match places.iter_mut().find(|(_, c)| *c == commands) {
            Some((names, _)) => names.push(mode.describe()),
            None => places.push((vec![mode.describe()], commands)),
        }
    }
    for (names, commands) in places {
        roff.control("SS", [names.join(", ").as_str()]);
        for (command, keys) in commands {
            let labels: Vec<String> = keys.iter().map(|k| k.label()).collect();
            roff.control("TP", []);
            roff.text([bold(labels.join(", "))]);
            roff.text([
                roman(format!("{} [", command.describe())),
                italic(command.name()),
                roman("]"),
            ]);
        }
    }
}

fn exit_status_section(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman("The same for every command:")]);
    for (code, meaning) in EXIT_STATUS {
        roff.control("TP", []);
        roff.text([bold(code.to_string())]);
        roff.text([roman(*meaning)]);
    }
}

fn listing(roff: &mut Roff, heading: &str, entries: &[(&str, &str)]) {
    roff.control("SH", [heading]);
    for (name, what) in entries {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*what)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(path: &[&str]) -> String {
        let path: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        let roff = String::from_utf8(page(&path).unwrap()).unwrap();
        // roff writes a hyphen as `\-`.
        roff.replace("\\-", "-")
    }

    #[test]
    fn the_main_page_has_every_section_an_admin_looks_for() {
        let page = text(&[]);
        assert!(page.contains(".TH brevo-users 1"), "{page}");
        for heading in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH OPTIONS",
            ".SH SUBCOMMANDS",
            ".SH \"DASHBOARD KEYS\"",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH VERSION",
        ] {
            assert!(page.contains(heading), "{heading}");
        }
        assert!(!page.contains(super::super::completions::HELPER));
        assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble");
    }

    #[test]
    fn the_keys_are_the_keymaps_own() {
        let page = text(&[]);
        let keymap = Keymap::default();
        for mode in Mode::ALL {
            assert!(page.contains(mode.describe()), "{mode:?}");
            for (command, keys) in keymap.commands(mode) {
                let labels: Vec<String> = keys.iter().map(|k| k.label()).collect();
                assert!(page.contains(&labels.join(", ")), "{command:?}");
                assert!(page.contains(command.name()), "{command:?}");
            }
        }
    }

    #[test]
    fn a_command_page_names_its_parent_and_unknown_names_are_refused() {
        let list = text(&["list"]);
        assert!(list.contains(".TH brevo-users-list 1"), "{list}");
        assert!(list.contains(".SH \"EXIT STATUS\"") && list.contains("SEE ALSO"));
        assert!(!list.contains("DASHBOARD KEYS"));
        assert!(text(&["config", "init"]).contains(".TH brevo-users-config-init 1"));
        let error = page(&["lsit".to_owned()]).unwrap_err();
        assert!(
            error.contains("\"lsit\"") && error.contains("list, show"),
            "{error}"
        );
        assert!(page(&[HIDDEN.to_owned()]).is_err(), "hidden stays hidden");
    }

    const HIDDEN: &str = super::super::completions::HELPER;
}
