//! Changes sent and not answered yet: the one record of them. A change
//! enters when it is sent, moves to "checking" when its answer was unclear
//! and Brevo is asked whether it took effect, and leaves in exactly one
//! place — when the answer to its last request arrives (`update/mod.rs`).

use crate::brevo::Change;

/// Who waits for the answer: the open form shows it inside itself; the
/// list's changes (resend, cancel, revoke) answer with a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiter {
    Form,
    List,
    /// A bulk action's (or an undo's) run, one change at a time.
    Bulk,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Sent; no answer yet. A second submit is refused.
    Sending,
    /// No clear answer came; Brevo is asked whether the change took effect.
    /// `lost` says how the answer was lost (absent when the admin asked to
    /// check again).
    Checking { lost: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flight {
    pub change: Change,
    pub stage: Stage,
    pub waiter: Waiter,
}

#[derive(Clone, Debug, Default)]
pub struct InFlight {
    flights: Vec<Flight>,
}

impl InFlight {
    /// A change goes out.
    pub fn sent(&mut self, change: Change, waiter: Waiter) {
        self.begin(change, Stage::Sending, waiter);
    }

    /// A check of whether `change` took effect goes out.
    pub fn checking(&mut self, change: Change, lost: Option<String>, waiter: Waiter) {
        self.begin(change, Stage::Checking { lost }, waiter);
    }

    fn begin(&mut self, change: Change, stage: Stage, waiter: Waiter) {
        self.flights.push(Flight {
            change,
            stage,
            waiter,
        });
    }

    /// The answer to `change` (or to its check) arrived: it leaves the
    /// record here and nowhere else. `None` for an answer nobody waits for.
    pub fn answered(&mut self, change: &Change) -> Option<Flight> {
        let i = self.flights.iter().position(|f| f.change == *change)?;
        Some(self.flights.remove(i))
    }

    /// Whether a change to `email` has no answer yet.
    pub fn involves(&self, email: &str) -> bool {
        self.flights
            .iter()
            .any(|f| f.change.email().eq_ignore_ascii_case(email))
    }

    /// The form closed while its change was out: the answer no longer
    /// belongs to a form (a new one must not take it for its own), it is
    /// told as the list's changes are.
    pub fn form_closed(&mut self) {
        for flight in &mut self.flights {
            if flight.waiter == Waiter::Form {
                flight.waiter = Waiter::List;
            }
        }
    }

    /// What the form waits for, if anything.
    pub fn of_form(&self) -> Option<&Flight> {
        self.flights.iter().find(|f| f.waiter == Waiter::Form)
    }

    pub fn is_empty(&self) -> bool {
        self.flights.is_empty()
    }

    /// Another account: nothing of this one is waited for any more.
    pub fn clear(&mut self) {
        self.flights.clear();
    }
}
