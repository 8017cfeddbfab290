//! An import file as a spreadsheet saves it: the lines an editor shows,
//! rows longer than the header, a header that misses `email`, and a quota
//! that is said and kept.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn lines_are_the_files_lines_in_a_crlf_file_with_comments_and_blanks() {
    let mock = small().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "team.csv",
        "# from Excel\r\nemail,preset\r\n\r\nana@acme.test,viewer\r\nnot-an-email,viewer\r\n",
    );
    let run = mock.run(&["import", &file, "--dry-run", "--json"]).await;
    let rows = run.json()["rows"].clone();
    assert_eq!(rows[0]["line"], 4, "{run:?}");
    assert_eq!(rows[1]["line"], 5, "{run:?}");
    let message = run.json()["error"]["message"].clone();
    assert!(
        message
            .as_str()
            .is_some_and(|m| m.contains("1 row was not invited (line 5)")),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cells_beyond_the_header_are_an_error_on_their_line() {
    let mock = small().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "team.csv",
        "email;name;preset;grants\ndana@acme.test;Dana;;contacts=View;Import\n",
    );
    let run = mock.run(&["import", &file, "--yes"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.out.contains("5 cells but the header names 4 columns"),
        "{run:?}"
    );
    assert!(run.err.contains("(line 2)"), "{run:?}");
    assert_eq!(
        mock.changes_sent(),
        0,
        "nothing sent with half its permissions"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_header_without_email_says_what_it_found() {
    let mock = small().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "team.csv",
        "E-mail,preset\nana@acme.test,viewer\n",
    );
    let run = mock.run(&["import", &file]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains("\"E-mail\""), "{run:?}");
    assert!(run.err.contains("rename \"E-mail\" to email"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_quota_message_matches_what_is_sent_and_a_dry_run_says_the_cost() {
    let mock = mock(MockOptions {
        rate_limit: Some(5),
        seed: Seed::default(),
        ..MockOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "team.csv",
        "email,preset\nana@acme.test,viewer\nbo@acme.test,viewer\ncy@acme.test,viewer\ndi@acme.test,viewer\n",
    );
    let dry = mock.run(&["import", &file, "--dry-run"]).await.ok();
    assert!(
        dry.err
            .contains("the import would send 4 requests, and Brevo allows 3 more"),
        "{dry:?}"
    );
    assert!(dry.err.contains("only the first 3 would go out"), "{dry:?}");
    assert_eq!(mock.changes_sent(), 0);

    // The dry run spent two of the five (the list and the seats); the real
    // run's two reads another two.
    let run = mock.run(&["import", &file]).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.err.contains("inviting the first 1 row;"), "{run:?}");
    assert_eq!(mock.count("POST", SEND), 1, "said one, sent one: {run:?}");
    assert!(
        run.err.contains("3 rows are left to do (lines 3, 4 and 5)"),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_says_when_the_quota_is_unknown() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({"users": []})),
        )
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let file = write_file(
        home.path(),
        "team.csv",
        "email,preset\nana@acme.test,viewer\n",
    );
    let run = run_binary(
        &server.uri(),
        home.path(),
        &["import", &file, "--dry-run"],
        &[],
    )
    .await;
    assert!(
        run.err.contains(
            "the import would send 1 request; Brevo did not say how many requests are left"
        ),
        "{run:?}"
    );
}
