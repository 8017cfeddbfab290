//! `show`: one user's permissions, feature by feature, with catalogue keys
//! in JSON and our display names for people.

use serde_json::{Value, json};

use crate::brevo::catalog;
use crate::brevo::sanitize::sanitize;
use crate::brevo::{Client, Grants, UserPermissions};

use super::lookup::{Attempt, read_permissions};
use super::output::{Table, write_json};
use super::{Console, Failure};

pub async fn show(
    client: &Client,
    console: &mut Console<'_>,
    email: &str,
    json: bool,
) -> Result<(), Failure> {
    let permissions = read_permissions(client, email, Attempt::Read).await?;
    warn_unrecognised(console, &permissions);
    if json {
        write_json(
            console.out,
            &json!({
                "email": permissions.email,
                "status": permissions.status.as_str(),
                "privileges": privileges_json(&permissions.grants),
            }),
        )?;
    } else {
        writeln!(
            console.out,
            "{} ({})",
            console.out_style.bold(&sanitize(&permissions.email)),
            sanitize(permissions.status.as_str())
        )?;
        write_grants(console, &permissions.grants)?;
    }
    Ok(())
}

/// `[{feature, permissions}]` with catalogue keys, in catalogue order.
pub fn privileges_json(grants: &Grants) -> Value {
    Value::Array(
        grants
            .iter()
            .map(|(feature, permissions)| json!({"feature": feature, "permissions": permissions}))
            .collect(),
    )
}

/// One line per feature: its name, then its permissions' names.
pub fn write_grants(console: &mut Console<'_>, grants: &Grants) -> Result<(), Failure> {
    if grants.is_empty() {
        writeln!(console.out, "  no access to any feature")?;
        return Ok(());
    }
    let mut table = Table::new(&["  FEATURE", "PERMISSIONS"]);
    for (feature, permissions) in grants.iter() {
        let names: Vec<&str> = permissions
            .iter()
            .map(|p| catalog::permission_name(p))
            .collect();
        table.row(vec![
            format!("  {}", catalog::feature_name(feature)),
            names.join(", "),
        ]);
    }
    table.write(console.out, console.out_style)?;
    Ok(())
}

pub fn warn_unrecognised(console: &mut Console<'_>, permissions: &UserPermissions) {
    if !permissions.unrecognised.is_empty() {
        let values: Vec<String> = permissions
            .unrecognised
            .iter()
            .map(|v| sanitize(v).into_owned())
            .collect();
        console.warn(format!(
            "Brevo reported values this version does not know; shown as they came: {}",
            values.join(", ")
        ));
    }
}
