//! Runs API and timer effects as tokio tasks on the one shared `Client`;
//! each task sends exactly one result action back. No state is shared with
//! the event loop except through that channel. A worker serves one
//! profile: its API results carry that profile's generation, so that
//! answers still arriving after a switch are recognised and dropped.

use tokio::sync::mpsc::UnboundedSender;
use tracing::Instrument;

use crate::brevo::Client;

use super::action::{Action, Effect};

#[derive(Clone)]
pub struct Worker {
    client: Client,
    results: UnboundedSender<Action>,
    generation: u64,
}

impl Worker {
    /// The worker of the profile the dashboard starts on (generation 0).
    pub fn new(client: Client, results: UnboundedSender<Action>) -> Self {
        Self {
            client: journaled(&client, &results),
            results,
            generation: 0,
        }
    }

    /// The worker of the profile switched to; tasks of this one finish on
    /// their own and their results are dropped.
    pub fn for_profile(&self, client: Client, generation: u64) -> Self {
        Self {
            client: journaled(&client, &self.results),
            results: self.results.clone(),
            generation,
        }
    }

    /// Where results are sent (the Everywhere tasks answer there too).
    pub fn results(&self) -> UnboundedSender<Action> {
        self.results.clone()
    }

    /// Starts the effect in its own task. Terminal effects (copy, suspend,
    /// quit) belong to the event loop and are ignored here.
    pub fn spawn(&self, effect: Effect) {
        let client = self.client.clone();
        let results = self.results.clone();
        let generation = self.generation;
        // The kind only: the effect holds emails and the change's grants.
        let span = tracing::debug_span!("effect", kind = effect_kind(&effect));
        tokio::spawn(
            async move {
                if let Some(action) = perform(&client, effect, generation).await {
                    // The loop may be gone (quitting): nothing to tell then.
                    let _ = results.send(action);
                }
            }
            .instrument(span),
        );
    }
}

/// The client reporting each exchange to the journal, as an action.
fn journaled(client: &Client, results: &UnboundedSender<Action>) -> Client {
    let results = results.clone();
    client.observed_by(std::sync::Arc::new(move |record| {
        let _ = results.send(Action::Exchange(record));
    }))
}

/// What the log may say about an effect.
fn effect_kind(effect: &Effect) -> &'static str {
    match effect {
        Effect::LoadUsers { .. } => "load_users",
        Effect::LoadAccount { .. } => "load_account",
        Effect::FetchPermissions { .. } => "fetch_permissions",
        Effect::Apply(_) => "apply",
        Effect::Reconcile(..) => "reconcile",
        Effect::After { .. } => "timer",
        Effect::CopyToClipboard(_) => "copy",
        Effect::Suspend => "suspend",
        Effect::SwitchProfile { .. } => "switch_profile",
        Effect::FindEverywhere { .. } => "find_everywhere",
        Effect::PlanEverywhere { .. } => "plan_everywhere",
        Effect::OffboardEverywhere { .. } => "offboard_everywhere",
        Effect::Quit => "quit",
    }
}

async fn perform(client: &Client, effect: Effect, generation: u64) -> Option<Action> {
    let tagged = |action: Action| {
        Some(Action::FromProfile {
            generation,
            action: Box::new(action),
        })
    };
    let result = match effect {
        Effect::LoadUsers { request } => {
            let result = client.list_users().await;
            Action::UsersLoaded {
                request,
                result,
                rate: client.rate_limit(),
                at: std::time::SystemTime::now(),
            }
        }
        Effect::LoadAccount { request } => {
            let result = client.account().await;
            Action::AccountLoaded {
                request,
                result,
                rate: client.rate_limit(),
            }
        }
        Effect::FetchPermissions { email, request } => {
            let result = client.user_permissions(&email).await;
            Action::PermissionsLoaded {
                email,
                request,
                result,
                rate: client.rate_limit(),
            }
        }
        Effect::Apply(change) => {
            let result = change.apply(client).await;
            Action::ChangeApplied {
                change,
                result,
                rate: client.rate_limit(),
            }
        }
        Effect::Reconcile(change, lost) => {
            let result = change.reconcile(client, lost).await;
            Action::Reconciled {
                change,
                result,
                rate: client.rate_limit(),
            }
        }
        // Timers belong to the screen, not to an account: never dropped.
        Effect::After { delay, action } => {
            tokio::time::sleep(delay).await;
            return Some(action.into());
        }
        Effect::CopyToClipboard(_)
        | Effect::Suspend
        | Effect::SwitchProfile { .. }
        | Effect::FindEverywhere { .. }
        | Effect::PlanEverywhere { .. }
        | Effect::OffboardEverywhere { .. }
        | Effect::Quit => return None,
    };
    tagged(result)
}
