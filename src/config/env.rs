//! The environment as the configuration reads it. Injected everywhere as a
//! function, so that tests never need `set_var` (which races with other
//! threads) to describe an environment.

use std::sync::Arc;

/// Reads one environment variable. `Sync`, so that a connection can be
/// made from the dashboard's loop.
pub type EnvLookup<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// An environment kept for later (the dashboard's profile switcher).
pub type SharedEnv = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The process environment, for `main`.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}
