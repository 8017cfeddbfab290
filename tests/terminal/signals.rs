//! Signals sent from outside (`kill`, a supervisor, a shell's job control)
//! while the dashboard holds the terminal. In raw mode Ctrl-C, Ctrl-\ and
//! Ctrl-Z are keys, so these signals never come from the keyboard: each
//! test sends one with kill(2) once the users are on the screen.

use std::time::{Duration, Instant};

use crate::{
    DEADLINE, Dashboard, ENTER_ALTERNATE, LEAVE_ALTERNATE, SHOW_CURSOR, contains, screen_parser,
};

/// Where `needle` first appears at or after byte `after`.
fn find_after(haystack: &[u8], after: usize, needle: &[u8]) -> Option<usize> {
    haystack[after..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| after + at)
}

impl Dashboard {
    /// The process's state letter from /proc (`T` when stopped by a signal).
    fn process_state(&self) -> Option<char> {
        let pid = self.child.process_id()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // "pid (comm) S ...": the name may hold spaces and parentheses.
        let (_, rest) = stat.rsplit_once(')')?;
        rest.trim_start().chars().next()
    }

    fn wait_until(&self, what: &str, condition: impl Fn(&Self) -> bool) {
        let start = Instant::now();
        while !condition(self) {
            assert!(start.elapsed() < DEADLINE, "{what} never happened");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// After `from`: the alternate screen was left and then the cursor shown.
    fn wait_for_terminal_given_back(&self, from: usize) {
        self.wait_for_bytes(from, LEAVE_ALTERNATE);
        let bytes = self.bytes();
        let left =
            find_after(&bytes, from, LEAVE_ALTERNATE).expect("the alternate screen was left");
        self.wait_for_bytes(left, SHOW_CURSOR);
    }

    /// Sends a signal that ends the dashboard and checks that it gave the
    /// terminal back and exited with the shell's 128 + the signal's number.
    fn assert_signal_ends_it_cleanly(mut self, signal: i32) {
        let before = self.bytes().len();
        self.signal(signal);
        let status = self.wait_for_exit();
        assert_eq!(
            (status.signal(), status.exit_code()),
            (None, 128 + signal as u32),
            "the dashboard should catch the signal and exit with 128 + {signal}: {status:?}"
        );
        self.wait_for_terminal_given_back(before);
        self.assert_terminal_restored();
    }
}

#[test]
fn kill_int_from_outside_exits_and_restores_the_terminal() {
    Dashboard::start().assert_signal_ends_it_cleanly(libc::SIGINT);
}

#[test]
fn kill_quit_from_outside_exits_and_restores_the_terminal() {
    Dashboard::start().assert_signal_ends_it_cleanly(libc::SIGQUIT);
}

/// `kill -TSTP` does what Ctrl-Z does: the terminal is handed back (main
/// screen, cursor shown, cooked mode), the process really stops, and
/// SIGCONT (what `fg` sends) brings the dashboard back with every cell
/// drawn again, not only those that changed.
#[test]
fn kill_tstp_from_outside_suspends_and_sigcont_draws_everything_again() {
    let mut dashboard = Dashboard::start();
    let before = dashboard.bytes().len();
    dashboard.signal(libc::SIGTSTP);
    dashboard.wait_for_terminal_given_back(before);
    dashboard.wait_until("the process stopping", |d| d.process_state() == Some('T'));
    assert!(
        dashboard.in_cooked_mode(),
        "raw mode stayed on while suspended"
    );
    // The cursor shown is the last byte written before the stop: a fresh
    // screen fed from here on starts from nothing.
    let stopped_at = dashboard.bytes().len();
    assert!(
        !contains(&dashboard.bytes()[before..], ENTER_ALTERNATE),
        "the dashboard took the terminal again before SIGCONT"
    );

    dashboard.signal(libc::SIGCONT);
    dashboard.wait_for_bytes(stopped_at, ENTER_ALTERNATE);
    dashboard.wait_until("a full redraw after SIGCONT", |d| {
        let mut parser = screen_parser();
        parser.process(&d.bytes()[stopped_at..]);
        parser
            .screen()
            .contents()
            .contains("claire.founder@acme.test")
    });
    assert_ne!(dashboard.process_state(), Some('T'), "still stopped");

    // And it still answers keys.
    dashboard.press(b"q");
    assert!(dashboard.wait_for_exit().success());
    dashboard.assert_terminal_restored();
}
