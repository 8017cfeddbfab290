//! Where a command writes and how it may ask: the process's terminal in the
//! binary, buffers and a scripted answer in tests.

use std::io::{self, Write};

use super::output::Style;

/// Who answers "are you sure?".
pub trait Prompter {
    /// Shows `question` and returns whether the answer was yes.
    fn ask(&mut self, question: &str) -> io::Result<bool>;
}

/// Where a command writes and how it may ask: the process's terminal in the
/// binary, buffers and a scripted answer in tests.
pub struct Console<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// Confirmations are asked only on a terminal; elsewhere `--yes` is needed.
    pub stdin_is_terminal: bool,
    /// Progress is redrawn in place on a terminal, one line per step elsewhere.
    pub stderr_is_terminal: bool,
    pub out_style: Style,
    pub err_style: Style,
    pub prompter: &'a mut dyn Prompter,
}

impl Console<'_> {
    /// A message for people, on stderr. A closed stderr is not worth failing for.
    pub fn note(&mut self, message: impl AsRef<str>) {
        let _ = writeln!(self.err, "{}", message.as_ref());
    }

    pub fn warn(&mut self, message: impl AsRef<str>) {
        let prefix = self.err_style.yellow("warning:");
        let _ = writeln!(self.err, "{prefix} {}", message.as_ref());
    }

    /// One step of a long job, on stderr: redrawn in place on a terminal,
    /// one line per step in a log. The caller sanitises server text.
    pub fn progress(&mut self, line: &str) {
        if self.stderr_is_terminal {
            let _ = write!(self.err, "\r\u{1b}[2K{line}");
            let _ = self.err.flush();
        } else {
            let _ = writeln!(self.err, "{line}");
        }
    }

    /// Clears the progress line so the next message starts clean.
    pub fn end_progress(&mut self) {
        if self.stderr_is_terminal {
            let _ = write!(self.err, "\r\u{1b}[2K");
            let _ = self.err.flush();
        }
    }
}
