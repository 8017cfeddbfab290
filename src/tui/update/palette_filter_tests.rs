//! The command palette, the fuzzy and field filters, and the check that an
//! edit never overwrites what another admin changed meanwhile.

use crate::brevo::{AccessRequest, ApiError, Change, Grants, UserPermissions, UserStatus};

use super::super::action::{Action, Command, Effect};
use super::super::form::Notice;
use super::super::state::{AppState, Cached, Modal, Mode, user_key};
use super::tests::{fetches, loaded, press, select, toast_text};
use super::update;

fn type_into(state: &mut AppState, text: &str) {
    for c in text.chars() {
        update(state, Action::FilterInput(c));
    }
}

fn emails(state: &AppState) -> Vec<String> {
    state
        .visible()
        .iter()
        .map(|&i| state.list.users[i].email.clone())
        .collect()
}

fn holding(email: &str, grants: Grants) -> UserPermissions {
    UserPermissions {
        email: email.to_owned(),
        status: UserStatus::Active,
        grants,
        unrecognised: Vec::new(),
    }
}

fn arrive(state: &mut AppState, email: &str, request: u64, grants: Grants) -> Vec<Effect> {
    update(
        state,
        Action::PermissionsLoaded {
            email: email.into(),
            request,
            result: Ok(holding(email, grants)),
            rate: None,
        },
    )
}

fn request_of(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchPermissions { request, .. } => Some(*request),
            _ => None,
        })
        .expect("a fetch")
}

#[test]
fn colon_opens_the_palette_and_enter_runs_what_was_typed() {
    let mut state = loaded();
    press(&mut state, Command::Palette);
    assert_eq!(state.mode(), Mode::Palette);
    type_into(&mut state, "reload");
    assert_eq!(state.view.filter.text, "", "the list's filter is untouched");
    let effects = press(&mut state, Command::Activate);
    assert!(state.modal().is_none(), "the palette closed");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadUsers { .. })),
        "{effects:?}"
    );
    press(&mut state, Command::Palette);
    type_into(&mut state, "zzzz");
    assert!(
        press(&mut state, Command::Activate).is_empty(),
        "no match, nothing runs"
    );
    press(&mut state, Command::Palette);
    press(&mut state, Command::Back);
    assert!(state.modal().is_none(), "Esc closes");
}

#[test]
fn the_palette_moves_between_matches_and_opens_a_form_like_its_key() {
    let mut state = loaded();
    select(&mut state, "ops@acme.test");
    press(&mut state, Command::Palette);
    type_into(&mut state, "invite");
    let Some(Modal::Palette(palette)) = state.modal() else {
        panic!("no palette")
    };
    assert_eq!(palette.chosen(), Some(Command::Invite));
    press(&mut state, Command::Activate);
    assert!(state.form().is_some_and(|f| f.is_invite()));
}

#[test]
fn the_filter_matches_fuzzily_and_field_terms_are_anded() {
    let mut state = loaded();
    press(&mut state, Command::Filter);
    type_into(&mut state, "nhr");
    assert_eq!(emails(&state), ["new.hire@acme.test"], "letters skipped");
    press(&mut state, Command::FilterErase);
    type_into(&mut state, "status:pending");
    assert_eq!(emails(&state), ["new.hire@acme.test"]);
    assert_eq!(state.pending_count(), 1);
    press(&mut state, Command::FilterErase);
    type_into(&mut state, "role:member acme");
    assert_eq!(emails(&state).len(), 3, "{:?}", emails(&state));
    press(&mut state, Command::FilterErase);
    type_into(&mut state, "role:owner");
    assert_eq!(emails(&state), ["owner@acme.test"]);
}

#[test]
fn an_unknown_field_is_a_hint_not_an_empty_list() {
    let mut state = loaded();
    press(&mut state, Command::Filter);
    type_into(&mut state, "colour:red");
    assert_eq!(emails(&state).len(), 4, "the term is left out");
    let hint = state.shown().hint.clone().unwrap();
    assert!(hint.contains("no field “colour:”"), "{hint}");
}

#[test]
fn a_feature_term_counts_the_unloaded_and_enter_loads_them() {
    let mut state = loaded();
    state.permissions.cache.insert(
        user_key("ops@acme.test"),
        Cached::Loaded(holding(
            "ops@acme.test",
            Grants::from_pairs([("contacts", ["view"])]),
        )),
    );
    press(&mut state, Command::Filter);
    type_into(&mut state, "feature:contacts");
    assert_eq!(emails(&state), ["ops@acme.test", "owner@acme.test"]);
    assert_eq!(state.shown().not_loaded.len(), 2, "Bea and the new hire");
    let effects = press(&mut state, Command::FilterAccept);
    let mut asked = fetches(&effects);
    asked.sort_unstable();
    assert_eq!(asked, ["Bea@acme.test", "new.hire@acme.test"]);
    let bea = request_of(&effects);
    let effects = arrive(
        &mut state,
        "Bea@acme.test",
        bea,
        Grants::from_pairs([("contacts", ["import"])]),
    );
    drop(effects);
    assert!(
        emails(&state).contains(&"Bea@acme.test".to_owned()),
        "she holds it"
    );
    assert_eq!(state.shown().not_loaded.len(), 1);
}

#[test]
fn loading_more_than_the_requests_left_is_refused() {
    let mut state = loaded();
    state.rate_limit = Some(crate::brevo::RateLimit {
        limit: Some(100),
        remaining: Some(1),
        reset_after: None,
        observed_at: std::time::Instant::now(),
    });
    press(&mut state, Command::Filter);
    type_into(&mut state, "feature:contacts");
    let effects = press(&mut state, Command::FilterAccept);
    assert!(fetches(&effects).is_empty(), "{effects:?}");
    assert!(
        toast_text(&state).contains("only 1 are left"),
        "{}",
        toast_text(&state)
    );
}

/// Opens the edit form of ops with `opened`, ticks one more permission and
/// saves: returns the re-read's request.
fn edit_and_save(state: &mut AppState, opened: &Grants) -> u64 {
    select(state, "ops@acme.test");
    let effects = press(state, Command::EditPermissions);
    arrive(state, "ops@acme.test", request_of(&effects), opened.clone());
    // The first feature of the grid, its second permission.
    press(state, Command::Right);
    press(state, Command::Toggle);
    let effects = press(state, Command::Submit);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Apply(_))),
        "not yet"
    );
    request_of(&effects)
}

#[test]
fn a_change_made_meanwhile_is_shown_and_nothing_is_sent_until_asked() {
    let mut state = loaded();
    state.width = 80;
    let opened = Grants::from_pairs([("contacts", ["view"])]);
    let reread = edit_and_save(&mut state, &opened);
    assert!(state.form_busy(), "the form waits for the re-read");
    let theirs = Grants::from_pairs([("contacts", ["view"]), ("phone", ["all"])]);
    let effects = arrive(&mut state, "ops@acme.test", reread, theirs.clone());
    assert!(
        effects.iter().all(|e| !matches!(e, Effect::Apply(_))),
        "{effects:?}"
    );
    let Some(Modal::Conflict(conflict)) = state.modal() else {
        panic!("no conflict shown: {:?}", state.modal())
    };
    assert_eq!(conflict.their_changes()[0].feature, "phone");
    assert_eq!(state.mode(), Mode::Conflict);
    // Take the form's: sent against theirs, so Phone is removed on purpose.
    let effects = press(&mut state, Command::TakeForm);
    let form_grants = state.form().unwrap().privileges.grants.clone();
    let expected = AccessRequest::update("ops@acme.test", &theirs, &form_grants, false);
    assert_eq!(
        effects,
        vec![Effect::Apply(Change::UpdatePermissions(expected))]
    );
}

#[test]
fn keep_theirs_closes_the_form_and_edit_again_rebases_it() {
    let mut state = loaded();
    state.width = 80;
    let opened = Grants::from_pairs([("contacts", ["view"])]);
    let theirs = Grants::from_pairs([("phone", ["all"])]);
    let reread = edit_and_save(&mut state, &opened);
    arrive(&mut state, "ops@acme.test", reread, theirs.clone());
    assert!(press(&mut state, Command::EditAgain).is_empty());
    let form = state.form().expect("the form stays");
    assert_eq!(form.current(), Some(&theirs), "against theirs now");
    assert!(
        form.privileges.grants.get("phone").is_some(),
        "their Phone is kept"
    );
    let changed: Vec<String> = form.changes().into_iter().map(|c| c.feature).collect();
    assert_eq!(changed, ["email_campaigns"], "only the admin's own edit");
    let reread = request_of(&press(&mut state, Command::Submit));
    arrive(&mut state, "ops@acme.test", reread, Grants::new());
    let effects = press(&mut state, Command::KeepTheirs);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Apply(_))),
        "{effects:?}"
    );
    assert!(state.form().is_none());
    assert!(
        toast_text(&state).contains("nothing was sent"),
        "{}",
        toast_text(&state)
    );
}

#[test]
fn a_failed_reread_keeps_the_form_and_enter_tries_again() {
    let mut state = loaded();
    state.width = 80;
    let opened = Grants::from_pairs([("contacts", ["view"])]);
    let reread = edit_and_save(&mut state, &opened);
    let before = state.form().unwrap().privileges.clone();
    update(
        &mut state,
        Action::PermissionsLoaded {
            email: "ops@acme.test".into(),
            request: reread,
            result: Err(ApiError::Timeout {
                after: std::time::Duration::from_secs(1),
                attempts: 1,
            }),
            rate: None,
        },
    );
    let form = state.form().expect("the form stays");
    assert_eq!(form.privileges, before, "nothing typed is lost");
    assert!(matches!(&form.notice, Some(Notice::Failed(t)) if t.contains("Not sent")));
    let again = press(&mut state, Command::Submit);
    let reread = request_of(&again);
    let effects = arrive(&mut state, "ops@acme.test", reread, opened);
    assert!(
        matches!(effects.as_slice(), [Effect::Apply(_)]),
        "{effects:?}"
    );
}
