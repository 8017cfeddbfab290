//! Seats before a change, as a script sees them: the demo organization's
//! Marketing seats are exactly full, so an invitation there may be billed.

use brevo_users::mock::Fault;

use super::{SEND, demo, write_file};

const ACCOUNT: &str = "/account";

#[tokio::test(flavor = "multi_thread")]
async fn an_invitation_over_the_seats_needs_allow_billing_and_yes_is_not_enough() {
    let mock = demo().await;
    let invite = ["invite", "ana@acme.test", "--preset", "viewer"];
    let refused = mock.run(&[&invite[..], &["--yes"]].concat()).await;
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused
            .err
            .contains("the invitation takes a Marketing seat: ")
            && refused.err.contains("used — Brevo may bill an extra seat"),
        "the seat sentence on stderr: {refused:?}"
    );
    assert!(
        refused
            .err
            .contains("error: refusing to invite ana@acme.test")
            && refused.err.contains("Marketing")
            && refused.err.contains("--allow-billing"),
        "{refused:?}"
    );
    assert!(!refused.err.contains("will bill"), "{refused:?}");
    let json = mock.run(&[&invite[..], &["--json"]].concat()).await;
    assert_eq!(
        (json.code, json.error_kind().as_str()),
        (2, "billing_consent_required"),
        "{json:?}"
    );
    assert_eq!(mock.count("GET", ACCOUNT), 2, "one read per run");
    assert_eq!(mock.changes_sent(), 0, "nothing sent without consent");

    let allowed = mock
        .run(&[&invite[..], &["--allow-billing"]].concat())
        .await
        .ok();
    assert!(allowed.out.contains("invited ana@acme.test"), "{allowed:?}");
    assert!(allowed.out.contains("invoice: "), "{allowed:?}");
    let json = mock
        .run(&[
            "invite",
            "bo@acme.test",
            "--preset",
            "viewer",
            "--allow-billing",
            "--json",
        ])
        .await
        .ok()
        .json();
    assert!(
        json["invoice_ids"][0]
            .as_str()
            .is_some_and(|i| !i.is_empty()),
        "{json}"
    );
    assert_eq!(mock.count("POST", SEND), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn when_the_account_answers_401_seats_are_unknown_and_the_invite_still_goes() {
    let mock = demo().await;
    mock.control()
        .add_fault(Fault::error(401, "unauthorized", "Key not found").on("GET", ACCOUNT));
    let run = mock
        .run(&["invite", "ana@acme.test", "--preset", "viewer"])
        .await
        .ok();
    assert!(run.err.contains("seats unknown"), "{run:?}");
    assert!(run.out.contains("invited ana@acme.test"), "{run:?}");
    assert_eq!(mock.count("POST", SEND), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_says_what_the_batch_needs_and_goes_over_only_with_allow_billing() {
    let mock = demo().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "team.csv",
        "email,preset\nana@acme.test,viewer\nbo@acme.test,viewer\n",
    );
    let dry = mock.run(&["import", &file, "--dry-run"]).await.ok();
    assert!(
        dry.err
            .contains("seats: Marketing needs 2, 0 free — Brevo may bill 2 extra seats"),
        "{dry:?}"
    );
    let json = mock
        .run(&["import", &file, "--dry-run", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(
        json["seats"],
        serde_json::json!([{"vertical": "Marketing", "needs": 2, "free": 0, "extra": 2}])
    );
    let refused = mock.run(&["import", &file, "--yes"]).await;
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.err.contains("--allow-billing"), "{refused:?}");
    assert_eq!(mock.changes_sent(), 0);
    mock.run(&["import", &file, "--allow-billing"]).await.ok();
    assert_eq!(mock.count("POST", SEND), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn whoami_shows_the_account_and_never_the_key() {
    let mock = demo().await;
    let secret = [("BREVO_API_KEY", "xkeysib-do-not-print-me")];
    let json = mock.run_env(&["whoami", "--json"], &secret).await.ok();
    let document = json.json();
    assert!(document["email"].is_string(), "{document}");
    assert!(document["company"].is_string(), "{document}");
    let marketing = document["seats"]
        .as_array()
        .and_then(|s| s.iter().find(|v| v["vertical"] == "Marketing"))
        .unwrap_or_else(|| panic!("a Marketing vertical: {document}"));
    assert_eq!(marketing["full"], true, "{document}");
    assert_eq!(marketing["used"], marketing["purchased"], "{document}");
    assert!(document["quota"].is_object(), "{document}");
    assert_eq!(
        document["key_source"], "the BREVO_API_KEY environment variable",
        "{document}"
    );
    assert_eq!(document["profile"], serde_json::Value::Null);
    let human = mock.run_env(&["whoami"], &secret).await.ok();
    assert!(human.out.contains("Marketing "), "{human:?}");
    assert!(human.out.contains(" full"), "{human:?}");
    assert!(human.out.contains("requests "), "{human:?}");
    for run in [&json, &human] {
        assert!(
            !run.out.contains("do-not-print-me") && !run.err.contains("do-not-print-me"),
            "{run:?}"
        );
    }
    assert_eq!(mock.count("GET", ACCOUNT), 2, "one request per run");
    let info = mock.run(&["info"]).await.ok();
    assert!(info.out.contains("`brevo-users whoami`"), "{info:?}");
    assert_eq!(mock.count("GET", ACCOUNT), 2, "info sends nothing");
}
