//! The event loop's side of `F` and `O`, on `crate::everywhere` (the same
//! module as the CLI's `find` and `offboard`): the keys of the profiles one
//! at a time — the terminal given back meanwhile when one may ask
//! something, as for the profile switch — then every account in parallel,
//! each answer sent to the loop as it comes.

use color_eyre::eyre::{Result, WrapErr};
use ratatui::Terminal;
use tokio::sync::mpsc::UnboundedSender;

use crate::brevo::Client;
use crate::connect::Reconnect;
use crate::everywhere::{
    AccountError, Connector, Plan, Presence, ReadOnlyReason, Target, execute, plan, presence_all,
};

use super::action::Action;
use super::terminal::{DashboardBackend, clear_without_round_trip};

/// Where the accounts' clients come from, and the targets of the latest
/// lookup (so that `O` asks for no key again).
pub struct Accounts {
    /// The demo's accounts (in-process mocks), by profile.
    demo: Vec<(String, Client)>,
    latest: Option<(u64, Vec<Target>)>,
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

    /// A demo account as a target: read-only only by `--read-only`.
    fn demo_target(&self, profile: &str) -> Option<Target> {
        let client = self.demo_client(profile)?;
        Some(Target {
            profile: profile.to_owned(),
            read_only: client.is_read_only().then_some(ReadOnlyReason::Flag),
            client: Ok(client),
        })
    }

    /// Gets the keys of `profiles` one at a time, then starts the lookup
    /// of `email` in every account; answers go to `results`.
    pub async fn find<B>(
        &mut self,
        terminal: &mut Terminal<B>,
        reconnect: Option<&Reconnect>,
        (request, email, profiles): (u64, &str, &[String]),
        results: &UnboundedSender<Action>,
    ) -> Result<()>
    where
        B: DashboardBackend,
        B::Error: Send + Sync + 'static,
    {
        let connector =
            reconnect.map(|r| Connector::new(r.clone(), std::sync::Arc::clone(&r.config)));
        let asks = |name: &String| {
            self.demo_client(name).is_none()
                && connector.as_ref().is_some_and(|c| c.needs_terminal(name))
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
        let mut targets = Vec::with_capacity(profiles.len());
        for profile in profiles {
            let target = match (self.demo_target(profile), &connector) {
                (Some(target), _) => target,
                (None, Some(connector)) => connector.connect(profile).await,
                (None, None) => Target {
                    profile: profile.clone(),
                    read_only: None,
                    client: Err(AccountError {
                        kind: "config",
                        message: "no configuration to read it from".to_owned(),
                    }),
                },
            };
            targets.push(target);
        }
        if interactive {
            terminal
                .backend_mut()
                .retake()
                .wrap_err("taking the terminal again")?;
            clear_without_round_trip(terminal).wrap_err("redrawing after the keys")?;
        }
        let _ = results.send(Action::EverywhereConnected { request });
        let (sender, email, lookup) = (results.clone(), email.to_owned(), targets.clone());
        tokio::spawn(async move {
            presence_all(&lookup, &email, |presence| {
                let presence = presence.clone();
                let _ = sender.send(Action::EverywhereFound { request, presence });
            })
            .await;
        });
        self.latest = Some((request, targets));
        Ok(())
    }

    fn targets(&self, request: u64) -> Vec<Target> {
        self.latest
            .as_ref()
            .filter(|(latest, _)| *latest == request)
            .map(|(_, targets)| targets.clone())
            .unwrap_or_default()
    }

    /// Makes the offboarding plan (the module's reads and rules).
    pub fn plan(
        &self,
        request: u64,
        email: String,
        presences: Vec<Presence>,
        results: &UnboundedSender<Action>,
    ) {
        let (targets, results) = (self.targets(request), results.clone());
        tokio::spawn(async move {
            // The module pairs targets and presences by position.
            let targets: Vec<Target> = presences
                .iter()
                .filter_map(|p| targets.iter().find(|t| t.profile == p.profile).cloned())
                .collect();
            let plan = plan(&targets, &presences, &email).await;
            let _ = results.send(Action::EverywherePlanned { request, plan });
        });
    }

    /// Carries out the confirmed plan, each account's outcome as it comes.
    pub fn offboard(&self, request: u64, plan: Plan, results: &UnboundedSender<Action>) {
        let (targets, results) = (self.targets(request), results.clone());
        tokio::spawn(async move {
            execute(&targets, &plan, |outcome| {
                let outcome = outcome.clone();
                let _ = results.send(Action::EverywhereOffboarded { request, outcome });
            })
            .await;
        });
    }
}
