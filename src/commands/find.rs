//! `find EMAIL [--all-profiles | --profiles a,b] [--json]`: in which
//! accounts one person has access. One list request per account, every
//! account at once (see `everywhere`).
//!
//! Exit 0 when every account answered (the person is somewhere), 5 when
//! every account answered and the person is in none, 1 when an account
//! could not be read (listed on stderr).

use serde_json::{Value, json};

use crate::brevo::sanitize::sanitize;
use crate::cli::{FindArgs, GlobalOptions};
use crate::connect::SharedEnv;
use crate::everywhere::{self, Presence};

use super::accounts::{error_json, profile_label, targets};
use super::apply::checked_email;
use super::output::{Table, write_json};
use super::{Console, Failure};

pub async fn find(
    global: &GlobalOptions,
    args: &FindArgs,
    env: SharedEnv,
    console: &mut Console<'_>,
) -> Result<(), Failure> {
    let email = checked_email(&args.email)?;
    let accounts = targets(global, args.accounts.selection(), env, console).await?;
    let targets = &accounts.targets;
    console.note(format!(
        "asking {} {}: one request each (the user list)",
        targets.len(),
        accounts_word(targets.len())
    ));
    let found = everywhere::presence_all(targets, email, |_| {}).await;
    if args.output.json {
        let document: Vec<Value> = found.iter().map(presence_json).collect();
        write_json(console.out, &Value::Array(document))?;
    } else {
        let mut table = Table::new(&["PROFILE", "ACCOUNT", "STATUS", "OWNER", "ACCESS"]);
        for presence in &found {
            table.row(presence_row(presence));
        }
        table.write(console.out, console.out_style)?;
    }
    let unreadable: Vec<&Presence> = found.iter().filter(|p| p.error().is_some()).collect();
    for presence in &unreadable {
        if let Some(error) = presence.error() {
            console.warn(format!(
                "{}: could not be read: {error}",
                profile_label(&presence.profile)
            ));
        }
    }
    if !unreadable.is_empty() {
        let names: Vec<String> = unreadable
            .iter()
            .map(|p| profile_label(&p.profile))
            .collect();
        let message = format!(
            "{} of {} accounts could not be read: {}",
            unreadable.len(),
            found.len(),
            names.join(", ")
        );
        return reported(console, args.output.json, 1, &message);
    }
    if !found.iter().any(Presence::is_present) {
        let message = format!(
            "{} is not a user of any of the {} {}",
            sanitize(email),
            found.len(),
            accounts_word(found.len())
        );
        return reported(console, args.output.json, 5, &message);
    }
    Ok(())
}

/// The document is already on stdout: the sentence goes to stderr (an
/// `error:` line for people) and the exit code is all that is left.
pub(super) fn reported(
    console: &mut Console<'_>,
    json: bool,
    code: i32,
    message: &str,
) -> Result<(), Failure> {
    if json {
        console.note(message);
    } else {
        let prefix = console.err_style.red("error:");
        console.note(format!("{prefix} {message}"));
    }
    Err(Failure::Reported(code))
}

fn accounts_word(count: usize) -> &'static str {
    if count == 1 { "account" } else { "accounts" }
}

/// One row of the table: an unreadable account says so in the status.
fn presence_row(presence: &Presence) -> Vec<String> {
    let dash = || "-".to_owned();
    vec![
        profile_label(&presence.profile),
        presence.account().map_or_else(dash, str::to_owned),
        presence
            .status()
            .map_or_else(|| "unreadable".to_owned(), |s| s.as_str().to_owned()),
        match (presence.is_owner(), presence.is_present()) {
            (Some(true), _) => "owner".to_owned(),
            (Some(false), true) => "no".to_owned(),
            _ => dash(),
        },
        presence.access().unwrap_or_else(dash),
    ]
}

/// `{profile, account, status, owner, access, error}`; see the README.
pub(super) fn presence_json(presence: &Presence) -> Value {
    json!({
        "profile": (!presence.profile.is_empty()).then_some(&presence.profile),
        "account": presence.account(),
        "status": presence.status().map(|s| s.as_str().to_owned()),
        "owner": presence.is_owner(),
        "access": presence.access(),
        "error": presence.error().map(error_json),
    })
}
