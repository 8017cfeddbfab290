//! The dashboard: a keyboard-driven view of who has access to the account.
//!
//! Elm-style: the event loop owns [`AppState`]; every key, API result and
//! timer is an [`Action`] fed to the pure [`update`], which returns
//! [`Effect`]s that the [`worker`] runs on the shared client.

pub mod action;
pub mod event_loop;
pub mod form;
pub mod keymap;
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

use crate::brevo::Client;

pub use action::{Action, Command, Effect};
pub use event_loop::{DashboardBackend, LoopConfig};
pub use keymap::Keymap;
pub use state::{AppState, Context, Settings};
pub use update::update;

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

/// Runs the dashboard on the real terminal until the user quits.
/// Call [`check_terminal`] first.
pub async fn run(client: Client, demo: bool) -> Result<ExitCode> {
    let context = Context {
        host: client.host(),
        read_only: client.is_read_only(),
        demo,
    };
    let state = AppState::new(context, Settings::default());
    terminal::install_panic_hook();
    terminal::install_signal_handlers().wrap_err("installing signal handlers")?;
    let mut stdout = io::stdout();
    terminal::enter(&mut stdout).wrap_err("setting up the terminal")?;
    let result = async {
        let mut screen = Terminal::new(CrosstermBackend::new(io::stdout()))
            .wrap_err("setting up the terminal")?;
        event_loop::clear_without_round_trip(&mut screen).wrap_err("clearing the terminal")?;
        let config = LoopConfig::new(Box::new(io::stdout()));
        event_loop::run(&mut screen, EventStream::new(), client, state, config).await
    }
    .await;
    terminal::restore();
    result.map(|_| ExitCode::SUCCESS)
}
