//! Where the configuration and the log live. XDG paths on every system,
//! macOS included: admins who work over SSH expect `~/.config`, not
//! `~/Library/Application Support`.

use std::path::{Path, PathBuf};

use super::env::EnvLookup;

const APP: &str = "brevo-users";

fn non_empty(env: EnvLookup<'_>, name: &str) -> Option<String> {
    env(name).filter(|value| !value.trim().is_empty())
}

fn home(env: EnvLookup<'_>) -> Option<PathBuf> {
    non_empty(env, "HOME").map(PathBuf::from)
}

/// `BREVO_USERS_CONFIG`, else `$XDG_CONFIG_HOME/brevo-users/config.toml`,
/// else `~/.config/brevo-users/config.toml`. `None` only without a home.
pub fn config_file(env: EnvLookup<'_>) -> Option<PathBuf> {
    if let Some(path) = non_empty(env, "BREVO_USERS_CONFIG") {
        return Some(PathBuf::from(path));
    }
    let base = non_empty(env, "XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home(env).map(|h| h.join(".config")))?;
    Some(base.join(APP).join("config.toml"))
}

/// `$XDG_STATE_HOME/brevo-users/brevo-users.log`, else
/// `~/.local/state/brevo-users/brevo-users.log`.
pub fn log_file(env: EnvLookup<'_>) -> Option<PathBuf> {
    let base = non_empty(env, "XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home(env).map(|h| h.join(".local").join("state")))?;
    Some(base.join(APP).join(format!("{APP}.log")))
}

/// `$XDG_CACHE_HOME/brevo-users`, else `~/.cache/brevo-users`: where the
/// permissions last read are kept (see `config::cache`).
pub fn cache_dir(env: EnvLookup<'_>) -> Option<PathBuf> {
    let base = non_empty(env, "XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home(env).map(|h| h.join(".cache")))?;
    Some(base.join(APP))
}

/// Expands a leading `~/` in a path from the config file.
pub fn expand_home(path: &str, env: EnvLookup<'_>) -> PathBuf {
    match (path.strip_prefix("~/"), home(env)) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// Creates `dir` (and its parents) as a folder only its owner may enter
/// (`0700` on unix): the configuration and the log live in such folders.
pub fn create_private_dir(dir: &Path) -> Result<(), String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn the_override_wins_then_xdg_then_home() {
        let env = env_of(&[
            ("HOME", "/home/a"),
            ("XDG_CONFIG_HOME", "/xdg"),
            ("BREVO_USERS_CONFIG", "/etc/b.toml"),
        ]);
        assert_eq!(config_file(&env), Some(PathBuf::from("/etc/b.toml")));
        let env = env_of(&[("HOME", "/home/a"), ("XDG_CONFIG_HOME", "/xdg")]);
        assert_eq!(
            config_file(&env),
            Some(PathBuf::from("/xdg/brevo-users/config.toml"))
        );
        let env = env_of(&[("HOME", "/home/a"), ("XDG_CONFIG_HOME", "relative")]);
        assert_eq!(
            config_file(&env),
            Some(PathBuf::from("/home/a/.config/brevo-users/config.toml"))
        );
        assert_eq!(config_file(&env_of(&[])), None);
    }

    #[test]
    fn the_log_goes_to_the_state_directory() {
        let env = env_of(&[("HOME", "/home/a")]);
        assert_eq!(
            log_file(&env),
            Some(PathBuf::from(
                "/home/a/.local/state/brevo-users/brevo-users.log"
            ))
        );
        assert_eq!(
            expand_home("~/keys/main", &env),
            PathBuf::from("/home/a/keys/main")
        );
    }
}
