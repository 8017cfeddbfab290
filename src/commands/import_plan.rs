//! Reading an import file and deciding, row by row and before anything is
//! sent, what will happen: invite, skip (already a user or invited, or a
//! repeated row), or refuse as invalid with the reason.
//!
//! The file format is chosen to survive spreadsheets: a header row naming
//! the columns (`email`, `preset`, `grants`, in any order, extra columns
//! ignored); `,` `;` or tab as the delimiter, whichever the header uses
//! (European spreadsheets save with `;`); an optional UTF-8 byte-order
//! mark; `#` comment lines and blank rows ignored. A grants cell reads
//! `contacts=view;import|email_campaigns=create_edit_delete`: `|` between
//! features, `;` between permissions, no character a spreadsheet turns
//! into a formula at the start of a cell.

use std::collections::HashMap;

use crate::brevo::escalation::escalation;
use crate::brevo::validate::check_email;
use crate::brevo::{Grants, User};

use super::grants_arg::{find_preset, parse_feature};
use crate::brevo::Preset;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The line in the file, for messages a person can find.
    pub line: u64,
    pub email: String,
    pub plan: Plan,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    Invite {
        all: bool,
        grants: Grants,
        /// `preset viewer` or the grants cell as written, for the table.
        described: String,
    },
    Skip(String),
    Invalid(String),
}

impl Row {
    /// Grants all features or user management (the core's rule): needs
    /// confirmation.
    pub fn escalates(&self) -> bool {
        matches!(&self.plan, Plan::Invite { all, grants, .. } if escalation(*all, grants, None).is_some())
    }
}

/// Parses the file's text. A file without an `email` column is refused as
/// a whole; a bad row only makes that row invalid.
pub fn parse(text: &str, presets: &[Preset]) -> Result<(Vec<Row>, Vec<String>), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let email_column = column("email").ok_or_else(|| {
        "the first row must name the columns, including email (for example: email,preset,grants)".to_owned()
    })?;
    let (preset_column, grants_column) = (column("preset"), column("grants"));
    if preset_column.is_none() && grants_column.is_none() {
        return Err("the header row needs a preset or a grants column (or both)".to_owned());
    }
    let ignored: Vec<String> = headers
        .iter()
        .filter(|h| {
            !["email", "preset", "grants"]
                .iter()
                .any(|k| h.eq_ignore_ascii_case(k))
        })
        .map(str::to_owned)
        .collect();

    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("cannot read the file: {e}"))?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell =
            |index: Option<usize>| index.and_then(|i| record.get(i)).unwrap_or("").to_owned();
        let email = cell(Some(email_column));
        let plan = match seen.get(&email.to_ascii_lowercase()) {
            Some(first) => Plan::Skip(format!("same email as line {first}")),
            None => plan_row(&email, &cell(preset_column), &cell(grants_column), presets),
        };
        // Only a row that will be sent claims its email: a corrected row
        // below an invalid one is judged on its own.
        if matches!(plan, Plan::Invite { .. }) {
            seen.entry(email.to_ascii_lowercase()).or_insert(line);
        }
        rows.push(Row { line, email, plan });
    }
    Ok((rows, ignored))
}

fn plan_row(email: &str, preset: &str, grants: &str, presets: &[Preset]) -> Plan {
    if let Err(problem) = check_email(email) {
        return Plan::Invalid(problem.to_string());
    }
    match (preset.is_empty(), grants.is_empty()) {
        (true, true) => Plan::Invalid("no preset and no grants".to_owned()),
        (false, false) => Plan::Invalid("both a preset and grants: give one of them".to_owned()),
        (false, true) => match find_preset(presets, preset) {
            Ok(found) => Plan::Invite {
                all: found.all_features,
                grants: found.grants,
                described: format!("preset {}", found.id),
            },
            Err(reason) => Plan::Invalid(reason),
        },
        (true, false) => match parse_grants_cell(grants) {
            Ok(parsed) => Plan::Invite {
                all: false,
                grants: parsed,
                described: grants.to_owned(),
            },
            Err(reason) => Plan::Invalid(reason),
        },
    }
}

/// `contacts=view;import|email_campaigns=create_edit_delete`.
pub fn parse_grants_cell(cell: &str) -> Result<Grants, String> {
    let mut grants = Grants::new();
    for part in cell.split('|').filter(|p| !p.trim().is_empty()) {
        let (feature, permissions) = parse_feature(part, ';')?;
        if permissions.is_empty() {
            return Err(format!("{feature}=none: a new user holds nothing yet"));
        }
        if grants.get(&feature).is_some() {
            return Err(format!("{feature} is given twice"));
        }
        grants.set(&feature, permissions);
    }
    if grants.is_empty() {
        return Err("the grants cell names no feature".to_owned());
    }
    Ok(grants)
}

/// Marks rows whose email already has access as skipped: this is what makes
/// re-running the same file invite nobody twice.
pub fn skip_existing(rows: &mut [Row], users: &[User]) {
    for row in rows {
        if !matches!(row.plan, Plan::Invite { .. }) {
            continue;
        }
        if let Some(user) = users.iter().find(|u| u.has_email(&row.email)) {
            row.plan = Plan::Skip(if user.is_pending() {
                "already invited (pending)".to_owned()
            } else {
                format!("already a user ({})", user.status)
            });
        }
    }
}

/// The delimiter the header row uses: `,` unless the header has none and
/// has `;` or a tab instead.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or("");
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plans(text: &str) -> Vec<(u64, String, Plan)> {
        parse(text, &crate::brevo::presets::builtin())
            .unwrap()
            .0
            .into_iter()
            .map(|r| (r.line, r.email, r.plan))
            .collect()
    }

    #[test]
    fn reads_presets_grants_comments_and_blank_rows() {
        let text = "\u{feff}# team of 2026\nemail,preset,grants,name\nana@acme.test,viewer,,Ana\n\nbo@acme.test,,contacts=view;import|email_campaigns=create_edit_delete,Bo\n";
        let (rows, ignored) = parse(text, &crate::brevo::presets::builtin()).unwrap();
        assert_eq!(ignored, vec!["name"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 3);
        assert!(
            matches!(&rows[0].plan, Plan::Invite { described, .. } if described == "preset viewer")
        );
        let Plan::Invite { grants, .. } = &rows[1].plan else {
            panic!("{:?}", rows[1])
        };
        assert!(
            grants.contains("contacts", "import")
                && grants.contains("email_campaigns", "create_edit_delete")
        );
    }

    #[test]
    fn semicolon_files_from_european_spreadsheets_are_read() {
        let text = "email;preset;grants\nana@acme.test;;\"contacts=view;import\"\n";
        let rows = plans(text);
        assert!(
            matches!(&rows[0].2, Plan::Invite { grants, .. } if grants.contains("contacts", "view"))
        );
    }

    #[test]
    fn bad_rows_get_a_reason_and_repeats_are_skipped() {
        let text = "email,preset,grants\nnot-an-email,viewer,\nana@acme.test,boss,\nbo@acme.test,,contact=view\ncy@acme.test,,\nANA@acme.test,viewer,\ndi@acme.test,viewer,\ndi@acme.test,viewer,\n";
        let rows = plans(text);
        let reason = |i: usize| match &rows[i].2 {
            Plan::Invalid(r) | Plan::Skip(r) => r.clone(),
            other => panic!("{other:?}"),
        };
        assert!(reason(0).contains("no @"));
        assert!(reason(1).contains("unknown preset"));
        assert!(reason(2).contains("did you mean contacts?"));
        assert!(reason(3).contains("no preset and no grants"));
        assert!(
            matches!(rows[4].2, Plan::Invite { .. }),
            "an invalid row claims no email"
        );
        assert_eq!(reason(6), "same email as line 7");
    }

    #[test]
    fn a_file_without_an_email_column_is_refused() {
        assert!(
            parse(
                "mail,preset\na@b.test,viewer\n",
                &crate::brevo::presets::builtin()
            )
            .is_err()
        );
    }

    mod never_panics {
        use proptest::prelude::*;

        use super::*;

        proptest! {
            #[test]
            fn arbitrary_bytes_are_a_plan_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
                let text = String::from_utf8_lossy(&bytes);
                let _ = parse(&text, &crate::brevo::presets::builtin());
            }

            #[test]
            fn csv_shaped_text_is_a_plan_or_an_error(
                header in prop::sample::select(vec!["email,preset,grants", "email;grants", "\u{feff}email\tpreset", "grants,email", "e"]),
                rows in prop::collection::vec(
                    prop::collection::vec("[a-z@.=;|,\"\t #+-]{0,24}", 0..4).prop_map(|cells| cells.join(",")),
                    0..12,
                ),
            ) {
                let text = format!("{header}\n{}", rows.join("\n"));
                if let Ok((plans, _)) = parse(&text, &crate::brevo::presets::builtin()) {
                    prop_assert!(plans.len() <= rows.len());
                }
            }
        }
    }
}
