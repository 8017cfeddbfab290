//! `brevo-users completions SHELL`: clap_complete's script for the shell,
//! plus a hook that completes profile names after `--profile` by calling
//! the hidden `brevo-users __complete-profiles`, which reads the
//! configuration file the way every command does. Why a hidden command
//! rather than clap_complete's `CompleteEnv`: docs/DESIGN.md, "Completions".
//!
//! The hook is added around clap's script (bash, elvish) or into the one
//! spec clap writes for `--profile` (zsh, fish). If clap_complete ever
//! writes those differently, the command fails loudly instead of shipping a
//! script that quietly stops completing profiles; the tests catch it first.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::config::Config;
use crate::connect::EnvLookup;

const BIN: &str = "brevo-users";
/// The hidden helper's name, as the scripts call it.
pub const HELPER: &str = "__complete-profiles";

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Result<String, String> {
    let mut command = without_helper(Cli::command());
    let mut generated = Vec::new();
    clap_complete::generate(shell, &mut command, BIN, &mut generated);
    let generated = String::from_utf8(generated)
        .map_err(|_| "the generated completion script is not UTF-8".to_owned())?;
    let hooked = match shell {
        Shell::Bash => bash(&generated),
        Shell::Zsh => zsh(&generated),
        Shell::Fish => fish(&generated),
        Shell::Elvish => elvish(&generated),
        // clap's PowerShell script completes commands and flags, never
        // values: there is no place for a hook.
        _ => Some(generated),
    };
    hooked.ok_or_else(|| {
        format!("this clap_complete writes its {shell} script differently: the --profile hook does not fit (a bug)")
    })
}

/// The command tree without the hidden helper: clap_complete offers
/// hidden subcommands too, and nobody should be offered this one. clap
/// cannot remove a subcommand, so the top is rebuilt around the others.
fn without_helper(full: clap::Command) -> clap::Command {
    let mut top = clap::Command::new(BIN)
        .version(env!("BREVO_USERS_VERSION"))
        .args(full.get_arguments().cloned())
        .subcommands(
            full.get_subcommands()
                .filter(|c| c.get_name() != HELPER)
                .cloned(),
        );
    if let Some(about) = full.get_about() {
        top = top.about(about.clone());
    }
    top
}

/// The profile names of the configuration file the environment points at,
/// one a line, for the shells to offer. Nothing when there is no file or it
/// cannot be read: a completion never prints an error into a command line
/// (running the command says what is wrong with the file).
pub fn profile_names(env: EnvLookup<'_>) -> String {
    let Ok(config) = Config::load(env) else {
        return String::new();
    };
    config
        .profiles
        .keys()
        // A shell reads one candidate a line; such a name cannot be typed anyway.
        .filter(|name| !name.chars().any(char::is_control))
        .map(|name| format!("{name}\n"))
        .collect()
}

/// bash: a function in front of clap's that answers after `--profile`
/// (and `--profile=`, which bash splits at the `=`), then registered in
/// its place.
fn bash(generated: &str) -> Option<String> {
    let register = "complete -F _brevo__users ";
    if generated.matches(register).count() == 0 {
        return None;
    }
    // clap_complete 4.6 names the case arms of a hyphenated binary
    // `brevo__subcmd__users__…` but the state `brevo__users__…`, so no
    // option after a command ever completed (clap-rs/clap#6421, open).
    // Spelling the arms like the state fixes it; once clap does, this
    // replaces nothing.
    let mut out = generated
        .replace("brevo__subcmd__users", "brevo__users")
        .replace(register, "complete -F _brevo__users_with_profiles ");
    out.push_str(&format!(
        r#"
# Profile names after --profile, from the configuration file.
_brevo__users_with_profiles() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}"
    local prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    if [[ "${{prev}}" == "=" && "${{COMP_WORDS[COMP_CWORD-2]}}" == "--profile" ]]; then
        prev="--profile"
    elif [[ "${{cur}}" == "=" && "${{prev}}" == "--profile" ]]; then
        cur=""
    fi
    if [[ "${{prev}}" == "--profile" ]]; then
        local IFS=$'\n'
        COMPREPLY=($(compgen -W "$({BIN} {HELPER} 2>/dev/null)" -- "${{cur}}"))
        return 0
    fi
    _brevo__users "$@"
}}
"#
    ));
    Some(out)
}

/// zsh: `_arguments` takes an action per option value; clap writes
/// `_default` (files) for `--profile`.
fn zsh(generated: &str) -> Option<String> {
    let ending = "]:NAME:_default' \\";
    let mut hooked = 0;
    let mut out = String::with_capacity(generated.len() + 512);
    for line in generated.lines() {
        if line.starts_with("'--profile=[") && line.ends_with(ending) {
            out.push_str(line.trim_end_matches(ending));
            out.push_str("]:NAME:_brevo-users_profiles' \\");
            hooked += 1;
        } else if line.starts_with("if [ \"$funcstack[1]\" = \"_brevo-users\" ]") {
            out.push_str(&format!(
                "(( $+functions[_brevo-users_profiles] )) ||\n\
                 _brevo-users_profiles() {{\n    \
                 local -a profiles\n    \
                 profiles=(${{(f)\"$({BIN} {HELPER} 2>/dev/null)\"}})\n    \
                 compadd -a profiles\n\
                 }}\n\n{line}"
            ));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    (hooked > 0 && out.contains("_brevo-users_profiles() {")).then_some(out)
}

/// fish: every `complete … -l profile … -r` line also offers the names,
/// and no files.
fn fish(generated: &str) -> Option<String> {
    let mut hooked = 0;
    let mut out = String::with_capacity(generated.len() + 512);
    for line in generated.lines() {
        out.push_str(line);
        if line.starts_with("complete -c brevo-users ")
            && line.contains(" -l profile ")
            && line.ends_with(" -r")
        {
            out.push_str(&format!(" -f -a \"({BIN} {HELPER} 2>/dev/null)\""));
            hooked += 1;
        }
        out.push('\n');
    }
    (hooked > 0).then_some(out)
}

/// elvish: clap's completer offers commands and flags only; a completer
/// in front of it answers after `--profile`.
fn elvish(generated: &str) -> Option<String> {
    if !generated.contains("set edit:completion:arg-completer[brevo-users] = ") {
        return None;
    }
    Some(format!(
        "{generated}\n\
         # Profile names after --profile, from the configuration file.\n\
         var brevo-users-clap-completer = $edit:completion:arg-completer[brevo-users]\n\
         set edit:completion:arg-completer[brevo-users] = {{|@words|\n    \
         if (and (> (count $words) 2) (eq $words[-2] --profile)) {{\n        \
         try {{ {BIN} {HELPER} 2>/dev/null | from-lines }} catch {{ }}\n    \
         }} else {{\n        \
         $brevo-users-clap-completer $@words\n    \
         }}\n\
         }}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_and_the_hooked_ones_call_the_helper() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let text = script(shell).unwrap_or_else(|e| panic!("{e}"));
            assert!(text.contains("brevo-users"), "{shell}");
            let hooked = !matches!(shell, Shell::PowerShell);
            let calls = text
                .matches(&format!("brevo-users {HELPER} 2>/dev/null"))
                .count();
            assert_eq!(
                text.matches(HELPER).count(),
                calls,
                "{shell}: the helper is called, never offered"
            );
            assert_eq!(calls > 0, hooked, "{shell}");
            for command in ["list", "mock-server", "man", "completions", "config"] {
                assert!(text.contains(command), "{shell}: {command}");
            }
        }
    }

    #[test]
    fn bash_has_an_arm_for_every_state_so_options_after_a_command_complete() {
        let text = script(Shell::Bash).unwrap();
        let states: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("cmd=\""))
            .filter_map(|l| l.strip_suffix('"'))
            .filter(|s| !s.is_empty())
            .collect();
        assert!(states.contains(&"brevo__users__subcmd__list"), "{states:?}");
        for state in states {
            assert!(
                text.lines().any(|l| l.trim() == format!("{state})")),
                "no arm for {state}"
            );
        }
    }

    #[test]
    fn zsh_completes_profiles_for_every_command_and_files_nowhere_for_them() {
        let text = script(Shell::Zsh).unwrap();
        let profile_specs: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("'--profile="))
            .collect();
        assert!(profile_specs.len() > 10, "{}", profile_specs.len());
        assert!(
            profile_specs
                .iter()
                .all(|l| l.ends_with(":NAME:_brevo-users_profiles' \\")),
            "{profile_specs:?}"
        );
        let defined = text.find("_brevo-users_profiles() {").unwrap();
        let used = text.find("compdef _brevo-users brevo-users").unwrap();
        assert!(defined < used, "the function exists before it is needed");
    }

    #[test]
    fn fish_offers_profile_names_instead_of_files() {
        let text = script(Shell::Fish).unwrap();
        for line in text.lines().filter(|l| l.contains(" -l profile ")) {
            assert!(
                line.ends_with("-r -f -a \"(brevo-users __complete-profiles 2>/dev/null)\""),
                "{line}"
            );
        }
    }

    #[test]
    fn a_script_clap_writes_differently_is_refused_not_half_hooked() {
        assert_eq!(bash("complete -F other brevo-users\n"), None);
        assert_eq!(zsh("#compdef brevo-users\n"), None);
        assert_eq!(fish("complete -c brevo-users -l list\n"), None);
        assert_eq!(elvish("use str;\n"), None);
    }

    #[test]
    fn profile_names_come_from_the_file_and_a_broken_file_gives_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let lookup = |name: &str| {
            (name == "BREVO_USERS_CONFIG").then(|| path.to_string_lossy().into_owned())
        };
        std::fs::write(&path, "[profiles.work]\n[profiles.\"client-b\"]\n").unwrap();
        assert_eq!(profile_names(&lookup), "client-b\nwork\n");
        std::fs::write(&path, "[profiles.work]\nread_only = \"yes\"\n").unwrap();
        assert_eq!(profile_names(&lookup), "");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(profile_names(&lookup), "");
    }
}
