//! Where the API key comes from, in this order, the first found winning:
//! `BREVO_API_KEY`; the profile's `api_key_command`; the profile's
//! `api_key_file`; a hidden prompt on a terminal. The key stays a
//! `SecretString` throughout; no error here ever quotes it.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use secrecy::SecretString;
use tokio::io::AsyncReadExt;

use super::env::EnvLookup;
use super::file_safety;
pub use super::key_source::{CredentialError, KeySource};
use super::model::Profile;
pub use super::prompt::terminal_prompt;

/// How long `api_key_command` may run. Long enough to type a passphrase
/// into `pass` or `gpg`, short enough that a hung helper is noticed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// Asks a person for the key without echoing it.
pub type Prompter<'a> = &'a (dyn Fn() -> std::io::Result<String> + Sync);

/// Where [`resolve`] would take the key from, without running or reading
/// anything (`info` says where the key "would come from"); `None` when only
/// the prompt is left.
pub fn planned_source(profile: Option<&Profile>, env: EnvLookup<'_>) -> Option<KeySource> {
    if env("BREVO_API_KEY").is_some_and(|k| !k.trim().is_empty()) {
        return Some(KeySource::Environment);
    }
    let profile = profile?;
    if let Some(argv) = &profile.api_key_command {
        return Some(KeySource::Command(
            argv.first().cloned().unwrap_or_default(),
        ));
    }
    profile.api_key_file.clone().map(KeySource::File)
}

pub async fn resolve(
    profile: Option<&Profile>,
    env: EnvLookup<'_>,
    prompt: Option<Prompter<'_>>,
    command_timeout: Duration,
) -> Result<(SecretString, KeySource), CredentialError> {
    if let Some(key) = env("BREVO_API_KEY").filter(|k| !k.trim().is_empty()) {
        return Ok((
            SecretString::from(key.trim().to_owned()),
            KeySource::Environment,
        ));
    }
    if let Some(argv) = profile.and_then(|p| p.api_key_command.as_ref()) {
        return run_command(argv, command_timeout).await;
    }
    if let Some(path) = profile.and_then(|p| p.api_key_file.as_ref()) {
        return read_file(path);
    }
    match prompt {
        Some(prompt) => {
            let key = prompt().map_err(|e| CredentialError::Prompt(e.to_string()))?;
            non_empty(key, KeySource::Prompt)
        }
        None => Err(CredentialError::NotFound),
    }
}

fn non_empty(key: String, source: KeySource) -> Result<(SecretString, KeySource), CredentialError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(CredentialError::Empty(source));
    }
    Ok((SecretString::from(key.to_owned()), source))
}

async fn run_command(
    argv: &[String],
    timeout: Duration,
) -> Result<(SecretString, KeySource), CredentialError> {
    let program = argv.first().cloned().unwrap_or_default();
    let failed = |reason: String| CredentialError::CommandFailed {
        program: program.clone(),
        reason,
    };
    // No shell: the argv runs as written. stdin and stderr stay on the
    // terminal so that `pass` or `gpg` can ask for a passphrase.
    let mut child = tokio::process::Command::new(&program)
        .args(&argv[1..])
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| failed(e.to_string()))?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| failed("no output pipe".to_owned()))?;
    let run = async {
        let mut output = String::new();
        stdout
            .read_to_string(&mut output)
            .await
            .map_err(|e| failed(e.to_string()))?;
        let status = child.wait().await.map_err(|e| failed(e.to_string()))?;
        Ok::<_, CredentialError>((output, status))
    };
    let (output, status) = match tokio::time::timeout(timeout, run).await {
        Ok(result) => result?,
        Err(_) => {
            return Err(CredentialError::CommandTimedOut {
                program,
                after: timeout,
            });
        }
    };
    if !status.success() {
        // The output is never quoted: it may hold part of a key.
        return Err(failed(match status.code() {
            Some(code) => format!("it ended with exit code {code}"),
            None => "it was stopped by a signal".to_owned(),
        }));
    }
    non_empty(output, KeySource::Command(program.clone()))
}

/// Reads the key file: a regular file (a FIFO or a device would block or
/// never end) that only its owner can read, of a key's size.
fn read_file(path: &Path) -> Result<(SecretString, KeySource), CredentialError> {
    let unreadable = |e: std::io::Error| CredentialError::FileUnreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let (file, metadata) = file_safety::open_regular(path).map_err(unreadable)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(CredentialError::FileTooOpen {
                path: path.to_owned(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    let key = file_safety::read_capped(file, file_safety::KEY_CAP).map_err(unreadable)?;
    non_empty(key, KeySource::File(path.to_owned()))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use secrecy::ExposeSecret;

    use super::*;

    const FAKE_KEY: &str = "xkeysib-FAKE-recognisable-0123456789";

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn profile(command: Option<&[&str]>, file: Option<&Path>) -> Profile {
        Profile {
            name: "p".into(),
            api_key_command: command.map(|argv| argv.iter().map(|s| (*s).to_owned()).collect()),
            api_key_file: file.map(Path::to_owned),
            ..Profile::default()
        }
    }

    fn key_file(mode: u32) -> (tempfile::TempDir, PathBuf) {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, format!("  {FAKE_KEY}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        (dir, path)
    }

    async fn resolve_with(
        profile: Option<&Profile>,
        env: EnvLookup<'_>,
    ) -> Result<(SecretString, KeySource), CredentialError> {
        resolve(profile, env, None, Duration::from_secs(10)).await
    }

    #[tokio::test]
    async fn the_environment_wins_over_every_other_source() {
        let (_dir, file) = key_file(0o600);
        let env = |name: &str| (name == "BREVO_API_KEY").then(|| "from-env".to_owned());
        let chosen = profile(Some(&["false"]), Some(&file));
        let (key, source) = resolve_with(Some(&chosen), &env).await.unwrap();
        assert_eq!(
            (key.expose_secret(), source),
            ("from-env", KeySource::Environment)
        );
    }

    #[tokio::test]
    async fn the_command_runs_without_a_shell_and_its_output_is_trimmed() {
        let (_dir, file) = key_file(0o600);
        let chosen = profile(Some(&["printf", "%s\n", FAKE_KEY]), Some(&file));
        let (key, source) = resolve_with(Some(&chosen), &no_env).await.unwrap();
        assert_eq!(key.expose_secret(), FAKE_KEY);
        assert_eq!(source, KeySource::Command("printf".into()));
        // A shell would expand this; an argv passes it through verbatim.
        let literal = profile(Some(&["printf", "%s", "$HOME;rm"]), None);
        assert_eq!(
            resolve_with(Some(&literal), &no_env)
                .await
                .unwrap()
                .0
                .expose_secret(),
            "$HOME;rm"
        );
    }

    #[tokio::test]
    async fn a_failing_or_hanging_command_is_reported_without_its_output() {
        let failing = profile(
            Some(&["sh", "-c", &format!("echo {FAKE_KEY}; exit 3")]),
            None,
        );
        let error = resolve_with(Some(&failing), &no_env)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("ended with exit code 3") && !error.contains(FAKE_KEY),
            "{error}"
        );
        let hanging = profile(Some(&["sleep", "30"]), None);
        let error = resolve(Some(&hanging), &no_env, None, Duration::from_millis(100))
            .await
            .unwrap_err();
        assert!(
            matches!(error, CredentialError::CommandTimedOut { .. }),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_key_file_readable_by_others_is_refused() {
        let (_dir, file) = key_file(0o644);
        let error = resolve_with(Some(&profile(None, Some(&file))), &no_env)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("mode 0644") && error.contains("chmod 600"),
            "{error}"
        );
        assert!(!error.contains(FAKE_KEY));
        let (_dir, file) = key_file(0o600);
        let (key, source) = resolve_with(Some(&profile(None, Some(&file))), &no_env)
            .await
            .unwrap();
        assert_eq!(key.expose_secret(), FAKE_KEY);
        assert_eq!(source, KeySource::File(file));
    }

    #[tokio::test]
    async fn a_fifo_or_a_device_as_key_file_is_refused_not_read_forever() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("key");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid, NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let chosen = profile(None, Some(&fifo));
        let error = tokio::time::timeout(
            Duration::from_secs(10),
            resolve_with(Some(&chosen), &no_env),
        )
        .await
        .expect("refused without waiting for a writer")
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("is a FIFO (a named pipe), not a regular file"),
            "{error}"
        );
        let device = profile(None, Some(Path::new("/dev/zero")));
        let error = resolve_with(Some(&device), &no_env)
            .await
            .unwrap_err()
            .to_string();
        assert!(error.contains("a device"), "{error}");
    }

    #[test]
    fn the_planned_source_runs_nothing() {
        let env = |name: &str| (name == "BREVO_API_KEY").then(|| "k".to_owned());
        let chosen = profile(Some(&["sh", "-c", "exit 1"]), None);
        assert_eq!(
            planned_source(Some(&chosen), &env),
            Some(KeySource::Environment)
        );
        assert_eq!(
            planned_source(Some(&chosen), &no_env),
            Some(KeySource::Command("sh".into()))
        );
        assert_eq!(planned_source(None, &no_env), None);
    }

    #[tokio::test]
    async fn the_prompt_comes_last_and_only_where_offered() {
        assert!(matches!(
            resolve_with(None, &no_env).await,
            Err(CredentialError::NotFound)
        ));
        let typed = || Ok(format!("{FAKE_KEY}\n"));
        let (key, source) = resolve(None, &no_env, Some(&typed), COMMAND_TIMEOUT)
            .await
            .unwrap();
        assert_eq!((key.expose_secret(), source), (FAKE_KEY, KeySource::Prompt));
        let nothing = || Ok(String::new());
        assert!(matches!(
            resolve(None, &no_env, Some(&nothing), COMMAND_TIMEOUT).await,
            Err(CredentialError::Empty(_))
        ));
    }
}
