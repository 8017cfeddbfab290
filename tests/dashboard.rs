//! The dashboard, from outside: snapshots of the screen drawn from
//! constructed states, flows that run the real event loop against the mock,
//! and a property test with hostile data at every terminal size.

mod dashboard {
    mod bulk;
    pub mod common;
    mod config;
    mod everywhere;
    mod faults;
    mod flows;
    mod form_flows;
    mod forms;
    mod hostile;
    mod hostile_wire;
    mod palette_conflict;
    mod seat_views;
    mod seats;
    mod views;
    mod wire;
}

use std::time::{Duration, Instant};

use brevo_users::brevo::{ApiError, Grants, RateLimit, User, UserPermissions, UserStatus};
use brevo_users::config::ThemeName;
use brevo_users::tui::action::{Action, Command, Effect, TimedAction};
use brevo_users::tui::state::Modal;
use brevo_users::tui::{AppState, Context, Keymap, Settings, update};
use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

fn user(email: &str, owner: bool, status: &str, access: &[(&str, &str)]) -> User {
    User {
        email: email.to_owned(),
        is_owner: owner,
        status: UserStatus::parse(status),
        feature_access: access
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        id: None,
        locale: None,
    }
}

fn org() -> Vec<User> {
    let owner = [
        ("marketing", "owner"),
        ("crm", "owner"),
        ("conversations", "owner"),
    ];
    vec![
        user("founder@acme.test", true, "active", &owner),
        user(
            "ops@acme.test",
            false,
            "active",
            &[
                ("marketing", "custom"),
                ("crm", "full"),
                ("conversations", "none"),
            ],
        ),
        user(
            "new.hire@acme.test",
            false,
            "pending",
            &[("marketing", "custom")],
        ),
        user(
            "bartholomew.featherstonehaugh-wolfeschlegelsteinhausen@very-long-subsidiary.example",
            false,
            "active",
            &[("crm", "full")],
        ),
        user(
            "jürgen.müller@bücher.example",
            false,
            "active",
            &[("marketing", "full")],
        ),
        user("contractor+q3@freelance.example", false, "pending", &[]),
        user(
            "名前@例え.example",
            false,
            "active",
            &[("conversations", "full")],
        ),
    ]
}

fn rate(remaining: u64) -> Option<RateLimit> {
    Some(RateLimit {
        limit: Some(100),
        remaining: Some(remaining),
        reset_after: Some(Duration::from_secs(1800)),
        observed_at: Instant::now(),
    })
}

fn fresh(width: u16, height: u16) -> AppState {
    let context = Context {
        host: "api.brevo.com".into(),
        read_only: false,
        demo: false,
        ..Context::default()
    };
    let mut state = AppState::new(context, Settings::default());
    update(&mut state, Action::Resize { width, height });
    state
}

/// A state as the loop would have it after the list arrived.
fn loaded(width: u16, height: u16, remaining: u64) -> AppState {
    let mut state = fresh(width, height);
    let effects = brevo_users::tui::update::start(&mut state);
    let Some(Effect::LoadUsers { request }) = effects.first().cloned() else {
        panic!("{effects:?}")
    };
    update(
        &mut state,
        Action::UsersLoaded {
            request,
            result: Ok(org()),
            rate: rate(remaining),
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    state
}

fn press(state: &mut AppState, command: Command) -> Vec<Effect> {
    update(state, Action::Command(command))
}

/// Moves to `email`, fires the debounce and answers the fetch it caused.
fn show_permissions(state: &mut AppState, email: &str, answer: Result<Grants, ApiError>) {
    press(state, Command::Top);
    let mut effects = Vec::new();
    while state.view.selected.as_deref() != Some(email) {
        effects = press(state, Command::Down);
    }
    if state.width < 100 {
        effects = press(state, Command::FocusPermissions);
    }
    for effect in effects {
        let request = match effect {
            Effect::After {
                action: TimedAction::Rested { generation },
                ..
            } => match update(state, Action::Rested { generation }).first() {
                Some(Effect::FetchPermissions { request, .. }) => *request,
                _ => continue,
            },
            Effect::FetchPermissions { request, .. } => request,
            _ => continue,
        };
        let result = answer.clone().map(|grants| UserPermissions {
            email: email.to_owned(),
            status: UserStatus::Active,
            grants,
            unrecognised: Vec::new(),
        });
        update(
            state,
            Action::PermissionsLoaded {
                email: email.to_owned(),
                request,
                result,
                rate: rate(87),
            },
        );
        return;
    }
    panic!("no fetch for {email}");
}

fn ops_grants() -> Grants {
    Grants::from_pairs([
        (
            "email_campaigns",
            vec!["create_edit_delete", "send_schedule_suspend"],
        ),
        ("contacts", vec!["view", "import", "export"]),
        ("sales_platform", vec!["reports"]),
        ("Meetings", vec!["Book rooms"]),
    ])
}

fn screen(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|frame| brevo_users::tui::view::render(frame, state, &Keymap::default()))
        .unwrap();
    terminal.backend().to_string()
}

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

#[test]
fn snapshot_loading() {
    for (w, h) in SIZES {
        let mut state = fresh(w, h);
        brevo_users::tui::update::start(&mut state);
        assert_snapshot!(format!("loading_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_loaded_with_permissions() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        show_permissions(&mut state, "ops@acme.test", Ok(ops_grants()));
        assert_snapshot!(format!("loaded_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_filter_active() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        press(&mut state, Command::Filter);
        for c in "ACME".chars() {
            update(&mut state, Action::FilterInput(c));
        }
        assert_snapshot!(format!("filter_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_bulk_confirmation() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        // Every user marked, then a filter that hides some of them.
        press(&mut state, Command::MarkAll);
        // (the filter is fuzzy: "acme.test" leaves out the other domains)
        for c in "acme.test".chars() {
            update(&mut state, Action::FilterInput(c));
        }
        press(&mut state, Command::FilterAccept);
        press(&mut state, Command::Revoke);
        let hidden = match state.modal() {
            Some(Modal::Bulk(plan)) => plan.items.iter().filter(|i| !i.shown).count(),
            other => panic!("no bulk confirmation: {other:?}"),
        };
        assert_eq!(hidden, 4, "the marks the filter hides are listed too");
        assert_snapshot!(format!("bulk_confirm_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_journal() {
    use brevo_users::brevo::ExchangeRecord;
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        for (n, (method, route, status)) in [
            ("GET", "/v3/organization/invited/users", Some(200)),
            (
                "PUT",
                "/v3/organization/user/invitation/revoke/ops%40acme.test",
                Some(200),
            ),
            (
                "GET",
                "/v3/organization/user/new.hire%40acme.test/permissions",
                None,
            ),
        ]
        .into_iter()
        .enumerate()
        {
            update(
                &mut state,
                Action::Exchange(ExchangeRecord {
                    // A fixed time: the clock is the test machine's zone.
                    at: std::time::SystemTime::UNIX_EPOCH,
                    method: method.into(),
                    route: route.into(),
                    status,
                    elapsed_ms: 12 + n as u64,
                    request_id: status.map(|_| format!("req-{n}")),
                    remaining: Some(97 - n as u64),
                    error: status.is_none().then_some("timeout"),
                }),
            );
        }
        press(&mut state, Command::Journal);
        press(&mut state, Command::Down);
        assert_snapshot!(format!("journal_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_confirmation_dialog() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        press(&mut state, Command::Top);
        while state.view.selected.as_deref() != Some("ops@acme.test") {
            press(&mut state, Command::Down);
        }
        press(&mut state, Command::Revoke);
        assert_snapshot!(format!("confirm_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_help_overlay() {
    for (w, h) in SIZES {
        let mut state = loaded(w, h, 88);
        press(&mut state, Command::Help);
        assert_snapshot!(format!("help_{w}x{h}"), screen(&state));
    }
}

#[test]
fn snapshot_errors() {
    for (w, h) in SIZES {
        let mut state = fresh(w, h);
        let effects = brevo_users::tui::update::start(&mut state);
        let Some(Effect::LoadUsers { request }) = effects.first().cloned() else {
            panic!()
        };
        let error = ApiError::Unauthorized {
            message: "Key not found".into(),
            request_id: Some("2dc45d44-da76-909c-8a3a-c4fa031d5e3a".into()),
        };
        update(
            &mut state,
            Action::UsersLoaded {
                request,
                result: Err(error),
                rate: None,
                at: std::time::SystemTime::UNIX_EPOCH,
            },
        );
        assert_snapshot!(format!("list_error_{w}x{h}"), screen(&state));
    }
    // A failed permissions fetch stays in its pane; the list works on.
    let mut state = loaded(120, 40, 88);
    let error = ApiError::RateLimited {
        reset_after: Some(Duration::from_secs(1740)),
        request_id: Some("rid-429".into()),
    };
    show_permissions(&mut state, "ops@acme.test", Err(error));
    assert_snapshot!("permissions_error_120x40", screen(&state));
}

#[test]
fn snapshot_read_only_with_a_low_quota() {
    let mut state = loaded(120, 40, 12);
    state.context.read_only = true;
    press(&mut state, Command::Down);
    press(&mut state, Command::Revoke);
    assert_snapshot!("read_only_low_quota_120x40", screen(&state));
}

#[test]
fn snapshot_too_small() {
    for (w, h) in [(59, 15), (60, 14), (20, 3)] {
        let state = loaded(w, h, 88);
        assert_snapshot!(format!("too_small_{w}x{h}"), screen(&state));
    }
}

#[test]
fn without_a_key_it_explains_and_exits_2() {
    let output = assert_cmd::Command::cargo_bin("brevo-users")
        .unwrap()
        .env_remove("BREVO_API_KEY")
        .env_remove("BREVO_API_URL")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("BREVO_API_KEY") && stderr.contains("--demo"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn without_a_terminal_it_points_to_the_commands_and_exits_2() {
    let output = assert_cmd::Command::cargo_bin("brevo-users")
        .unwrap()
        .arg("--demo")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(stderr.contains("--help"), "{stderr}");
}

/// The screen, then every styled run as `row col..col: style`, so that a
/// snapshot shows how things are told apart, not only what is written.
fn screen_with_styles(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|frame| brevo_users::tui::view::render(frame, state, &Keymap::default()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = terminal.backend().to_string();
    for y in 0..buffer.area.height {
        let mut x = 0;
        while x < buffer.area.width {
            let style = buffer[(x, y)].style();
            let start = x;
            while x < buffer.area.width && buffer[(x, y)].style() == style {
                x += 1;
            }
            if style
                != ratatui::style::Style::default()
                    .fg(Color::Reset)
                    .bg(Color::Reset)
                    .underline_color(Color::Reset)
            {
                let colour = |c: Option<Color>| match c {
                    None | Some(Color::Reset) => String::new(),
                    Some(c) => format!(" {c:?}"),
                };
                out.push_str(&format!(
                    "{y:>2} {start:>3}..{x:<3} {:?}{}{}\n",
                    style.add_modifier,
                    colour(style.fg),
                    colour(style.bg)
                ));
            }
        }
    }
    out
}

fn colours(state: &AppState) -> Vec<Color> {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|frame| brevo_users::tui::view::render(frame, state, &Keymap::default()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    buffer
        .content()
        .iter()
        .flat_map(|cell| [cell.fg, cell.bg])
        .filter(|c| *c != Color::Reset)
        .collect()
}

/// Screens that between them use every style of the theme.
fn styled_screens(theme: ThemeName) -> Vec<AppState> {
    let mut states = Vec::new();
    let mut browsing = loaded(120, 40, 88);
    show_permissions(&mut browsing, "ops@acme.test", Ok(ops_grants()));
    states.push(browsing.clone());
    let mut demo = loaded(120, 40, 12);
    demo.context.demo = true;
    demo.context.read_only = true;
    press(&mut demo, Command::Revoke);
    states.push(demo);
    let mut confirm = loaded(80, 24, 88);
    press(&mut confirm, Command::Down);
    press(&mut confirm, Command::Revoke);
    states.push(confirm);
    let mut form = loaded(120, 40, 88);
    press(&mut form, Command::Invite);
    states.push(form);
    for state in &mut states {
        state.settings.theme = theme;
    }
    states
}

#[test]
fn the_default_theme_uses_the_16_ansi_colours_only() {
    for state in styled_screens(ThemeName::Default) {
        let used = colours(&state);
        assert!(!used.is_empty(), "the default theme has colours");
        for colour in used {
            assert!(
                !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
                "{colour:?} is not one of the 16 ANSI colours"
            );
        }
    }
}

#[test]
fn the_mono_theme_draws_without_a_single_colour() {
    for state in styled_screens(ThemeName::Mono) {
        assert_eq!(colours(&state), Vec::new());
    }
    let mut state = loaded(80, 24, 88);
    state.settings.theme = ThemeName::Mono;
    while state.view.selected.as_deref() != Some("ops@acme.test") {
        press(&mut state, Command::Down);
    }
    press(&mut state, Command::Revoke);
    assert_snapshot!("mono_confirm_80x24", screen_with_styles(&state));
}

#[test]
fn a_bad_key_binding_stops_the_start_with_file_line_and_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, "theme = \"mono\"\n[keys]\nrevoke = \"r\"\n").unwrap();
    let output = assert_cmd::Command::cargo_bin("brevo-users")
        .unwrap()
        .arg("--demo")
        .env("BREVO_USERS_CONFIG", &file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", file.display())) && stderr.contains("resend"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("needs a terminal"),
        "checked first: {stderr}"
    );
}
