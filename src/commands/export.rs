//! `export`: the whole organization as JSON (the default) or CSV, optionally
//! with every user's permissions — one request per user, so the rate-limit
//! budget is checked before starting and progress is shown on stderr.

use std::time::Duration;

use serde_json::Value;

use crate::brevo::catalog;
use crate::brevo::sanitize::sanitize_shortened;
use crate::brevo::validate::{EmailProblem, check_email};
use crate::brevo::{ApiError, Client, Grants, User};
use crate::cli::ExportArgs;

use super::list::{user_json, write_csv};
use super::output::write_json;
use super::rate_wait::{Budget, check_budget, pause, reset_phrase, wait_for};
use super::show::privileges_json;
use super::{Console, Failure};

/// One user's permissions, or why they could not be read.
type Read = Result<Grants, String>;

pub async fn export(
    client: &Client,
    console: &mut Console<'_>,
    args: &ExportArgs,
) -> Result<(), Failure> {
    let users = client.list_users().await?;
    let permissions = if args.with_permissions {
        Some(read_all(client, console, &users, Duration::from_secs(args.max_wait)).await?)
    } else {
        None
    };
    if args.format.csv {
        let extra = permissions
            .as_deref()
            .map(permission_columns)
            .unwrap_or_default();
        write_csv(console.out, &users, &extra)?;
    } else {
        let array: Vec<Value> = users
            .iter()
            .enumerate()
            .map(|(i, user)| {
                let mut item = user_json(user);
                if let (Some(reads), Some(object)) = (&permissions, item.as_object_mut()) {
                    match reads.get(i) {
                        Some(Ok(grants)) => {
                            object.insert("privileges".into(), privileges_json(grants));
                        }
                        Some(Err(reason)) => {
                            object.insert("privileges".into(), Value::Null);
                            object
                                .insert("permissions_error".into(), Value::String(reason.clone()));
                        }
                        None => {}
                    }
                }
                item
            })
            .collect();
        write_json(console.out, &Value::Array(array))?;
    }
    Ok(())
}

/// Reads every user's permissions in list order. A refusal for one user is
/// recorded and the export goes on; anything that would fail for everyone
/// (authentication, network, a long rate limit) stops it with nothing written.
async fn read_all(
    client: &Client,
    console: &mut Console<'_>,
    users: &[User],
    max_wait: Duration,
) -> Result<Vec<Read>, Failure> {
    let total = users.len();
    match check_budget(
        client,
        console,
        total,
        max_wait,
        "reading every user's permissions",
    ) {
        Budget::Enough => {}
        Budget::ShortWait => {
            console.note("the export will wait for the window to reset when the quota runs out")
        }
        Budget::TooLong { resets_in, .. } => {
            return Err(Failure::RateLimitStop(format!(
                "not starting the export: {}; try again then, or export without --with-permissions",
                reset_phrase(resets_in)
            )));
        }
    }
    let mut reads = Vec::with_capacity(total);
    for (index, user) in users.iter().enumerate() {
        console.progress(&format!(
            "[{}/{total}] reading the permissions of {}",
            index + 1,
            sanitize_shortened(&user.email, 80)
        ));
        // No mail system has such an address, and a server refuses a URL that
        // long by closing the connection: that would stop the whole export.
        if let Err(problem @ EmailProblem::TooLong) = check_email(&user.email) {
            console.end_progress();
            let reason = format!("its permissions cannot be asked for: {problem}");
            console.warn(format!(
                "skipping {}: {reason}",
                sanitize_shortened(&user.email, 80)
            ));
            reads.push(Err(reason));
            continue;
        }
        let mut waits = 0;
        let read = loop {
            match client.user_permissions(&user.email).await {
                Ok(permissions) => break Ok(permissions.grants),
                Err(error) => {
                    if let Some(wait) = wait_for(&error, max_wait, waits) {
                        waits += 1;
                        pause(console, wait).await;
                        continue;
                    }
                    break Err(error);
                }
            }
        };
        match read {
            Ok(grants) => reads.push(Ok(grants)),
            // About this user only: Brevo refused it, or the client refused
            // to send it (an email that cannot be put in a URL).
            Err(
                error @ (ApiError::Forbidden { .. }
                | ApiError::BadRequest { .. }
                | ApiError::Invalid(_)
                | ApiError::Config(_)),
            ) => {
                console.end_progress();
                console.warn(format!(
                    "could not read the permissions of {}: {error}",
                    sanitize_shortened(&user.email, 80)
                ));
                reads.push(Err(error.to_string()));
            }
            Err(ApiError::RateLimited { reset_after, .. }) => {
                console.end_progress();
                return Err(Failure::RateLimitStop(format!(
                    "stopped after reading {index} of {total} users' permissions: Brevo's rate limit is reached and {}; nothing was exported",
                    reset_phrase(reset_after)
                )));
            }
            Err(error) => {
                console.end_progress();
                return Err(Failure::Api(error));
            }
        }
    }
    console.end_progress();
    Ok(reads)
}

/// Permission columns for CSV: one per current feature (so every export has
/// the same columns), then any other feature Brevo reported, then the
/// per-user error. Permissions within a cell are separated by `;`.
fn permission_columns(reads: &[Read]) -> Vec<(String, Vec<String>)> {
    let mut features: Vec<String> = catalog::current_features()
        .map(|f| f.key.to_owned())
        .collect();
    for grants in reads.iter().flatten() {
        for (feature, _) in grants.iter() {
            if !features.iter().any(|f| f == feature) {
                features.push(feature.to_owned());
            }
        }
    }
    let mut columns: Vec<(String, Vec<String>)> = features
        .iter()
        .map(|feature| {
            let cells = reads
                .iter()
                .map(|read| match read {
                    Ok(grants) => grants
                        .iter()
                        .find(|(f, _)| f == feature)
                        .map(|(_, permissions)| permissions.join(";"))
                        .unwrap_or_default(),
                    Err(_) => String::new(),
                })
                .collect();
            (format!("permissions.{feature}"), cells)
        })
        .collect();
    let errors = reads
        .iter()
        .map(|r| r.as_ref().err().cloned().unwrap_or_default())
        .collect();
    columns.push(("permissions_error".to_owned(), errors));
    columns
}
