//! How a command fails: one type, one exit-code table for every command, and
//! one JSON error shape for scripts.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | API or general error |
//! | 2 | usage error, declined confirmation, `--read-only` refusal, no key |
//! | 3 | authentication (Brevo answered 401) |
//! | 4 | network or timeout |
//! | 5 | user not found |

use std::io;

use serde_json::{Map, Value, json};

use super::console::Console;
use super::output::write_json;
use crate::brevo::ApiError;
use crate::brevo::sanitize::sanitize;
use crate::connect::ConnectError;

#[derive(Debug)]
pub enum Failure {
    /// Brevo (or the way to it) failed; the error says how.
    Api(ApiError),
    /// A failure we could explain better than Brevo did (for example "is the
    /// owner"), keeping Brevo's status, code and request id.
    Explained { message: String, cause: ApiError },
    /// The command line or an input file is wrong.
    Usage(String),
    /// A confirmation is needed and nobody can be asked (stdin is not a terminal).
    ConfirmationRequired(String),
    /// A change would go over the seats bought and `--allow-billing` is
    /// missing where nobody can be asked; nothing was sent.
    BillingConsentRequired(String),
    /// The person at the terminal answered no.
    Declined,
    /// `--read-only` forbids this change; nothing was sent.
    ReadOnly(String),
    /// No user with this email (decided from the user list).
    NotFound(String),
    /// No API key in the environment.
    NoKey,
    /// Something of ours failed (the demo could not start).
    General(String),
    /// The configuration file, the profile or a credential source is wrong.
    Setup { kind: &'static str, message: String },
    /// Some of the work was done and some was not (import); the output says which.
    Incomplete(String),
    /// Stopped before exceeding Brevo's rate limit; the message says what is left.
    RateLimitStop(String),
    /// Writing the output failed (a closed pipe, a full disk).
    Io(io::Error),
    /// The command already printed its JSON document, error included; only
    /// the exit code is left to give.
    Reported(i32),
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

impl From<csv::Error> for Failure {
    fn from(error: csv::Error) -> Self {
        // Keep the writer's own error, so that a closed pipe stays a closed pipe.
        let text = error.to_string();
        match error.into_kind() {
            csv::ErrorKind::Io(error) => Self::Io(error),
            _ => Self::Io(io::Error::other(text)),
        }
    }
}

/// Our sentence, then briefly what Brevo answered: "ops@acme.test is already
/// a user (active); Brevo answered 400 duplicate_parameter". The request id
/// goes on a line of its own (see [`report`]). A cause without a status (a
/// timeout, a lost connection) is said in its own words.
fn explained(message: &str, cause: &ApiError) -> String {
    match (cause.status(), cause.code()) {
        (Some(status), Some(code)) => {
            format!("{message}; Brevo answered {status} {}", sanitize(code))
        }
        (Some(status), None) => format!("{message}; Brevo answered {status}"),
        (None, _) => format!("{message}; {cause}"),
    }
}

impl Failure {
    fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error) | Self::Explained { cause: error, .. } => Some(error),
            _ => None,
        }
    }

    /// A stable one-word name for scripts.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Api(error) | Self::Explained { cause: error, .. } => error.kind(),
            Self::Usage(_) => "usage",
            Self::ConfirmationRequired(_) => "confirmation_required",
            Self::BillingConsentRequired(_) => "billing_consent_required",
            Self::Declined => "declined",
            Self::ReadOnly(_) => "read_only",
            Self::NotFound(_) => "not_found",
            Self::NoKey => "no_key",
            Self::General(_) => "error",
            Self::Setup { kind, .. } => kind,
            Self::Incomplete(_) => "incomplete",
            Self::RateLimitStop(_) => "rate_limited",
            Self::Io(_) => "io",
            Self::Reported(_) => "reported",
        }
    }

    /// One sentence; server text inside it is already sanitised.
    pub fn message(&self) -> String {
        match self {
            Self::Api(error) => error.to_string(),
            Self::Explained { message, cause } => explained(message, cause),
            Self::Usage(message)
            | Self::ConfirmationRequired(message)
            | Self::BillingConsentRequired(message)
            | Self::ReadOnly(message)
            | Self::Incomplete(message)
            | Self::RateLimitStop(message)
            | Self::General(message)
            | Self::Setup { message, .. } => message.clone(),
            Self::Declined => "cancelled: nothing was changed".to_owned(),
            Self::NotFound(email) => {
                format!("{} is not a user of this organization", sanitize(email))
            }
            Self::NoKey => ConnectError::NoKey.to_string(),
            Self::Io(error) => format!("could not write the output: {error}"),
            Self::Reported(code) => format!("failed with exit code {code}"),
        }
    }

    /// The JSON error document: `{"error": {kind, message, status?, code?, request_id?}}`.
    pub fn to_json(&self) -> Value {
        let mut error = Map::new();
        error.insert("kind".into(), json!(self.kind()));
        error.insert("message".into(), json!(self.message()));
        if let Some(api) = self.api_error() {
            if let Some(status) = api.status() {
                error.insert("status".into(), json!(status));
            }
            if let Some(code) = api.code() {
                error.insert("code".into(), json!(code));
            }
            if let Some(request_id) = api.request_id() {
                error.insert("request_id".into(), json!(request_id));
            }
        }
        json!({ "error": error })
    }
}

/// The exit code for a failure; the same table for every command.
pub fn exit_code(failure: &Failure) -> i32 {
    match failure {
        Failure::Api(error) | Failure::Explained { cause: error, .. } => match error {
            ApiError::Unauthorized { .. } => 3,
            ApiError::Timeout { .. } | ApiError::Connect { .. } | ApiError::Network { .. } => 4,
            ApiError::Invalid(_) | ApiError::Config(_) => 2,
            ApiError::ReadOnly { .. } => 2,
            _ => 1,
        },
        Failure::Usage(_)
        | Failure::ConfirmationRequired(_)
        | Failure::BillingConsentRequired(_)
        | Failure::Declined
        | Failure::ReadOnly(_)
        | Failure::Setup { .. } => 2,
        Failure::NoKey => 2,
        Failure::NotFound(_) => 5,
        Failure::Incomplete(_)
        | Failure::RateLimitStop(_)
        | Failure::Io(_)
        | Failure::General(_) => 1,
        Failure::Reported(code) => *code,
    }
}

/// Prints the failure (JSON on stdout under `--json`, a sentence on stderr
/// otherwise) and returns the exit code.
pub fn report(failure: &Failure, json: bool, console: &mut Console<'_>) -> i32 {
    if let Failure::Io(error) = failure
        && error.kind() == io::ErrorKind::BrokenPipe
    {
        // The reader went away (`| head`): it has what it wanted.
        return 0;
    }
    if matches!(failure, Failure::Reported(_)) {
        // Already said.
    } else if json {
        let _ = write_json(console.out, &failure.to_json());
    } else {
        // Messages quote what a user typed or a file held; line by line so
        // that multi-line explanations keep their shape.
        let message = failure.message();
        let lines: Vec<String> = message.lines().map(|l| sanitize(l).into_owned()).collect();
        let prefix = console.err_style.red("error:");
        let _ = writeln!(console.err, "{prefix} {}", lines.join("\n"));
        // The core's sentence leaves the request id out: it has a line of its own.
        if let Some(line) = failure.api_error().and_then(ApiError::request_id_line) {
            let _ = writeln!(console.err, "{line}");
        }
    }
    exit_code(failure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn exit_codes_follow_the_documented_table() {
        let unauthorized = ApiError::Unauthorized {
            message: "Key not found".into(),
            request_id: None,
        };
        assert_eq!(exit_code(&Failure::Api(unauthorized)), 3);
        let timeout = ApiError::Timeout {
            after: Duration::from_secs(1),
            attempts: 1,
        };
        assert_eq!(exit_code(&Failure::Api(timeout)), 4);
        assert_eq!(exit_code(&Failure::NotFound("a@b.test".into())), 5);
        assert_eq!(exit_code(&Failure::Declined), 2);
        assert_eq!(exit_code(&Failure::NoKey), 2);
        let forbidden = ApiError::Forbidden {
            code: "permission_denied".into(),
            message: "no".into(),
            request_id: Some("rid".into()),
        };
        assert_eq!(exit_code(&Failure::Api(forbidden)), 1);
    }

    fn reported(failure: &Failure) -> (i32, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut prompter = crate::commands::confirm::tests::Scripted {
            answer: false,
            asked: Vec::new(),
        };
        let mut console = Console {
            out: &mut out,
            err: &mut err,
            stdin_is_terminal: false,
            stderr_is_terminal: false,
            out_style: super::super::output::Style::new(false),
            err_style: super::super::output::Style::new(false),
            prompter: &mut prompter,
        };
        let code = report(failure, false, &mut console);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn an_explained_refusal_is_one_sentence_and_a_request_id_line() {
        let failure = Failure::Explained {
            message: "ops@acme.test is already a user (active)".into(),
            cause: ApiError::BadRequest {
                status: 400,
                code: "duplicate_parameter".into(),
                message: "User already exists".into(),
                request_id: Some("2dc45d44".into()),
            },
        };
        let (code, _, err) = reported(&failure);
        assert_eq!(code, 1);
        assert_eq!(
            err,
            "error: ops@acme.test is already a user (active); Brevo answered 400 duplicate_parameter\nrequest id: 2dc45d44\n"
        );
        // Scripts keep the same fields.
        let document = failure.to_json();
        assert_eq!(document["error"]["request_id"], "2dc45d44");
        assert_eq!(document["error"]["code"], "duplicate_parameter");
    }

    #[test]
    fn a_closed_pipe_ends_quietly_whichever_writer_saw_it() {
        let broken = || io::Error::from(io::ErrorKind::BrokenPipe);
        for failure in [
            Failure::Io(broken()),
            Failure::from(csv::Error::from(broken())),
        ] {
            let (code, out, err) = reported(&failure);
            assert_eq!(
                (code, out.as_str(), err.as_str()),
                (0, "", ""),
                "{failure:?}"
            );
        }
    }

    #[test]
    fn json_errors_carry_status_code_and_request_id_when_known() {
        let failure = Failure::Explained {
            message: "owner@acme.test is the owner".into(),
            cause: ApiError::Forbidden {
                code: "permission_denied".into(),
                message: "Owner cannot be revoked".into(),
                request_id: Some("rid-1".into()),
            },
        };
        let document = failure.to_json();
        assert_eq!(document["error"]["kind"], "forbidden");
        assert_eq!(document["error"]["status"], 403);
        assert_eq!(document["error"]["code"], "permission_denied");
        assert_eq!(document["error"]["request_id"], "rid-1");
        let usage = Failure::Usage("bad".into()).to_json();
        assert_eq!(usage, json!({"error": {"kind": "usage", "message": "bad"}}));
    }
}
