//! Where the API key comes from, in this order, the first found winning:
//! `BREVO_API_KEY`; the profile's `api_key_command`; the profile's
//! `api_key_file`; a hidden prompt on a terminal. The key stays a
//! `SecretString` throughout; no error here ever quotes it.

use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use secrecy::SecretString;
use tokio::io::AsyncReadExt;

use super::Profile;
use crate::connect::EnvLookup;

/// How long `api_key_command` may run. Long enough to type a passphrase
/// into `pass` or `gpg`, short enough that a hung helper is noticed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// Where the key came from, for `info` and messages; never the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    Command(String),
    File(PathBuf),
    Prompt,
    Demo,
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Environment => f.write_str("the BREVO_API_KEY environment variable"),
            Self::Command(program) => write!(f, "the profile's api_key_command ({program})"),
            Self::File(path) => write!(f, "the profile's api_key_file ({})", path.display()),
            Self::Prompt => f.write_str("the terminal prompt"),
            Self::Demo => f.write_str("the demo (no key needed)"),
        }
    }
}

#[derive(Debug)]
pub enum CredentialError {
    NotFound,
    CommandFailed { program: String, reason: String },
    CommandTimedOut { program: String, after: Duration },
    FileTooOpen { path: PathBuf, mode: u32 },
    FileUnreadable { path: PathBuf, reason: String },
    Empty(KeySource),
    Prompt(String),
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound => f.write_str("no API key found"),
            Self::CommandFailed { program, reason } => {
                write!(f, "api_key_command {program:?} failed: {reason}")
            }
            Self::CommandTimedOut { program, after } => {
                write!(
                    f,
                    "api_key_command {program:?} did not finish within {} s and was stopped",
                    after.as_secs()
                )
            }
            Self::FileTooOpen { path, mode } => write!(
                f,
                "api_key_file {} is readable by group or others (mode {mode:04o}) and was not used; run: chmod 600 {}",
                path.display(),
                path.display()
            ),
            Self::FileUnreadable { path, reason } => write!(
                f,
                "api_key_file {} cannot be read: {reason}",
                path.display()
            ),
            Self::Empty(source) => write!(f, "{source} gave an empty key"),
            Self::Prompt(reason) => {
                write!(f, "the key could not be read from the terminal: {reason}")
            }
        }
    }
}

impl std::error::Error for CredentialError {}

/// Asks a person for the key without echoing it.
pub type Prompter<'a> = &'a (dyn Fn() -> std::io::Result<String> + Sync);

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
        return Err(failed(format!("it exited with {status}")));
    }
    non_empty(output, KeySource::Command(program.clone()))
}

fn read_file(path: &Path) -> Result<(SecretString, KeySource), CredentialError> {
    let unreadable = |e: std::io::Error| CredentialError::FileUnreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(unreadable)?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(CredentialError::FileTooOpen {
                path: path.to_owned(),
                mode,
            });
        }
    }
    let key = std::fs::read_to_string(path).map_err(unreadable)?;
    non_empty(key, KeySource::File(path.to_owned()))
}

/// A prompt on the controlling terminal with nothing echoed, or `None`
/// when stdin or stderr is not a terminal (scripts get an error instead).
pub fn terminal_prompt() -> Option<impl Fn() -> std::io::Result<String> + Sync> {
    (std::io::stdin().is_terminal() && std::io::stderr().is_terminal()).then_some(read_hidden)
}

fn read_hidden() -> std::io::Result<String> {
    use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use std::io::Write;

    let mut stderr = std::io::stderr();
    write!(stderr, "Brevo API key (not shown): ")?;
    stderr.flush()?;
    crossterm::terminal::enable_raw_mode()?;
    let mut key = String::new();
    let result = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(std::io::Error::new(
                        std::io::ErrorKind::Interrupted,
                        "cancelled",
                    ));
                }
                KeyCode::Char(c) => key.push(c),
                KeyCode::Backspace => {
                    key.pop();
                }
                KeyCode::Esc => {
                    break Err(std::io::Error::new(
                        std::io::ErrorKind::Interrupted,
                        "cancelled",
                    ));
                }
                _ => {}
            },
            Ok(Event::Paste(text)) => key.push_str(&text),
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    let restored = crossterm::terminal::disable_raw_mode();
    writeln!(stderr)?;
    result.and(restored).map(|()| key)
}

#[cfg(test)]
mod tests {
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
            error.contains("exited with") && !error.contains(FAKE_KEY),
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
