//! `diff --format text|markdown|json`. Every string from a file or the
//! network is sanitised before it is printed (`brevo::sanitize`).

use serde_json::{Value, json};

use super::diff::{AccessDiff, UserAccess, UserChange};
use crate::brevo::catalog;
use crate::brevo::grants::{FeatureChange, Grants};
use crate::brevo::sanitize::sanitize;

/// One line per change: `+` added, `-` removed, `~` changed (widened and
/// narrowed per feature). "No changes." when there are none.
pub fn text(diff: &AccessDiff) -> String {
    if diff.is_empty() {
        return "No changes.\n".into();
    }
    let mut out = String::new();
    for user in &diff.added {
        out.push_str(&format!("+ {}: {}\n", clean(&user.email), describe(user)));
    }
    for user in &diff.removed {
        out.push_str(&format!(
            "- {}: removed (had {})\n",
            clean(&user.email),
            describe(user)
        ));
    }
    for change in &diff.changed {
        out.push_str(&format!(
            "~ {}: {}\n",
            clean(change.email()),
            change_words(change)
        ));
    }
    out.push_str(&format!(
        "{} added, {} removed, {} changed\n",
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len()
    ));
    out
}

/// An auditor's report: the account, the date (`date`, as the caller
/// writes it), every user with their access, and the changes since the
/// previous file.
pub fn markdown(diff: &AccessDiff, date: &str) -> String {
    let account = diff
        .new_account
        .as_deref()
        .or(diff.old_account.as_deref())
        .map_or_else(|| "(not named)".to_owned(), cell);
    let mut out = format!(
        "# Access review: {account}\n\n- Account: {account}\n- Date: {}\n- Users with access: {}\n\n",
        cell(date),
        diff.now.len()
    );
    out.push_str("## Users and their access\n\n| User | Access |\n|---|---|\n");
    for user in &diff.now {
        out.push_str(&format!(
            "| {} | {} |\n",
            cell(&user.email),
            cell(&describe(user))
        ));
    }
    out.push_str("\n## Changes since the previous review\n\n");
    if diff.is_empty() {
        out.push_str("None.\n");
        return out;
    }
    let mut section = |title: &str, rows: Vec<String>| {
        if !rows.is_empty() {
            out.push_str(&format!("### {title} ({})\n\n", rows.len()));
            for row in rows {
                out.push_str(&format!("- {row}\n"));
            }
            out.push('\n');
        }
    };
    section(
        "Added",
        diff.added
            .iter()
            .map(|u| format!("{}: {}", cell(&u.email), cell(&describe(u))))
            .collect(),
    );
    section(
        "Removed",
        diff.removed
            .iter()
            .map(|u| format!("{}: had {}", cell(&u.email), cell(&describe(u))))
            .collect(),
    );
    section(
        "Widened",
        diff.changed
            .iter()
            .filter(|c| c.widened().next().is_some())
            .map(|c| format!("{}: {}", cell(c.email()), cell(&list(c.widened(), true))))
            .collect(),
    );
    section(
        "Narrowed",
        diff.changed
            .iter()
            .filter(|c| c.narrowed().next().is_some())
            .map(|c| format!("{}: {}", cell(c.email()), cell(&list(c.narrowed(), false))))
            .collect(),
    );
    out
}

/// `{"old_account", "new_account", "added": [{email, all_features, preset,
/// grants}], "removed": [...], "changed": [{email, widened: [{feature,
/// permissions}], narrowed: [...]}]}`.
pub fn json(diff: &AccessDiff) -> Value {
    let user = |u: &UserAccess| {
        json!({
            "email": u.email,
            "all_features": u.all_features,
            "preset": u.preset,
            "grants": grants_json(&u.grants),
        })
    };
    let per_feature = |changes: Vec<&FeatureChange>, added: bool| -> Vec<Value> {
        changes
            .into_iter()
            .map(|c| json!({"feature": c.feature, "permissions": if added { &c.added } else { &c.removed }}))
            .collect()
    };
    json!({
        "old_account": diff.old_account,
        "new_account": diff.new_account,
        "added": diff.added.iter().map(user).collect::<Vec<_>>(),
        "removed": diff.removed.iter().map(user).collect::<Vec<_>>(),
        "changed": diff.changed.iter().map(|c| json!({
            "email": c.email(),
            "widened": per_feature(c.widened().collect(), true),
            "narrowed": per_feature(c.narrowed().collect(), false),
        })).collect::<Vec<_>>(),
    })
}

fn grants_json(grants: &Grants) -> Value {
    grants
        .iter()
        .map(|(f, ps)| (f.to_owned(), json!(ps)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// "all features", "preset viewer: Contacts: View; …", "no access".
fn describe(user: &UserAccess) -> String {
    let pairs = if user.all_features {
        "all features".to_owned()
    } else if user.grants.is_empty() {
        "no access".to_owned()
    } else {
        user.grants
            .iter()
            .map(|(feature, permissions)| {
                let names: Vec<&str> = permissions
                    .iter()
                    .map(|p| catalog::permission_name(p))
                    .collect();
                format!("{}: {}", catalog::feature_name(feature), names.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    match &user.preset {
        Some(preset) => format!("preset {preset}: {pairs}"),
        None => pairs,
    }
}

fn change_words(change: &UserChange) -> String {
    let mut parts = Vec::new();
    if change.widened().next().is_some() {
        parts.push(format!("widened {}", list(change.widened(), true)));
    }
    if change.narrowed().next().is_some() {
        parts.push(format!("narrowed {}", list(change.narrowed(), false)));
    }
    parts.join("; ")
}

/// `contacts +import +export, phone +all` (or `−` for removals).
fn list<'a>(changes: impl Iterator<Item = &'a FeatureChange>, added: bool) -> String {
    changes
        .map(|c| {
            let (sign, values) = if added {
                ("+", &c.added)
            } else {
                ("−", &c.removed)
            };
            let values: Vec<String> = values.iter().map(|v| format!("{sign}{v}")).collect();
            format!("{} {}", c.feature, values.join(" "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn clean(text: &str) -> String {
    sanitize(text).into_owned()
}

/// Text inside a markdown table cell or list item: sanitised, pipes escaped.
fn cell(text: &str) -> String {
    sanitize(text).replace('|', "\\|")
}
