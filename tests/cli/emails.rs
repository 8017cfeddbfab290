//! Emails are checked by the core's one rule before anything is sent, and a
//! misspelt preset gets a hint.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn hidden_and_non_address_characters_are_refused_before_sending() {
    let mock = small().await;
    for email in [
        "ops\u{202e}@acme.test",
        "o\u{200b}ps@acme.test",
        "mailto:a@x.test",
        "a(x)@x.test",
    ] {
        let run = mock
            .run(&["invite", email, "--preset", "viewer", "--yes"])
            .await;
        assert_eq!(run.code, 2, "{email:?}: {run:?}");
        assert!(run.err.contains("error:"), "{run:?}");
        let run = mock.run(&["revoke", email, "--yes"]).await;
        assert_eq!(run.code, 2, "{email:?}: {run:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "team.csv",
        "email,preset\nana\u{200b}@acme.test,viewer\nmailto:bo@acme.test,viewer\n",
    );
    let run = mock.run(&["import", &file, "--json"]).await;
    assert_eq!(run.json()["summary"]["invalid"], 2, "{run:?}");
    assert_eq!(mock.changes_sent(), 0, "nothing sent raw");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_misspelt_preset_gets_a_did_you_mean() {
    let mock = small().await;
    let run = mock
        .run(&["invite", "ana@acme.test", "--preset", "campaign_manager"])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.err.contains("did you mean campaign-manager?"),
        "{run:?}"
    );
    assert_eq!(mock.changes_sent(), 0);
}
