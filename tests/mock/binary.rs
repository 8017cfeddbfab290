//! `brevo-users mock-server` as a user starts it: the addresses --listen
//! takes, the warning when the whole network can reach it, and expected
//! failures that end with one `error:` sentence and exit code 2.

use super::*;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;

/// The first line of stdout (the base URL) and stderr up to the start-up
/// note, read with a deadline.
async fn started(child: &mut Child) -> (String, String) {
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    tokio::time::timeout(Duration::from_secs(30), async move {
        let mut base = String::new();
        BufReader::new(stdout)
            .read_line(&mut base)
            .await
            .expect("readable stdout");
        let mut lines = BufReader::new(stderr).lines();
        let mut note = String::new();
        while let Some(line) = lines.next_line().await.expect("readable stderr") {
            note.push_str(&line);
            note.push('\n');
            if line.contains("Ctrl-C stops") {
                break;
            }
        }
        (base.trim().to_owned(), note)
    })
    .await
    .expect("the mock starts in time")
}

async fn lists(base: &str) -> StatusCode {
    http()
        .get(format!("{base}{LIST}"))
        .header("api-key", KEY)
        .send()
        .await
        .expect("an answer")
        .status()
}

/// What a failed start leaves: its exit code and stderr, and nothing on stdout.
async fn failed(args: &[&str]) -> (i32, String) {
    let home = tempfile::tempdir().expect("a temp HOME");
    let output = tokio::time::timeout(Duration::from_secs(30), binary(args, home.path()).output())
        .await
        .expect("the binary ends in time")
        .expect("the binary runs");
    assert!(output.stdout.is_empty(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

/// One `error:` sentence, no colour-eyre report (no "Location:", no
/// backtrace hint, no escape codes).
fn assert_one_error_line(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(
        !stderr.contains("Location") && !stderr.contains('\x1b'),
        "{stderr}"
    );
}

#[tokio::test]
async fn listen_takes_a_host_name() {
    let home = tempfile::tempdir().expect("a temp HOME");
    let mut child = binary(&["--listen", "localhost:0"], home.path())
        .spawn()
        .expect("the binary starts");
    let (base, note) = started(&mut child).await;
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(
        !note.contains("warning"),
        "loopback is not warned about: {note}"
    );
    assert_eq!(lists(&base).await, StatusCode::OK);
    child.kill().await.expect("the mock stops");
}

#[tokio::test]
async fn listening_on_every_interface_warns_and_prints_a_reachable_address() {
    let home = tempfile::tempdir().expect("a temp HOME");
    let mut child = binary(&["--listen", "0.0.0.0:0"], home.path())
        .spawn()
        .expect("the binary starts");
    let (base, note) = started(&mut child).await;
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(!base.contains("0.0.0.0"), "{base}");
    for words in ["warning", "network", "control routes", "request log"] {
        assert!(note.contains(words), "{words:?} missing: {note}");
    }
    let port = base
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/v3");
    assert!(note.contains(&format!("port {port}")), "{note}");
    // Only ever talk to loopback, even when the mock listens on more.
    assert_eq!(lists(&base).await, StatusCode::OK);
    child.kill().await.expect("the mock stops");
}

#[tokio::test]
async fn a_busy_port_is_one_error_line_and_exit_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("its address").to_string();
    let (code, stderr) = failed(&["--listen", &addr]).await;
    assert_eq!(code, 2, "{stderr}");
    assert_one_error_line(&stderr);
    assert!(
        stderr.contains(&addr) && stderr.contains("already"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_listen_address_without_a_valid_port_is_exit_2() {
    // No unresolvable name here: resolving one would ask a DNS server.
    for listen in ["localhost", "127.0.0.1:99999", ":8025"] {
        let (code, stderr) = failed(&["--listen", listen]).await;
        assert_eq!(code, 2, "{listen}: {stderr}");
        assert_one_error_line(&stderr);
        assert!(stderr.contains(listen), "{stderr}");
    }
}

#[tokio::test]
async fn a_missing_or_invalid_seed_is_one_error_line_and_exit_2() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let missing = dir.path().join("missing.json");
    let missing = missing.to_str().expect("UTF-8");
    let (code, stderr) = failed(&["--seed", missing]).await;
    assert_eq!(code, 2, "{stderr}");
    assert_one_error_line(&stderr);
    assert!(
        stderr.contains(missing) && stderr.contains("no such file"),
        "{stderr}"
    );

    let invalid = dir.path().join("invalid.json");
    std::fs::write(&invalid, "{\"users\": [{\"email\": 1}]}\n").expect("a file");
    let invalid = invalid.to_str().expect("UTF-8");
    let (code, stderr) = failed(&["--seed", invalid]).await;
    assert_eq!(code, 2, "{stderr}");
    assert_one_error_line(&stderr);
    assert!(
        stderr.contains(invalid) && stderr.contains("line 1"),
        "{stderr}"
    );
}
