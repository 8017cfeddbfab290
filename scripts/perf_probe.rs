//! Measures what an admin feels, outside `cargo test` (the machine is shared
//! and noisy, so numbers are reported, not asserted): launch to the first
//! frame that shows users, peak memory, the requests a quick browsing
//! session costs, the time of `list --json`, and the requests `plan` and
//! `apply` of an access file spend — against an external
//! `mock-server` seeded with many users. Run through `scripts/perf.sh`.
//!
//! Usage: perf_probe BINARY USERS RUNS

use std::io::{BufRead, BufReader, Read, Write};
use std::num::NonZeroU16;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(binary), Some(users), Some(runs)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: perf_probe BINARY USERS RUNS");
        std::process::exit(2);
    };
    let users: usize = users.parse().expect("USERS is a number");
    let runs: usize = runs.parse().expect("RUNS is a number");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let seed = dir.path().join("seed.json");
    std::fs::write(&seed, seed_json(users)).expect("the seed is written");

    let (mut mock, base) = start_mock(binary, &seed, &[]);
    let control = base.trim_end_matches("/v3").to_owned();

    let mut first_frames = Vec::new();
    let mut peaks = Vec::new();
    let mut browsing = Vec::new();
    for _ in 0..runs {
        let (first_frame, peak_kib, requests) = dashboard_run(binary, &base, &control, dir.path());
        first_frames.push(first_frame.as_secs_f64() * 1000.0);
        peaks.push(peak_kib as f64 / 1024.0);
        browsing.push(requests as f64);
    }
    let mut lists = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let output = Command::new(binary)
            .args(["list", "--json"])
            .env_clear()
            .env("HOME", dir.path())
            .env("BREVO_API_URL", &base)
            .env("BREVO_API_KEY", "perf")
            .output()
            .expect("list runs");
        assert!(output.status.success(), "list --json failed");
        lists.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let _ = mock.kill();
    let _ = mock.wait();
    let access = access_run(binary, &seed, dir.path());

    println!("users in the organization:                 {users}");
    println!("runs:                                      {runs}");
    println!(
        "launch to first frame showing users (ms):  median {:.1}  (min {:.1}, max {:.1})",
        median(&first_frames),
        min(&first_frames),
        max(&first_frames)
    );
    println!(
        "peak memory, VmHWM (MiB):                  median {:.1}  (min {:.1}, max {:.1})",
        median(&peaks),
        min(&peaks),
        max(&peaks)
    );
    println!(
        "requests for 40 quick moves, list incl.:   median {:.0}  (max {:.0})",
        median(&browsing),
        max(&browsing)
    );
    println!(
        "list --json (ms):                          median {:.1}  (min {:.1}, max {:.1})",
        median(&lists),
        min(&lists),
        max(&lists)
    );
    println!(
        "plan of 40 managed users (requests):       {}  (N + 2: the list, /account, one per user)",
        access.0
    );
    println!(
        "apply of that file, 5 updates (requests):  {}  (the plan's, then per update a re-read, the write, a read-back)",
        access.1
    );
    println!("apply again, nothing to do (requests):     {}", access.2);
}

/// A mock-server seeded from `seed`, and the URL it printed.
fn start_mock(
    binary: &str,
    seed: &std::path::Path,
    extra: &[&str],
) -> (std::process::Child, String) {
    let mut mock = Command::new(binary)
        .arg("mock-server")
        .args(extra)
        .arg("--seed")
        .arg(seed)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the mock starts");
    let mut first_line = String::new();
    BufReader::new(mock.stdout.take().expect("stdout"))
        .read_line(&mut first_line)
        .expect("the mock's URL");
    (mock, first_line.trim().to_owned())
}

/// Access as code on its own mock (with a quota large enough not to
/// interfere): the requests a plan of 40 managed users spends, an apply
/// that changes 5 of them, and a second apply, each read from the request log.
fn access_run(binary: &str, seed: &std::path::Path, dir: &std::path::Path) -> (u64, u64, u64) {
    let (mut mock, base) = start_mock(binary, seed, &["--rate-limit", "1000000"]);
    let control = base.trim_end_matches("/v3").to_owned();
    let mut file = String::new();
    for n in 1..=40 {
        let grants = if n <= 5 {
            r#"{ contacts = ["view"] }"#
        } else {
            r#"{ contacts = ["view", "import"], email_campaigns = ["create_edit_delete"] }"#
        };
        file.push_str(&format!(
            "[users.\"user{n:05}@perf.test\"]\ngrants = {grants}\n\n"
        ));
    }
    let path = dir.join("access.toml");
    std::fs::write(&path, file).expect("the access file is written");
    let spent = |args: &[&str]| {
        http(&control, "DELETE", "/_mock/requests");
        let output = Command::new(binary)
            .args(args)
            .arg(&path)
            .args(["--no-cache"])
            .env_clear()
            .env("HOME", dir)
            .env("BREVO_API_URL", &base)
            .env("BREVO_API_KEY", "perf")
            .output()
            .expect("the command runs");
        assert!(output.status.success(), "{args:?} failed: {output:?}");
        request_count(&http(&control, "GET", "/_mock/requests"))
    };
    let plan = spent(&["plan"]);
    let apply = spent(&["apply", "--yes"]);
    let again = spent(&["apply", "--yes"]);
    let _ = mock.kill();
    let _ = mock.wait();
    (plan, apply, again)
}

/// One dashboard session in a pseudo-terminal: time to the first frame with
/// users, peak resident memory once loaded, and the requests that 40 quick
/// moves cost (read from the mock's request log).
fn dashboard_run(
    binary: &str,
    base: &str,
    control: &str,
    home: &std::path::Path,
) -> (Duration, u64, u64) {
    http(control, "DELETE", "/_mock/requests");
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut command = CommandBuilder::new(binary);
    command.env_clear();
    command.env("HOME", home);
    command.env("TERM", "xterm-256color");
    command.env("BREVO_API_URL", base);
    command.env("BREVO_API_KEY", "perf");
    let start = Instant::now();
    let mut child = pty
        .slave
        .spawn_command(command)
        .expect("the dashboard starts");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let mut writer = pty.master.take_writer().expect("writer");
    let output = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(AtomicBool::new(false));
    let (sink, finished) = (output.clone(), done.clone());
    std::thread::spawn(move || {
        let mut buffer = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock().expect("lock").extend_from_slice(&buffer[..n]);
        }
        finished.store(true, Ordering::SeqCst);
    });
    let rows = NonZeroU16::new(ROWS).expect("rows");
    let cols = NonZeroU16::new(COLS).expect("cols");
    let shows_users = |bytes: &[u8]| {
        let mut parser = vt100::Parser::new(rows, cols, 0);
        parser.process(bytes);
        parser.screen().contents().contains("user00001@perf.test")
    };
    while !shows_users(&output.lock().expect("lock")) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no users on screen"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let first_frame = start.elapsed();
    let pid = child.process_id().expect("pid");
    for _ in 0..40 {
        writer.write_all(b"j").expect("a key");
        writer.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Let the debounced fetch for where the selection rests go out.
    std::thread::sleep(Duration::from_millis(1000));
    let peak = peak_kib(pid);
    let requests = request_count(&http(control, "GET", "/_mock/requests"));
    writer.write_all(b"q").expect("quit");
    writer.flush().expect("flush");
    let _ = child.wait();
    (first_frame, peak, requests)
}

fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0)
}

fn request_count(log: &str) -> u64 {
    let value: serde_json::Value = serde_json::from_str(log).unwrap_or_default();
    value["counts"].as_object().map_or(0, |counts| {
        counts.values().filter_map(serde_json::Value::as_u64).sum()
    })
}

/// A minimal HTTP/1.1 exchange with the mock's control routes (loopback).
fn http(control: &str, method: &str, path: &str) -> String {
    let address = control.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("the mock answers");
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default()
}

fn seed_json(users: usize) -> String {
    let mut list =
        vec![serde_json::json!({"email": "owner@perf.test", "status": "active", "owner": true})];
    for n in 1..users {
        let status = if n % 7 == 0 { "pending" } else { "active" };
        list.push(serde_json::json!({
            "email": format!("user{n:05}@perf.test"),
            "status": status,
            "privileges": {"contacts": ["view", "import"], "email_campaigns": ["create_edit_delete"]},
        }));
    }
    serde_json::json!({"users": list}).to_string()
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

fn min(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}
