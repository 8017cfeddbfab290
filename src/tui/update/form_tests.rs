//! The forms inside the dashboard: opening, sending once, the second
//! confirmation, and every failure leaving the form as typed.

use crate::brevo::{
    AccessRequest, ApiError, Change, ChangeOutcome, Grants, Reconciliation, UserPermissions,
    UserStatus,
};

use super::super::action::{Action, Command, Effect};
use super::super::form::{Field, Notice};
use super::super::state::Stage;
use super::super::state::{AppState, Confirmed, Modal, Mode, ToastKind};
use super::tests::{loaded, press, select, selected, timeout, toast_text, user};
use super::update;

fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        update(state, Action::FormInput(c));
    }
}

fn notice(state: &AppState) -> Option<Notice> {
    state.form().and_then(|f| f.notice.clone())
}

/// An invite form with the acceptance example typed and ticked by keys.
fn filled(state: &mut AppState) {
    press(state, Command::Invite);
    type_text(state, "new.hire@example.test");
    for command in [
        Command::NextField,
        Command::NextField,
        Command::NextField,
        Command::Toggle,
        Command::Down,
        Command::Down,
        Command::Toggle,
        Command::Right,
        Command::Right,
        Command::Toggle,
    ] {
        press(state, command);
    }
}

fn invite_change() -> Change {
    Change::Invite(AccessRequest::invite(
        "new.hire@example.test",
        false,
        Grants::from_pairs([
            ("email_campaigns", vec!["create_edit_delete"]),
            ("contacts", vec!["view", "import"]),
        ]),
    ))
}

fn applied(
    state: &mut AppState,
    change: Change,
    result: Result<ChangeOutcome, ApiError>,
) -> Vec<Effect> {
    update(
        state,
        Action::ChangeApplied {
            change,
            result,
            rate: None,
        },
    )
}

pub(super) fn sends(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Apply(_)))
        .count()
}

#[test]
fn i_opens_the_invite_form_and_letters_become_the_email() {
    let mut state = loaded();
    press(&mut state, Command::Invite);
    assert_eq!(state.mode(), Mode::FormText);
    type_text(&mut state, "a@b");
    assert_eq!(state.form().unwrap().email(), "a@b");
    press(&mut state, Command::NextField);
    assert_eq!(state.mode(), Mode::Form);
    update(&mut state, Action::FormInput('x'));
    assert_eq!(
        state.form().unwrap().email(),
        "a@b",
        "no text outside the field"
    );
}

#[test]
fn the_acceptance_keys_send_one_invitation_and_a_second_enter_sends_nothing() {
    let mut state = loaded();
    filled(&mut state);
    let effects = press(&mut state, Command::Submit);
    assert_eq!(effects, vec![Effect::Apply(invite_change())]);
    assert!(state.form_busy());
    assert!(press(&mut state, Command::Submit).is_empty());
    assert!(matches!(notice(&state), Some(Notice::Hint(t)) if t.contains("nothing is sent twice")));
    press(&mut state, Command::Toggle);
    assert_eq!(
        state.form().unwrap().privileges.grants.len(),
        3,
        "locked while sending"
    );
}

#[test]
fn submitting_validates_first_and_sends_nothing_when_wrong() {
    let mut state = loaded();
    press(&mut state, Command::Invite);
    type_text(&mut state, "ops@acme.test");
    assert!(press(&mut state, Command::Submit).is_empty());
    assert_eq!(
        notice(&state),
        Some(Notice::Invalid("Not sent: fix the email first".into()))
    );
    assert_eq!(state.mode(), Mode::FormText, "the focus goes to the email");
    press(&mut state, Command::DeleteLine);
    type_text(&mut state, "x@acme.test");
    assert_eq!(notice(&state), None, "an edit clears the refusal");
    assert!(press(&mut state, Command::Submit).is_empty());
    assert!(
        matches!(notice(&state), Some(Notice::Invalid(t)) if t.contains("at least one permission"))
    );
}

#[test]
fn granting_user_management_asks_a_second_time() {
    let mut state = loaded();
    press(&mut state, Command::Invite);
    type_text(&mut state, "boss@acme.test");
    press(&mut state, Command::NextField);
    press(&mut state, Command::Toggle); // all features
    assert!(press(&mut state, Command::Submit).is_empty());
    let Some(Modal::Confirm(confirm)) = state.modal() else {
        panic!("{:?}", state.modal())
    };
    assert!(
        matches!(&confirm.what, Confirmed::Escalation(Change::Invite(r), _) if r.all_features_access)
    );
    assert!(
        press(&mut state, Command::Activate).is_empty(),
        "No is focused"
    );
    assert_eq!(state.mode(), Mode::Form, "back in the form");
    assert!(state.form().unwrap().privileges.all_features);
    press(&mut state, Command::Submit);
    let effects = press(&mut state, Command::Yes);
    assert_eq!(sends(&effects), 1);
    assert!(state.form().is_some());
    assert!(matches!(
        state.in_flight.of_form().map(|f| &f.stage),
        Some(Stage::Sending)
    ));
}

#[test]
fn a_refusal_keeps_every_field_and_enter_sends_again() {
    let mut state = loaded();
    filled(&mut state);
    let before = state.form().unwrap().privileges.clone();
    press(&mut state, Command::Submit);
    let refused = ApiError::BadRequest {
        status: 400,
        code: "duplicate_parameter".into(),
        message: "new.hire@example.test is already invited".into(),
        request_id: None,
    };
    assert!(applied(&mut state, invite_change(), Err(refused)).is_empty());
    let form = state.form().unwrap();
    assert_eq!(form.email(), "new.hire@example.test");
    assert_eq!(form.privileges, before);
    assert!(matches!(&form.notice, Some(Notice::Failed(t)) if t.contains("already invited")));
    assert!(state.in_flight.is_empty());
    assert_eq!(
        press(&mut state, Command::Submit),
        vec![Effect::Apply(invite_change())]
    );
}

#[test]
fn an_unclear_failure_is_checked_and_only_the_admin_sends_again() {
    let mut state = loaded();
    filled(&mut state);
    press(&mut state, Command::Submit);
    let effects = applied(&mut state, invite_change(), Err(timeout()));
    assert_eq!(
        effects,
        vec![Effect::Reconcile(
            invite_change(),
            crate::brevo::LostAnswer::MayStillBeWorking
        )]
    );
    assert!(state.form().is_some());
    let effects = update(
        &mut state,
        Action::Reconciled {
            change: invite_change(),
            result: Ok(Reconciliation::NotDone),
            rate: None,
        },
    );
    assert_eq!(sends(&effects), 0);
    assert!(
        matches!(notice(&state), Some(Notice::Failed(t)) if t.contains("Enter sends it again") && t.contains("did not answer"))
    );
    assert_eq!(sends(&press(&mut state, Command::Submit)), 1);
}

#[test]
fn a_failed_check_is_repeated_by_enter_never_the_invitation() {
    let mut state = loaded();
    filled(&mut state);
    press(&mut state, Command::Submit);
    applied(&mut state, invite_change(), Err(timeout()));
    update(
        &mut state,
        Action::Reconciled {
            change: invite_change(),
            result: Err(timeout()),
            rate: None,
        },
    );
    assert!(matches!(notice(&state), Some(Notice::Failed(t)) if t.contains("Enter checks again")));
    assert_eq!(
        press(&mut state, Command::Submit),
        vec![Effect::Reconcile(
            invite_change(),
            crate::brevo::LostAnswer::MayStillBeWorking
        )]
    );
    let effects = update(
        &mut state,
        Action::Reconciled {
            change: invite_change(),
            result: Ok(Reconciliation::AlreadyDone),
            rate: None,
        },
    );
    assert!(
        state.form().is_none(),
        "the invitation did go out: closed as a success"
    );
    assert!(
        toast_text(&state).contains("did take effect after all"),
        "{}",
        toast_text(&state)
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadUsers { .. }))
    );
    assert_eq!(sends(&effects), 0);
}

#[test]
fn success_closes_says_the_invoice_and_selects_the_new_user() {
    let mut state = loaded();
    filled(&mut state);
    press(&mut state, Command::Submit);
    let outcome = ChangeOutcome {
        status: "OK".into(),
        invoice_ids: vec!["INV-7".into()],
        credit_notes: vec![],
    };
    let effects = applied(&mut state, invite_change(), Ok(outcome));
    assert!(state.modal().is_none());
    assert!(toast_text(&state).contains("new.hire@example.test invited"));
    assert!(toast_text(&state).contains("INV-7"));
    let Some(Effect::LoadUsers { request }) = effects
        .iter()
        .find(|e| matches!(e, Effect::LoadUsers { .. }))
        .cloned()
    else {
        panic!("{effects:?}")
    };
    let mut users = super::tests::org();
    users.push(user("New.Hire@example.test", false, "pending"));
    update(
        &mut state,
        Action::UsersLoaded {
            request,
            result: Ok(users),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    assert_eq!(selected(&state), "New.Hire@example.test");
}

#[test]
fn esc_closes_an_empty_form_and_asks_before_discarding_a_filled_one() {
    let mut state = loaded();
    press(&mut state, Command::Invite);
    press(&mut state, Command::CancelForm);
    assert!(state.modal().is_none());
    filled(&mut state);
    press(&mut state, Command::CancelForm);
    assert!(matches!(state.modal(), Some(Modal::Confirm(c)) if c.what == Confirmed::Discard));
    press(&mut state, Command::No);
    let form = state.form().unwrap();
    assert_eq!(
        (form.email(), form.privileges.grants.len()),
        ("new.hire@example.test", 3)
    );
    assert_eq!(form.focus, Field::Grid);
    press(&mut state, Command::CancelForm);
    press(&mut state, Command::Yes);
    assert!(state.modal().is_none() && state.form().is_none());
}

#[test]
fn quitting_with_a_filled_form_asks_first() {
    let mut state = loaded();
    filled(&mut state);
    assert!(press(&mut state, Command::Quit).is_empty());
    assert!(matches!(state.modal(), Some(Modal::Confirm(c)) if c.what == Confirmed::Quit));
    press(&mut state, Command::No);
    assert_eq!(state.form().unwrap().email(), "new.hire@example.test");
}

#[test]
fn help_opens_over_the_form_and_gives_it_back() {
    let mut state = loaded();
    filled(&mut state);
    press(&mut state, Command::Help);
    assert!(matches!(state.modal(), Some(Modal::Help(h)) if h.mode == Mode::Form));
    assert!(state.form().is_some(), "waits beneath");
    press(&mut state, Command::Back);
    assert_eq!(state.mode(), Mode::Form);
}

#[test]
fn the_edit_form_is_refused_for_the_owner_and_in_read_only_mode() {
    let mut state = loaded();
    select(&mut state, "owner@acme.test");
    press(&mut state, Command::EditPermissions);
    assert!(state.modal().is_none());
    assert!(toast_text(&state).contains("owner"));
    select(&mut state, "ops@acme.test");
    state.context.read_only = true;
    press(&mut state, Command::EditPermissions);
    press(&mut state, Command::Invite);
    assert!(state.modal().is_none());
    assert!(toast_text(&state).contains("read-only"));
    assert_eq!(state.toast().unwrap().kind, ToastKind::Error);
}

fn stored(email: &str, grants: Grants) -> Result<UserPermissions, ApiError> {
    Ok(UserPermissions {
        email: email.into(),
        status: UserStatus::Active,
        grants,
        unrecognised: vec![],
    })
}

fn fetched(effects: &[Effect]) -> Option<u64> {
    effects.iter().find_map(|e| match e {
        Effect::FetchPermissions { request, .. } => Some(*request),
        _ => None,
    })
}

#[test]
fn edit_loads_first_saves_and_reads_back_what_brevo_stored() {
    let mut state = loaded();
    state.width = 80; // the permissions pane is hidden: only the form fetches
    select(&mut state, "ops@acme.test");
    let effects = press(&mut state, Command::EditPermissions);
    let request = fetched(&effects).expect("fetched first");
    assert!(state.form().unwrap().waiting());
    assert!(
        press(&mut state, Command::Toggle).is_empty(),
        "nothing to tick yet"
    );
    let current = Grants::from_pairs([("contacts", vec!["view"]), ("phone", vec!["all"])]);
    update(
        &mut state,
        Action::PermissionsLoaded {
            email: "ops@acme.test".into(),
            request,
            result: stored("ops@acme.test", current.clone()),
            rate: None,
        },
    );
    assert_eq!(state.form().unwrap().current(), Some(&current));
    // Contacts: + Import; Phone emptied.
    for command in [
        Command::Down,
        Command::Down,
        Command::Right,
        Command::Right,
        Command::Toggle,
    ] {
        press(&mut state, command);
    }
    let form = state.form_mut().unwrap();
    form.privileges.row = 10;
    press(&mut state, Command::SelectNone);
    let effects = press(&mut state, Command::Submit);
    // Read again first: nobody changed them, so the change goes out.
    let reread = fetched(&effects).expect("read again before sending");
    let effects = update(
        &mut state,
        Action::PermissionsLoaded {
            email: "ops@acme.test".into(),
            request: reread,
            result: stored("ops@acme.test", current.clone()),
            rate: None,
        },
    );
    let desired = Grants::from_pairs([("contacts", vec!["view", "import"])]);
    let request = AccessRequest::update("ops@acme.test", &current, &desired, false);
    let change = Change::UpdatePermissions(request);
    assert_eq!(effects, vec![Effect::Apply(change.clone())]);
    let effects = applied(&mut state, change, Ok(ChangeOutcome::default()));
    assert!(state.form().is_none());
    let request = fetched(&effects).expect("read back once");
    // Brevo kept Phone: the toast says exactly that.
    let kept = Grants::from_pairs([("contacts", vec!["view", "import"]), ("phone", vec!["all"])]);
    update(
        &mut state,
        Action::PermissionsLoaded {
            email: "ops@acme.test".into(),
            request,
            result: stored("ops@acme.test", kept),
            rate: None,
        },
    );
    assert_eq!(state.toast().unwrap().kind, ToastKind::Error);
    assert!(
        toast_text(&state).contains("Phone: stored All, not saved"),
        "{}",
        toast_text(&state)
    );
    assert!(state.verifying.is_empty());
}
