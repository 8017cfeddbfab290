//! `GET /account` and seat billing (spec §8.1, §8.1.1): the shape an SDK
//! reads, used seats that follow the users, invoices over the seats bought
//! and credit notes for paid seats freed.

use brevo_users::brevo::Vertical;

use super::*;

const ACCOUNT: &str = "/account";

fn grant(email: &str, feature: &str, permissions: &[&str]) -> Value {
    json!({
        "email": email,
        "all_features_access": false,
        "privileges": [{"feature": feature, "permissions": permissions}],
    })
}

/// (used, purchased) of a vertical as `/account` says them, strings parsed.
fn seats_of(account: &Value, category: &str) -> (String, String) {
    let vertical = account["planVerticals"]
        .as_array()
        .expect("planVerticals")
        .iter()
        .find(|v| v["planCategory"] == category)
        .unwrap_or_else(|| panic!("no {category} in {account}"));
    let text = |field: &str| {
        vertical["users"][field]
            .as_str()
            .unwrap_or_else(|| panic!("{field} is not a string: {vertical}"))
            .to_owned()
    };
    (text("usedSeats"), text("purchasedSeats"))
}

impl Api {
    async fn account(&self) -> Value {
        let reply = self.get(ACCOUNT).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.json()
    }

    async fn seats(&self, category: &str) -> (String, String) {
        seats_of(&self.account().await, category)
    }
}

fn pair(used: u32, purchased: u32) -> (String, String) {
    (used.to_string(), purchased.to_string())
}

#[tokio::test]
async fn the_account_carries_every_field_the_sdks_require_and_seats_as_strings() {
    let api = demo().await;
    let account = api.account().await;
    assert!(account["organization_id"].is_string(), "{account}");
    assert!(account["user_id"].is_u64());
    assert!(account["enterprise"].is_boolean());
    assert_eq!(account["email"], "claire.founder@acme.test");
    assert_eq!(account["companyName"], "Acme");
    assert!(account["firstName"].is_string() && account["lastName"].is_string());
    assert_eq!(account["plan"][0]["type"], "subscription");
    assert!(account["plan"][0]["credits"].is_number());
    assert!(account["relay"]["enabled"].is_boolean());
    assert!(account["relay"]["data"]["port"].is_number());
    // The demo: Marketing exactly full (the dashboard warns), a free CRM seat.
    assert_eq!(seats_of(&account, "Marketing"), pair(23, 23));
    assert_eq!(seats_of(&account, "CRM"), pair(8, 9));
    assert_eq!(account["planVerticals"][0]["status"], "active");
    // The control API reads the same figures.
    let seats = api.control().seats();
    assert_eq!(
        (seats[0].vertical.clone(), seats[0].used, seats[0].purchased),
        (Vertical::Marketing, 23, Some(23))
    );
    assert_eq!(api.control().account().company_name, "Acme");
    let state = api.control_call(Method::GET, "/_mock/state", None).await;
    assert_eq!(
        state.json()["account"]["plan_verticals"][0]["purchased_seats"],
        23
    );
}

#[tokio::test]
async fn the_account_costs_one_request_and_needs_the_key() {
    let api = start(MockOptions {
        rate_limit: Some(1),
        rate_window: Duration::from_secs(600),
        ..MockOptions::default()
    })
    .await;
    let stranger = api.send(api.http.get(api.url(ACCOUNT))).await;
    assert_eq!(stranger.status, StatusCode::UNAUTHORIZED);
    let first = api.get(ACCOUNT).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("x-sib-ratelimit-remaining"), "0");
    assert_eq!(api.get(LIST).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Logged twice (the stranger's too), counted once against the budget.
    assert_eq!(api.control().request_log().count("GET", ACCOUNT), 2);
}

#[tokio::test]
async fn used_seats_follow_invitations_and_removals() {
    let api = demo().await;
    api.control().set_seat_billing(false);
    let invited = api.post(SEND, invite("one@acme.test")).await.json();
    assert_eq!(invited, json!({"status": "OK"}), "no billing: no invoice");
    assert_eq!(
        api.seats("Marketing").await,
        pair(24, 23),
        "a pending one counts"
    );
    api.put("/organization/user/invitation/cancel/one@acme.test")
        .await;
    api.put("/organization/user/invitation/revoke/ops@acme.test")
        .await;
    assert_eq!(api.seats("Marketing").await, pair(22, 23));
    api.post(
        SEND,
        grant("rep@acme.test", "sales_platform", &["create_edit_deals"]),
    )
    .await;
    assert_eq!(api.seats("CRM").await, pair(9, 9));
    assert_eq!(api.seats("Marketing").await, pair(22, 23), "CRM only");
}

#[tokio::test]
async fn an_invitation_over_the_seats_bought_answers_an_invoice_and_buys_one() {
    let api = demo().await;
    let crm = |email: &str| grant(email, "sales_platform", &["create_edit_deals"]);
    let free_seat = api.post(SEND, crm("rep1@acme.test")).await.json();
    assert_eq!(free_seat, json!({"status": "OK"}), "the free CRM seat");
    let over = api.post(SEND, crm("rep2@acme.test")).await.json();
    assert_eq!(over["invoice_id"], "INV-2026-0001");
    assert_eq!(api.seats("CRM").await, pair(10, 10));
    let marketing = api.post(SEND, invite("writer@acme.test")).await.json();
    assert!(marketing["invoice_id"].is_string(), "{marketing}");
    assert_eq!(api.seats("Marketing").await, pair(24, 24));
    // An update that needs a seat is billed the same way.
    let upgrade = api
        .post(
            UPDATE,
            grant("intern@acme.test", "companies", &["manage_owned_companies"]),
        )
        .await
        .json();
    assert_eq!(upgrade["invoice_id"], "INV-2026-0003", "{upgrade}");
    assert_eq!(api.seats("CRM").await, pair(11, 11));
}

#[tokio::test]
async fn freeing_a_paid_seat_answers_credit_notes_down_to_the_plan() {
    let api = demo().await;
    // Marketing: 23 bought, 20 in the plan; CRM: 9 bought, all in the plan.
    let revoked = api
        .put("/organization/user/invitation/revoke/ops@acme.test")
        .await
        .json();
    assert_eq!(revoked["credit_notes"], json!(["CN-2026-0001"]));
    assert_eq!(api.seats("Marketing").await, pair(22, 22));
    let downgrade = api
        .post(UPDATE, grant("analyst@acme.test", "contacts", &["none"]))
        .await
        .json();
    assert_eq!(downgrade["credit_notes"], json!(["CN-2026-0002"]));
    let cancelled = api
        .put("/organization/user/invitation/cancel/consultant@partner.example")
        .await
        .json();
    assert_eq!(cancelled, json!({"status": "OK"}), "a CRM seat of the plan");
    assert_eq!(api.seats("CRM").await, pair(7, 9));
    api.put("/organization/user/invitation/cancel/new.hire@acme.test")
        .await;
    let at_plan = api
        .put("/organization/user/invitation/revoke/intern@acme.test")
        .await
        .json();
    assert_eq!(at_plan, json!({"status": "OK"}), "never below the plan");
    assert_eq!(api.seats("Marketing").await, pair(19, 20));
}

#[tokio::test]
async fn an_update_that_moves_a_seat_answers_both_invoice_and_credit() {
    let api = demo().await;
    api.post(
        SEND,
        grant("rep@acme.test", "companies", &["manage_owned_companies"]),
    )
    .await; // the free CRM seat
    let body = json!({
        "email": "intern@acme.test",
        "all_features_access": false,
        "privileges": [
            {"feature": "contacts", "permissions": ["none"]},
            {"feature": "sales_platform", "permissions": ["create_edit_deals"]}
        ],
    });
    let moved = api.post(UPDATE, body).await.json();
    assert!(moved["invoice_id"].is_string(), "{moved}");
    assert_eq!(moved["credit_notes"], json!(["CN-2026-0001"]));
}

#[tokio::test]
async fn a_seed_without_an_account_bills_every_seat_as_before() {
    let api = start(MockOptions {
        seed: Seed {
            seat_billing: true,
            account: None,
            users: vec![
                MockUser::owner("owner@acme.test"),
                MockUser::active("ops@acme.test").with_privilege("contacts", &["view"]),
            ],
        },
        ..MockOptions::default()
    })
    .await;
    let account = api.account().await;
    assert_eq!(account["email"], "owner@acme.test");
    assert_eq!(seats_of(&account, "Marketing"), pair(2, 2));
    assert_eq!(seats_of(&account, "Chat"), pair(1, 1));
    let invited = api.post(SEND, invite("new@acme.test")).await.json();
    assert!(invited["invoice_id"].is_string(), "{invited}");
    let revoked = api
        .put("/organization/user/invitation/revoke/ops@acme.test")
        .await
        .json();
    assert!(revoked["credit_notes"][0].is_string(), "{revoked}");
    let free = start(MockOptions {
        seed: Seed::default(),
        ..MockOptions::default()
    })
    .await
    .account()
    .await;
    assert_eq!(free["planVerticals"], json!([]), "no billing: a free plan");
}
