//! Marks, bulk plans and runs, the journal and undo, as an admin notices
//! them: what is marked, what the one confirmation lists, what is sent.

use crate::brevo::{AccessRequest, Change, ChangeOutcome, Grants, UserPermissions, UserStatus};

use super::super::action::{Action, Command, Effect};
use super::super::state::bulk::{BulkPlan, Step, Work};
use super::super::state::{AppState, Modal, ProfileFacts};
use super::tests::{loaded, press, rate_left, select, selected, timeout, toast_text};
use super::update;

fn grants() -> Grants {
    Grants::from_pairs([("contacts", vec!["view"])])
}

fn perms(email: &str) -> UserPermissions {
    UserPermissions {
        email: email.to_owned(),
        status: UserStatus::Active,
        grants: grants(),
        unrecognised: Vec::new(),
    }
}

fn plan(state: &AppState) -> &BulkPlan {
    match state.modal() {
        Some(Modal::Bulk(plan)) => plan,
        other => panic!("no bulk confirmation: {other:?}"),
    }
}

/// Answers every read and every change among `effects` as Brevo would
/// (success), until nothing more is asked; returns the changes sent.
fn run_all(state: &mut AppState, mut effects: Vec<Effect>) -> Vec<Change> {
    let mut sent = Vec::new();
    loop {
        let mut next = Vec::new();
        for effect in effects {
            let action = match effect {
                Effect::FetchPermissions { email, request } => Action::PermissionsLoaded {
                    result: Ok(perms(&email)),
                    email,
                    request,
                    rate: None,
                },
                Effect::Apply(change) => {
                    // One at a time: nothing else is out meanwhile.
                    assert!(!sent.contains(&change), "sent twice: {change:?}");
                    sent.push(change.clone());
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
            return sent;
        }
        effects = next;
    }
}

fn mark(state: &mut AppState, emails: &[&str]) {
    for email in emails {
        select(state, email);
        press(state, Command::Mark);
    }
}

#[test]
fn space_marks_and_moves_down_star_marks_what_is_shown_esc_clears_marks_first() {
    let mut state = loaded();
    assert_eq!(selected(&state), "Bea@acme.test");
    press(&mut state, Command::Mark);
    assert!(state.marks.contains("Bea@acme.test"));
    assert_eq!(selected(&state), "new.hire@acme.test", "moves down");
    select(&mut state, "Bea@acme.test");
    press(&mut state, Command::Mark);
    assert!(state.marks.is_empty(), "Space again unmarks");

    state.view.filter.text = "o".to_owned();
    update(&mut state, Action::FilterInput('p'));
    press(&mut state, Command::MarkAll);
    assert_eq!(state.marks.len(), 1, "only the row shown: ops");
    assert!(state.marks.contains("ops@acme.test"));
    press(&mut state, Command::Back);
    assert!(state.marks.is_empty());
    assert_eq!(
        state.view.filter.text, "op",
        "the filter stays for the next Esc"
    );
    press(&mut state, Command::Back);
    assert!(state.view.filter.text.is_empty());
}

#[test]
fn a_bulk_revoke_lists_every_marked_user_with_skips_and_hidden_marks() {
    let mut state = loaded();
    mark(
        &mut state,
        &["Bea@acme.test", "new.hire@acme.test", "owner@acme.test"],
    );
    update(&mut state, Action::FilterInput('e'));
    // "e": Bea, new.hire, owner are shown; ops is not (and not marked).
    select(&mut state, "ops@acme.test");
    let effects = press(&mut state, Command::Revoke);
    assert!(
        effects.iter().all(|e| !matches!(e, Effect::Apply(_))),
        "asks first"
    );
    let plan = plan(&state);
    assert_eq!(plan.items.len(), 3);
    assert_eq!(plan.to_do(), 1);
    let skip = |email: &str| {
        plan.items
            .iter()
            .find(|i| i.email == email)
            .map(|i| match &i.step {
                Step::Skip(why) => why.clone(),
                Step::Do { .. } => String::new(),
            })
            .unwrap()
    };
    assert!(skip("new.hire@acme.test").contains("has not accepted the invitation yet"));
    assert!(skip("owner@acme.test").contains("the owner's access cannot be revoked"));
    // Bea's permissions are not loaded: read first, then revoke, + the reload.
    assert_eq!(plan.requests, 3);
}

#[test]
fn marks_the_filter_hides_are_named_under_their_own_heading() {
    let mut state = loaded();
    mark(&mut state, &["Bea@acme.test", "ops@acme.test"]);
    for c in "ops".chars() {
        update(&mut state, Action::FilterInput(c));
    }
    press(&mut state, Command::FilterAccept);
    press(&mut state, Command::Revoke);
    let plan = plan(&state);
    let bea = plan
        .items
        .iter()
        .find(|i| i.email == "Bea@acme.test")
        .unwrap();
    assert!(!bea.shown);
    assert!(plan.items[0].shown, "shown ones come first");
}

#[test]
fn a_bulk_revoke_sends_one_at_a_time_and_clears_the_marks_of_successes() {
    let mut state = loaded();
    mark(
        &mut state,
        &["Bea@acme.test", "new.hire@acme.test", "ops@acme.test"],
    );
    press(&mut state, Command::Revoke);
    let effects = press(&mut state, Command::Yes);
    let reads = effects
        .iter()
        .filter(|e| matches!(e, Effect::FetchPermissions { .. }))
        .count();
    assert_eq!(reads, 1, "one user at a time: {effects:?}");
    let sent = run_all(&mut state, effects);
    assert_eq!(
        sent,
        vec![
            Change::Revoke("Bea@acme.test".into()),
            Change::Revoke("ops@acme.test".into())
        ]
    );
    assert!(state.bulk.is_none());
    assert_eq!(state.marks.len(), 1, "the skipped one stays marked");
    assert!(state.marks.contains("new.hire@acme.test"));
    assert!(
        toast_text(&state).contains("2 done, 1 skipped"),
        "{}",
        toast_text(&state)
    );
}

#[test]
fn a_bulk_run_with_credit_notes_reads_the_account_once_at_the_end() {
    // Each refunded seat would otherwise cost a GET /account of its own:
    // requests the confirmation never counted.
    let mut state = loaded();
    mark(&mut state, &["Bea@acme.test", "ops@acme.test"]);
    press(&mut state, Command::Revoke);
    let mut effects = press(&mut state, Command::Yes);
    let mut account_reads = 0;
    let mut sent = 0;
    while !effects.is_empty() {
        let mut next = Vec::new();
        for effect in effects {
            let action = match effect {
                Effect::LoadAccount { .. } => {
                    account_reads += 1;
                    continue;
                }
                Effect::FetchPermissions { email, request } => Action::PermissionsLoaded {
                    result: Ok(perms(&email)),
                    email,
                    request,
                    rate: None,
                },
                Effect::Apply(change) => {
                    sent += 1;
                    assert_eq!(account_reads, 0, "no account read mid-run");
                    Action::ChangeApplied {
                        change,
                        result: Ok(ChangeOutcome {
                            credit_notes: vec![format!("CN-{sent}")],
                            ..ChangeOutcome::default()
                        }),
                        rate: None,
                    }
                }
                _ => continue,
            };
            next.extend(update(&mut state, action));
        }
        effects = next;
    }
    assert_eq!((sent, account_reads), (2, 1));
}

#[test]
fn a_failure_stays_marked_and_an_unclear_answer_is_reconciled_not_resent() {
    let mut state = loaded();
    state.permissions.cache.insert(
        "ops@acme.test".into(),
        super::super::state::Cached::Loaded(perms("ops@acme.test")),
    );
    mark(&mut state, &["ops@acme.test"]);
    press(&mut state, Command::Revoke);
    let effects = press(&mut state, Command::Yes);
    assert_eq!(
        effects,
        vec![Effect::Apply(Change::Revoke("ops@acme.test".into()))]
    );
    let effects = update(
        &mut state,
        Action::ChangeApplied {
            change: Change::Revoke("ops@acme.test".into()),
            result: Err(timeout()),
            rate: None,
        },
    );
    assert!(
        matches!(effects.as_slice(), [Effect::Reconcile(..)]),
        "{effects:?}"
    );
    update(
        &mut state,
        Action::Reconciled {
            change: Change::Revoke("ops@acme.test".into()),
            result: Ok(crate::brevo::Reconciliation::NotDone),
            rate: None,
        },
    );
    assert!(state.bulk.is_none());
    assert!(state.marks.contains("ops@acme.test"), "x retries it");
    assert!(toast_text(&state).contains("1 failed"));
}

#[test]
fn a_plan_needing_more_requests_than_are_left_does_not_start() {
    let mut state = loaded();
    state.rate_limit = rate_left(2);
    mark(&mut state, &["Bea@acme.test", "ops@acme.test"]);
    press(&mut state, Command::Revoke);
    assert_eq!(plan(&state).requests, 5);
    let effects = press(&mut state, Command::Yes);
    assert!(
        effects
            .iter()
            .all(|e| !matches!(e, Effect::Apply(_) | Effect::FetchPermissions { .. }))
    );
    assert!(toast_text(&state).contains("needs 5 requests and Brevo says 2 are left"));
    assert!(state.bulk.is_none());
}

#[test]
fn esc_stops_a_run_after_the_user_in_flight() {
    let mut state = loaded();
    for email in ["Bea@acme.test", "ops@acme.test"] {
        state.permissions.cache.insert(
            email.to_lowercase(),
            super::super::state::Cached::Loaded(perms(email)),
        );
    }
    mark(&mut state, &["Bea@acme.test", "ops@acme.test"]);
    press(&mut state, Command::Revoke);
    let effects = press(&mut state, Command::Yes);
    press(&mut state, Command::Back);
    assert!(state.bulk.as_ref().is_some_and(|r| r.stopping));
    let sent = run_all(&mut state, effects);
    assert_eq!(sent.len(), 1, "nothing after the one in flight");
    assert!(
        toast_text(&state).contains("stopped after 1 of 2"),
        "{}",
        toast_text(&state)
    );
}

#[test]
fn a_preset_on_marked_users_reads_then_updates_each_and_asks_twice_when_it_escalates() {
    let mut state = loaded();
    mark(&mut state, &["ops@acme.test"]);
    press(&mut state, Command::ApplyPreset);
    assert!(matches!(state.modal(), Some(Modal::Presets(_))));
    let admin = state.presets.iter().position(|p| p.all_features);
    let Some(admin) = admin else { return };
    for _ in 0..admin {
        press(&mut state, Command::Down);
    }
    press(&mut state, Command::Activate);
    assert!(plan(&state).escalation.is_some());
    assert!(
        press(&mut state, Command::Yes).is_empty(),
        "the second question"
    );
    let effects = press(&mut state, Command::Yes);
    let sent = run_all(&mut state, effects);
    assert!(matches!(&sent[..], [Change::UpdatePermissions(r)] if r.all_features_access));
}

#[test]
fn undo_of_a_revoke_invites_again_with_the_permissions_they_had() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    press(&mut state, Command::Revoke);
    // Not loaded: the confirmation's Yes reads them first, then revokes.
    let effects = press(&mut state, Command::Yes);
    assert!(
        matches!(effects.as_slice(), [Effect::FetchPermissions { .. }]),
        "{effects:?}"
    );
    let sent = run_all(&mut state, effects);
    assert_eq!(sent, vec![Change::Revoke("ops@acme.test".into())]);
    let mut users = super::tests::org();
    users.retain(|u| u.email != "ops@acme.test");
    state.list.users = users;
    state.list.revision += 1;
    press(&mut state, Command::Undo);
    let plan = plan(&state);
    assert!(plan.undo);
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("must accept") && n.contains("seat"))
    );
    let effects = press(&mut state, Command::Yes);
    let invite = Change::Invite(AccessRequest::invite("ops@acme.test", false, grants()));
    assert_eq!(effects, vec![Effect::Apply(invite.clone())]);
    run_all(&mut state, effects);
    assert!(state.undo.is_empty(), "an undo is not itself undone by u");
    assert!(
        state
            .journal
            .iter_newest()
            .any(|e| e.text.contains("invite ops@acme.test: done"))
    );
}

#[test]
fn undo_of_an_edit_restores_the_previous_grants_as_the_full_set() {
    let mut state = loaded();
    state.permissions.cache.insert(
        "ops@acme.test".into(),
        super::super::state::Cached::Loaded(perms("ops@acme.test")),
    );
    let after = Grants::from_pairs([("contacts", vec!["view", "create_edit_delete"])]);
    let edit = AccessRequest::update("ops@acme.test", &grants(), &after, false);
    update(
        &mut state,
        Action::ChangeApplied {
            change: Change::UpdatePermissions(edit),
            result: Ok(ChangeOutcome::default()),
            rate: None,
        },
    );
    press(&mut state, Command::Undo);
    let Step::Do {
        work: Work::Send(Change::UpdatePermissions(back)),
        what,
    } = &plan(&state).items[0].step
    else {
        panic!("{:?}", plan(&state).items)
    };
    assert_eq!(back.grants, grants());
    assert!(
        what.starts_with("restore the previous permissions"),
        "{what}"
    );
}

#[test]
fn undo_of_an_invitation_cancels_it_and_a_resend_cannot_be_undone() {
    let mut state = loaded();
    let invite = AccessRequest::invite("new@acme.test", false, grants());
    update(
        &mut state,
        Action::ChangeApplied {
            change: Change::Invite(invite),
            result: Ok(ChangeOutcome::default()),
            rate: None,
        },
    );
    update(
        &mut state,
        Action::ChangeApplied {
            change: Change::ResendInvitation("new.hire@acme.test".into()),
            result: Ok(ChangeOutcome::default()),
            rate: None,
        },
    );
    press(&mut state, Command::Undo);
    assert!(
        toast_text(&state).contains("cannot be undone"),
        "{}",
        toast_text(&state)
    );
    // u again goes further back: the invitation (absent from this list,
    // which was loaded before it) is cancelled only if Brevo lists it.
    let mut users = super::tests::org();
    users.push(super::tests::user("new@acme.test", false, "pending"));
    state.list.users = users;
    press(&mut state, Command::Undo);
    assert!(matches!(
        &plan(&state).items[0].step,
        Step::Do { work: Work::Send(Change::CancelInvitation(e)), .. } if e == "new@acme.test"
    ));
}

#[test]
fn undo_of_a_bulk_action_is_one_batch_and_unknown_permissions_open_the_invite_form() {
    let mut state = loaded();
    mark(&mut state, &["Bea@acme.test", "ops@acme.test"]);
    press(&mut state, Command::Revoke);
    let effects = press(&mut state, Command::Yes);
    run_all(&mut state, effects);
    assert_eq!(state.undo.entries.len(), 2);
    press(&mut state, Command::Undo);
    let plan = plan(&state);
    assert_eq!(plan.items.len(), 2, "one confirmation for the batch");
    press(&mut state, Command::No);

    let mut state = loaded();
    update(
        &mut state,
        Action::ChangeApplied {
            change: Change::Revoke("ops@acme.test".into()),
            result: Ok(ChangeOutcome::default()),
            rate: None,
        },
    );
    press(&mut state, Command::Undo);
    assert!(toast_text(&state).contains("were not known"));
    assert_eq!(state.form().map(|f| f.email()), Some("ops@acme.test"));
}

#[test]
fn a_profile_switch_drops_marks_and_the_undo_history() {
    let mut state = loaded();
    mark(&mut state, &["ops@acme.test"]);
    update(
        &mut state,
        Action::ChangeApplied {
            change: Change::Revoke("Bea@acme.test".into()),
            result: Ok(ChangeOutcome::default()),
            rate: None,
        },
    );
    state.profiles.names = vec!["a".into(), "b".into()];
    press(&mut state, Command::SwitchProfile);
    assert!(
        matches!(state.modal(), Some(Modal::Confirm(_))),
        "asks first"
    );
    press(&mut state, Command::Yes);
    assert!(matches!(state.modal(), Some(Modal::Profiles(_))));
    update(
        &mut state,
        Action::ProfileSwitched {
            name: "b".into(),
            result: Ok(ProfileFacts {
                host: "b.test".into(),
                read_only: false,
                presets: Vec::new(),
            }),
        },
    );
    assert!(state.marks.is_empty());
    assert!(state.undo.is_empty());
}

#[test]
fn the_journal_keeps_calls_changes_and_messages_newest_first() {
    let mut state = loaded();
    update(
        &mut state,
        Action::Exchange(crate::brevo::ExchangeRecord {
            at: std::time::SystemTime::UNIX_EPOCH,
            method: "PUT".into(),
            route: "/v3/organization/user/invitation/revoke/ops%40acme.test".into(),
            status: Some(200),
            elapsed_ms: 12,
            request_id: Some("req-1".into()),
            remaining: Some(97),
            error: None,
        }),
    );
    press(&mut state, Command::Journal);
    assert!(matches!(state.modal(), Some(Modal::Journal(_))));
    let newest = state.journal.newest(0).unwrap();
    assert!(
        newest
            .text
            .contains("PUT /v3/organization/user/invitation/revoke")
    );
    assert!(newest.text.contains("200 · 12 ms · 97 left"));
    let effects = press(&mut state, Command::CopyRequestId);
    assert_eq!(effects, vec![Effect::CopyToClipboard("req-1".into())]);
    for n in 0..1_200 {
        state.journal.push(
            super::super::state::journal::EntryKind::Message,
            format!("m{n}"),
            true,
            None,
        );
    }
    assert_eq!(state.journal.len(), 1_000);
    assert_eq!(state.journal.newest(0).unwrap().text, "m1199");
}
