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
    let delimiter = sniff_delimiter(text);
    let lines = LineIndex::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let email_column = column("email").ok_or_else(|| missing_email_column(&headers))?;
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
        // csv's own line count counts records, and a CRLF file or a
        // comment line shifts it: the line is found from the byte offset.
        let line = record
            .position()
            .map_or(0, |position| lines.line_at(position.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell =
            |index: Option<usize>| index.and_then(|i| record.get(i)).unwrap_or("").to_owned();
        let email = cell(Some(email_column));
        let extra_cells = record.iter().skip(headers.len()).any(|c| !c.is_empty());
        let plan = if extra_cells {
            Plan::Invalid(too_many_cells(record.len(), headers.len(), delimiter))
        } else {
            match seen.get(&email.to_ascii_lowercase()) {
                Some(first) => Plan::Skip(format!("same email as line {first}")),
                None => plan_row(&email, &cell(preset_column), &cell(grants_column), presets),
            }
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

/// A row longer than the header: usually a grants cell holding the
/// delimiter without quotes, which would otherwise lose permissions silently.
fn too_many_cells(cells: usize, columns: usize, delimiter: u8) -> String {
    let delimiter = char::from(delimiter);
    format!(
        "{cells} cells but the header names {columns} columns; a cell holding {delimiter:?} must be in double quotes, as in \"contacts=view;import\""
    )
}

/// What the header holds and what it needs, with a hint for a near miss
/// such as `E-mail` or `Email address`.
fn missing_email_column(headers: &csv::StringRecord) -> String {
    let found: Vec<String> = headers.iter().map(|h| format!("{h:?}")).collect();
    let near = headers.iter().find(|h| {
        let letters: String = h.chars().filter(char::is_ascii_alphanumeric).collect();
        letters.to_ascii_lowercase().contains("email") || h.to_ascii_lowercase().contains("mail")
    });
    let hint = near
        .map(|h| format!(" (rename {h:?} to email)"))
        .unwrap_or_default();
    format!(
        "the header row has no email column{hint}: it names {}; the first row must name the columns, for example email,preset,grants",
        if found.is_empty() {
            "nothing".to_owned()
        } else {
            found.join(", ")
        }
    )
}

/// Byte offsets of the file's line starts, to turn a record's byte offset
/// into the line an editor shows (LF and CRLF files alike).
struct LineIndex<'a> {
    text: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            newlines: text.match_indices('\n').map(|(at, _)| at).collect(),
        }
    }

    /// The 1-based line where the record read from byte `offset` starts.
    /// csv may report the offset of what it skipped before the record (the
    /// `\n` of a CRLF, blank or comment lines), so those are passed over.
    fn line_at(&self, offset: u64) -> u64 {
        let mut offset = usize::try_from(offset).unwrap_or(usize::MAX);
        loop {
            match self.text.get(offset) {
                Some(b'\r' | b'\n') => offset += 1,
                Some(b'#') if offset == 0 || self.text.get(offset - 1) == Some(&b'\n') => {
                    offset = self.text[offset..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(self.text.len(), |at| offset + at + 1);
                }
                _ => break,
            }
        }
        let before = self.newlines.partition_point(|&at| at < offset);
        u64::try_from(before).unwrap_or(u64::MAX).saturating_add(1)
    }
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
    fn line_numbers_are_the_lines_an_editor_shows() {
        let crlf = "email,preset\r\nana@acme.test,viewer\r\nbo@acme.test,viewer\r\n";
        let lines: Vec<u64> = plans(crlf).iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![2, 3], "CRLF (what Excel saves)");
        let gaps = "# team\r\n\r\nemail,preset\r\n\r\n# new hires\r\nana@acme.test,viewer\r\n\r\n\r\nbo@acme.test,viewer\r\n";
        let lines: Vec<u64> = plans(gaps).iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![6, 9], "blank and comment lines count");
        let quoted =
            "email,grants\nana@acme.test,\"contacts=view\nimport\"\nbo@acme.test,contacts=view\n";
        let lines: Vec<u64> = plans(quoted).iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![2, 4], "a quoted line break is a line too");
    }

    #[test]
    fn cells_beyond_the_header_make_the_row_invalid() {
        let text = "email;name;preset;grants\ndana@acme.test;Dana;;contacts=View;Import\nel@acme.test;El;viewer;\n";
        let rows = plans(text);
        assert!(
            matches!(&rows[0].2, Plan::Invalid(why) if why.contains("5 cells but the header names 4 columns") && why.contains("double quotes")),
            "{rows:?}"
        );
        assert!(matches!(rows[1].2, Plan::Invite { .. }), "{rows:?}");
    }

    #[test]
    fn a_header_without_email_says_what_it_found_and_what_it_needs() {
        let error = parse(
            "E-mail;preset\na@b.test;viewer\n",
            &crate::brevo::presets::builtin(),
        )
        .unwrap_err();
        assert!(error.contains("\"E-mail\", \"preset\""), "{error}");
        assert!(error.contains("rename \"E-mail\" to email"), "{error}");
        assert!(error.contains("email,preset,grants"), "{error}");
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
