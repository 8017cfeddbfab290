//! One key at a time across connections made at once: each waits for its
//! turn before getting its key (a key command may ask for a passphrase,
//! and two prompts cannot share a terminal), while building the clients
//! does not wait. Connections taking turns are meant to be polled on the
//! caller's task, not spawned: a prompt then runs where a single
//! connection's would (the commands hold stderr's lock on that thread).

use tokio::sync::{Mutex, MutexGuard};

pub struct KeyTurn {
    lock: Mutex<()>,
    announce: Box<dyn Fn(&str) + Send + Sync>,
}

impl KeyTurn {
    /// `announce` hears the profile's name when its turn comes.
    pub fn new(announce: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Self {
            lock: Mutex::new(()),
            announce: Box::new(announce),
        }
    }

    /// Waits for `profile`'s turn; the turn lasts as long as the guard.
    pub async fn take(&self, profile: &str) -> MutexGuard<'_, ()> {
        let turn = self.lock.lock().await;
        (self.announce)(profile);
        turn
    }
}
