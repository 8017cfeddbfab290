//! Writing the file: [`render`] a snapshot of the account, [`render_file`]
//! any parsed file back. What is written always parses back to the same
//! file (tested over generated files).
//!
//! The snapshot never infers presets: a user is written with `grants` (or
//! `all_features = true` when they hold every current permission). A preset
//! is defined by the profile's configuration and may change later; a
//! snapshot is a record of what the account held, so it names permissions.

use super::file::{AccessFile, Desired, Entry, sort_key, split_known};
use super::live::LiveState;
use crate::brevo::grants::Grants;
use crate::brevo::sanitize::sanitize;

/// The account's users as an [`AccessFile`]: every user whose permissions
/// were read, the owner excepted (what a snapshot writes, and what
/// `diff --live` compares with).
pub fn snapshot(live: &LiveState) -> AccessFile {
    let everything = Grants::everything();
    let mut file = AccessFile {
        account: live.account.clone(),
        users: live
            .users
            .iter()
            .filter(|u| !u.user.is_owner)
            .filter_map(|u| {
                let (known, unrecognised) = split_known(u.reading.grants()?);
                let desired = if known == everything {
                    Desired::AllFeatures
                } else {
                    Desired::Grants(known)
                };
                Some(Entry {
                    email: u.user.email.trim().to_owned(),
                    desired,
                    unrecognised,
                    line: 0,
                })
            })
            .collect(),
    };
    file.sort();
    file
}

/// The snapshot file of the account: a header, `account = "…"`, the owner
/// as a comment, one table per user sorted by email, `# pending` beside
/// pending invitations, and users whose permissions were not read as
/// comments (they are not written as entries: the file would claim
/// access it does not know).
pub fn render(live: &LiveState) -> String {
    let file = snapshot(live);
    let mut out = String::new();
    let account = live
        .account
        .as_deref()
        .map_or_else(|| "(not read)".to_owned(), comment_text);
    out.push_str(&format!(
        "# access.toml — the users of account {account}, as Brevo showed them.\n\
         # One table per user, sorted by email, with exactly one of preset, grants or\n\
         # all_features. grants means exactly these permissions, every other feature none.\n\
         # `brevo-users plan FILE` shows what apply would change; users not in the file\n\
         # are left alone unless --prune.\n"
    ));
    if let Some(owner) = live.owner() {
        out.push_str(&format!(
            "# The owner, {}, is not managed here: the owner's access never changes.\n",
            comment_text(&owner.user.email)
        ));
    }
    let unread: Vec<_> = live.not_read().collect();
    if !unread.is_empty() {
        out.push_str(&format!(
            "# INCOMPLETE: the permissions of {} user(s) were not read; they are listed as\n\
             # comments, not entries. Snapshot again when the quota allows.\n",
            unread.len()
        ));
    }
    if let Some(account) = &file.account {
        out.push_str(&format!("\naccount = {}\n", quote(account)));
    }
    let mut lines: Vec<((String, String), String)> = file
        .users
        .iter()
        .map(|entry| {
            let pending = live.user(&entry.email).is_some_and(|u| u.user.is_pending());
            (sort_key(&entry.email), entry_text(entry, pending))
        })
        .collect();
    for user in unread {
        let reason = match &user.reading {
            super::live::Reading::NotRead { reason } => comment_text(reason),
            _ => String::new(),
        };
        lines.push((
            sort_key(&user.user.email),
            format!(
                "\n# [users.{}]  # not written: permissions not read ({reason})\n",
                comment_text(&quote(user.user.email.trim()))
            ),
        ));
    }
    lines.sort();
    for (_, text) in lines {
        out.push_str(&text);
    }
    out
}

/// Any file written back in the snapshot's layout (presets stay presets).
pub fn render_file(file: &AccessFile) -> String {
    let mut out = String::new();
    if let Some(account) = &file.account {
        out.push_str(&format!("account = {}\n", quote(account)));
    }
    let mut entries: Vec<&Entry> = file.users.iter().collect();
    entries.sort_by_key(|e| sort_key(&e.email));
    for entry in entries {
        out.push_str(&entry_text(entry, false));
    }
    out
}

fn entry_text(entry: &Entry, pending: bool) -> String {
    let mut out = format!("\n[users.{}]", quote(&entry.email));
    if pending {
        out.push_str("  # pending");
    }
    out.push('\n');
    match &entry.desired {
        Desired::Preset(id) => out.push_str(&format!("preset = {}\n", quote(id))),
        Desired::AllFeatures => out.push_str("all_features = true\n"),
        Desired::Grants(grants) if grants.is_empty() => out.push_str("grants = {}\n"),
        Desired::Grants(grants) => write_pairs(&mut out, "grants", grants),
    }
    if !entry.unrecognised.is_empty() {
        out.push_str(
            "# Brevo sent these and the catalogue does not know them: plan and apply leave them untouched.\n",
        );
        write_pairs(&mut out, "unrecognised", &entry.unrecognised);
    }
    out
}

fn write_pairs(out: &mut String, table: &str, grants: &Grants) {
    for (feature, permissions) in grants.iter() {
        let values: Vec<String> = permissions.iter().map(|p| quote(p)).collect();
        out.push_str(&format!(
            "{table}.{} = [{}]\n",
            key(feature),
            values.join(", ")
        ));
    }
}

/// A TOML key: bare when it can be, quoted otherwise.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { name.to_owned() } else { quote(name) }
}

/// A TOML basic string: every control character escaped, so any text Brevo
/// sent reads back exactly.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Network text inside a comment: no control character can end the line.
fn comment_text(text: &str) -> String {
    sanitize(text).into_owned()
}
