//! The terminal's lifecycle, in a real pseudo-terminal: however the
//! dashboard ends — `q`, SIGTERM, SIGHUP, SIGINT, SIGQUIT — the terminal is
//! handed back as it was found (alternate screen left, cursor shown, out of
//! raw mode), and after Ctrl-Z (or SIGTSTP) and SIGCONT the screen is drawn
//! again. We assert the bytes and the pty's modes, not job control: a pty
//! child's process group may be orphaned, so the shell's `fg` is not ours
//! to test (SIGCONT is what it sends).

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

mod terminal {
    mod signals;
}

const BIN: &str = env!("CARGO_BIN_EXE_brevo-users");
const ENTER_ALTERNATE: &[u8] = b"\x1b[?1049h";
const LEAVE_ALTERNATE: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
/// Generous: a debug build on a busy 2-core machine starts slowly.
const DEADLINE: Duration = Duration::from_secs(30);

struct Dashboard {
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    /// Set when the pty reports end of output (every writer closed).
    drained: Arc<AtomicBool>,
    _home: tempfile::TempDir,
}

impl Dashboard {
    fn start() -> Self {
        let dashboard = Self::spawn(&[]);
        dashboard.wait_for_screen("claire.founder@acme.test");
        dashboard
    }

    /// Starts the demo dashboard with extra environment variables, without
    /// waiting for anything.
    fn spawn(env: &[(&str, &str)]) -> Self {
        Self::spawn_with(&["--demo"], env)
    }

    fn spawn_with(args: &[&str], env: &[(&str, &str)]) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let home = tempfile::tempdir().expect("a temporary HOME");
        let mut command = CommandBuilder::new(BIN);
        command.args(args);
        command.env_clear();
        command.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        command.env("HOME", home.path());
        command.env("TERM", "xterm-256color");
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pty
            .slave
            .spawn_command(command)
            .expect("the dashboard starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("a reader");
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        let drained = Arc::new(AtomicBool::new(false));
        let done = drained.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
            done.store(true, Ordering::SeqCst);
        });
        let writer = pty.master.take_writer().expect("a writer");
        Self {
            master: pty.master,
            child,
            writer,
            output,
            drained,
            _home: home,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    fn screen(&self) -> String {
        let mut parser = screen_parser();
        parser.process(&self.bytes());
        parser.screen().contents()
    }

    fn wait_for_screen(&self, text: &str) {
        let start = Instant::now();
        while !self.screen().contains(text) {
            assert!(
                start.elapsed() < DEADLINE,
                "{text:?} never appeared; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for_bytes(&self, after: usize, wanted: &[u8]) {
        let start = Instant::now();
        while !contains(&self.bytes()[after..], wanted) {
            assert!(
                start.elapsed() < DEADLINE,
                "{:?} never came",
                String::from_utf8_lossy(wanted)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).unwrap();
        self.writer.flush().unwrap();
    }

    fn signal(&self, signal: i32) {
        let pid = self.child.process_id().expect("a pid") as i32;
        // SAFETY: kill(2) with a pid we spawned and a valid signal number.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }

    /// Waits for the process to end and for its last bytes to be read.
    fn wait_for_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("the child's status") {
                break status;
            }
            assert!(start.elapsed() < DEADLINE, "the dashboard did not exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        while !self.drained.load(Ordering::SeqCst) {
            assert!(
                start.elapsed() < DEADLINE,
                "the dashboard's output never ended"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        status
    }

    /// The pty's line discipline: raw mode turns off ICANON and ECHO.
    fn in_cooked_mode(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("a unix pty");
        // SAFETY: tcgetattr fills a zeroed termios for an open descriptor.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut termios) }, 0);
        termios.c_lflag & libc::ICANON != 0 && termios.c_lflag & libc::ECHO != 0
    }

    /// After exit: the last thing done to the screen was to leave the
    /// alternate screen and show the cursor again, and raw mode is off.
    fn assert_terminal_restored(&self) {
        let bytes = self.bytes();
        let entered =
            rfind(&bytes, ENTER_ALTERNATE).expect("the dashboard used the alternate screen");
        let left = rfind(&bytes, LEAVE_ALTERNATE).expect("the alternate screen was left");
        assert!(
            left > entered,
            "the alternate screen was entered again after leaving it"
        );
        assert!(
            rfind(&bytes, SHOW_CURSOR).is_some_and(|shown| shown > entered),
            "the cursor was not shown again"
        );
        assert!(self.in_cooked_mode(), "the terminal was left in raw mode");
    }
}

fn screen_parser() -> vt100::Parser {
    let rows = std::num::NonZeroU16::new(30).expect("rows");
    let cols = std::num::NonZeroU16::new(100).expect("cols");
    vt100::Parser::new(rows, cols, 0)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[test]
fn q_quits_and_restores_the_terminal() {
    let mut dashboard = Dashboard::start();
    dashboard.press(b"q");
    assert!(dashboard.wait_for_exit().success());
    dashboard.assert_terminal_restored();
}

#[test]
fn sigterm_exits_and_restores_the_terminal() {
    let mut dashboard = Dashboard::start();
    dashboard.signal(libc::SIGTERM);
    let status = dashboard.wait_for_exit();
    assert!(
        !status.success(),
        "a signal exit is not a success: {status:?}"
    );
    dashboard.assert_terminal_restored();
}

#[test]
fn sighup_exits_and_restores_the_terminal() {
    let mut dashboard = Dashboard::start();
    dashboard.signal(libc::SIGHUP);
    dashboard.wait_for_exit();
    dashboard.assert_terminal_restored();
}

#[test]
fn ctrl_z_hands_the_terminal_back_and_sigcont_draws_again() {
    let mut dashboard = Dashboard::start();
    let before = dashboard.bytes().len();
    dashboard.press(b"\x1a");
    dashboard.wait_for_bytes(before, LEAVE_ALTERNATE);
    let stopped_at = dashboard.bytes().len();
    let start = Instant::now();
    while !dashboard.in_cooked_mode() {
        assert!(
            start.elapsed() < DEADLINE,
            "raw mode stayed on while suspended"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    dashboard.signal(libc::SIGCONT);
    dashboard.wait_for_bytes(stopped_at, ENTER_ALTERNATE);
    // A full redraw, not just the cells that changed.
    let redraw_start = dashboard.bytes().len();
    let start = Instant::now();
    loop {
        let mut parser = screen_parser();
        parser.process(&dashboard.bytes()[stopped_at..]);
        if parser
            .screen()
            .contents()
            .contains("claire.founder@acme.test")
        {
            break;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "no full redraw after SIGCONT (from byte {redraw_start})"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    dashboard.press(b"q");
    assert!(dashboard.wait_for_exit().success());
    dashboard.assert_terminal_restored();
}

/// A panic inside a background task (forced by a debug-build-only switch):
/// the terminal is given back first, then the report is printed where the
/// user can read it, and the exit status says it failed.
#[test]
fn a_panic_restores_the_terminal_and_reports() {
    let mut dashboard = Dashboard::spawn(&[("BREVO_USERS_DEBUG_PANIC", "1")]);
    let status = dashboard.wait_for_exit();
    assert!(!status.success(), "a panic is not a success: {status:?}");
    dashboard.assert_terminal_restored();
    let bytes = dashboard.bytes();
    let left = rfind(&bytes, LEAVE_ALTERNATE).expect("the alternate screen was left");
    let after = String::from_utf8_lossy(&bytes[left..]);
    assert!(
        after.contains("forced by BREVO_USERS_DEBUG_PANIC"),
        "the panic report follows the restore:\n{after}"
    );
    assert!(
        contains(&bytes, b"claire.founder@acme.test"),
        "the users were drawn before the panic"
    );
}

/// The panic report is printed on the terminal: it must not carry the API
/// key, whatever it holds (a recognisable fake key against a mock server).
#[test]
fn a_panic_report_never_shows_the_api_key() {
    const FAKE_KEY: &str = "xkeysib-FAKE-panic-report-7c1e";
    let mut mock = std::process::Command::new(BIN)
        .args(["mock-server", "--api-key", FAKE_KEY])
        .env_clear()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the mock starts");
    let mut url = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(mock.stdout.take().expect("stdout")),
        &mut url,
    )
    .expect("the mock prints its URL");
    let mut dashboard = Dashboard::spawn_with(
        &[],
        &[
            ("BREVO_API_URL", url.trim()),
            ("BREVO_API_KEY", FAKE_KEY),
            ("BREVO_USERS_DEBUG_PANIC", "1"),
        ],
    );
    let status = dashboard.wait_for_exit();
    let _ = mock.kill();
    let _ = mock.wait();
    assert!(!status.success(), "{status:?}");
    let bytes = dashboard.bytes();
    assert!(
        contains(&bytes, b"forced by BREVO_USERS_DEBUG_PANIC"),
        "the report was printed"
    );
    assert!(!contains(&bytes, FAKE_KEY.as_bytes()), "the key leaked");
}
