//! A preset on marked users, as an admin notices it: three requests a
//! user (re-read, update, read-back) counted before it starts; each user's
//! permissions read again right before their update, so what it overwrites
//! and what undo gives back is what they held then; a user changed since
//! the plan was made is skipped and stays marked; a failed re-read sends
//! nothing.

use crate::brevo::escalation::escalation;
use crate::brevo::{ApiError, Change, ChangeOutcome, Grants, UserPermissions, UserStatus};

use super::super::action::{Action, Command, Effect};
use super::super::state::bulk::{BulkPlan, Current};
use super::super::state::{AppState, Cached, Modal};
use super::tests::{loaded, press, rate_left, select, toast_text};
use super::update;

fn held(email: &str, grants: Grants) -> UserPermissions {
    UserPermissions {
        email: email.to_owned(),
        status: UserStatus::Active,
        grants,
        unrecognised: Vec::new(),
    }
}

fn viewer() -> Grants {
    Grants::from_pairs([("contacts", vec!["view"])])
}

fn cache(state: &mut AppState, email: &str, grants: Grants) {
    state
        .permissions
        .cache
        .insert(email.to_lowercase(), Cached::Loaded(held(email, grants)));
}

fn plan(state: &AppState) -> &BulkPlan {
    match state.modal() {
        Some(Modal::Bulk(plan)) => plan,
        other => panic!("no bulk confirmation: {other:?}"),
    }
}

/// Marks `emails` and opens the confirmation of the first preset that
/// does not hand out user management (one question only).
fn preset_on(state: &mut AppState, emails: &[&str]) {
    for email in emails {
        select(state, email);
        press(state, Command::Mark);
    }
    press(state, Command::ApplyPreset);
    let plain = state
        .presets
        .iter()
        .position(|p| escalation(p.all_features, &p.grants, None).is_none());
    for _ in 0..plain.expect("a plain preset") {
        press(state, Command::Down);
    }
    press(state, Command::Activate);
}

/// Answers reads with `read(email, nth read of them)` and every change with
/// a success, until nothing more is asked. Returns every request made, in
/// order ("read x", "update x").
fn run(
    state: &mut AppState,
    mut effects: Vec<Effect>,
    read: impl Fn(&str, usize) -> Result<UserPermissions, ApiError>,
) -> Vec<String> {
    let mut log: Vec<String> = Vec::new();
    loop {
        assert!(log.len() < 50, "runs away: {log:?} {effects:?}");
        let mut next = Vec::new();
        for effect in effects {
            let action = match effect {
                Effect::FetchPermissions { email, request } => {
                    let nth = log
                        .iter()
                        .filter(|l| **l == format!("read {email}"))
                        .count();
                    log.push(format!("read {email}"));
                    Action::PermissionsLoaded {
                        result: read(&email, nth),
                        email,
                        request,
                        rate: None,
                    }
                }
                Effect::Apply(change) => {
                    log.push(format!("update {}", change.email()));
                    Action::ChangeApplied {
                        change,
                        result: Ok(ChangeOutcome::default()),
                        rate: None,
                    }
                }
                _ => continue,
            };
            next.extend(update(state, action));
        }
        if next.is_empty() {
            return log;
        }
        effects = next;
    }
}

fn journal_has(state: &AppState, text: &str) -> bool {
    state.journal.iter_newest().any(|e| e.text.contains(text))
}

#[test]
fn a_preset_counts_three_requests_a_user_and_says_so() {
    let mut state = loaded();
    // Loaded or not, each user costs the same: re-read, update, read-back.
    cache(&mut state, "ops@acme.test", viewer());
    preset_on(&mut state, &["ops@acme.test", "Bea@acme.test"]);
    let plan = plan(&state);
    assert_eq!(plan.to_do(), 2);
    assert_eq!(plan.requests, 3 * 2 + 1, "3 a user, then the list's reload");
    let how = plan.cost_detail.as_deref().unwrap_or("");
    assert!(how.contains("3 per user"), "{how}");
}

#[test]
fn a_preset_needing_more_requests_than_are_left_does_not_start() {
    let mut state = loaded();
    state.rate_limit = rate_left(6);
    preset_on(&mut state, &["ops@acme.test", "Bea@acme.test"]);
    let effects = press(&mut state, Command::Yes);
    assert!(
        effects
            .iter()
            .all(|e| !matches!(e, Effect::Apply(_) | Effect::FetchPermissions { .. })),
        "{effects:?}"
    );
    assert!(
        toast_text(&state).contains("needs 7 requests and Brevo says 6 are left"),
        "{}",
        toast_text(&state)
    );
    assert!(state.bulk.is_none());
}

#[test]
fn each_user_is_read_again_right_before_their_update_then_read_back() {
    let mut state = loaded();
    // Loaded when the plan was made, and unchanged since: still read again.
    cache(&mut state, "ops@acme.test", viewer());
    preset_on(&mut state, &["ops@acme.test", "Bea@acme.test"]);
    let effects = press(&mut state, Command::Yes);
    assert!(
        matches!(effects.as_slice(), [Effect::FetchPermissions { .. }]),
        "the first thing sent is a re-read: {effects:?}"
    );
    let log = run(&mut state, effects, |email, _| Ok(held(email, viewer())));
    assert_eq!(log.len(), 6, "3 requests each: {log:?}");
    for user in log.chunks(3) {
        let email = user[0].trim_start_matches("read ");
        assert_eq!(
            user,
            [
                format!("read {email}"),
                format!("update {email}"),
                format!("read {email}")
            ],
            "one user at a time: re-read, update, read-back"
        );
    }
    assert!(state.marks.is_empty(), "both succeeded");
}

#[test]
fn the_update_and_its_undo_are_built_from_the_re_read_not_the_loaded_permissions() {
    let mut state = loaded();
    // Not loaded when the plan was made: nothing to compare, the re-read
    // is what the update overwrites and what undo restores.
    preset_on(&mut state, &["Bea@acme.test"]);
    let effects = press(&mut state, Command::Yes);
    let theirs = Grants::from_pairs([("sms", vec!["all"])]);
    let mut sent = None;
    let mut effects = effects;
    // By hand: the re-read, then the update it produces.
    let Some(Effect::FetchPermissions { email, request }) = effects.pop() else {
        panic!("no re-read")
    };
    let after = update(
        &mut state,
        Action::PermissionsLoaded {
            result: Ok(held(&email, theirs.clone())),
            email,
            request,
            rate: None,
        },
    );
    if let [Effect::Apply(Change::UpdatePermissions(request))] = after.as_slice() {
        sent = Some(request.clone());
    }
    let sent = sent.expect("the update after the re-read");
    assert!(
        matches!(&state.bulk.as_ref().unwrap().current, Some(Current::Updating { before, .. }) if *before == theirs)
    );
    run(&mut state, after, |email, _| Ok(held(email, viewer())));
    let entry = state.undo.entries.last().expect("undoable");
    let Change::UpdatePermissions(back) = &entry_inverse(entry) else {
        panic!("undo restores permissions: {entry:?}")
    };
    assert_eq!(back.grants, theirs, "undo gives back the re-read");
    assert_ne!(sent.grants, theirs);
}

fn entry_inverse(entry: &super::super::state::undo::UndoEntry) -> Change {
    match &entry.inverse {
        super::super::state::undo::Inverse::Send(change) => change.clone(),
        other => panic!("not undoable: {other:?}"),
    }
}

#[test]
fn a_user_changed_since_the_plan_is_skipped_left_marked_and_never_overwritten() {
    let mut state = loaded();
    cache(&mut state, "ops@acme.test", viewer());
    cache(&mut state, "Bea@acme.test", viewer());
    preset_on(&mut state, &["ops@acme.test", "Bea@acme.test"]);
    let effects = press(&mut state, Command::Yes);
    // Another admin gave ops SMS meanwhile.
    let log = run(&mut state, effects, |email, _| {
        if email == "ops@acme.test" {
            Ok(held(email, Grants::from_pairs([("sms", vec!["all"])])))
        } else {
            Ok(held(email, viewer()))
        }
    });
    assert!(!log.contains(&"update ops@acme.test".to_owned()), "{log:?}");
    assert!(log.contains(&"update Bea@acme.test".to_owned()));
    assert!(state.marks.contains("ops@acme.test"), "stays marked");
    assert!(!state.marks.contains("Bea@acme.test"));
    assert!(journal_has(
        &state,
        "ops@acme.test: changed since you confirmed"
    ));
    let text = toast_text(&state);
    assert!(
        text.contains("1 done") && text.contains("1 skipped"),
        "{text}"
    );
}

#[test]
fn a_failed_re_read_fails_the_user_and_sends_nothing_to_them() {
    let mut state = loaded();
    preset_on(&mut state, &["ops@acme.test"]);
    let effects = press(&mut state, Command::Yes);
    let log = run(&mut state, effects, |_, _| {
        Err(ApiError::Network {
            message: "reset".to_owned(),
        })
    });
    assert_eq!(log, ["read ops@acme.test"], "nothing written");
    assert!(state.marks.contains("ops@acme.test"), "stays marked");
    assert!(
        toast_text(&state).contains("1 failed"),
        "{}",
        toast_text(&state)
    );
    assert!(journal_has(&state, "ops@acme.test: not changed"));
}

#[test]
fn a_read_back_that_differs_warns_that_brevo_stored_something_else() {
    let mut state = loaded();
    preset_on(&mut state, &["ops@acme.test"]);
    let effects = press(&mut state, Command::Yes);
    // The re-read and the read-back both answer "contacts: view": not what
    // the preset sets.
    run(&mut state, effects, |email, _| Ok(held(email, viewer())));
    assert!(
        journal_has(&state, "Brevo stored something else"),
        "{:?}",
        state
            .journal
            .iter_newest()
            .map(|e| &e.text)
            .collect::<Vec<_>>()
    );
    assert!(toast_text(&state).contains("stored something else"));
}
