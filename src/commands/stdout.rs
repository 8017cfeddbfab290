//! Writing a command's whole output where the reader may stop early
//! (`brevo-users completions zsh | head`, `brevo-users man | true`).
//!
//! Rust ignores SIGPIPE, so a write to a closed pipe is an `EPIPE` error;
//! code that `expect`s the write (clap_complete's `generate` does) then
//! panics with exit 101. A reader that went away has all it wanted: that
//! is a quiet, successful end, not a failure. Render into memory first,
//! then hand the bytes to [`write_all_or_quiet_end`].

use std::io::{self, Write};

/// Writes `bytes` to `out` and flushes. A closed pipe ends it quietly
/// with `Ok`; every other error is returned.
pub fn write_all_or_quiet_end(out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(error) if is_closed_pipe(&error) => Ok(()),
        other => other,
    }
}

/// Whether a write failed only because the reader closed its end.
pub fn is_closed_pipe(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::BrokenPipe
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader has gone away after `room` bytes.
    struct ClosedAfter {
        room: usize,
        kind: io::ErrorKind,
    }

    impl Write for ClosedAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from(self.kind));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_reader_that_stops_early_is_a_quiet_success() {
        let mut out = ClosedAfter {
            room: 3,
            kind: io::ErrorKind::BrokenPipe,
        };
        assert!(write_all_or_quiet_end(&mut out, b"a long page").is_ok());
    }

    #[test]
    fn other_write_errors_still_fail() {
        let mut out = ClosedAfter {
            room: 0,
            kind: io::ErrorKind::StorageFull,
        };
        let error = write_all_or_quiet_end(&mut out, b"x").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::StorageFull);
    }

    #[test]
    fn everything_is_written_when_the_reader_stays() {
        let mut out = Vec::new();
        write_all_or_quiet_end(&mut out, b"all of it").unwrap();
        assert_eq!(out, b"all of it");
    }
}
