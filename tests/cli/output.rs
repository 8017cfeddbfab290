//! What reaches the screen or a pipe: a closed pipe ends quietly, errors
//! are plain sentences without colour off a terminal, tables stay readable
//! with one huge cell, and export goes on past one unreadable user.

use std::io::Read;
use std::process::{Command, Stdio};

use super::*;

/// Runs the binary with its stdout a pipe whose reader is already closed
/// (`| head -1` that has finished): every write meets a broken pipe.
async fn run_into_closed_pipe(mock: &Mock, args: &[&str]) -> (i32, String) {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", mock.home.path())
        .env("BREVO_API_URL", mock.server.base_url())
        .env("BREVO_API_KEY", "test")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("the binary starts");
        drop(child.stdout.take());
        let mut err = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            let _ = stderr.read_to_string(&mut err);
        }
        let status = child.wait().expect("the binary ends");
        (status.code().unwrap_or(-1), err)
    })
    .await
    .expect("the runner thread")
}

async fn big() -> Mock {
    let mut users = vec![MockUser::owner("owner@acme.test")];
    users.extend((0..2_000).map(|i| MockUser::active(format!("user{i}@acme.test"))));
    users.push(MockUser::active(format!(
        "{}@acme.test",
        "x".repeat(100_000)
    )));
    mock(MockOptions {
        seed: Seed {
            seat_billing: false,
            account: None,
            users,
        },
        ..MockOptions::default()
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stdout_ends_every_output_form_quietly() {
    let mock = big().await;
    for args in [
        &["list"][..],
        &["list", "--csv"],
        &["list", "--json"],
        &["export", "--csv"],
        &["show", "owner@acme.test"],
    ] {
        let (code, err) = run_into_closed_pipe(&mock, args).await;
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!err.contains("error:"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn list_caps_its_columns_so_one_huge_email_cannot_pad_every_row() {
    let mock = big().await;
    let table = mock.run(&["list"]).await.ok();
    assert!(
        table.out.len() < 2_000 * 200,
        "{} bytes for 2,002 rows",
        table.out.len()
    );
    assert!(table.out.contains("xxxxxxxx…"), "cut with an ellipsis");
    // Data forms keep the value whole.
    let json = mock.run(&["list", "--json"]).await.ok().json();
    let longest = json
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["email"].as_str())
        .map(str::len)
        .max();
    assert_eq!(longest, Some(100_000 + "@acme.test".len()));
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_a_sentence_and_a_request_id_line_without_colour() {
    let mock = small().await;
    let run = mock
        .run_env(
            &["invite", "ops@acme.test", "--preset", "viewer", "--yes"],
            &[("NO_COLOR", "1")],
        )
        .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!run.err.contains('\u{1b}'), "no colour: {run:?}");
    assert!(!run.err.contains("Location:"), "no crash report: {run:?}");
    let error_line = run
        .err
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("{run:?}"));
    assert!(
        !error_line.contains(") ("),
        "no nested parentheses: {error_line}"
    );
    assert!(
        error_line.contains("ops@acme.test is already a user (active); Brevo answered 400"),
        "{error_line}"
    );
    assert!(!error_line.contains("request id"), "{error_line}");
    assert!(
        run.err.lines().any(|l| l.starts_with("request id: ")),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn export_goes_on_past_a_user_whose_permissions_cannot_be_read() {
    let seed = Seed {
        seat_billing: false,
        account: None,
        users: vec![
            MockUser::owner("owner@acme.test"),
            MockUser::active(format!("{}@acme.test", "x".repeat(100_000))),
            MockUser::active("ops@acme.test").with_privilege("contacts", &["view"]),
        ],
    };
    let mock = mock(MockOptions {
        seed,
        ..MockOptions::default()
    })
    .await;
    let run = mock.run(&["export", "--with-permissions", "--json"]).await;
    assert_eq!(run.code, 0, "{}", &run.out[..run.out.len().min(3000)]);
    assert!(run.err.contains("warning: skipping xxx"), "said on stderr");
    assert!(run.err.len() < 2_000, "the email is not printed whole");
    let users = run.json();
    let users = users.as_array().expect("an array");
    assert_eq!(users.len(), 3);
    assert!(
        users[1]["permissions_error"]
            .as_str()
            .is_some_and(|e| e.contains("longer than 254")),
        "{}",
        users[1]["permissions_error"]
    );
    assert_eq!(
        users[2]["privileges"][0]["feature"], "contacts",
        "{}",
        users[2]
    );

    // The CSV carries the same error in its column.
    let csv = mock
        .run(&["export", "--with-permissions", "--csv"])
        .await
        .ok();
    assert!(csv.out.contains("longer than 254"), "the error column");
}
