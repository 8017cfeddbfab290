//! `offboard EMAIL --all-profiles | --profiles a,b [--dry-run] [--yes] [--json]`:
//! removes one person from every account selected. The plan first
//! (account → action), one question (or `--yes`), then each account's
//! result as it comes. Exit 0 only when every account was reached and the
//! person is gone from all of them; 1 otherwise, the accounts left listed.

use serde_json::{Value, json};

use crate::brevo::sanitize::sanitize;
use crate::cli::{GlobalOptions, OffboardArgs};
use crate::connect::SharedEnv;
use crate::everywhere::{self, AccountOutcome, Action, Plan, Step};

use super::accounts::{profile_label, targets};
use super::apply::checked_email;
use super::confirm::confirm;
use super::find::reported;
use super::output::write_json;
use super::{Console, Failure};

pub async fn offboard(
    global: &GlobalOptions,
    args: &OffboardArgs,
    env: SharedEnv,
    console: &mut Console<'_>,
) -> Result<(), Failure> {
    let email = checked_email(&args.email)?;
    let Some(selection) = args.accounts.selection() else {
        return Err(Failure::Usage(
            "offboard needs --all-profiles or --profiles NAME,NAME (revoke and cancel act on one account)"
                .to_owned(),
        ));
    };
    let accounts = targets(global, Some(selection), env, console).await?;
    let targets = &accounts.targets;
    console.note(format!(
        "reading {} accounts: one request each (the user list), and the person's permissions where they are a member",
        targets.len()
    ));
    let presences = everywhere::presence_all(targets, email, |_| {}).await;
    let plan = everywhere::plan(targets, &presences, email).await;
    let json = args.output.json;
    if !json {
        write_plan(console, &plan)?;
    }
    for step in plan.warnings() {
        if let Some(warning) = &step.warning {
            console.warn(format!("{}: {warning}", profile_label(&step.profile)));
        }
    }
    for step in &plan.steps {
        if let Some(error) = &step.permissions_unread {
            console.warn(format!(
                "{}: the person's permissions could not be read: {error}",
                profile_label(&step.profile)
            ));
        }
    }
    let changes = plan.changes();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    console.note(format!(
        "requests: {} and {} spent; {} to send",
        plural(presences.len(), "list", "lists"),
        plural(plan.permission_reads, "permission read", "permission reads"),
        plural(changes, "change", "changes"),
    ));
    if args.dry_run {
        console.note("dry run: nothing was changed");
        if json {
            write_json(console.out, &document(&plan, None))?;
        }
        let left: Vec<&Step> = plan.left();
        return finish(
            console,
            json,
            email,
            true,
            left.iter().map(|s| left_line(s)),
        );
    }
    if changes > 0 {
        let caution = if plan.warnings().next().is_some() {
            " (see the warning above)"
        } else {
            ""
        };
        let question = format!(
            "Offboard {}: {} in the accounts above{caution}?",
            sanitize(email),
            plural(changes, "change", "changes")
        );
        confirm(
            console,
            args.yes,
            &question,
            &format!("offboard {}", sanitize(email)),
        )?;
    }
    let outcomes = everywhere::execute(targets, &plan, |outcome| {
        if !json {
            let _ = write_outcome(console, outcome);
        }
    })
    .await;
    if json {
        write_json(console.out, &document(&plan, Some(&outcomes)))?;
    }
    let left = outcomes
        .iter()
        .filter(|o| !o.outcome.is_gone())
        .map(|o| format!("{} ({})", profile_label(&o.profile), o.outcome.describe()));
    finish(console, json, email, false, left)
}

/// Exit 0 when nothing is left, 1 with the accounts left listed (for a
/// dry run: those the plan leaves the person in).
fn finish(
    console: &mut Console<'_>,
    json: bool,
    email: &str,
    dry_run: bool,
    left: impl Iterator<Item = String>,
) -> Result<(), Failure> {
    let left: Vec<String> = left.collect();
    let email = sanitize(email);
    if left.is_empty() {
        console.note(if dry_run {
            format!("every account was reached: the plan leaves {email} in none")
        } else {
            format!("{email} is gone from every account")
        });
        return Ok(());
    }
    let message = format!(
        "{email} {} {} {}: {}",
        if dry_run {
            "would stay in"
        } else {
            "is not gone from"
        },
        left.len(),
        if left.len() == 1 {
            "account"
        } else {
            "accounts"
        },
        left.join("; ")
    );
    reported(console, json, 1, &message)
}

fn left_line(step: &Step) -> String {
    format!(
        "{} ({})",
        profile_label(&step.profile),
        step.action.describe("")
    )
}

fn where_(profile: &str, account: Option<&str>) -> String {
    match account {
        Some(account) => format!("{} ({})", profile_label(profile), sanitize(account)),
        None => profile_label(profile),
    }
}

fn write_plan(console: &mut Console<'_>, plan: &Plan) -> std::io::Result<()> {
    writeln!(
        console.out,
        "Offboarding {} from {} accounts:",
        sanitize(&plan.email),
        plan.steps.len()
    )?;
    for step in &plan.steps {
        writeln!(
            console.out,
            "  {}: {}",
            where_(&step.profile, step.account.as_deref()),
            step.action.describe(&plan.email)
        )?;
    }
    Ok(())
}

fn write_outcome(console: &mut Console<'_>, outcome: &AccountOutcome) -> std::io::Result<()> {
    let text = outcome.outcome.describe();
    let text = match &outcome.outcome {
        everywhere::Outcome::Done { .. } | everywhere::Outcome::AlreadyGone => {
            console.out_style.green(&text)
        }
        everywhere::Outcome::Failed(_) => console.out_style.red(&text),
        _ => console.out_style.yellow(&text),
    };
    writeln!(
        console.out,
        "{}: {}",
        where_(&outcome.profile, outcome.account.as_deref()),
        text
    )?;
    for note in outcome.outcome.credit_notes() {
        writeln!(
            console.out,
            "  a seat was refunded (credit note {})",
            sanitize(note)
        )?;
    }
    console.out.flush()
}

/// A stable word per action, for scripts.
fn action_kind(action: &Action) -> &'static str {
    match action {
        Action::Revoke => "revoke",
        Action::Cancel => "cancel",
        Action::AlreadyGone => "none",
        Action::Refused(_) => "refused",
        Action::Skipped(_) => "skipped",
        Action::NotReached(_) => "not_reached",
    }
}

/// `{email, dry_run, accounts: [{profile, account, action, reason,
/// warning, outcome, outcome_reason, credit_notes}], left}`; see the README.
fn document(plan: &Plan, outcomes: Option<&[AccountOutcome]>) -> Value {
    let accounts: Vec<Value> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| {
            let outcome = outcomes.and_then(|o| o.get(index)).map(|o| &o.outcome);
            let reason = match &step.action {
                Action::Refused(_) | Action::Skipped(_) | Action::NotReached(_) => {
                    Some(step.action.describe(&plan.email))
                }
                _ => None,
            };
            json!({
                "profile": (!step.profile.is_empty()).then_some(&step.profile),
                "account": step.account,
                "action": action_kind(&step.action),
                "reason": reason,
                "warning": step.warning.as_ref().map(ToString::to_string),
                "outcome": outcome.map(|o| o.kind()),
                "outcome_reason": outcome.filter(|o| !o.is_gone()).map(|o| o.describe()),
                "credit_notes": outcome.map(|o| o.credit_notes().to_vec()).unwrap_or_default(),
            })
        })
        .collect();
    let left: Vec<&str> = match outcomes {
        Some(outcomes) => outcomes
            .iter()
            .filter(|o| !o.outcome.is_gone())
            .map(|o| o.profile.as_str())
            .collect(),
        None => plan.left().iter().map(|s| s.profile.as_str()).collect(),
    };
    json!({
        "email": plan.email,
        "dry_run": outcomes.is_none(),
        "accounts": accounts,
        "left": left,
    })
}
