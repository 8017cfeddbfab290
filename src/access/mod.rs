//! Access as code (issue 13): the desired-state file, the live state it is
//! compared with, the snapshot writer, the plan and the drift report.
//!
//! Everything here is pure: no I/O, no network, no terminal. The commands
//! (`snapshot`, `plan`, `apply`, `diff`) read the account and the files and
//! hand them to these functions; they print what comes back.
//!
//! | module | holds |
//! |---|---|
//! | [`file`] | `AccessFile`, `Entry`, `Desired`, `FileError`; [`file::parse`] |
//! | [`live`] | `LiveState`, `LiveUser`, `Reading`: what the account showed |
//! | [`write`] | the snapshot file, and any `AccessFile` written back |
//! | [`plan`] | `Plan`, `Step`, `Action`: what apply would do, in JSON too |
//! | [`diff`] | two files compared per user and feature; text, markdown, json |

pub mod diff;
mod diff_render;
pub mod file;
mod guards;
mod json;
pub mod live;
mod parse;
pub mod plan;
mod plan_build;
mod plan_refusal;
mod seat_needs;
pub mod write;

pub use diff::{AccessDiff, UserAccess, UserChange, diff};
pub use file::{AccessFile, Desired, Entry, FileError, parse};
pub use live::{LiveState, LiveUser, Reading};
pub use plan::{Action, Basis, Plan, PlanOptions, PlanRefusal, PlannedFrom, Step, plan};
pub use write::{render, render_file};

#[cfg(test)]
mod tests;
