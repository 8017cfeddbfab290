//! Seats in the dashboard: the account read once (never per key), the used
//! seats recounted from each list, "unknown" when the account cannot be
//! read, the seat line of the forms, and the second confirmation before a
//! seat beyond those bought — after the escalation one, never instead.

use crate::brevo::{
    AccessRequest, Account, ApiError, Change, ChangeOutcome, ErrorBody, Grants, User, UserStatus,
};

use super::super::action::{Action, Command, Effect};
use super::super::form::Notice;
use super::super::state::{AccountStatus, AppState, Confirmed, Context, Modal, Mode, Settings};
use super::form_tests::sends;
use super::{start, update};

fn member(email: &str, status: &str, access: &[(&str, &str)]) -> User {
    User {
        email: email.into(),
        is_owner: false,
        status: UserStatus::parse(status),
        feature_access: access.iter().copied().collect(),
        id: None,
        locale: None,
    }
}

/// The owner (counts everywhere) and two marketing members: Marketing 3
/// used, CRM 1.
fn org() -> Vec<User> {
    let mut owner = member("owner@acme.test", "active", &[("marketing", "owner")]);
    owner.is_owner = true;
    vec![
        owner,
        member("ops@acme.test", "active", &[("marketing", "custom")]),
        member("new.hire@acme.test", "pending", &[("marketing", "custom")]),
    ]
}

/// Marketing `bought` seats, CRM 2; the used counts it reports are stale
/// on purpose (the list's count wins once the list is there).
fn account(bought: u32) -> Account {
    serde_json::from_value(serde_json::json!({
        "email": "owner@acme.test",
        "planVerticals": [
            {"planCategory": "Marketing", "users": {"purchasedSeats": bought.to_string(), "usedSeats": "1"}},
            {"planCategory": "CRM", "users": {"purchasedSeats": "2", "usedSeats": 1}}
        ]
    }))
    .expect("an account")
}

fn forbidden() -> ApiError {
    ApiError::Forbidden {
        code: "permission_denied".into(),
        message: ErrorBody::Message("restricted key".into()),
        request_id: None,
    }
}

fn account_request(effects: &[Effect]) -> Option<u64> {
    effects.iter().find_map(|e| match e {
        Effect::LoadAccount { request } => Some(*request),
        _ => None,
    })
}

fn list(state: &mut AppState, effects: &[Effect], users: Vec<User>) {
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadUsers { request } => Some(*request),
            _ => None,
        })
        .expect("a list load");
    update(
        state,
        Action::UsersLoaded {
            request,
            result: Ok(users),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
}

/// Started, the list loaded, and the account answered with `answer`.
fn started(answer: Result<Account, ApiError>) -> AppState {
    let mut state = AppState::new(Context::default(), Settings::default());
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    let effects = start(&mut state);
    list(&mut state, &effects, org());
    let request = account_request(&effects).expect("the account is read at start");
    update(
        &mut state,
        Action::AccountLoaded {
            request,
            result: answer,
            rate: None,
        },
    );
    state
}

fn press(state: &mut AppState, command: Command) -> Vec<Effect> {
    update(state, Action::Command(command))
}

fn figures(state: &AppState) -> Vec<(String, u32, Option<u32>)> {
    state
        .account
        .uses
        .iter()
        .map(|s| (s.vertical.to_string(), s.used, s.purchased))
        .collect()
}

/// Opens the invite form with `email` typed and the grid's first
/// permission ticked (a Marketing feature), or all features.
fn invite(state: &mut AppState, email: &str, all: bool) {
    press(state, Command::Invite);
    for c in email.chars() {
        update(state, Action::FormInput(c));
    }
    press(state, Command::NextField); // all features
    if all {
        press(state, Command::Toggle);
    } else {
        press(state, Command::NextField); // presets
        press(state, Command::NextField); // grid
        press(state, Command::Toggle); // the first row: a Marketing feature
    }
}

/// Brevo answered `change` with OK and these invoices.
fn succeeded(state: &mut AppState, change: Change, invoices: &[&str]) -> Vec<Effect> {
    let outcome = ChangeOutcome {
        status: "OK".into(),
        invoice_ids: invoices.iter().map(|i| (*i).to_owned()).collect(),
        credit_notes: vec![],
    };
    let (result, rate) = (Ok(outcome), None);
    update(
        state,
        Action::ChangeApplied {
            change,
            result,
            rate,
        },
    )
}

/// The open form's seat sentences.
fn line(state: &AppState) -> Vec<String> {
    let seats = state.account.form_seats(state.form(), &state.list.users);
    seats.map(|s| s.lines).unwrap_or_default()
}

fn question(state: &AppState) -> Option<&Confirmed> {
    match state.modal() {
        Some(Modal::Confirm(confirm)) => Some(&confirm.what),
        _ => None,
    }
}

#[test]
fn the_account_is_read_once_at_start_and_never_per_key() {
    let mut state = started(Ok(account(3)));
    let mut effects = Vec::new();
    for command in [Command::Down, Command::Up, Command::Down, Command::Invite] {
        effects.extend(press(&mut state, command));
    }
    for c in "someone@acme.test".chars() {
        effects.extend(update(&mut state, Action::FormInput(c)));
    }
    assert_eq!(account_request(&effects), None, "{effects:?}");
}

#[test]
fn the_header_figures_are_bought_from_the_account_and_used_from_the_list() {
    let state = started(Ok(account(3)));
    assert_eq!(
        figures(&state),
        [("Marketing".into(), 3, Some(3)), ("CRM".into(), 1, Some(2))],
        "the account said 1 used in Marketing: the list counts 3"
    );
    assert!(state.account.uses[0].full() && !state.account.uses[1].full());
}

#[test]
fn an_invitation_that_took_the_free_seat_makes_the_next_one_warn() {
    let mut state = started(Ok(account(4)));
    invite(&mut state, "first@acme.test", false);
    let seats = state
        .account
        .form_seats(state.form(), &state.list.users)
        .expect("a seat line");
    assert_eq!(seats.lines, ["takes a Marketing seat: 3 of 4 used"]);
    assert!(!seats.bills());
    let effects = press(&mut state, Command::Submit);
    assert_eq!(sends(&effects), 1, "a free seat: no second question");
    let Some(Effect::Apply(change)) = effects.into_iter().find(|e| matches!(e, Effect::Apply(_)))
    else {
        unreachable!()
    };
    // Not billed: the account is not read again; the list reload recounts.
    let effects = succeeded(&mut state, change, &[]);
    assert_eq!(account_request(&effects), None);
    let mut users = org();
    users.push(member(
        "first@acme.test",
        "pending",
        &[("marketing", "custom")],
    ));
    list(&mut state, &effects, users);
    assert_eq!(figures(&state)[0], ("Marketing".into(), 4, Some(4)));

    invite(&mut state, "second@acme.test", false);
    assert_eq!(
        line(&state),
        ["takes a Marketing seat: 4 of 4 used — Brevo may bill an extra seat"]
    );
    assert_eq!(sends(&press(&mut state, Command::Submit)), 0);
    assert!(matches!(
        question(&state),
        Some(Confirmed::Billing(_, over)) if over[0].contains("Marketing")
    ));
}

#[test]
fn an_invoice_reads_the_account_again() {
    let mut state = started(Ok(account(3)));
    let change = Change::Invite(AccessRequest::invite(
        "x@acme.test",
        false,
        Grants::from_pairs([("contacts", vec!["view"])]),
    ));
    let effects = succeeded(&mut state, change, &["INV-1"]);
    let request = account_request(&effects).expect("read again after an invoice");
    update(
        &mut state,
        Action::AccountLoaded {
            request,
            result: Ok(account(4)),
            rate: None,
        },
    );
    assert_eq!(figures(&state)[0].2, Some(4));
}

#[test]
fn an_account_that_cannot_be_read_leaves_seats_unknown_and_everything_working() {
    let mut state = started(Err(forbidden()));
    assert_eq!(state.account.status, AccountStatus::Unknown);
    assert!(state.account.uses.is_empty());
    invite(&mut state, "n@acme.test", false);
    assert_eq!(
        line(&state),
        ["takes a Marketing seat: seats unknown (the account could not be read)"]
    );
    assert_eq!(
        sends(&press(&mut state, Command::Submit)),
        1,
        "nothing to ask about: unknown is not over"
    );
}

#[test]
fn the_billing_question_names_the_vertical_and_no_keeps_the_form() {
    let mut state = started(Ok(account(3)));
    invite(&mut state, "n@acme.test", false);
    assert_eq!(sends(&press(&mut state, Command::Submit)), 0);
    let Some(Confirmed::Billing(Change::Invite(_), over)) = question(&state) else {
        panic!("{:?}", state.modal())
    };
    assert_eq!(
        over,
        &["takes a Marketing seat: 3 of 3 used — Brevo may bill an extra seat"]
    );
    press(&mut state, Command::No);
    assert_eq!(state.mode(), Mode::Form);
    assert_eq!(state.form().unwrap().email(), "n@acme.test");
    press(&mut state, Command::Submit);
    assert_eq!(sends(&press(&mut state, Command::Yes)), 1);
}

#[test]
fn escalation_and_billing_are_both_asked_one_after_the_other() {
    let mut state = started(Ok(account(3)));
    invite(&mut state, "boss@acme.test", true);
    assert_eq!(sends(&press(&mut state, Command::Submit)), 0);
    assert!(matches!(question(&state), Some(Confirmed::Escalation(..))));
    assert_eq!(sends(&press(&mut state, Command::Yes)), 0, "seats next");
    let Some(Confirmed::Billing(_, over)) = question(&state) else {
        panic!("{:?}", state.modal())
    };
    assert_eq!(over.len(), 1, "Marketing is full, CRM has a seat: {over:?}");
    assert_eq!(sends(&press(&mut state, Command::Yes)), 1);
}

#[test]
fn a_refused_billed_invitation_keeps_the_form_as_typed() {
    let mut state = started(Ok(account(3)));
    invite(&mut state, "n@acme.test", false);
    let ticked = state.form().unwrap().privileges.grants.clone();
    assert!(!ticked.is_empty());
    press(&mut state, Command::Submit);
    let effects = press(&mut state, Command::Yes);
    let Some(Effect::Apply(change)) = effects.into_iter().find(|e| matches!(e, Effect::Apply(_)))
    else {
        panic!("not sent")
    };
    update(
        &mut state,
        Action::ChangeApplied {
            change,
            result: Err(forbidden()),
            rate: None,
        },
    );
    let form = state.form().expect("the form stays");
    assert_eq!(form.email(), "n@acme.test");
    assert_eq!(form.privileges.grants, ticked);
    assert!(matches!(form.notice, Some(Notice::Failed(_))));
}

#[test]
fn an_edit_line_says_the_seats_it_frees_and_takes() {
    let state = started(Ok(account(3)));
    let ops = "ops@acme.test";
    let change = Change::UpdatePermissions(AccessRequest::update(
        ops,
        &Grants::from_pairs([("contacts", vec!["view"])]),
        &Grants::from_pairs([("sales_platform", vec!["create_edit_deals"])]),
        false,
    ));
    let seats = state
        .account
        .seats_of(&change, &state.list.users)
        .expect("seats touched");
    assert_eq!(
        seats.lines,
        [
            "frees a Marketing seat: 3 of 3 used",
            "takes a CRM seat: 1 of 2 used"
        ]
    );
    assert!(!seats.bills());
}
