//! The event loop's side of `F` and `O`: the keys of the profiles one at a
//! time (the terminal given back meanwhile when one may ask something, as
//! for the profile switch), then every account in parallel, at most
//! [`PARALLEL`] at once, each task answering for its account alone.
//!
//! Interim: the per-account lookup and offboarding here stand in for
//! `crate::everywhere` (the find-offboard module that the CLI uses too);
//! once it lands, these tasks call it.

use std::collections::HashMap;
use std::sync::Arc;

use color_eyre::eyre::{Result, WrapErr};
use ratatui::Terminal;
use tokio::sync::Semaphore;
use tokio::sync::mpsc::UnboundedSender;

use crate::brevo::{Change, Client, Reconciliation};
use crate::connect::Reconnect;

use super::action::Action;
use super::messages::explain_error;
use super::profile_switch::explain_connect_error;
use super::state::presence::{Outcome, Step, decide};
use super::terminal::{DashboardBackend, clear_without_round_trip};

/// Accounts read or changed at once.
pub const PARALLEL: usize = 8;

/// Where the accounts' clients come from, and those of the latest lookup
/// (so that `O` asks for no key again).
#[derive(Default)]
pub struct Accounts {
    /// The demo's accounts (in-process mocks), by profile.
    pub demo: Vec<(String, Client)>,
    latest: Option<(u64, HashMap<String, Client>)>,
}

impl Accounts {
    pub fn new(demo: Vec<(String, Client)>) -> Self {
        Self { demo, latest: None }
    }

    pub fn demo_client(&self, profile: &str) -> Option<Client> {
        self.demo
            .iter()
            .find(|(name, _)| name == profile)
            .map(|(_, client)| client.clone())
    }

    /// Gets the keys of `profiles` one at a time, reporting each through
    /// `report`, then starts one lookup of `email` per account reached.
    #[allow(clippy::too_many_arguments)]
    pub async fn find<B>(
        &mut self,
        terminal: &mut Terminal<B>,
        reconnect: Option<&Reconnect>,
        request: u64,
        email: &str,
        profiles: &[String],
        mut report: impl FnMut(Action),
        results: &UnboundedSender<Action>,
    ) -> Result<()>
    where
        B: DashboardBackend,
        B::Error: Send + Sync + 'static,
    {
        let asks = |name: &String| {
            self.demo_client(name).is_none() && reconnect.is_some_and(|r| r.needs_terminal(name))
        };
        let interactive = profiles.iter().any(asks);
        if interactive {
            let note = format!(
                "looking for {email} in every account: getting the API keys, one profile at a time…"
            );
            let note = crate::brevo::sanitize::sanitize(&note).into_owned();
            terminal
                .backend_mut()
                .release(&note)
                .wrap_err("giving the terminal back")?;
        }
        let mut clients = HashMap::new();
        for profile in profiles {
            let result = match (self.demo_client(profile), reconnect) {
                (Some(client), _) => Ok(client),
                (None, Some(reconnect)) => reconnect
                    .to(profile)
                    .await
                    .map(|connection| connection.client)
                    .map_err(explain_connect_error),
                (None, None) => Err("no configuration to read it from".to_owned()),
            };
            if let Ok(client) = &result {
                clients.insert(profile.clone(), client.clone());
            }
            report(Action::EverywhereKey {
                request,
                profile: profile.clone(),
                result: result.map(|_| ()),
            });
        }
        if interactive {
            terminal
                .backend_mut()
                .retake()
                .wrap_err("taking the terminal again")?;
            clear_without_round_trip(terminal).wrap_err("redrawing after the keys")?;
        }
        let gate = Arc::new(Semaphore::new(PARALLEL));
        for (profile, client) in &clients {
            let (gate, results) = (Arc::clone(&gate), results.clone());
            let (profile, client, email) = (profile.clone(), client.clone(), email.to_owned());
            tokio::spawn(async move {
                let _permit = gate.acquire().await;
                let result = match client.list_users().await {
                    Ok(users) => Ok(decide(&users, &email, client.is_read_only())),
                    Err(error) => Err(explain_error(&error)),
                };
                let _ = results.send(Action::EverywhereFound {
                    request,
                    profile,
                    result,
                });
            });
        }
        self.latest = Some((request, clients));
        Ok(())
    }

    /// Carries out `plan` in parallel with the clients of lookup `request`.
    pub fn offboard(
        &self,
        request: u64,
        email: &str,
        plan: Vec<(String, Step)>,
        results: &UnboundedSender<Action>,
    ) {
        let gate = Arc::new(Semaphore::new(PARALLEL));
        for (profile, step) in plan {
            let client = self
                .latest
                .as_ref()
                .filter(|(latest, _)| *latest == request)
                .and_then(|(_, clients)| clients.get(&profile).cloned());
            let (gate, results, email) = (Arc::clone(&gate), results.clone(), email.to_owned());
            tokio::spawn(async move {
                let _permit = gate.acquire().await;
                let outcome = match (client, step.change(&email)) {
                    (Some(client), Some(change)) => carry_out(&client, step, change).await,
                    (None, _) => Outcome::Failed("the account was not reached".to_owned()),
                    (_, None) => Outcome::Skipped("nothing to send".to_owned()),
                };
                let _ = results.send(Action::EverywhereOffboarded {
                    request,
                    profile,
                    outcome,
                });
            });
        }
    }
}

/// One account's revoke or cancel; an unclear failure is reconciled (Brevo
/// is asked whether it took effect), never sent again.
async fn carry_out(client: &Client, step: Step, change: Change) -> Outcome {
    match change.apply(client).await {
        Ok(outcome) => Outcome::Done {
            step,
            credit_notes: outcome.credit_notes,
        },
        Err(error) if error.status() == Some(404) => Outcome::AlreadyGone,
        Err(error) if error.is_unclear() => match change.reconcile(client, &error).await {
            Ok(Reconciliation::AlreadyDone) => Outcome::Done {
                step,
                credit_notes: Vec::new(),
            },
            Ok(found) => Outcome::Failed(found.sentence(&change)),
            Err(again) => Outcome::Failed(format!(
                "{}; whether it took effect could not be read: {}",
                explain_error(&error),
                explain_error(&again)
            )),
        },
        Err(error) => Outcome::Failed(explain_error(&error)),
    }
}
