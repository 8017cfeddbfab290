//! A plan for people: one line per user (invite with its grants, update
//! with per-feature `+`/`-` like `update --dry-run`, unchanged, revoke and
//! cancel, not managed, not checked), answers from the cache marked with
//! their age, then seats per vertical, escalations and the notes.

use std::time::Duration;

use crate::access::{Action, Basis, Plan, Step};
use crate::brevo::Grants;
use crate::brevo::error::human_duration;
use crate::brevo::sanitize::sanitize;

use super::change::write_changes;
use super::{Console, Failure};

pub(super) fn print_plan(console: &mut Console<'_>, plan: &Plan) -> Result<(), Failure> {
    let account = plan.account.as_deref().map_or_else(
        || "(account not read)".to_owned(),
        |a| sanitize(a).into_owned(),
    );
    writeln!(
        console.out,
        "Plan for {account}{}",
        if plan.prune {
            " (--prune: users not in the file are removed)"
        } else {
            ""
        }
    )?;
    for step in &plan.steps {
        print_step(console, step)?;
    }
    for seat in &plan.seats {
        let bought = seat
            .purchased
            .map_or_else(|| "? bought".to_owned(), |p| format!("{p} bought"));
        writeln!(
            console.out,
            "Seats {}: {bought}, {} used; the plan takes {} and frees {}",
            sanitize(&seat.vertical),
            seat.used,
            seat.takes,
            seat.frees
        )?;
    }
    for (email, escalation) in plan.escalations() {
        writeln!(
            console.out,
            "{} {} gets {}",
            console.out_style.yellow("escalation:"),
            sanitize(email),
            escalation.granted()
        )?;
    }
    for note in &plan.notes {
        writeln!(console.out, "note: {}", sanitize(note))?;
    }
    writeln!(console.out, "{}", summary(plan))?;
    Ok(())
}

fn print_step(console: &mut Console<'_>, step: &Step) -> Result<(), Failure> {
    let email = sanitize(&step.email);
    let origin = match (step.basis, step.age_seconds) {
        (Basis::Cached, Some(age)) => format!(
            " [from the cache, read {} ago]",
            human_duration(Duration::from_secs(age))
        ),
        (Basis::Cached, None) => " [from the cache]".to_owned(),
        _ => String::new(),
    };
    let line = step
        .line
        .map(|l| format!(" (line {l})"))
        .unwrap_or_default();
    match &step.action {
        Action::Invite {
            all_features,
            grants,
        } => {
            let what = if *all_features {
                "all features".to_owned()
            } else {
                describe(grants)
            };
            let word = console.out_style.green("invite");
            writeln!(console.out, "  {word:<9} {email}{line}: {what}")?;
        }
        Action::Update {
            changes, pending, ..
        } => {
            let word = console.out_style.yellow("update");
            let pending = if *pending {
                " (pending invitation)"
            } else {
                ""
            };
            writeln!(console.out, "  {word:<9} {email}{line}{pending}{origin}")?;
            write_changes(console, changes)?;
        }
        Action::Unchanged => writeln!(console.out, "  unchanged {email}{origin}")?,
        Action::Revoke => {
            let word = console.out_style.red("revoke");
            writeln!(console.out, "  {word:<9} {email} (not in the file)")?;
        }
        Action::Cancel => {
            let word = console.out_style.red("cancel");
            writeln!(
                console.out,
                "  {word:<9} {email} (pending, not in the file)"
            )?;
        }
        Action::NotManaged => writeln!(
            console.out,
            "  not managed {email} (not in the file; --prune would remove)"
        )?,
        Action::NotChecked { reason } => writeln!(
            console.out,
            "  not checked {email}{line}: {}",
            sanitize(reason)
        )?,
    }
    Ok(())
}

/// `contacts=view,import email_campaigns=create_edit_delete`: the
/// `--grant` spelling, so a reviewer can paste it into `invite`.
fn describe(grants: &Grants) -> String {
    sanitize(&grants.spelled()).into_owned()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `2 to invite, 1 to update, 3 unchanged, 0 to remove, 1 not managed, 0 not checked`.
pub(super) fn summary(plan: &Plan) -> String {
    let count = |f: &dyn Fn(&Action) -> bool| plan.steps.iter().filter(|s| f(&s.action)).count();
    let changes = count(&|a| a.is_change());
    let unchecked = plan.not_checked().len();
    let head = if changes == 0 && unchecked == 0 {
        "No changes: the account matches the file.".to_owned()
    } else if changes == 0 {
        format!("No changes found, but {unchecked} not checked against Brevo now:")
    } else {
        format!("{changes} change{}:", plural(changes))
    };
    format!(
        "{head} {} to invite, {} to update, {} unchanged, {} to remove, {} not managed, {} not checked",
        count(&|a| matches!(a, Action::Invite { .. })),
        count(&|a| matches!(a, Action::Update { .. })),
        count(&|a| matches!(a, Action::Unchanged)),
        count(&|a| a.is_removal()),
        count(&|a| matches!(a, Action::NotManaged)),
        count(&|a| matches!(a, Action::NotChecked { .. })),
    )
}
