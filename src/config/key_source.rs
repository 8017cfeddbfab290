//! Where the API key comes from, and how getting it can fail. Neither ever
//! holds the key: both are shown to people.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

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
            Self::Empty(KeySource::Prompt) => {
                f.write_str("no key was typed at the prompt; nothing was sent")
            }
            Self::Empty(source) => write!(f, "{source} gave an empty key"),
            Self::Prompt(reason) => {
                write!(f, "the key could not be read from the terminal: {reason}")
            }
        }
    }
}

impl std::error::Error for CredentialError {}
