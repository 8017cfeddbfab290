//! The configuration in the dashboard: key overrides in the real loop and
//! in what the help and the footer say; a switch between two profiles on
//! two mocks; the mono theme.

use std::path::Path;
use std::sync::Arc;

use brevo_users::brevo::Change;
use brevo_users::cli::GlobalOptions;
use brevo_users::config::{Config, ThemeName};
use brevo_users::connect::{Reconnect, connect_with};
use brevo_users::mock::{MockOptions, MockServer, MockUser, Seed};
use brevo_users::tui::Command;
use brevo_users::tui::event_loop::LoopConfig;
use brevo_users::tui::state::{Confirmed, Modal};
use brevo_users::tui::{Keymap, Launch, initial_state};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::common::{Captured, Harness, client_for, fast, seed, settings, toast};

fn no_env(_: &str) -> Option<String> {
    None
}

fn config(text: &str) -> Config {
    Config::parse(text, Path::new("/tmp/brevo-users-test.toml"), &no_env).unwrap()
}

fn draw(state: &brevo_users::tui::AppState, keymap: &Keymap) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| brevo_users::tui::view::render(f, state, keymap))
        .unwrap();
    terminal.backend().to_string()
}

#[tokio::test]
async fn a_key_override_changes_what_revokes_and_what_the_help_says() {
    let keymap = Keymap::from_config(&config("[keys]\nrevoke = \"D\"\n")).unwrap();
    let server = MockServer::start(MockOptions {
        seed: seed(),
        ..MockOptions::default()
    })
    .await
    .unwrap();
    let client = client_for(&server, "test-key");
    let state = brevo_users::tui::AppState::new(Default::default(), settings());
    let mut loop_config = LoopConfig::new(Box::new(Captured::default()));
    loop_config.keymap = keymap.clone();
    let mut h = Harness::run(
        server,
        client,
        state,
        loop_config,
        TestBackend::new(120, 40),
    );
    h.loaded().await;
    h.select("ops@acme.test").await;

    // x no longer revokes: the help that follows it opens over nothing.
    h.send(KeyCode::Char('x'));
    h.send(KeyCode::Char('?'));
    let state = h
        .until("the help", |s| matches!(s.modal(), Some(Modal::Help(_))))
        .await;
    let screen = draw(&state, &keymap);
    assert!(screen.contains("D          revoke access"), "{screen}");
    assert!(!screen.contains("x          revoke access"), "{screen}");

    h.send(KeyCode::Esc);
    h.until("the help closed", |s| s.modal().is_none()).await;
    let screen = draw(&h.until("idle", |s| s.modal().is_none()).await, &keymap);
    assert!(
        screen.contains(" D revoke "),
        "the footer shows D: {screen}"
    );

    h.send(KeyCode::Char('D'));
    h.until("the revoke dialog", |s| {
        matches!(s.modal(), Some(Modal::Confirm(c))
            if c.what == Confirmed::Apply(Change::Revoke("ops@acme.test".into())))
    })
    .await;
    h.finish().await;
}

fn org(domain: &str) -> Seed {
    Seed {
        seat_billing: true,
        account: None,
        users: vec![
            MockUser::owner(format!("founder@{domain}")),
            MockUser::active(format!("ops@{domain}")).with_privilege("contacts", &["view"]),
        ],
    }
}

async fn mock(domain: &str, key: &str) -> MockServer {
    MockServer::start(MockOptions {
        seed: org(domain),
        api_key: Some(key.to_owned()),
        ..MockOptions::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn switching_profiles_shows_the_other_organization() {
    let first = mock("first.test", "k1").await;
    let second = mock("second.test", "k2").await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("second.key");
    std::fs::write(&key_file, "k2\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let text = format!(
        "default_profile = \"first\"\n\
         [profiles.first]\napi_url = \"{}\"\napi_key_command = [\"printf\", \"%s\", \"k1\"]\n\
         [profiles.broken]\napi_url = \"{}\"\napi_key_command = [\"false\"]\n\
         [profiles.second]\napi_url = \"{}\"\napi_key_file = \"{}\"\nread_only = true\n\
         [profiles.second.presets.support]\ngrants = {{ contacts = [\"view\"] }}\n",
        first.base_url(),
        second.base_url(),
        second.base_url(),
        key_file.display()
    );
    let config = Arc::new(config(&text));
    let options = GlobalOptions::default();
    let connection = connect_with(&options, &config, &no_env, None, fast)
        .await
        .unwrap();
    let launch = Launch {
        keymap: Keymap::default(),
        theme: ThemeName::Default,
        profiles: config.profiles.keys().cloned().collect(),
        key_from_env: false,
        reconnect: Some(
            Reconnect::new(&options, config.clone(), Arc::new(no_env), false).tuned(fast),
        ),
    };
    let state = initial_state(&connection, &launch, settings());
    let client = connection.client.clone();
    let mut loop_config = LoopConfig::new(Box::new(Captured::default()));
    loop_config.reconnect = launch.reconnect;
    let mut h = Harness::run(first, client, state, loop_config, TestBackend::new(120, 40));
    let state = h.loaded().await;
    assert!(
        state
            .list
            .users
            .iter()
            .all(|u| u.email.ends_with("@first.test"))
    );
    assert_eq!(state.profiles.active.as_deref(), Some("first"));

    // Profiles are listed by name: broken, first, second.
    h.send(KeyCode::Char('P'));
    h.until("the switcher", |s| {
        matches!(s.modal(), Some(Modal::Profiles(_)))
    })
    .await;
    h.send(KeyCode::Up);
    h.send(KeyCode::Enter);
    let state = h
        .until("the failed switch", |s| {
            toast(s).contains("could not switch")
        })
        .await;
    assert!(
        toast(&state).contains("still on first"),
        "{}",
        toast(&state)
    );
    assert_eq!(state.profiles.active.as_deref(), Some("first"));
    assert!(
        state
            .list
            .users
            .iter()
            .all(|u| u.email.ends_with("@first.test"))
    );

    h.send(KeyCode::Char('P'));
    h.until("the switcher", |s| {
        matches!(s.modal(), Some(Modal::Profiles(_)))
    })
    .await;
    h.send(KeyCode::Down);
    h.send(KeyCode::Enter);
    let state = h
        .until("the second organization", |s| {
            s.profiles.active.as_deref() == Some("second") && s.list.loaded_once() && !s.busy()
        })
        .await;
    let emails: Vec<&str> = state.list.users.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(emails.len(), 2, "{emails:?}");
    assert!(
        emails.iter().all(|e| e.ends_with("@second.test")),
        "{emails:?}"
    );
    assert!(
        state.context.read_only,
        "read-only comes from the new profile"
    );
    assert!(state.presets.iter().any(|p| p.id == "support"));
    assert_eq!(state.profiles.generation, 1);
    let header = draw(&state, &Keymap::default());
    assert!(
        header.lines().next().unwrap().contains("second"),
        "{header}"
    );
    drop(second);
    h.finish().await;
}

#[test]
fn the_readme_lists_every_command_name_and_no_other() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("<!-- commands:")
        .expect("the README's command table");
    let end = readme[start..].find("<!-- /commands -->").unwrap() + start;
    let listed: Vec<&str> = readme[start..end]
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    let known: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(
        listed, known,
        "README's [keys] command table is out of date"
    );
}

/// The log at its most talkative names routes, never the people acted on.
#[tokio::test]
async fn a_trace_log_of_a_revoke_names_the_route_not_the_email() {
    use super::common::Captured;
    use tracing_subscriber::EnvFilter;

    // A subscriber for the whole test binary: a thread's own one loses to
    // the interest other tests' threads cache meanwhile. Whatever any test
    // logs lands here, and none of it may hold an email either.
    let log = Captured::default();
    let sink = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("brevo_users=trace"))
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only test that logs");
    let mut h = super::common::Harness::start(seed()).await;
    h.loaded().await;
    h.select("ops@acme.test").await;
    h.send(KeyCode::Char('x'));
    h.until("the dialog", |s| s.modal().is_some()).await;
    h.send(KeyCode::Char('y'));
    h.until_mock("the member gone", |m| m.user("ops@acme.test").is_none())
        .await;
    h.until("idle", |s| !s.busy()).await;
    h.finish().await;
    let text = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    assert!(
        text.contains("effect{kind=\"apply\"}") || text.contains("effect{kind=apply}"),
        "{text}"
    );
    assert!(
        text.contains("/organization/user/invitation/revoke/{email}"),
        "{text}"
    );
    assert!(!text.contains("ops@acme.test"), "{text}");
}
