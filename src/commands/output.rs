//! Writers for the three output forms — aligned tables for people, CSV for
//! spreadsheets, JSON for scripts — each safe to print whatever the server
//! sent: tables and CSV cells are sanitised, JSON escapes the characters a
//! terminal would obey, and CSV cells that a spreadsheet would run as a
//! formula are defused.

use std::borrow::Cow;
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::brevo::sanitize::sanitize;

/// ANSI colour, or nothing (`NO_COLOR`, or not a terminal).
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    color: bool,
}

impl Style {
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn red(self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }
}

/// An aligned table: every cell sanitised, columns padded by display width
/// (so that "jürgen" or CJK names line up), the header in bold.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.iter().map(|c| sanitize(c).into_owned()).collect());
    }

    pub fn write(&self, out: &mut dyn Write, style: Style) -> io::Result<()> {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.width()).min(MAX_COLUMN_WIDTH);
            }
        }
        let line = |cells: &[String]| -> String {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate().take(columns) {
                // Padded columns are capped, so that one huge cell cannot
                // pad every row; the last one is not padded and stays whole.
                let last = i + 1 == cells.len().min(columns);
                let cell = if last {
                    Cow::Borrowed(cell.as_str())
                } else {
                    cut_to_width(cell, MAX_COLUMN_WIDTH)
                };
                let cell = cell.as_ref();
                text.push_str(cell);
                if i + 1 < cells.len().min(columns) {
                    text.push_str(&" ".repeat(widths[i].saturating_sub(cell.width()) + 2));
                }
            }
            text
        };
        writeln!(out, "{}", style.bold(&line(&self.header)))?;
        for row in &self.rows {
            writeln!(out, "{}", line(row))?;
        }
        Ok(())
    }
}

/// The widest a padded table column grows, in terminal cells. `--json` and
/// `--csv` keep every value whole; the table is for reading.
pub const MAX_COLUMN_WIDTH: usize = 60;

/// `text` cut to at most `max` terminal cells, ending with an ellipsis when cut.
fn cut_to_width(text: &str, max: usize) -> Cow<'_, str> {
    if text.width() <= max {
        return Cow::Borrowed(text);
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + width > max.saturating_sub(1) {
            break;
        }
        used += width;
        cut.push(c);
    }
    cut.push('…');
    Cow::Owned(cut)
}

/// A CSV cell a spreadsheet will show as text: server text sanitised, and a
/// leading `= + - @`, tab or carriage return (which would make the cell a
/// formula: "CSV injection") defused with a `'` in front.
pub fn spreadsheet_cell(raw: &str) -> String {
    let clean = sanitize(raw);
    if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{clean}")
    } else {
        clean.into_owned()
    }
}

/// A CSV writer whose every cell goes through [`spreadsheet_cell`].
pub struct CsvOut<'a> {
    writer: csv::Writer<&'a mut dyn Write>,
}

impl<'a> CsvOut<'a> {
    pub fn new(out: &'a mut dyn Write) -> Self {
        Self {
            writer: csv::Writer::from_writer(out),
        }
    }

    pub fn record<S: AsRef<str>>(&mut self, cells: &[S]) -> csv::Result<()> {
        self.writer
            .write_record(cells.iter().map(|c| spreadsheet_cell(c.as_ref())))
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Writes one JSON document, pretty-printed, followed by a newline. Data is
/// kept exactly, but characters a terminal would act on (control
/// characters, bidi overrides, zero-width) are written as `\uXXXX` escapes:
/// the same string for a JSON parser, inert on a screen.
pub fn write_json(out: &mut dyn Write, value: &serde_json::Value) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    writeln!(out, "{}", escape_unsafe(&text))
}

/// Outside strings, JSON text is plain ASCII, so any unsafe character is
/// inside a string, where a `\u` escape means the same character.
fn escape_unsafe(json: &str) -> Cow<'_, str> {
    if matches!(sanitize(json), Cow::Borrowed(_)) {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    let mut buffer = [0u8; 4];
    for c in json.chars() {
        let one: &str = c.encode_utf8(&mut buffer);
        // Newlines between tokens are JSON's own layout; inside strings
        // serde_json has already escaped them.
        if c != '\n' && matches!(sanitize(one), Cow::Owned(_)) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                escaped.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_others_left_alone() {
        assert_eq!(spreadsheet_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_cell("+1"), "'+1");
        assert_eq!(spreadsheet_cell("-2"), "'-2");
        assert_eq!(spreadsheet_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_cell("\tx"), "'\u{FFFD}x");
        assert_eq!(spreadsheet_cell("ops@acme.test"), "ops@acme.test");
    }

    #[test]
    fn json_escapes_terminal_controls_but_keeps_the_data() {
        let value = serde_json::json!({"email": "evil\u{9b}31m\u{202e}@x.test", "n": "jürgen"});
        let mut out = Vec::new();
        write_json(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        assert!(text.contains("jürgen"));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn one_huge_cell_does_not_pad_every_row() {
        let mut table = Table::new(&["EMAIL", "STATUS", "ACCESS"]);
        let huge = format!("{}@x.test", "a".repeat(100_000));
        table.row(vec![huge, "active".into(), "marketing=all".into()]);
        for i in 0..200 {
            table.row(vec![
                format!("u{i}@x.test"),
                "active".into(),
                "crm=none".into(),
            ]);
        }
        let mut out = Vec::new();
        table.write(&mut out, Style::new(false)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let widest = text.lines().map(UnicodeWidthStr::width).max().unwrap();
        assert!(widest < 2 * MAX_COLUMN_WIDTH, "{widest}");
        let first = text.lines().nth(1).unwrap();
        assert!(first.starts_with("aaaa") && first.contains('…'), "{first}");
        let status_at = |line: &str| line.find("active").map(|i| line[..i].width());
        assert_eq!(status_at(first), status_at(text.lines().nth(2).unwrap()));
        assert_eq!(cut_to_width("名前名前", 5), "名前…");
    }

    #[test]
    fn tables_align_by_display_width_and_sanitise() {
        let mut table = Table::new(&["EMAIL", "STATUS"]);
        table.row(vec!["jürgen@x.test".into(), "active".into()]);
        table.row(vec!["a\u{1b}[2J@x.test".into(), "pending".into()]);
        let mut out = Vec::new();
        table.write(&mut out, Style::new(false)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'));
        let lines: Vec<&str> = text.lines().collect();
        let status_at = |line: &str| {
            line.find("active")
                .or(line.find("pending"))
                .map(|i| line[..i].width())
        };
        assert_eq!(status_at(lines[1]), status_at(lines[2]));
    }
}
