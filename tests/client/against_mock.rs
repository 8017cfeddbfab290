//! Every client method against our Brevo-compatible mock: success, each
//! documented refusal, and the reconcile step after a lost answer.

use std::time::Duration;

use brevo_users::brevo::{
    AccessRequest, ApiError, Change, Client, Grants, LostAnswer, Reconciliation, UserStatus,
    Vertical, stored_differences,
};
use brevo_users::mock::{Fault, FaultKind, MockOptions, MockServer};
use secrecy::SecretString;

const INVITE_ROUTE: &str = "/organization/user/invitation/send";
const UPDATE_ROUTE: &str = "/organization/user/update/permissions";

async fn mock(options: MockOptions) -> (MockServer, Client) {
    let server = MockServer::start(options).await.expect("mock starts");
    let client = client_at(&server, false);
    (server, client)
}

fn client_at(server: &MockServer, read_only: bool) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key(SecretString::from("test-key"))
        .request_timeout(Duration::from_millis(300))
        .backoff_base(Duration::from_millis(5))
        .max_rate_limit_wait(Duration::from_millis(500))
        .read_only(read_only)
        .build()
        .expect("client")
}

#[tokio::test]
async fn lists_the_demo_organization_with_its_owner() {
    let (server, client) = mock(MockOptions::default()).await;
    let users = client.list_users().await.unwrap();
    assert_eq!(users.iter().filter(|u| u.is_owner).count(), 1);
    assert!(users.iter().any(|u| u.status == UserStatus::Pending));
    assert_eq!(users.len(), server.control().users().len());
    assert!(
        client.rate_limit().and_then(|l| l.remaining).is_some(),
        "rate-limit headers recorded"
    );
}

#[tokio::test]
async fn reads_the_same_permissions_in_label_form_and_in_key_form() {
    let (_labels_server, labels) = mock(MockOptions::default()).await;
    let (_keys_server, keys) = mock(MockOptions {
        permissions_as_keys: true,
        ..MockOptions::default()
    })
    .await;
    for email in [
        "ops@acme.test",
        "sarah.connor+newsletter@acme.test",
        "jürgen.müller@bücher.example",
    ] {
        let from_labels = labels.user_permissions(email).await.unwrap();
        let from_keys = keys.user_permissions(email).await.unwrap();
        assert_eq!(from_labels.grants, from_keys.grants, "{email}");
        assert!(
            from_labels.unrecognised.is_empty(),
            "{email}: {:?}",
            from_labels.unrecognised
        );
        assert!(!from_labels.grants.is_empty(), "{email} holds something");
    }
}

#[tokio::test]
async fn an_invitation_round_trips_a_plus_address() {
    let (server, client) = mock(MockOptions::default()).await;
    let grants = Grants::from_pairs([
        ("contacts", vec!["view", "import"]),
        ("email_campaigns", vec!["create_edit_delete"]),
    ]);
    client
        .invite(&AccessRequest::invite("a+b@x.test", false, grants.clone()))
        .await
        .unwrap();
    let stored = server
        .control()
        .user("a+b@x.test")
        .expect("the mock holds the plus-address");
    assert!(stored.is_pending());
    let permissions = client.user_permissions("a+b@x.test").await.unwrap();
    assert_eq!(permissions.email, "a+b@x.test");
    assert_eq!(permissions.grants, grants);
}

#[tokio::test]
async fn an_update_is_stored_as_intended() {
    let (_server, client) = mock(MockOptions::default()).await;
    let current = client.user_permissions("ops@acme.test").await.unwrap();
    let mut desired = current.grants.clone();
    let dropped = desired
        .iter()
        .next()
        .map(|(feature, _)| feature.to_owned())
        .expect("ops holds a feature");
    desired.clear_feature(&dropped);
    desired.set("sms_campaigns", ["create_edit_delete"]);
    let request = AccessRequest::update("ops@acme.test", &current.grants, &desired, false);
    client.update_permissions(&request).await.unwrap();
    let stored = client.user_permissions("ops@acme.test").await.unwrap();
    assert_eq!(
        stored_differences(&request, &stored),
        vec![],
        "whether Brevo merges or replaces"
    );
    assert!(stored.grants.get(&dropped).is_none());
}

#[tokio::test]
async fn resend_cancel_and_revoke_change_the_organization_and_report_billing() {
    let (server, client) = mock(MockOptions::default()).await;
    client
        .resend_invitation("new.hire@acme.test")
        .await
        .unwrap();
    let cancelled = client
        .cancel_invitation("new.hire@acme.test")
        .await
        .unwrap();
    assert!(server.control().user("new.hire@acme.test").is_none());
    let revoked = client.revoke("ops@acme.test").await.unwrap();
    assert!(server.control().user("ops@acme.test").is_none());
    // The demo bills seats, so refunds come back as credit notes.
    assert!(cancelled.billing_note().is_some() && revoked.billing_note().is_some());
}

#[tokio::test]
async fn documented_refusals_arrive_as_typed_errors() {
    let (_server, client) = mock(MockOptions::default()).await;
    let owner = "claire.founder@acme.test";
    let error = client.revoke(owner).await.unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(403), Some("permission_denied"))
    );
    let error = client.resend_invitation("ops@acme.test").await.unwrap_err();
    assert_eq!(error.status(), Some(403), "resend to an active user");
    let error = client
        .invite(&AccessRequest::invite("OPS@acme.test", true, Grants::new()))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("duplicate_parameter"));
    let request = AccessRequest::update(
        owner,
        &Grants::new(),
        &Grants::from_pairs([("phone", vec!["all"])]),
        false,
    );
    assert_eq!(
        client
            .update_permissions(&request)
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    let error = client
        .user_permissions("nobody@acme.test")
        .await
        .unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(400), Some("document_not_found"))
    );
}

#[tokio::test]
async fn a_wrong_key_is_told_apart() {
    let (_server, client) = mock(MockOptions {
        api_key: Some("the-right-one".into()),
        ..MockOptions::default()
    })
    .await;
    let error = client.list_users().await.unwrap_err();
    assert!(matches!(error, ApiError::Unauthorized { .. }), "{error:?}");
    assert!(
        error.request_id().is_some(),
        "the mock sends sib-request-id like Brevo"
    );
}

#[tokio::test]
async fn past_the_rate_limit_the_error_says_when_the_quota_resets() {
    let options = MockOptions {
        rate_limit: Some(2),
        ..MockOptions::default()
    };
    let (server, client) = mock(options).await;
    client.list_users().await.unwrap();
    client.list_users().await.unwrap();
    let error = client.list_users().await.unwrap_err();
    let ApiError::RateLimited {
        reset_after: Some(reset),
        ..
    } = error
    else {
        panic!("{error:?}")
    };
    assert!(
        reset > Duration::from_secs(3000),
        "an hour's window: {reset:?}"
    );
    assert_eq!(client.rate_limit().and_then(|l| l.remaining), Some(0));
    assert_eq!(
        server
            .control()
            .request_log()
            .count("GET", "/organization/invited/users"),
        3,
        "no retry of a long wait"
    );
}

#[tokio::test]
async fn a_lost_answer_to_an_applied_invitation_is_reconciled_as_done_not_resent() {
    let (server, client) = mock(MockOptions::default()).await;
    let control = server.control();
    control.add_fault(Fault::new(FaultKind::ApplyThenStall).on("POST", INVITE_ROUTE));
    let change = Change::Invite(AccessRequest::invite("late@acme.test", true, Grants::new()));
    let error = change.apply(&client).await.unwrap_err();
    assert!(matches!(error, ApiError::Timeout { .. }), "{error:?}");
    assert_eq!(
        change.reconcile(&client, &error).await.unwrap(),
        Reconciliation::AlreadyDone
    );
    assert_eq!(
        control.request_log().count("POST", INVITE_ROUTE),
        1,
        "sent exactly once"
    );
}

#[tokio::test]
async fn a_500_before_applying_is_reconciled_as_not_done() {
    let (server, client) = mock(MockOptions::default()).await;
    let control = server.control();
    control.add_fault(Fault::error(500, "internal", "boom").on("POST", UPDATE_ROUTE));
    let current = client.user_permissions("dev@acme.test").await.unwrap();
    let mut desired = current.grants.clone();
    desired.set("phone", ["all"]);
    let change = Change::UpdatePermissions(AccessRequest::update(
        "dev@acme.test",
        &current.grants,
        &desired,
        false,
    ));
    let error = change.apply(&client).await.unwrap_err();
    assert!(error.is_unclear(), "{error:?}");
    assert_eq!(control.request_log().count("POST", UPDATE_ROUTE), 1);
    assert_eq!(
        change.reconcile(&client, &error).await.unwrap(),
        Reconciliation::NotDone
    );
    change
        .apply(&client)
        .await
        .expect("safe to send again once the fault clears");
    assert_eq!(
        change
            .reconcile(&client, LostAnswer::Answered)
            .await
            .unwrap(),
        Reconciliation::AlreadyDone
    );
}

#[tokio::test]
async fn read_only_sends_no_change_at_all() {
    let (server, _) = mock(MockOptions::default()).await;
    let client = client_at(&server, true);
    assert!(client.list_users().await.is_ok(), "reads still work");
    for change in [
        Change::Invite(AccessRequest::invite("x@acme.test", true, Grants::new())),
        Change::ResendInvitation("new.hire@acme.test".into()),
        Change::CancelInvitation("new.hire@acme.test".into()),
        Change::Revoke("ops@acme.test".into()),
    ] {
        assert!(
            matches!(change.apply(&client).await, Err(ApiError::ReadOnly { .. })),
            "{change}"
        );
    }
    assert_eq!(
        server.control().request_log().total(),
        1,
        "only the list went out"
    );
}

#[tokio::test]
async fn the_account_reads_the_demo_seats_from_strings() {
    let (server, client) = mock(MockOptions::default()).await;
    let account = client.account().await.unwrap();
    assert_eq!(account.email, "claire.founder@acme.test");
    assert_eq!(account.company_name.as_deref(), Some("Acme"));
    let marketing = account.seats(&Vertical::Marketing).expect("Marketing");
    assert_eq!((marketing.used, marketing.purchased), (Some(23), Some(23)));
    assert_eq!(
        account.seats(&Vertical::Chat),
        None,
        "the demo sells no Chat"
    );
    assert_eq!(server.control().request_log().count("GET", "/account"), 1);
}
