//! Seats before a change, against scripted answers: what the person reads
//! on stderr, what is asked, and what is — and is not — sent.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{run_args, sent, server};
use crate::commands::whoami::{Origin, whoami};
use crate::commands::{Console, Style};
use crate::config::credentials::KeySource;

/// Marketing exactly full, CRM with a seat free.
const ACCOUNT: &str = r#"{"email":"founder@acme.test","companyName":"Acme",
  "plan":[{"type":"subscription"}],
  "planVerticals":[
    {"planCategory":"Marketing","name":"Professional","users":{"purchasedSeats":"3","usedSeats":"3"}},
    {"planCategory":"CRM","users":{"purchasedSeats":2,"usedSeats":1}}]}"#;

async fn with_account(server: &MockServer, status: u16) {
    let answer = if status == 200 {
        ResponseTemplate::new(200)
            .set_body_raw(ACCOUNT, "application/json")
            .insert_header("x-sib-ratelimit-limit", "100")
            .insert_header("x-sib-ratelimit-remaining", "97")
            .insert_header("x-sib-ratelimit-reset", "600")
    } else {
        ResponseTemplate::new(status)
            .set_body_json(json!({"code": "unauthorized", "message": "Key not found"}))
    };
    Mock::given(method("GET"))
        .and(path("/v3/account"))
        .respond_with(answer)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/organization/user/invitation/send"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "OK", "invoice_id": "INV-9"})),
        )
        .mount(server)
        .await;
}

#[tokio::test]
async fn over_the_seats_a_script_needs_allow_billing_and_yes_is_not_enough() {
    let (server, client) = server().await;
    with_account(&server, 200).await;
    let invite = ["invite", "ana@acme.test", "--preset", "viewer"];
    let refused = run_args(&client, &[&invite[..], &["--yes"]].concat(), false, false).await;
    assert_eq!(refused.code, 2, "{}", refused.err);
    assert!(
        refused.err.contains(
            "the invitation takes a Marketing seat: 3 of 3 used — Brevo may bill an extra seat"
        ),
        "{}",
        refused.err
    );
    assert!(
        refused
            .err
            .contains("error: refusing to invite ana@acme.test beyond the Marketing seats bought")
            && refused.err.contains("--allow-billing"),
        "{}",
        refused.err
    );
    assert!(!refused.err.contains("will bill"), "{}", refused.err);
    let json = run_args(&client, &[&invite[..], &["--json"]].concat(), false, false).await;
    let error: Value = serde_json::from_str(&json.out).unwrap();
    assert_eq!(
        (json.code, error["error"]["kind"].as_str()),
        (2, Some("billing_consent_required"))
    );
    assert_eq!(sent(&server, "POST").await, 0, "nothing sent");

    let allowed = run_args(
        &client,
        &[&invite[..], &["--allow-billing", "--json"]].concat(),
        false,
        false,
    )
    .await;
    assert_eq!(allowed.code, 0, "{}", allowed.err);
    let document: Value = serde_json::from_str(&allowed.out).unwrap();
    assert_eq!(document["invoice_ids"], json!(["INV-9"]));
    assert_eq!(sent(&server, "POST").await, 1);
}

#[tokio::test]
async fn on_a_terminal_billing_is_its_own_question_after_the_escalation_one() {
    let (server, client) = server().await;
    with_account(&server, 200).await;
    let ran = run_args(&client, &["invite", "boss@acme.test", "--all"], true, true).await;
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert_eq!(ran.asked.len(), 2, "{:?}", ran.asked);
    assert!(ran.asked[0].contains("all features"), "{:?}", ran.asked);
    assert!(
        ran.asked[1].contains("Brevo may bill an extra seat (Marketing, 3 of 3 used)"),
        "{:?}",
        ran.asked
    );
    assert!(
        ran.err.contains("takes a CRM seat: 1 of 2 used\n"),
        "{}",
        ran.err
    );
    let declined = run_args(
        &client,
        &["invite", "no@acme.test", "--preset", "viewer"],
        true,
        false,
    )
    .await;
    assert_eq!(declined.code, 2);
    assert_eq!(sent(&server, "POST").await, 1, "only the first one");
}

#[tokio::test]
async fn when_the_account_cannot_be_read_seats_are_unknown_and_the_invite_goes() {
    let (server, client) = server().await;
    with_account(&server, 401).await;
    let ran = run_args(
        &client,
        &["invite", "ana@acme.test", "--preset", "viewer"],
        false,
        false,
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert!(ran.err.contains("seats unknown"), "{}", ran.err);
    assert!(ran.out.contains("invoice: INV-9"), "{}", ran.out);
}

#[tokio::test]
async fn an_import_dry_run_counts_the_seats_the_batch_needs() {
    let (server, client) = server().await;
    with_account(&server, 200).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.csv");
    std::fs::write(
        &file,
        "email,preset\nana@acme.test,viewer\nbo@acme.test,viewer\ncy@acme.test,sales\n",
    )
    .unwrap();
    let file = file.to_string_lossy().into_owned();
    let dry = run_args(&client, &["import", &file, "--dry-run"], false, false).await;
    assert_eq!(dry.code, 0, "{}", dry.err);
    assert!(
        dry.err
            .contains("seats: Marketing needs 3, 0 free — Brevo may bill 3 extra seats"),
        "{}",
        dry.err
    );
    let real = run_args(&client, &["import", &file, "--yes"], false, false).await;
    assert_eq!(real.code, 2, "{}", real.err);
    assert!(real.err.contains("--allow-billing"), "{}", real.err);
    assert_eq!(sent(&server, "POST").await, 0);
}

async fn whoami_run(server: &MockServer, json: bool) -> (i32, String) {
    let client = super::client_for(server, false);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut prompter = super::Scripted {
        answer: false,
        asked: Vec::new(),
    };
    let mut console = Console {
        out: &mut out,
        err: &mut err,
        stdin_is_terminal: false,
        stderr_is_terminal: false,
        out_style: Style::new(false),
        err_style: Style::new(false),
        prompter: &mut prompter,
    };
    let origin = Origin {
        profile: Some("work"),
        key_source: &KeySource::Environment,
    };
    let code = match whoami(&client, &origin, &mut console, json).await {
        Ok(()) => 0,
        Err(failure) => super::failure::report(&failure, json, &mut console),
    };
    (code, String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn whoami_shows_the_account_seats_quota_and_key_source() {
    let server = MockServer::start().await;
    with_account(&server, 200).await;
    let (code, out) = whoami_run(&server, true).await;
    assert_eq!(code, 0, "{out}");
    let document: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(document["email"], "founder@acme.test");
    assert_eq!(document["company"], "Acme");
    assert_eq!(document["plan"], "Professional");
    assert_eq!(
        document["seats"][0],
        json!({"vertical": "Marketing", "purchased": 3, "used": 3, "full": true})
    );
    assert_eq!(document["seats"][1]["full"], false);
    assert_eq!(document["quota"]["remaining"], 97);
    assert_eq!(document["quota"]["limit"], 100);
    assert_eq!(document["profile"], "work");
    assert_eq!(
        document["key_source"],
        "the BREVO_API_KEY environment variable"
    );
    assert!(!out.contains("\"test\""), "never the key: {out}");
    let (_, human) = whoami_run(&server, false).await;
    assert!(
        human.contains("seats      Marketing 3/3 full · CRM 1/2\n"),
        "{human}"
    );
    assert!(human.contains("97 of 100 left"), "{human}");
}

#[tokio::test]
async fn whoami_says_when_the_quota_is_not_said_and_exits_3_on_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/account"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"email": "o@acme.test"})))
        .mount(&server)
        .await;
    let (code, human) = whoami_run(&server, false).await;
    assert_eq!(code, 0, "{human}");
    assert!(human.contains("requests   not said"), "{human}");
    let (_, json) = whoami_run(&server, true).await;
    let document: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["quota"]["remaining"], Value::Null);
    assert_eq!(document["seats"], json!([]));

    let refused = MockServer::start().await;
    with_account(&refused, 401).await;
    let (code, json) = whoami_run(&refused, true).await;
    assert_eq!(code, 3, "{json}");
    let document: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["error"]["kind"], "unauthorized");
}
