//! The configuration file: profiles for several accounts, credential
//! sources, key bindings, theme and logging. The program never creates or
//! rewrites the file on its own; `config init` writes the commented example.

pub mod api_url;
pub mod cache;
pub mod credentials;
pub mod env;
pub mod file_safety;
mod key_command;
pub mod key_source;
pub mod key_turn;
mod model;
mod parse;
pub mod paths;
pub mod prompt;
mod sections;

use std::io;
use std::path::PathBuf;

use env::EnvLookup;
use model::unknown_profile;
pub use model::{Config, KeyBinding, Profile, ThemeName};
pub use parse::Located;

/// The commented example `config init` writes.
pub const EXAMPLE: &str = include_str!("../../assets/config.example.toml");

impl Config {
    /// Reads the file the environment points at. No file is no error (the
    /// defaults apply) unless `BREVO_USERS_CONFIG` names one explicitly. A
    /// file someone else could have changed is refused, not read.
    pub fn load(env: EnvLookup<'_>) -> Result<Self, Located> {
        let Some(path) = paths::config_file(env) else {
            return Ok(Self::default());
        };
        let explicit = env("BREVO_USERS_CONFIG").is_some_and(|v| !v.trim().is_empty());
        let refused = |message: String| Located {
            path: path.clone(),
            line: None,
            message,
        };
        let (file, metadata) = match file_safety::open_regular(&path) {
            Ok(opened) => opened,
            Err(e) if e.kind() == io::ErrorKind::NotFound && !explicit => {
                return Ok(Self::default());
            }
            Err(e) => return Err(refused(format!("cannot be read: {e}"))),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let our_uid = file_safety::our_uid();
            if let Some(problem) =
                file_safety::config_distrust(&path, metadata.uid(), our_uid, metadata.mode())
            {
                return Err(refused(problem));
            }
        }
        #[cfg(not(unix))]
        let _ = metadata;
        let text = file_safety::read_capped(file, file_safety::CONFIG_CAP)
            .map_err(|e| refused(format!("cannot be read: {e}")))?;
        Self::parse(&text, &path, env)
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

/// `config init`: writes the commented example, refusing to overwrite. The
/// folder is made private (0700) and the file only its owner's (0600), so
/// that the file passes the checks `load` makes whatever the umask.
pub fn init(env: EnvLookup<'_>) -> Result<PathBuf, String> {
    let path = paths::config_file(env)
        .ok_or("no HOME and no BREVO_USERS_CONFIG: nowhere to write the file")?;
    if path.exists() {
        return Err(format!(
            "{} already exists; it was left as it is",
            path.display()
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        paths::create_private_dir(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(&path)
        .and_then(|mut file| io::Write::write_all(&mut file, EXAMPLE.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests;
