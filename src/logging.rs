//! The optional log file. Off unless `--log-level` or `BREVO_USERS_LOG`
//! asks for it; then this crate's own events only (never reqwest's or
//! hyper's, which could show headers) go to the XDG state directory. Nothing
//! is ever written to the terminal, where it would tear the dashboard.

use std::fs::OpenOptions;
use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::config::paths;
use crate::connect::EnvLookup;

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
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
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
