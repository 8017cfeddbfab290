//! Runs API and timer effects as tokio tasks on the one shared `Client`;
//! each task sends exactly one result action back. No state is shared with
//! the event loop except through that channel.

use tokio::sync::mpsc::UnboundedSender;
use tracing::Instrument;

use crate::brevo::Client;

use super::action::{Action, Effect};

#[derive(Clone)]
pub struct Worker {
    client: Client,
    results: UnboundedSender<Action>,
}

impl Worker {
    pub fn new(client: Client, results: UnboundedSender<Action>) -> Self {
        Self { client, results }
    }

    /// Starts the effect in its own task. Terminal effects (copy, suspend,
    /// quit) belong to the event loop and are ignored here.
    pub fn spawn(&self, effect: Effect) {
        let client = self.client.clone();
        let results = self.results.clone();
        let span = tracing::debug_span!("effect", ?effect);
        tokio::spawn(
            async move {
                if let Some(action) = perform(&client, effect).await {
                    // The loop may be gone (quitting): nothing to tell then.
                    let _ = results.send(action);
                }
            }
            .instrument(span),
        );
    }
}

async fn perform(client: &Client, effect: Effect) -> Option<Action> {
    Some(match effect {
        Effect::LoadUsers { request } => {
            let result = client.list_users().await;
            Action::UsersLoaded {
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
        Effect::Reconcile(change) => {
            let result = change.reconcile(client).await;
            Action::Reconciled {
                change,
                result,
                rate: client.rate_limit(),
            }
        }
        Effect::After { delay, action } => {
            tokio::time::sleep(delay).await;
            action.into()
        }
        Effect::CopyToClipboard(_) | Effect::Suspend | Effect::Quit => return None,
    })
}
