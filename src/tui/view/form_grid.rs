//! The privileges grid: a feature per row with its checkboxes, wrapped onto
//! more lines where the row is wider than the form, and scrolled so that
//! the focused cell is always on screen.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap};

use crate::brevo::catalog;

use super::super::form::{Field, Form, Load, Privileges, Subject};
use super::super::messages::explain_error;
use super::super::state::AppState;
use super::text::{fit, width};
use super::{spinner, theme};

/// One screen line of the grid: some of a row's checkboxes.
struct GridLine {
    row: usize,
    cells: Range<usize>,
    first: bool,
}

/// The longest feature name is 22 cells and the widest checkbox 29: at
/// the minimum size both still fit, and narrower the names give way.
fn name_width(content: usize) -> usize {
    22.min(content.saturating_sub(MARKER + 31))
}

/// The column where the focused row shows `›`, as the fields above do.
const MARKER: usize = 1;

fn cell_text(privileges: &Privileges, feature: &str, permission: &str) -> String {
    let mark = if privileges.grants.contains(feature, permission) {
        'x'
    } else {
        ' '
    };
    format!("[{mark}] {}", catalog::permission_name(permission))
}

/// Room for checkboxes: the marker, name and scrollbar columns aside.
fn cell_room(content: usize) -> usize {
    content.saturating_sub(MARKER + name_width(content) + 2)
}

fn layout(privileges: &Privileges, content: usize) -> Vec<GridLine> {
    let room = cell_room(content);
    let mut lines = Vec::new();
    for (index, row) in privileges.rows.iter().enumerate() {
        let mut start = 0;
        let mut used = 0;
        for (i, permission) in row.permissions.iter().enumerate() {
            let cell = width(&cell_text(privileges, &row.feature, permission)) + 2;
            if used > 0 && used + cell > room + 2 {
                lines.push(GridLine {
                    row: index,
                    cells: start..i,
                    first: start == 0,
                });
                start = i;
                used = 0;
            }
            used += cell;
        }
        lines.push(GridLine {
            row: index,
            cells: start..row.permissions.len(),
            first: start == 0,
        });
    }
    lines
}

/// Lines the grid would like, for sizing the form.
pub fn line_count(form: &Form, content: usize) -> usize {
    if form.waiting() || form.privileges.all_features {
        2
    } else {
        layout(&form.privileges, content).len()
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, form: &Form) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    if let Subject::Edit { current, email } = &form.subject {
        let message = match current {
            Load::Loading => Some(Line::styled(
                format!(
                    "{} Loading the permissions of {}…",
                    spinner(state),
                    fit(email, 200)
                ),
                theme::info(),
            )),
            Load::Failed(error) => Some(Line::styled(
                format!(
                    "Could not load the permissions: {}. Enter tries again.",
                    explain_error(error)
                ),
                theme::error(),
            )),
            Load::Loaded(_) => None,
        };
        if let Some(message) = message {
            frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: false }), area);
            return;
        }
    }
    let privileges = &form.privileges;
    if privileges.all_features {
        let text = "Every feature is granted. The grid keeps your choices for when \
                    All features is turned off again.";
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme::dim())).wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let content = usize::from(area.width);
    let lines = layout(privileges, content);
    let focused = form.focus == Field::Grid;
    let cursor_line = lines
        .iter()
        .position(|l| {
            l.row == privileges.row && (l.cells.contains(&privileges.col) || l.cells.is_empty())
        })
        .unwrap_or(0);
    let height = usize::from(area.height);
    // Keep the focused line near the middle once the grid overflows.
    let offset = if lines.len() <= height {
        0
    } else {
        cursor_line
            .saturating_sub(height / 2)
            .min(lines.len() - height)
    };
    let names = name_width(content);
    let drawn: Vec<Line> = lines
        .iter()
        .skip(offset)
        .take(height)
        .map(|line| draw_line(privileges, line, names, content, focused))
        .collect();
    frame.render_widget(Paragraph::new(drawn), area);
    if lines.len() > height {
        let mut scroll = ScrollbarState::new(lines.len() - height).position(offset);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(Some("▲"))
                .end_symbol(Some("▼")),
            area,
            &mut scroll,
        );
    }
}

fn draw_line(
    privileges: &Privileges,
    line: &GridLine,
    names: usize,
    content: usize,
    focused: bool,
) -> Line<'static> {
    let row = &privileges.rows[line.row];
    let on_row = focused && line.row == privileges.row;
    let name = if line.first {
        fit(catalog::feature_name(&row.feature), names)
    } else {
        String::new()
    };
    let pad = " ".repeat(names.saturating_sub(width(&name)) + 1);
    let (marker, name_style) = if on_row && line.first {
        ("›", theme::focused_border().patch(theme::title()))
    } else if on_row {
        (" ", theme::title())
    } else {
        (" ", Style::new())
    };
    let mut spans = vec![
        Span::styled(marker, name_style),
        Span::styled(name, name_style),
        Span::raw(pad),
    ];
    let room = cell_room(content);
    if row.locked {
        let values = privileges
            .grants
            .get(&row.feature)
            .map(|set| {
                set.iter()
                    .map(|p| catalog::permission_name(p).to_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let text = fit(&format!("{values} · kept as Brevo sent it"), room);
        let style = if on_row {
            theme::selected()
        } else {
            theme::dim()
        };
        spans.push(Span::styled(text, style));
        return Line::from(spans);
    }
    for i in line.cells.clone() {
        let permission = row.permissions[i];
        let text = fit(&cell_text(privileges, &row.feature, permission), room);
        let mut style = if privileges.grants.contains(&row.feature, permission) {
            theme::success()
        } else {
            Style::new()
        };
        if on_row && i == privileges.col {
            style = style.patch(theme::selected());
        }
        spans.push(Span::styled(text, style));
        spans.push(Span::raw("  "));
    }
    Line::from(spans)
}
