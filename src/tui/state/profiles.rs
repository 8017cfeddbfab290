//! The configuration's profiles as the dashboard sees them: which one is
//! in force, and the generation that tells its API results from those of
//! the profile before.

use crate::brevo::presets::Preset;

#[derive(Clone, Debug, Default)]
pub struct Profiles {
    /// The configuration's profiles, by name (sorted, as the file's tables).
    pub names: Vec<String>,
    /// The profile in force; `None` when no profile was named.
    pub active: Option<String>,
    /// Bumped on every switch. API results come back tagged with the
    /// generation they were started under; older ones are dropped, so an
    /// answer from the previous account never lands in this one's list.
    pub generation: u64,
    /// `BREVO_API_KEY` is set: it wins over every profile's own source, so
    /// every profile is reached with that one key. The switcher says so.
    pub key_from_env: bool,
}

/// The switcher's list: `cursor` indexes `Profiles::names`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfilePicker {
    pub cursor: usize,
}

/// What changes with the profile, besides the client the worker holds.
#[derive(Clone, Debug)]
pub struct ProfileFacts {
    pub host: String,
    pub read_only: bool,
    /// The built-in presets plus the profile's own.
    pub presets: Vec<Preset>,
}
