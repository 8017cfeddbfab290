//! The Everywhere view (`F`) and offboarding from every account (`O`): the
//! screens an admin reads at both ends of the size range, and the real loop
//! against the two demo accounts, their request logs as witnesses.

use std::path::Path;

use brevo_users::brevo::removal::KnownPermissions;
use brevo_users::brevo::{ChangeOutcome, User};
use brevo_users::everywhere::{
    AccountError, AccountOutcome, Action as Act, Found, Outcome, Plan, Presence, decide,
};
use brevo_users::mock::{MockOptions, MockServer, demo_seed, load_seed};
use brevo_users::tui::action::{Action, Command, Effect};
use brevo_users::tui::event_loop::LoopConfig;
use brevo_users::tui::state::{Lookup, Progress};
use brevo_users::tui::{AppState, Context, update};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;

use super::common::{Captured, Harness, client_for, settings};
use crate::{loaded, press, screen, user};

const PERSON: &str = "ops@acme.test";
const PUT_REVOKE: &str = "/organization/user/invitation/revoke/{email}";
const PUT_ACTION: &str = "/organization/user/invitation/{action}/{email}";

/// Stored beside the dashboard's other screens (`tests/snapshots/`).
macro_rules! assert_snapshot {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(format!("dashboard__{}", $name), $screen);
        })
    };
}

fn answered(profile: &str, users: Vec<User>) -> Presence {
    Presence {
        profile: profile.to_owned(),
        read_only: None,
        found: Ok(Found {
            account: users.iter().find(|u| u.is_owner).map(|u| u.email.clone()),
            user: users.iter().find(|u| u.has_email(PERSON)).cloned(),
            users,
        }),
    }
}

/// Four accounts: active, pending, owner, and one that refused the key;
/// a fifth still loading.
fn looked(width: u16, height: u16) -> (AppState, u64, Vec<Presence>) {
    let mut state = loaded(width, height, 88);
    state.profiles.names = ["acme", "agency", "holding", "old", "slow"]
        .map(str::to_owned)
        .to_vec();
    state.profiles.active = Some("acme".into());
    press(&mut state, Command::Top);
    while state.view.selected.as_deref() != Some(PERSON) {
        press(&mut state, Command::Down);
    }
    let Some(Effect::FindEverywhere { request, .. }) =
        press(&mut state, Command::FindEverywhere).first().cloned()
    else {
        panic!("F looks")
    };
    update(&mut state, Action::EverywhereConnected { request });
    let access = [("marketing", "custom"), ("crm", "full")];
    let presences = vec![
        answered(
            "acme",
            vec![
                user("founder@acme.test", true, "active", &[]),
                user(PERSON, false, "active", &access),
            ],
        ),
        answered(
            "agency",
            vec![
                user("boss@agency.test", true, "active", &[]),
                user(PERSON, false, "pending", &[("marketing", "custom")]),
            ],
        ),
        answered(
            "holding",
            vec![user(PERSON, true, "active", &[("marketing", "owner")])],
        ),
        Presence {
            profile: "old".into(),
            read_only: None,
            found: Err(AccountError {
                kind: "unauthorized",
                message: "Brevo refused the API key (401 unauthorized)".into(),
            }),
        },
    ];
    for presence in &presences {
        let presence = presence.clone();
        update(&mut state, Action::EverywhereFound { request, presence });
    }
    (state, request, presences)
}

fn plan_of(presences: &[Presence]) -> Plan {
    Plan {
        email: PERSON.to_owned(),
        steps: presences
            .iter()
            .map(|p| decide(p, PERSON, &KnownPermissions::new()))
            .collect(),
        permission_reads: 1,
    }
}

#[test]
fn snapshot_the_everywhere_view_and_its_confirmation() {
    for (w, h) in [(120, 40), (60, 15)] {
        let (mut state, _, _) = looked(w, h);
        assert_snapshot!(format!("everywhere_{w}x{h}"), screen(&state));
        // The plan waits for the slow account: O says so and asks nothing.
        assert!(
            press(&mut state, Command::OffboardEverywhere)
                .iter()
                .all(|e| !matches!(e, Effect::PlanEverywhere { .. }))
        );
        assert!(state.modal().is_none());
        let (state, _) = confirming(w, h);
        assert_snapshot!(format!("everywhere_confirm_{w}x{h}"), screen(&state));
    }
}

/// `looked`, the slow account answering (the person absent there), `O`
/// and its plan: the confirmation on screen.
fn confirming(width: u16, height: u16) -> (AppState, u64) {
    let (mut state, request, mut presences) = looked(width, height);
    let presence = answered("slow", vec![user("x@slow.test", true, "active", &[])]);
    presences.push(presence.clone());
    update(&mut state, Action::EverywhereFound { request, presence });
    press(&mut state, Command::OffboardEverywhere);
    let plan = plan_of(&presences);
    update(&mut state, Action::EverywherePlanned { request, plan });
    (state, request)
}

#[test]
fn the_confirmation_names_each_account_and_what_happens_there() {
    let (state, _) = confirming(120, 40);
    let shown = screen(&state);
    for line in [
        "acme: revoke the access of ops@acme.test",
        "agency: cancel the invitation of ops@acme.test",
        "holding: refused: owner",
        "old: not reached",
        "slow: already gone",
    ] {
        assert!(shown.contains(line), "{line:?} missing\n{shown}");
    }
}

#[test]
fn snapshot_the_results_as_they_come() {
    for (w, h) in [(120, 40), (60, 15)] {
        let (mut state, request) = confirming(w, h);
        press(&mut state, Command::Yes);
        let outcomes = [
            (
                "acme",
                Outcome::Done {
                    billing: ChangeOutcome {
                        credit_notes: vec!["CN-2026-0042".into()],
                        ..ChangeOutcome::default()
                    },
                    reconciled: false,
                },
            ),
            ("holding", Outcome::Refused("owner".into())),
            (
                "old",
                Outcome::Failed("not reached: Brevo refused the API key".into()),
            ),
        ];
        for (profile, outcome) in outcomes {
            let outcome = AccountOutcome {
                profile: profile.into(),
                account: None,
                action: Act::Revoke,
                outcome,
            };
            update(
                &mut state,
                Action::EverywhereOffboarded { request, outcome },
            );
        }
        assert_snapshot!(format!("everywhere_results_{w}x{h}"), screen(&state));
    }
}

/// The real loop on the two demo accounts (the demo organization and the
/// agency of `assets/demo-agency.json`), as `--demo` starts them.
async fn two_demo_accounts() -> (Harness, MockServer) {
    let demo = MockServer::start(MockOptions {
        seed: demo_seed(),
        ..MockOptions::default()
    })
    .await
    .unwrap();
    let agency_seed =
        load_seed(&Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-agency.json")).unwrap();
    let agency = MockServer::start(MockOptions {
        seed: agency_seed,
        ..MockOptions::default()
    })
    .await
    .unwrap();
    let (demo_client, agency_client) = (client_for(&demo, "demo"), client_for(&agency, "demo"));
    let context = Context {
        host: demo_client.host(),
        demo: true,
        ..Context::default()
    };
    let mut state = AppState::new(context, settings());
    state.profiles.names = vec!["demo".into(), "demo-agency".into()];
    state.profiles.active = Some("demo".into());
    let mut config = LoopConfig::new(Box::new(Captured::default()));
    config.demo_accounts = vec![
        ("demo".into(), demo_client.clone()),
        ("demo-agency".into(), agency_client),
    ];
    let harness = Harness::run(demo, demo_client, state, config, TestBackend::new(120, 40));
    (harness, agency)
}

fn looked_everywhere(state: &AppState) -> bool {
    state
        .everywhere
        .as_ref()
        .and_then(|e| e.accounts())
        .is_some_and(|e| e.looked_everywhere())
}

fn finished(state: &AppState) -> bool {
    state
        .everywhere
        .as_ref()
        .and_then(|e| e.accounts())
        .is_some_and(|e| {
            e.offboarding
                && e.accounts
                    .iter()
                    .all(|r| matches!(r.offboard, Some(Progress::Finished(_))))
        })
}

#[tokio::test]
async fn f_then_o_on_the_two_demo_accounts_removes_them_once_from_each_and_never_the_owner() {
    let (mut h, agency) = two_demo_accounts().await;
    h.loaded().await;
    // Active in the demo organization, a pending invitation at the agency.
    h.select("tom.baker@acme.test").await;
    h.send(KeyCode::Char('F'));
    h.until("both accounts answered", looked_everywhere).await;
    h.send(KeyCode::Char('O'));
    h.until("the confirmation", |s| s.modal().is_some()).await;
    h.send(KeyCode::Char('y'));
    let state = h.until("every account's result", finished).await;
    let rows = &state
        .everywhere
        .as_ref()
        .unwrap()
        .accounts()
        .unwrap()
        .accounts;
    assert!(rows.iter().all(|r| matches!(
        &r.offboard,
        Some(Progress::Finished(o)) if matches!(o.outcome, Outcome::Done { .. })
    )));
    h.send(KeyCode::Char('O'));
    let (demo_log, agency_log) = (h.control.request_log(), agency.control().request_log());
    assert_eq!(demo_log.count("PUT", PUT_REVOKE), 1);
    assert_eq!(agency_log.count("PUT", PUT_ACTION), 1, "one cancel");
    assert_eq!(agency_log.count("PUT", PUT_REVOKE), 0);
    assert!(h.control.user("tom.baker@acme.test").is_none());
    assert!(agency.control().user("tom.baker@acme.test").is_none());

    // The agency's owner: revoked in the demo organization, never at the agency.
    h.send(KeyCode::Esc);
    h.until("the view closed", |s| s.everywhere.is_none()).await;
    h.send(KeyCode::Esc);
    h.until("the filter cleared", |s| s.view.filter.text.is_empty())
        .await;
    h.select("agency.partner@studio.example").await;
    h.send(KeyCode::Char('F'));
    let state = h.until("both accounts answered", looked_everywhere).await;
    let agency_row = &state
        .everywhere
        .as_ref()
        .unwrap()
        .accounts()
        .unwrap()
        .accounts[1];
    assert!(matches!(&agency_row.lookup, Lookup::Answered(p) if p.is_owner() == Some(true)));
    agency.control().reset_log();
    h.send(KeyCode::Char('O'));
    h.until("the confirmation", |s| s.modal().is_some()).await;
    h.send(KeyCode::Char('y'));
    h.until("every account's result", finished).await;
    let agency_log = agency.control().request_log();
    assert_eq!(
        agency_log.count("PUT", PUT_REVOKE),
        0,
        "nothing for the owner"
    );
    assert_eq!(agency_log.count("PUT", PUT_ACTION), 0);
    assert!(
        agency
            .control()
            .user("agency.partner@studio.example")
            .is_some()
    );
    assert!(h.control.user("agency.partner@studio.example").is_none());
    h.finish().await;
}
