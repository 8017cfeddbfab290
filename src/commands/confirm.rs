//! Confirmation before a change that is hard to undo (cancel, revoke) or
//! hands out power (all features, user management): asked on a terminal,
//! required as `--yes` everywhere else, so a script never hangs on a prompt
//! nobody will answer.

use std::io::{self, BufRead, Write};

use super::console::{Console, Prompter};
use super::failure::Failure;

/// Asks on stderr and reads one line from stdin; only "y" or "yes" agree.
pub struct StdinPrompter;

impl Prompter for StdinPrompter {
    fn ask(&mut self, question: &str) -> io::Result<bool> {
        let mut stderr = io::stderr().lock();
        write!(stderr, "{question} [y/N] ")?;
        stderr.flush()?;
        let mut answer = String::new();
        io::stdin().lock().read_line(&mut answer)?;
        Ok(is_yes(&answer))
    }
}

fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// Goes ahead with `--yes`; asks on a terminal; refuses otherwise.
/// `question` is a full sentence ending with "?"; `what` completes
/// "refusing to …" in the message a script sees.
pub fn confirm(
    console: &mut Console<'_>,
    yes: bool,
    question: &str,
    what: &str,
) -> Result<(), Failure> {
    confirm_or(console, yes, question, || {
        Failure::ConfirmationRequired(format!(
            "refusing to {what} without confirmation: stdin is not a terminal; pass --yes"
        ))
    })
}

/// Goes ahead when `agreed` (a flag); asks on a terminal; otherwise fails
/// with `refusal` — the flag it names is the caller's.
pub fn confirm_or(
    console: &mut Console<'_>,
    agreed: bool,
    question: &str,
    refusal: impl FnOnce() -> Failure,
) -> Result<(), Failure> {
    if agreed {
        return Ok(());
    }
    if !console.stdin_is_terminal {
        return Err(refusal());
    }
    if console.prompter.ask(question)? {
        Ok(())
    } else {
        Err(Failure::Declined)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Answers every question the same way and remembers what was asked.
    pub struct Scripted {
        pub answer: bool,
        pub asked: Vec<String>,
    }

    impl Prompter for Scripted {
        fn ask(&mut self, question: &str) -> io::Result<bool> {
            self.asked.push(question.to_owned());
            Ok(self.answer)
        }
    }

    #[test]
    fn only_yes_agrees() {
        assert!(is_yes("y\n") && is_yes(" YES ") && !is_yes("") && !is_yes("no") && !is_yes("yep"));
    }
}
