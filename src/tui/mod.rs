//! The dashboard: a keyboard-driven view of who has access to the account.
//!
//! Elm-style: the event loop owns [`AppState`]; every key, API result and
//! timer is an [`Action`] fed to the pure [`update`], which returns
//! [`Effect`]s that the [`worker`] runs on the shared client.

mod accounts;
pub mod action;
pub mod command;
pub mod demo;
pub mod event_loop;
pub mod form;
pub mod keymap;
pub mod messages;
mod profile_switch;
pub mod state;
mod terminal;
pub mod update;
pub mod view;
pub mod worker;

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use color_eyre::eyre::{Result, WrapErr};
use crossterm::event::EventStream;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::config::ThemeName;
use crate::connect::{Connection, Reconnect};
use demo::{DEMO_PROFILES, DemoAccounts};

pub use action::{Action, Command, Effect};
pub use event_loop::LoopConfig;
pub use keymap::Keymap;
pub use state::{AppState, Context, Profiles, Settings};
pub use terminal::DashboardBackend;
pub use update::update;
pub use view::theme::chosen as chosen_theme;

/// Refuses to open the dashboard without a terminal on both ends.
pub fn check_terminal() -> Result<(), String> {
    if io::stdout().is_terminal() && io::stdin().is_terminal() {
        return Ok(());
    }
    Err(
        "The dashboard needs a terminal: standard input and output must both be one.\n\
         For scripts and pipes use the commands instead (see `brevo-users --help`)."
            .to_owned(),
    )
}

/// How the dashboard is set up beyond its connection: read from the
/// configuration and checked before the terminal is taken.
pub struct Launch {
    pub keymap: Keymap,
    pub theme: ThemeName,
    /// The configuration's profiles, by name.
    pub profiles: Vec<String>,
    /// `BREVO_API_KEY` is set (it wins over every profile's key source).
    pub key_from_env: bool,
    pub reconnect: Option<Reconnect>,
    /// `--demo`: the demo's accounts, one per demo profile (`F`, `O` and
    /// `P` work across them); `None` otherwise.
    pub demo: Option<DemoAccounts>,
}

/// The state the dashboard starts from on this connection.
pub fn initial_state(connection: &Connection, launch: &Launch, settings: Settings) -> AppState {
    let context = Context {
        host: connection.client.host(),
        read_only: connection.client.is_read_only(),
        demo: connection.demo.is_some(),
        config_warnings: connection.warnings.clone(),
    };
    let settings = Settings {
        theme: launch.theme,
        ..settings
    };
    let mut state = AppState::new(context, settings);
    state.presets = connection.presets.clone();
    let (names, active) = match &launch.demo {
        Some(_) => (
            DEMO_PROFILES.map(str::to_owned).to_vec(),
            Some(DEMO_PROFILES[0].to_owned()),
        ),
        None => (launch.profiles.clone(), connection.profile.clone()),
    };
    state.profiles = Profiles {
        names,
        active,
        generation: 0,
        key_from_env: launch.key_from_env,
    };
    state
}

/// Runs the dashboard on the real terminal until the user quits.
/// Call [`check_terminal`] first.
pub async fn run(connection: Connection, launch: Launch) -> Result<ExitCode> {
    let state = initial_state(&connection, &launch, Settings::default());
    // `connection.demo` keeps the demo's mock server alive until we return.
    let Connection { client, demo, .. } = connection;
    let _demo = demo;
    terminal::install_panic_hook();
    let suspend_requests =
        terminal::install_signal_handlers().wrap_err("installing signal handlers")?;
    let mut stdout = io::stdout();
    terminal::enter(&mut stdout).wrap_err("setting up the terminal")?;
    let result = async {
        let mut screen = Terminal::new(CrosstermBackend::new(io::stdout()))
            .wrap_err("setting up the terminal")?;
        terminal::clear_without_round_trip(&mut screen).wrap_err("clearing the terminal")?;
        let mut config = LoopConfig::new(Box::new(io::stdout()));
        config.keymap = launch.keymap;
        config.reconnect = launch.reconnect;
        if let Some(demo) = &launch.demo {
            config.demo_accounts = demo.accounts.clone();
        }
        config.suspend_requests = Some(suspend_requests);
        event_loop::run(&mut screen, EventStream::new(), client, state, config).await
    }
    .await;
    terminal::restore();
    result.map(|_| ExitCode::SUCCESS)
}
