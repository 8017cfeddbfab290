//! A Brevo-compatible mock of the user-management API (spec §4, §10), for
//! the demo, our tests, and anyone who scripts against Brevo offline.
//!
//! It speaks the wire format the spec describes — boolean `is_owner`, label
//! strings in the permissions answer, `{code, message}` errors, rate-limit
//! headers — built here by hand, independent of the client's wire types, so
//! that a client bug cannot hide behind a matching mock bug.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use brevo_users::mock::{MockOptions, MockServer};
//! let server = MockServer::start(MockOptions::default()).await?;
//! let base = server.base_url(); // http://127.0.0.1:PORT/v3
//! server.control().accept("new.hire@acme.test");
//! # Ok(()) }
//! ```

mod account;
mod connections;
mod control;
mod error;
mod faults;
mod log;
mod pipeline;
mod rate;
mod request;
mod response;
mod routes;
mod seed;
mod seed_account;
mod serve;
mod server;
mod state;

pub use connections::Limits;
pub use control::MockControl;
pub use faults::{Fault, FaultKind};
pub use log::{LoggedRequest, RequestLog};
pub use seed::{MockUser, Seed, SeedError, demo_seed, load_seed};
pub use seed_account::{SeedAccount, SeedPlan, SeedVertical};
pub use serve::{ServeError, ServeOptions, serve_cli};
pub use server::{MockOptions, MockServer};
