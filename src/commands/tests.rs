//! The commands run in-process against scripted Brevo answers (wiremock):
//! output, exit codes, confirmations, and what is — and is not — sent.
//! End-to-end runs of the binary against the mock live in `tests/cli.rs`.

use std::time::Duration;

use clap::Parser;
use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::confirm::tests::Scripted;
use super::{Console, Style, failure, run};
use crate::brevo::Client;
use crate::cli::Cli;

const USERS: &str = r#"{"users":[
  {"email":"founder@acme.test","is_owner":true,"status":"active","feature_access":{"marketing":"owner","crm":"owner"}},
  {"email":"ops@acme.test","is_owner":false,"status":"active","feature_access":{"marketing":"custom","crm":"none","meetings":"none"}},
  {"email":"new.hire@acme.test","is_owner":"false","status":"pending","feature_access":{"marketing":"custom"}}
]}"#;

struct Ran {
    code: i32,
    out: String,
    err: String,
    asked: Vec<String>,
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = client_for(&server, false);
    Mock::given(method("GET"))
        .and(path("/v3/organization/invited/users"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(USERS, "application/json"))
        .mount(&server)
        .await;
    (server, client)
}

fn client_for(server: &MockServer, read_only: bool) -> Client {
    Client::builder()
        .base_url(format!("{}/v3", server.uri()))
        .api_key(SecretString::from("test"))
        .request_timeout(Duration::from_secs(2))
        .backoff_base(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
        .read_only(read_only)
        .build()
        .unwrap()
}

async fn run_args(client: &Client, args: &[&str], terminal: bool, answer: bool) -> Ran {
    let cli =
        Cli::try_parse_from(std::iter::once("brevo-users").chain(args.iter().copied())).unwrap();
    let command = cli.command.unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut prompter = Scripted {
        answer,
        asked: Vec::new(),
    };
    let mut console = Console {
        out: &mut out,
        err: &mut err,
        stdin_is_terminal: terminal,
        stderr_is_terminal: false,
        out_style: Style::new(false),
        err_style: Style::new(false),
        prompter: &mut prompter,
    };
    let code = match run(
        &command,
        client,
        &crate::brevo::presets::builtin(),
        &mut console,
    )
    .await
    {
        Ok(()) => 0,
        Err(failure) => failure::report(&failure, super::wants_json(&command), &mut console),
    };
    Ran {
        code,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
        asked: prompter.asked,
    }
}

async fn sent(server: &MockServer, verb: &str) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .filter(|r| r.method.as_str() == verb)
        .count()
}

#[tokio::test]
async fn list_prints_a_table_json_and_csv() {
    let (_server, client) = server().await;
    let table = run_args(&client, &["list"], false, false).await;
    assert_eq!(table.code, 0, "{}", table.err);
    assert!(table.out.starts_with("EMAIL"), "{}", table.out);
    // The dashboard's words and order: the core's summary, by email.
    assert!(table.out.contains("marketing:custom"), "{}", table.out);
    let emails: Vec<&str> = table
        .out
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let mut sorted = emails.clone();
    sorted.sort_by_key(|e| e.to_lowercase());
    assert_eq!(emails, sorted, "{}", table.out);
    let json = run_args(&client, &["list", "--json"], false, false).await;
    let users: Value = serde_json::from_str(&json.out).unwrap();
    assert_eq!(
        users[2],
        json!({"email": "new.hire@acme.test", "is_owner": false, "status": "pending", "feature_access": {"marketing": "custom"}})
    );
    let csv = run_args(&client, &["list", "--csv"], false, false).await;
    assert!(
        csv.out
            .starts_with("email,is_owner,status,access.marketing,access.crm,access.meetings\n"),
        "{}",
        csv.out
    );
}

#[tokio::test]
async fn show_decides_not_found_from_the_user_list() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/v3/organization/user/ghost%40acme.test/permissions"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"code": "document_not_found", "message": "no"})),
        )
        .mount(&server)
        .await;
    let ran = run_args(
        &client,
        &["show", "ghost@acme.test", "--json"],
        false,
        false,
    )
    .await;
    assert_eq!(ran.code, 5);
    let error: Value = serde_json::from_str(&ran.out).unwrap();
    assert_eq!(error["error"]["kind"], "not_found");
}

#[tokio::test]
async fn revoke_needs_yes_off_a_terminal_and_asks_on_one() {
    let (server, client) = server().await;
    Mock::given(method("PUT"))
        .and(path(
            "/v3/organization/user/invitation/revoke/ops%40acme.test",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "OK", "credit_notes": ["CN-1"]})),
        )
        .mount(&server)
        .await;
    let refused = run_args(&client, &["revoke", "ops@acme.test"], false, true).await;
    assert_eq!(refused.code, 2);
    assert!(refused.err.contains("--yes"), "{}", refused.err);
    let declined = run_args(&client, &["revoke", "ops@acme.test"], true, false).await;
    assert_eq!(declined.code, 2);
    assert_eq!(declined.asked.len(), 1);
    assert_eq!(sent(&server, "PUT").await, 0);
    let done = run_args(&client, &["revoke", "ops@acme.test"], true, true).await;
    assert_eq!(done.code, 0, "{}", done.err);
    assert!(done.out.contains("credit note: CN-1"), "{}", done.out);
}

#[tokio::test]
async fn invite_checks_grants_before_sending_and_prints_the_invoice() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path("/v3/organization/user/invitation/send"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "OK", "invoice_id": "INV-7"})),
        )
        .mount(&server)
        .await;
    let typo = run_args(
        &client,
        &["invite", "a@acme.test", "--grant", "contact=view"],
        false,
        false,
    )
    .await;
    assert_eq!(typo.code, 2);
    assert!(typo.err.contains("did you mean contacts?"), "{}", typo.err);
    let escalating = run_args(
        &client,
        &["invite", "a@acme.test", "--grant", "user_management=all"],
        false,
        false,
    )
    .await;
    assert_eq!(escalating.code, 2);
    assert_eq!(sent(&server, "POST").await, 0);
    let ok = run_args(
        &client,
        &["invite", "a@acme.test", "--preset", "viewer", "--json"],
        false,
        false,
    )
    .await;
    assert_eq!(ok.code, 0, "{}", ok.err);
    let document: Value = serde_json::from_str(&ok.out).unwrap();
    assert_eq!(document["invoice_ids"], json!(["INV-7"]));
}

#[tokio::test]
async fn read_only_refuses_cleanly_before_any_request() {
    let (server, _) = server().await;
    let client = client_for(&server, true);
    let ran = run_args(
        &client,
        &["cancel", "new.hire@acme.test", "--yes", "--json"],
        false,
        false,
    )
    .await;
    assert_eq!(ran.code, 2);
    let error: Value = serde_json::from_str(&ran.out).unwrap();
    assert_eq!(error["error"]["kind"], "read_only");
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        0
    );
}

#[tokio::test]
async fn update_prints_the_diff_and_dry_run_stops_there() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/v3/organization/user/ops%40acme.test/permissions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "email": "ops@acme.test", "status": "active",
            "privileges": [{"feature": "Contacts", "permissions": ["View"]}, {"feature": "phone", "permissions": ["all"]}]
        })))
        .mount(&server)
        .await;
    let ran = run_args(
        &client,
        &[
            "update",
            "ops@acme.test",
            "--grant",
            "contacts=view,import",
            "--grant",
            "phone=none",
            "--dry-run",
        ],
        false,
        false,
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert!(ran.out.contains("+ Contacts: Import"), "{}", ran.out);
    assert!(ran.out.contains("- Phone: All"), "{}", ran.out);
    assert_eq!(sent(&server, "POST").await, 0);
}

#[tokio::test]
async fn an_unclear_answer_is_reconciled_not_resent() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path("/v3/organization/user/invitation/send"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .mount(&server)
        .await;
    // new.hire is in the list: the lost invitation did take effect.
    let ran = run_args(
        &client,
        &["invite", "new.hire@acme.test", "--preset", "viewer"],
        false,
        false,
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert!(ran.err.contains("took effect"), "{}", ran.err);
    assert_eq!(sent(&server, "POST").await, 1);
    let ran = run_args(
        &client,
        &["invite", "absent@acme.test", "--preset", "viewer", "--json"],
        false,
        false,
    )
    .await;
    assert_eq!(ran.code, 1);
    let error: Value = serde_json::from_str(&ran.out).unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("safe to try again"),
        "{error}"
    );
    assert_eq!(error["error"]["status"], 502);
}

#[path = "seats_tests.rs"]
mod seats;
