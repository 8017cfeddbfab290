//! The optional log file. Off unless `--log-level` or `BREVO_USERS_LOG`
//! asks for it; then this crate's own events only (never reqwest's or
//! hyper's, which could show headers) go to the XDG state directory. Nothing
//! is ever written to the terminal, where it would tear the dashboard.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::config::env::EnvLookup;
use crate::config::paths;

const LEVELS: &[&str] = &["error", "warn", "info", "debug", "trace"];

/// Starts logging when asked to; returns the file written to. The flag
/// wins over `BREVO_USERS_LOG`, which wins over the config file's level.
pub fn init(
    flag: Option<&str>,
    configured: Option<&str>,
    env: EnvLookup<'_>,
) -> Result<Option<PathBuf>, String> {
    let from_env = env("BREVO_USERS_LOG").filter(|v| !v.trim().is_empty());
    let Some(level) = flag
        .map(str::to_owned)
        .or(from_env)
        .or_else(|| configured.map(str::to_owned))
    else {
        return Ok(None);
    };
    let level = level.trim().to_ascii_lowercase();
    if !LEVELS.contains(&level.as_str()) {
        return Err(format!(
            "log level {level:?} is not one of {}",
            LEVELS.join(", ")
        ));
    }
    let path = paths::log_file(env).ok_or("no HOME: nowhere to write the log")?;
    let file = open_private(&path)?;
    let filter = EnvFilter::new(format!("brevo_users={level}"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(false)
        .try_init()
        .map_err(|e| format!("logging is already set up: {e}"))?;
    Ok(Some(path))
}

/// Opens the log for appending, only its owner's: the file `0600` in a
/// folder `0700` (both tightened if they were looser), since it names the
/// routes used and when, which is nobody else's business.
fn open_private(path: &Path) -> Result<File, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        paths::create_private_dir(dir)?;
        tighten(dir, 0o700)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    tighten(path, 0o600)?;
    Ok(file)
}

/// Removes what `mode` does not allow from an existing file or folder (a
/// log left by an older version, a folder made by hand).
fn tighten(path: &Path, mode: u32) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let current = std::fs::metadata(path)
            .map_err(|e| format!("cannot check {}: {e}", path.display()))?
            .permissions()
            .mode()
            & 0o777;
        if current & !mode != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(current & mode))
                .map_err(|e| format!("cannot make {} private: {e}", path.display()))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Starts logging as the flag, the environment or the configuration file
/// ask. A broken configuration file is reported where it is used, not here.
pub fn init_from_settings(
    flag: Option<&str>,
    env: EnvLookup<'_>,
) -> Result<Option<PathBuf>, String> {
    let configured = crate::config::Config::load(env)
        .ok()
        .and_then(|c| c.log_level);
    init(flag, configured.as_deref(), env)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_log_is_only_its_owners_even_where_a_looser_one_was_left() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("state/brevo-users/brevo-users.log");
        open_private(&path).unwrap();
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(
            path.parent().unwrap(),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        open_private(&path).unwrap();
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));
    }
}
