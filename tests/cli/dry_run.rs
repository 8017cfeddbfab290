//! A dry run tells the truth: it reads the list (one request) and refuses
//! what the real run would be refused, sending nothing.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_on_the_owner_is_refused_and_sends_nothing() {
    let mock = small().await;
    let dry = mock
        .run(&[
            "update",
            "owner@acme.test",
            "--grant",
            "contacts=view",
            "--dry-run",
        ])
        .await;
    assert_eq!(dry.code, 2, "{dry:?}");
    assert!(
        dry.err.contains("the owner's access cannot be changed"),
        "{dry:?}"
    );
    assert!(
        !dry.out.contains("Changes for"),
        "no diff for a change that cannot happen: {dry:?}"
    );
    assert_eq!(mock.changes_sent(), 0, "no POST");
    assert_eq!(
        mock.count("GET", LIST),
        1,
        "the dry run reads the list once"
    );

    // The real run still costs nothing extra when it succeeds: it sends,
    // and explains Brevo's refusal with the same sentence.
    let real = mock
        .run(&["update", "owner@acme.test", "--grant", "contacts=view"])
        .await;
    assert_eq!(real.code, 1, "{real:?}");
    assert!(
        real.err.contains("the owner's access cannot be changed"),
        "{real:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_runs_of_resend_cancel_and_revoke_check_the_list_and_send_nothing() {
    let mock = small().await;
    let resend = mock
        .run(&["resend", "new.hire@acme.test", "--dry-run"])
        .await
        .ok();
    assert!(
        resend
            .out
            .contains("would resend the invitation to new.hire@acme.test"),
        "{resend:?}"
    );
    let wrong = mock.run(&["resend", "ops@acme.test", "--dry-run"]).await;
    assert_eq!(wrong.code, 2, "{wrong:?}");
    assert!(wrong.err.contains("already accepted"), "{wrong:?}");
    let owner = mock
        .run(&["revoke", "owner@acme.test", "--dry-run", "--json"])
        .await;
    assert_eq!(
        (owner.code, owner.error_kind().as_str()),
        (2, "usage"),
        "{owner:?}"
    );
    let pending = mock
        .run(&["revoke", "new.hire@acme.test", "--dry-run"])
        .await;
    assert_eq!(pending.code, 2, "{pending:?}");
    assert!(
        pending.err.contains("cancel the invitation instead"),
        "{pending:?}"
    );
    // No --yes needed: nothing is sent, so nothing is confirmed.
    let cancel = mock
        .run(&["cancel", "new.hire@acme.test", "--dry-run", "--json"])
        .await
        .ok();
    assert_eq!(cancel.json()["dry_run"], true);
    let absent = mock.run(&["revoke", "nobody@acme.test", "--dry-run"]).await;
    assert_eq!(absent.code, 5, "{absent:?}");
    assert_eq!(mock.changes_sent(), 0);
}
