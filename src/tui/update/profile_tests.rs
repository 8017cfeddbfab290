//! The profile switcher and the generation rule, through `update` alone.

use crate::brevo::presets::{self, Preset};
use crate::brevo::{Change, Grants};

use super::super::action::{Action, Command, Effect};
use super::super::state::{AppState, ListStatus, Modal, Mode, ProfileFacts, ToastKind};
use super::tests::{loaded, org, press, user};
use super::update;

fn with_profiles(names: &[&str], active: &str) -> AppState {
    let mut state = loaded();
    state.profiles.names = names.iter().map(|n| (*n).to_owned()).collect();
    state.profiles.active = Some(active.to_owned());
    state
}

fn toast_text(state: &AppState) -> String {
    state.toast().map(|t| t.text.clone()).unwrap_or_default()
}

fn second_org_facts() -> ProfileFacts {
    let mut presets = presets::builtin();
    presets.push(Preset {
        id: "support".into(),
        name: "Support".into(),
        description: String::new(),
        all_features: false,
        grants: Grants::from_pairs([("contacts", vec!["view"])]),
    });
    ProfileFacts {
        host: "127.0.0.1:8032".into(),
        read_only: true,
        presets,
    }
}

#[test]
fn a_result_from_an_older_generation_is_dropped() {
    let mut state = with_profiles(&["live", "audit"], "live");
    let stale_request = match &press(&mut state, Command::Reload)[..] {
        [Effect::LoadUsers { request }] => *request,
        other => panic!("{other:?}"),
    };
    state.profiles.generation = 1;
    let stale = Action::FromProfile {
        generation: 0,
        action: Box::new(Action::UsersLoaded {
            request: stale_request,
            result: Ok(vec![user("intruder@old.test", false, "active")]),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        }),
    };
    assert!(update(&mut state, stale).is_empty());
    assert!(
        state
            .list
            .users
            .iter()
            .all(|u| u.email != "intruder@old.test"),
        "an answer for the previous profile never reaches the list"
    );
    let current = Action::FromProfile {
        generation: 1,
        action: Box::new(Action::UsersLoaded {
            request: stale_request,
            result: Ok(vec![user("new@org.test", true, "active")]),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        }),
    };
    update(&mut state, current);
    assert_eq!(state.list.users.len(), 1);
}

#[test]
fn p_is_refused_in_the_demo_and_with_fewer_than_two_profiles() {
    let mut state = with_profiles(&["only"], "only");
    press(&mut state, Command::SwitchProfile);
    assert!(state.modal().is_none());
    assert!(
        toast_text(&state).contains("1 profile"),
        "{}",
        toast_text(&state)
    );

    // A demo started without its second account has nowhere to go.
    let mut state = with_profiles(&["demo"], "demo");
    state.context.demo = true;
    press(&mut state, Command::SwitchProfile);
    assert!(state.modal().is_none());
    assert!(toast_text(&state).contains("demo"));

    let mut state = with_profiles(&["a", "b"], "a");
    state.in_flight.sent(
        Change::ResendInvitation("x@y.test".into()),
        super::super::state::Waiter::List,
    );
    press(&mut state, Command::SwitchProfile);
    assert!(
        state.modal().is_none(),
        "never while a change is unanswered"
    );
}

#[test]
fn enter_on_another_profile_asks_the_loop_to_switch_and_esc_closes() {
    let mut state = with_profiles(&["audit", "live"], "live");
    press(&mut state, Command::SwitchProfile);
    assert_eq!(state.mode(), Mode::Profiles);
    assert!(matches!(state.modal(), Some(Modal::Profiles(p)) if p.cursor == 1));
    press(&mut state, Command::Back);
    assert!(state.modal().is_none());

    press(&mut state, Command::SwitchProfile);
    press(&mut state, Command::Activate);
    assert!(toast_text(&state).contains("already on profile live"));

    press(&mut state, Command::SwitchProfile);
    press(&mut state, Command::Up);
    let effects = press(&mut state, Command::Activate);
    assert_eq!(
        effects,
        vec![Effect::SwitchProfile {
            name: "audit".into()
        }]
    );
    assert!(state.modal().is_none());
}

#[test]
fn a_switch_starts_afresh_on_the_new_account() {
    let mut state = with_profiles(&["audit", "live"], "live");
    assert_eq!(state.list.users.len(), org().len());
    let effects = update(
        &mut state,
        Action::ProfileSwitched {
            name: "audit".into(),
            result: Ok(second_org_facts()),
        },
    );
    assert_eq!(state.profiles.generation, 1);
    assert_eq!(state.profiles.active.as_deref(), Some("audit"));
    assert!(state.list.users.is_empty() && state.view.selected.is_none());
    assert!(matches!(state.list.status, ListStatus::Loading));
    assert!(state.permissions.cache.is_empty());
    assert!(state.context.read_only);
    assert_eq!(state.context.host, "127.0.0.1:8032");
    assert!(state.presets.iter().any(|p| p.id == "support"));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadUsers { .. }))
    );
    assert!(toast_text(&state).contains("switched to profile audit (read-only)"));
}

#[test]
fn a_failed_switch_stays_on_the_old_profile_and_says_why() {
    let mut state = with_profiles(&["audit", "live"], "live");
    update(
        &mut state,
        Action::ProfileSwitched {
            name: "audit".into(),
            result: Err("api_key_command \"pass\" failed: it exited with 1".into()),
        },
    );
    assert_eq!(state.profiles.generation, 0);
    assert_eq!(state.profiles.active.as_deref(), Some("live"));
    assert_eq!(state.list.users.len(), org().len());
    let toast = state.toast().unwrap();
    assert_eq!(toast.kind, ToastKind::Error);
    assert!(
        toast.text.contains("could not switch to profile audit")
            && toast.text.contains("exited with 1")
            && toast.text.contains("still on live"),
        "{}",
        toast.text
    );
}

#[test]
fn config_warnings_are_toasted_at_start() {
    let mut state = AppState::default();
    state.context.config_warnings = vec![
        "config.toml:3: unknown key \"them\" (did you mean \"theme\"?)".into(),
        "config.toml:9: unknown key \"x\"".into(),
    ];
    super::start(&mut state);
    let text = toast_text(&state);
    assert!(
        text.contains("config.toml:3") && text.contains("1 more"),
        "{text}"
    );
}
