//! `list`: everyone with access, as a table, JSON or CSV. The JSON and CSV
//! shapes of a user are shared with `export`.

use serde_json::{Value, json};

use crate::brevo::summary::{access_summary, display_order, ordered_areas};
use crate::brevo::{Client, User};
use crate::cli::FormatArgs;

use super::output::{CsvOut, Table, write_json};
use super::{Console, Failure};

pub async fn list(
    client: &Client,
    console: &mut Console<'_>,
    format: &FormatArgs,
) -> Result<(), Failure> {
    let users = client.list_users().await?;
    if format.json {
        let array: Vec<Value> = users.iter().map(user_json).collect();
        write_json(console.out, &Value::Array(array))?;
    } else if format.csv {
        write_csv(console.out, &users, &[])?;
    } else {
        write_table(console, &users)?;
    }
    Ok(())
}

/// `{email, is_owner, status, feature_access}`, booleans as booleans.
pub fn user_json(user: &User) -> Value {
    json!({
        "email": user.email,
        "is_owner": user.is_owner,
        "status": user.status.as_str(),
        "feature_access": user.feature_access,
    })
}

/// The `feature_access` keys present across `users`, in the core's
/// display order (documented areas first).
pub fn access_keys(users: &[User]) -> Vec<String> {
    ordered_areas(users.iter().flat_map(|u| u.feature_access.keys()))
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// One row per user: `email,is_owner,status,access.<key>...`, then one
/// column per `extra` entry: export's permissions, as a column name and
/// one cell per user, in the order of `users`.
pub fn write_csv(
    out: &mut dyn std::io::Write,
    users: &[User],
    extra: &[(String, Vec<String>)],
) -> Result<(), Failure> {
    let keys = access_keys(users);
    let mut csv = CsvOut::new(out);
    let mut header: Vec<String> = vec!["email".into(), "is_owner".into(), "status".into()];
    header.extend(keys.iter().map(|k| format!("access.{k}")));
    header.extend(extra.iter().map(|(name, _)| name.clone()));
    csv.record(&header)?;
    for (index, user) in users.iter().enumerate() {
        let mut row = vec![
            user.email.clone(),
            user.is_owner.to_string(),
            user.status.as_str().to_owned(),
        ];
        row.extend(
            keys.iter()
                .map(|k| user.feature_access.get(k).unwrap_or_default().to_owned()),
        );
        row.extend(
            extra
                .iter()
                .map(|(_, cells)| cells.get(index).cloned().unwrap_or_default()),
        );
        csv.record(&row)?;
    }
    csv.finish()?;
    Ok(())
}

/// For people: the dashboard's order (by email) and its access summary,
/// so the same account reads the same in both. JSON and CSV keep Brevo's
/// order and every value.
fn write_table(console: &mut Console<'_>, users: &[User]) -> Result<(), Failure> {
    let mut table = Table::new(&["EMAIL", "STATUS", "OWNER", "ACCESS"]);
    let mut ordered: Vec<&User> = users.iter().collect();
    ordered.sort_by(|a, b| display_order(a, b));
    for user in ordered {
        table.row(vec![
            user.email.clone(),
            user.status.as_str().to_owned(),
            if user.is_owner {
                "yes".into()
            } else {
                String::new()
            },
            access_summary(user),
        ]);
    }
    table.write(console.out, console.out_style)?;
    let pending = users.iter().filter(|u| u.is_pending()).count();
    console.note(format!(
        "{} user{}, {pending} pending",
        users.len(),
        if users.len() == 1 { "" } else { "s" }
    ));
    Ok(())
}
