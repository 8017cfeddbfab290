//! One person across every account of the configuration: where they have
//! access (`find`, the dashboard's Everywhere view) and removing them from
//! each (`offboard`). Knows no terminal and no clap; every face renders
//! what it returns and may follow it account by account through the
//! `on_each` callbacks, which are called as each account answers.
//!
//! The order is always the same: the keys are obtained one profile at a
//! time (an `api_key_command` may ask for a passphrase, and two prompts
//! cannot share a terminal) — [`Connector::connect_all`] builds the clients
//! meanwhile, [`Connector::connect_each`] does one profile after the other
//! for a face that hands the terminal over around each key — then every
//! account is asked at once, at most [`PARALLEL`] at a time
//! ([`presence_all`], [`read_permissions`], [`execute`]).
//!
//! What it costs (spec §7, about 100 requests an hour per account): one
//! list per account to find; to offboard, one permissions read per account
//! where the person is an active member (to know whether they hold *User
//! management*), then one change per account, and after an unclear failure
//! the reconcile's reads.

mod error;
mod execute;
mod fan_out;
mod offboard;
mod presence;
mod profiles;

pub use error::AccountError;
pub use execute::{AccountOutcome, Outcome, all_gone, execute};
pub use fan_out::PARALLEL;
pub use offboard::{Action, Plan, SkipReason, Step, decide, plan, read_permissions};
pub use presence::{Found, Presence, Status, presence_all, presence_of};
pub use profiles::{
    Connector, ReadOnlyReason, Selection, SelectionError, Target, env_key_in_force, select,
};

#[cfg(test)]
mod tests;
