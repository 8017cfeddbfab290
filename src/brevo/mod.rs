//! The API core: typed client, wire models, the feature/permission
//! catalogue, errors and retry policy. Nothing here knows about terminals,
//! clap or axum, so every face of the program (dashboard, commands, tests,
//! benches) stands on the same ground.

pub mod account;
pub mod applicability;
mod builder;
pub mod catalog;
mod catalog_table;
pub mod change;
pub mod client;
pub mod endpoint;
pub mod error;
mod error_body;
pub mod escalation;
pub mod exchange;
pub mod grants;
pub mod model;
pub mod presets;
pub mod removal;
pub mod request;
pub mod retry;
pub mod sanitize;
pub mod seats;
pub mod summary;
mod transport;
pub mod validate;

pub use account::{Account, Seats, Vertical};
pub use applicability::{ChangeKind, NotApplicable};
pub use builder::ClientBuilder;
pub use change::{Change, LostAnswer, Reconciliation, stored_differences};
pub use client::Client;
pub use error::{ApiError, ErrorBody};
pub use escalation::Escalation;
pub use exchange::{ExchangeObserver, ExchangeRecord};
pub use grants::{FeatureChange, Grants};
pub use model::{ChangeOutcome, FeatureAccess, User, UserPermissions, UserStatus};
pub use presets::Preset;
pub use removal::{KnownPermissions, RemovalCheck, RemovalRefusal, RemovalWarning};
pub use request::AccessRequest;
pub use retry::RateLimit;
