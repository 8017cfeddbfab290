//! The desired-state file (`access.toml`) as data, and [`parse`]. The
//! types are in `file_types.rs`, the reader in `parse.rs`.

pub use super::file_types::*;
pub use super::parse::parse;
