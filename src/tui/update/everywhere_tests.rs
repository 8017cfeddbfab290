//! `F` and `O` through `update` alone: what opens, what the prompt takes,
//! what each account's answer shows, what the one confirmation names, and
//! what is refused.

use crate::brevo::removal::KnownPermissions;
use crate::brevo::{ChangeOutcome, User};
use crate::everywhere::{
    AccountError, AccountOutcome, Action as Act, Found, Outcome, Plan, Presence, decide,
};

use super::super::action::{Action, Command, Effect};
use super::super::state::{
    AppState, Confirmed, EverywhereScreen, Lookup, Modal, Mode, ProfileFacts, Progress,
};
use super::tests::{loaded, press, user};
use super::update;

const PERSON: &str = "ops@acme.test";

fn with_profiles(names: &[&str]) -> AppState {
    let mut state = loaded();
    state.profiles.names = names.iter().map(|n| (*n).to_owned()).collect();
    state.profiles.active = names.first().map(|n| (*n).to_owned());
    state
}

fn toast_text(state: &AppState) -> String {
    state.toast().map(|t| t.text.clone()).unwrap_or_default()
}

fn select(state: &mut AppState, email: &str) {
    press(state, Command::Top);
    while state.view.selected.as_deref() != Some(email) {
        press(state, Command::Down);
    }
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

fn unreadable(profile: &str) -> Presence {
    Presence {
        profile: profile.to_owned(),
        read_only: None,
        found: Err(AccountError {
            kind: "unauthorized",
            message: "Brevo refused the API key (401)".to_owned(),
        }),
    }
}

/// `F` on ops@acme.test over three profiles; returns the request.
fn opened(state: &mut AppState) -> u64 {
    select(state, PERSON);
    match &press(state, Command::FindEverywhere)[..] {
        [Effect::FindEverywhere { request, .. }] => *request,
        other => panic!("{other:?}"),
    }
}

fn rows(state: &AppState) -> Vec<(String, Lookup, Option<Progress>)> {
    let everywhere = state
        .everywhere
        .as_ref()
        .and_then(|e| e.accounts())
        .unwrap();
    everywhere
        .accounts
        .iter()
        .map(|r| (r.profile.clone(), r.lookup.clone(), r.offboard.clone()))
        .collect()
}

/// Three accounts: active in `live`, pending in `agency`, 401 in `old`.
fn looked(state: &mut AppState) -> (u64, Vec<Presence>) {
    let request = opened(state);
    update(state, Action::EverywhereConnected { request });
    let presences = vec![
        answered(
            "agency",
            vec![
                user("boss@agency.test", true, "active"),
                user(PERSON, false, "pending"),
            ],
        ),
        answered(
            "live",
            vec![
                user("owner@acme.test", true, "active"),
                user(PERSON, false, "active"),
            ],
        ),
        unreadable("old"),
    ];
    for presence in &presences {
        let presence = presence.clone();
        update(state, Action::EverywhereFound { request, presence });
    }
    (request, presences)
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
fn f_on_the_selected_user_looks_in_every_profile_and_shows_each_as_loading() {
    let mut state = with_profiles(&["agency", "live", "old"]);
    select(&mut state, PERSON);
    let effects = press(&mut state, Command::FindEverywhere);
    let [
        Effect::FindEverywhere {
            email, profiles, ..
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(email, PERSON);
    assert_eq!(profiles, &["agency", "live", "old"]);
    assert_eq!(state.mode(), Mode::Everywhere);
    assert!(
        rows(&state)
            .iter()
            .all(|(_, lookup, _)| *lookup == Lookup::GettingKey)
    );
    assert!(state.busy(), "the spinner turns while accounts are out");
}

#[test]
fn one_account_failing_hides_none_of_the_others_and_stale_answers_are_dropped() {
    let mut state = with_profiles(&["agency", "live", "old"]);
    let request = opened(&mut state);
    update(&mut state, Action::EverywhereConnected { request });
    assert!(
        rows(&state)
            .iter()
            .all(|(_, lookup, _)| *lookup == Lookup::Loading)
    );
    update(
        &mut state,
        Action::EverywhereFound {
            request,
            presence: unreadable("old"),
        },
    );
    // An answer to an earlier lookup (the view closed and opened again).
    update(
        &mut state,
        Action::EverywhereFound {
            request: request - 1,
            presence: answered("live", vec![user(PERSON, false, "active")]),
        },
    );
    let rows = rows(&state);
    assert!(matches!(&rows[2].1, Lookup::Answered(p) if p.error().is_some()));
    assert_eq!(rows[0].1, Lookup::Loading);
    assert_eq!(rows[1].1, Lookup::Loading, "the stale answer was dropped");
}

#[test]
fn with_nobody_selected_f_asks_for_an_email_and_keeps_what_was_typed_when_it_is_wrong() {
    let mut state = with_profiles(&["agency", "live"]);
    state.list.users.clear();
    state.list.revision += 1;
    state.view.selected = None;
    assert!(press(&mut state, Command::FindEverywhere).is_empty());
    assert_eq!(state.mode(), Mode::EverywherePrompt);
    for c in "leaver@".chars() {
        update(&mut state, Action::FormInput(c));
    }
    assert!(press(&mut state, Command::Submit).is_empty());
    let Some(EverywhereScreen::Prompt(prompt)) = &state.everywhere else {
        panic!("the prompt stays")
    };
    assert_eq!(prompt.text, "leaver@");
    assert!(prompt.problem.is_some(), "the core's reason is shown");
    update(&mut state, Action::FormPaste("gone.test\n".to_owned()));
    let effects = press(&mut state, Command::Submit);
    assert!(
        matches!(&effects[..], [Effect::FindEverywhere { email, .. }] if email == "leaver@gone.test"),
        "{effects:?}"
    );
    assert_eq!(state.mode(), Mode::Everywhere);
}

#[test]
fn with_brevo_api_key_set_f_refuses_to_fan_one_key_out_under_every_name() {
    let mut state = with_profiles(&["agency", "live"]);
    state.profiles.key_from_env = true;
    select(&mut state, PERSON);
    assert!(
        !press(&mut state, Command::FindEverywhere)
            .iter()
            .any(|e| matches!(e, Effect::FindEverywhere { .. }))
    );
    assert!(state.everywhere.is_none());
    let text = toast_text(&state);
    assert!(
        text.contains("BREVO_API_KEY") && text.contains("every profile"),
        "{text}"
    );
    let mut none = with_profiles(&[]);
    press(&mut none, Command::FindEverywhere);
    assert!(none.everywhere.is_none());
    assert!(
        toast_text(&none).contains("profiles"),
        "{}",
        toast_text(&none)
    );
}

#[test]
fn o_makes_the_plan_and_asks_once_naming_every_account() {
    let mut state = with_profiles(&["agency", "live", "old"]);
    let (request, presences) = looked(&mut state);
    let effects = press(&mut state, Command::OffboardEverywhere);
    assert!(
        matches!(&effects[..], [Effect::PlanEverywhere { presences: p, .. }] if p.len() == 3),
        "{effects:?}"
    );
    assert!(
        press(&mut state, Command::OffboardEverywhere).is_empty(),
        "a second O while the plan is made does nothing"
    );
    let plan = plan_of(&presences);
    update(&mut state, Action::EverywherePlanned { request, plan });
    let Some(Modal::Confirm(confirm)) = state.modal() else {
        panic!("one confirmation")
    };
    let Confirmed::OffboardEverywhere(plan) = &confirm.what else {
        panic!("{:?}", confirm.what)
    };
    let actions: Vec<_> = plan.steps.iter().map(|s| s.action.clone()).collect();
    assert_eq!(actions[0], Act::Cancel);
    assert_eq!(actions[1], Act::Revoke);
    assert!(matches!(actions[2], Act::NotReached(_)));
}

#[test]
fn accepted_each_account_shows_its_result_as_it_comes_and_a_second_o_does_nothing() {
    let mut state = with_profiles(&["agency", "live", "old"]);
    let (request, presences) = looked(&mut state);
    press(&mut state, Command::OffboardEverywhere);
    let plan = plan_of(&presences);
    update(&mut state, Action::EverywherePlanned { request, plan });
    let effects = press(&mut state, Command::Yes);
    assert!(
        matches!(&effects[..], [Effect::OffboardEverywhere { plan, .. }] if plan.steps.len() == 3),
        "{effects:?}"
    );
    assert!(press(&mut state, Command::OffboardEverywhere).is_empty());
    assert!(state.modal().is_none(), "no second question");
    let done = AccountOutcome {
        profile: "agency".into(),
        account: None,
        action: Act::Cancel,
        outcome: Outcome::Done {
            billing: ChangeOutcome {
                credit_notes: vec!["CN-1".into()],
                ..ChangeOutcome::default()
            },
            reconciled: false,
        },
    };
    let effects = update(
        &mut state,
        Action::EverywhereOffboarded {
            request,
            outcome: done,
        },
    );
    // The active account credited a seat: its list and its seats are read again.
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadAccount { .. }))
            && effects
                .iter()
                .any(|e| matches!(e, Effect::LoadUsers { .. })),
        "{effects:?}"
    );
    let rows = rows(&state);
    assert!(
        matches!(&rows[0].2, Some(Progress::Finished(o)) if o.outcome.credit_notes() == ["CN-1"])
    );
    assert_eq!(rows[1].2, Some(Progress::Running), "live has not answered");
    assert!(state.busy());
    // Closing is refused while accounts are out: their results would be lost.
    press(&mut state, Command::Back);
    assert!(state.everywhere.is_some());
}

#[test]
fn the_person_gone_from_the_active_account_reloads_its_list() {
    let mut state = with_profiles(&["live", "agency"]);
    let request = opened(&mut state);
    let presence = answered("live", vec![user(PERSON, false, "active")]);
    update(&mut state, Action::EverywhereFound { request, presence });
    let everywhere = state
        .everywhere
        .as_mut()
        .and_then(EverywhereScreen::accounts_mut)
        .unwrap();
    everywhere.offboarding = true;
    let outcome = AccountOutcome {
        profile: "live".into(),
        account: None,
        action: Act::Revoke,
        outcome: Outcome::AlreadyGone,
    };
    let effects = update(
        &mut state,
        Action::EverywhereOffboarded { request, outcome },
    );
    assert!(
        matches!(&effects[..], [Effect::LoadUsers { .. }]),
        "{effects:?}"
    );
}

#[test]
fn a_profile_switch_drops_the_everywhere_view() {
    let mut state = with_profiles(&["live", "agency"]);
    opened(&mut state);
    let facts = ProfileFacts {
        host: "127.0.0.1:1".into(),
        read_only: false,
        presets: Vec::new(),
    };
    update(
        &mut state,
        Action::ProfileSwitched {
            name: "agency".into(),
            result: Ok(facts),
        },
    );
    assert!(state.everywhere.is_none());
}
