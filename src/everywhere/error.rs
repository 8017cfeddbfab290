//! Why one account could not be read or changed.

use std::fmt;

use crate::brevo::ApiError;
use crate::connect::ConnectError;

/// Why one account could not be read or changed: a kind for scripts
/// (`unauthorized`, `timeout`, `credential`, …) and one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountError {
    pub kind: &'static str,
    pub message: String,
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<&ApiError> for AccountError {
    fn from(error: &ApiError) -> Self {
        Self {
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}

impl From<&ConnectError> for AccountError {
    fn from(error: &ConnectError) -> Self {
        let (kind, message) = match error {
            ConnectError::NoKey => (
                "no_key",
                "no API key for this profile: give it an api_key_command or api_key_file"
                    .to_owned(),
            ),
            ConnectError::Client(error) => return error.into(),
            ConnectError::Demo(_) => ("error", error.to_string()),
            ConnectError::Config(_) | ConnectError::Profile(_) => ("config", error.to_string()),
            ConnectError::Credential(_) => ("credential", error.to_string()),
        };
        Self { kind, message }
    }
}

/// A task that ended without an answer (a bug of ours, never Brevo's).
pub(super) fn lost_task() -> AccountError {
    AccountError {
        kind: "error",
        message: "the task asking this account stopped unexpectedly".to_owned(),
    }
}
