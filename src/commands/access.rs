//! Access as code (issue 13): `snapshot`, `plan`, `apply FILE|PLAN.json`
//! and `diff`. The rules (the file, the plan, the diff, the exit code) are
//! `crate::access`'s; this is the face: reading the account, asking,
//! sending, saying.

use crate::brevo::{Client, Preset};
use crate::cli::{ApplyAccessArgs, DiffArgs, PlanArgs, SnapshotArgs};

use super::{Console, Failure};

pub async fn snapshot(
    _client: &Client,
    _console: &mut Console<'_>,
    _args: &SnapshotArgs,
    _presets: &[Preset],
) -> Result<(), Failure> {
    Err(Failure::General("not yet".into()))
}

pub async fn plan(
    _client: &Client,
    _console: &mut Console<'_>,
    _args: &PlanArgs,
    _presets: &[Preset],
) -> Result<(), Failure> {
    Err(Failure::General("not yet".into()))
}

pub async fn apply(
    _client: &Client,
    _console: &mut Console<'_>,
    _args: &ApplyAccessArgs,
    _presets: &[Preset],
) -> Result<(), Failure> {
    Err(Failure::General("not yet".into()))
}

pub async fn diff(
    _client: &Client,
    console: &mut Console<'_>,
    args: &DiffArgs,
    _presets: &[Preset],
) -> Result<(), Failure> {
    console.note(format!("{:?}", args));
    Err(Failure::General("not yet".into()))
}
