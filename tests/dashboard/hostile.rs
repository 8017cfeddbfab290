//! Random keys at random sizes, with hostile data everywhere an API string
//! can appear: nothing panics, and no control or bidi character reaches a
//! screen cell.

use std::time::Duration;

use brevo_users::brevo::{
    ApiError, Change, ChangeOutcome, FeatureAccess, Grants, LostAnswer, Reconciliation, User,
    UserPermissions, UserStatus,
};
use brevo_users::everywhere::{
    AccountError, AccountOutcome, Action as Act, Found, Outcome, Plan, Presence, Step as PlanStep,
};
use brevo_users::tui::action::{Action, Effect};
use brevo_users::tui::event_loop::to_action;
use brevo_users::tui::{AppState, Context, Keymap, Settings, update};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn hostile_texts() -> Vec<String> {
    vec![
        "\u{1b}[2J\u{1b}]0;pwned\u{7}evil@x.test".into(),
        "\u{202E}moc.elpmaxe@nimda".into(),
        "zero\u{200B}width\u{FEFF}@x.test".into(),
        "名前名前名前@例え.example".into(),
        "e\u{301}\u{301}\u{301}@combining.test".into(),
        "👩‍👩‍👧@family.test".into(),
        format!("{}@long.test", "a".repeat(10_000)),
        "line\nbreak\r@x.test".into(),
        String::new(),
    ]
}

fn hostile_org() -> Vec<User> {
    let texts = hostile_texts();
    let mut users: Vec<User> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| User {
            email: format!("{text}{i}"),
            is_owner: i == 0,
            status: match i % 3 {
                0 => UserStatus::Active,
                1 => UserStatus::Pending,
                _ => UserStatus::Other(texts[(i + 1) % texts.len()].clone()),
            },
            feature_access: FeatureAccess::from([
                (
                    texts[(i + 2) % texts.len()].clone(),
                    texts[(i + 3) % texts.len()].clone(),
                ),
                ("marketing".into(), "custom".into()),
            ]),
            id: None,
            locale: None,
        })
        .collect();
    users.push(User {
        email: "plain@acme.test".into(),
        is_owner: false,
        status: UserStatus::Pending,
        feature_access: Default::default(),
        id: None,
        locale: None,
    });
    users
}

fn hostile_error(i: usize) -> ApiError {
    let text = hostile_texts()[i % 9].clone();
    match i % 3 {
        0 => ApiError::Forbidden {
            code: text.clone(),
            message: text.clone().into(),
            request_id: Some(text),
        },
        1 => ApiError::Server {
            status: 500,
            message: text.into(),
            request_id: None,
        },
        _ => ApiError::Unauthorized {
            message: text.clone().into(),
            request_id: Some(text),
        },
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(KeyCode, bool),
    Resize(u16, u16),
    /// Answers the oldest outstanding effect (success or failure).
    Answer(bool, usize),
    Tick,
    /// A bracketed paste of one of the hostile texts.
    Paste(usize),
}

fn step() -> impl Strategy<Value = Step> {
    let keys = prop_oneof![
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::PageUp),
        Just(KeyCode::PageDown),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Backspace),
        Just(KeyCode::Left),
        Just(KeyCode::Right),
        proptest::sample::select(vec![
            'j', 'k', 'g', 'G', '/', 's', 'R', 'r', 'c', 'x', 'y', 'n', '?', 'a', '名', 'u', 'i',
            'e', ' ', '@', 'F', 'O'
        ])
        .prop_map(KeyCode::Char),
    ];
    prop_oneof![
        6 => (keys, proptest::bool::weighted(0.05)).prop_map(|(k, ctrl)| Step::Key(k, ctrl)),
        1 => (0u16..=200, 0u16..=70).prop_map(|(w, h)| Step::Resize(w, h)),
        3 => (any::<bool>(), 0usize..9).prop_map(|(ok, i)| Step::Answer(ok, i)),
        1 => Just(Step::Tick),
        1 => (0usize..9).prop_map(Step::Paste),
    ]
}

/// An account with hostile names, a vertical of an unknown kind, and seat
/// counts that are missing, zero or at the limit.
fn hostile_account(text: &str, i: usize) -> brevo_users::brevo::Account {
    use brevo_users::brevo::account::{Account, PlanVertical, Seats, Vertical};
    let vertical = |category: Vertical, purchased: Option<u32>| PlanVertical {
        plan_category: category,
        name: Some(text.to_owned()),
        status: Some(text.to_owned()),
        users: Seats {
            purchased,
            used: Some(u32::MAX),
        },
    };
    Account {
        email: text.to_owned(),
        company_name: Some(text.to_owned()),
        plan: Vec::new(),
        plan_verticals: vec![
            vertical(Vertical::Other(text.to_owned()), None),
            vertical(Vertical::Marketing, Some(0)),
            vertical(Vertical::Crm, [None, Some(u32::MAX), Some(1)][i % 3]),
        ],
    }
}

/// Stands in for the worker: answers an effect with hostile data.
fn answer(effect: Effect, ok: bool, i: usize) -> Option<Action> {
    let text = hostile_texts()[i].clone();
    Some(match effect {
        Effect::LoadUsers { request } => Action::UsersLoaded {
            request,
            result: if ok {
                Ok(hostile_org())
            } else {
                Err(hostile_error(i))
            },
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
        Effect::LoadAccount { request } => Action::AccountLoaded {
            request,
            result: if ok {
                Ok(hostile_account(&text, i))
            } else {
                Err(hostile_error(i))
            },
            rate: None,
        },
        Effect::FetchPermissions { email, request } => Action::PermissionsLoaded {
            result: if ok {
                Ok(UserPermissions {
                    email: email.clone(),
                    status: UserStatus::Other(text.clone()),
                    grants: Grants::from_pairs([
                        (text.as_str(), vec![text.as_str()]),
                        ("contacts", vec!["view", text.as_str()]),
                    ]),
                    unrecognised: vec![text.clone()],
                })
            } else {
                Err(hostile_error(i))
            },
            email,
            request,
            rate: None,
        },
        Effect::Apply(change) => Action::ChangeApplied {
            change,
            result: if ok {
                Ok(ChangeOutcome {
                    status: text.clone(),
                    invoice_ids: vec![text.clone()],
                    credit_notes: vec![text],
                })
            } else {
                Err(hostile_error(i))
            },
            rate: None,
        },
        Effect::Reconcile(change, _) => Action::Reconciled {
            change,
            result: if ok {
                Ok([
                    Reconciliation::AlreadyDone,
                    Reconciliation::NotDone,
                    Reconciliation::CannotTell,
                    Reconciliation::NotVisibleYet,
                ][i % 4]
                    .clone())
            } else {
                Err(hostile_error(i))
            },
            rate: None,
        },
        Effect::After { action, .. } => action.into(),
        Effect::CopyToClipboard(email) => Action::ClipboardWritten { email, ok },
        Effect::SwitchProfile { name } => Action::ProfileSwitched {
            name,
            result: Err(text),
        },
        Effect::FindEverywhere {
            request, profiles, ..
        } => Action::EverywhereFound {
            request,
            presence: Presence {
                profile: profiles.first().cloned().unwrap_or_default(),
                read_only: None,
                found: if ok {
                    Ok(Found {
                        account: Some(text.clone()),
                        user: hostile_org().first().cloned(),
                        users: hostile_org(),
                    })
                } else {
                    Err(AccountError {
                        kind: "error",
                        message: text,
                    })
                },
            },
        },
        Effect::PlanEverywhere {
            request,
            email,
            presences,
        } => Action::EverywherePlanned {
            request,
            plan: Plan {
                email,
                steps: presences
                    .iter()
                    .map(|p| PlanStep {
                        profile: p.profile.clone(),
                        account: Some(text.clone()),
                        action: if ok { Act::Revoke } else { Act::AlreadyGone },
                        warning: None,
                        permissions_unread: None,
                    })
                    .collect(),
                permission_reads: 0,
            },
        },
        Effect::OffboardEverywhere { request, plan } => Action::EverywhereOffboarded {
            request,
            outcome: AccountOutcome {
                profile: plan
                    .steps
                    .first()
                    .map(|s| s.profile.clone())
                    .unwrap_or_default(),
                account: Some(text.clone()),
                action: Act::Revoke,
                outcome: if ok {
                    Outcome::Done {
                        billing: ChangeOutcome {
                            status: text.clone(),
                            invoice_ids: Vec::new(),
                            credit_notes: vec![text],
                        },
                        reconciled: false,
                    }
                } else {
                    Outcome::Failed(text)
                },
            },
        },
        Effect::Suspend | Effect::Quit => return None,
    })
}

fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200D}' | '\u{FEFF}')
}

fn run(steps: Vec<Step>, width: u16, height: u16) {
    let keymap = Keymap::default();
    let mut state = AppState::new(
        Context {
            host: hostile_texts()[0].clone(),
            read_only: false,
            demo: true,
            ..Context::default()
        },
        Settings {
            debounce: Duration::ZERO,
            ..Settings::default()
        },
    );
    // Two accounts, one named with hostile text, so that `F` and `O`
    // draw hostile answers too.
    state.profiles.names = vec![hostile_texts()[2].clone(), "demo-agency".to_owned()];
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut outstanding: Vec<Effect> = brevo_users::tui::update::start(&mut state);
    outstanding.extend(update(&mut state, Action::Resize { width, height }));
    // A reconcile and a change in flight from the start, so their answers
    // and dialogs are exercised too.
    outstanding.push(Effect::Reconcile(
        Change::Revoke(hostile_texts()[1].clone()),
        LostAnswer::MayStillBeWorking,
    ));
    for step in steps {
        let actions = match step {
            Step::Key(code, ctrl) => {
                let modifiers = if ctrl {
                    KeyModifiers::CONTROL
                } else {
                    KeyModifiers::NONE
                };
                to_action(&state, &keymap, Event::Key(KeyEvent::new(code, modifiers)))
            }
            Step::Resize(w, h) => {
                terminal.backend_mut().resize(w, h);
                to_action(&state, &keymap, Event::Resize(w, h))
            }
            Step::Answer(ok, i) => {
                if outstanding.is_empty() {
                    Vec::new()
                } else {
                    answer(outstanding.remove(0), ok, i).into_iter().collect()
                }
            }
            Step::Tick => vec![Action::Tick],
            Step::Paste(i) => to_action(&state, &keymap, Event::Paste(hostile_texts()[i].clone())),
        };
        for action in actions {
            outstanding.extend(update(&mut state, action));
        }
        terminal
            .draw(|frame| brevo_users::tui::view::render(frame, &state, &keymap))
            .unwrap();
        let buffer = terminal.backend().buffer();
        for cell in &buffer.content {
            assert!(
                !cell.symbol().chars().any(unsafe_char),
                "unsafe character drawn: {:?}",
                cell.symbol()
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_keys_at_random_sizes_never_panic(
        steps in proptest::collection::vec(step(), 0..80),
        width in 0u16..=200,
        height in 0u16..=70,
    ) {
        run(steps, width, height);
    }
}

#[test]
fn every_size_from_zero_draws() {
    for width in (0..=130).step_by(7) {
        for height in 0..=30 {
            run(
                vec![Step::Answer(true, 0), Step::Key(KeyCode::Char('?'), false)],
                width,
                height,
            );
        }
    }
}
