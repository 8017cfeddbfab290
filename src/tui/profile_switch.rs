//! Switching profile from the dashboard: connecting to the new account,
//! with the terminal handed back while its key is fetched when that may
//! ask something (a passphrase for `pass`, the hidden prompt).

use color_eyre::eyre::{Result, WrapErr};
use ratatui::Terminal;

use crate::brevo::Client;
use crate::connect::{ConnectError, Connection, Reconnect};

use super::state::ProfileFacts;
use super::terminal::{DashboardBackend, clear_without_round_trip};

/// Connects to the profile, with the terminal given back meanwhile when
/// getting its key may ask something (a passphrase, the key itself). A
/// failure is an answer, not an error: the dashboard stays where it was.
pub(super) async fn switch_profile<B>(
    terminal: &mut Terminal<B>,
    reconnect: Option<Reconnect>,
    name: &str,
) -> Result<(Result<ProfileFacts, String>, Option<Client>)>
where
    B: DashboardBackend,
    B::Error: Send + Sync + 'static,
{
    let Some(reconnect) = reconnect else {
        return Ok((Err("no configuration to read it from".to_owned()), None));
    };
    let interactive = reconnect.needs_terminal(name);
    if interactive {
        let note = format!("switching to profile {name}: getting its API key…");
        terminal
            .backend_mut()
            .release(&note)
            .wrap_err("giving the terminal back")?;
    }
    let outcome = reconnect.to(name).await;
    if interactive {
        terminal
            .backend_mut()
            .retake()
            .wrap_err("taking the terminal again")?;
        clear_without_round_trip(terminal).wrap_err("redrawing after the switch")?;
    }
    Ok(match outcome {
        Ok(connection) => (Ok(facts(&connection)), Some(connection.client)),
        Err(error) => (Err(explain_connect_error(error)), None),
    })
}

/// Why a profile could not be reached, in one sentence (the switch and
/// the Everywhere view say it alike).
pub(super) fn explain_connect_error(error: ConnectError) -> String {
    match error {
        ConnectError::NoKey => {
            "no API key: give the profile an api_key_command or api_key_file".to_owned()
        }
        error => error.to_string(),
    }
}

/// What the state learns of a new connection (the client goes to the worker).
pub fn facts(connection: &Connection) -> ProfileFacts {
    ProfileFacts {
        host: connection.client.host(),
        read_only: connection.client.is_read_only(),
        presets: connection.presets.clone(),
    }
}
