//! The invite and edit forms: the fields on top, the grid in the middle
//! (it takes what room is left and scrolls), then what saving would do and
//! what Brevo said. The keys are in the footer, read from the keymap.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::super::form::rules::EmailCheck;
use super::super::form::{Field, Form, Subject};
use super::super::state::{AppState, Mode};
use super::form_notes::{notice_lines, seat_lines, summary_lines};
use super::text::{fit, width};
use super::{centered, draw_modal, form_grid, theme};

/// Label column: a focus marker, the label, a space.
const LABEL: usize = 11;

/// Draws the form over `area` (the body, between header and toast).
/// `on_top`: it has the keys (no dialog over it), so the cursor shows.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, form: &Form, on_top: bool) {
    let dialog_width = area.width.min(104);
    let content = usize::from(dialog_width.saturating_sub(4));
    let top = top_lines(state, form, content);
    let choices = [access_line(form), presets_line(state, form, content)];
    let summary = summary_lines(form, content);
    let mut notice = notice_lines(state, form, content);
    // Room for the end of a long message goes before more grid lines.
    notice.truncate(4);
    let notice_height = notice.len();
    let mut seats = seat_lines(state, content);
    seats.truncate(3);
    let seats_height = seats.len();
    let grid_lines = form_grid::line_count(form, content);
    let fixed = top.len() + choices.len() + seats_height + notice_height;
    // The whole height of the body, whatever the form holds: ticking All
    // features, a list of changes or a message appearing never moves or
    // resizes it (the grid and the changes take what is left).
    let dialog = centered(area, dialog_width, area.height);
    let title = match &form.subject {
        Subject::Invite { .. } => " Invite a user ".to_owned(),
        Subject::Edit { email, .. } => {
            format!(
                " Permissions of {} ",
                fit(email, content.saturating_sub(18))
            )
        }
    };
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .border_style(theme::focused_border());
    let inner = draw_modal(frame, dialog, block);

    // The grid and the list of changes share what the fields leave: the
    // grid keeps half of it (or all it needs), the changes get the rest and
    // scroll; on a tiny screen the changes keep their head line.
    let height = usize::from(inner.height);
    let available = height.saturating_sub(fixed);
    let grid_floor = grid_lines.min((available / 2).max(4));
    let mut summary_height = summary
        .len()
        .min(available.saturating_sub(grid_floor + 1))
        .max(summary.len().min(2));
    let rest = |summary_height: usize| height.saturating_sub(fixed + summary_height);
    if rest(summary_height) < 3 {
        summary_height = summary_height.min(1);
    }
    let separator = usize::from(rest(summary_height) >= 6);
    let grid_height = rest(summary_height).saturating_sub(separator);

    let mut y = inner.y;
    let mut take = |rows: usize| {
        let rows = u16::try_from(rows).unwrap_or(0).min(inner.bottom() - y);
        let area = Rect {
            y,
            height: rows,
            ..inner
        };
        y += rows;
        area
    };
    let top_area = take(top.len());
    frame.render_widget(Paragraph::new(top), top_area);
    frame.render_widget(Paragraph::new(choices.to_vec()), take(2));
    if separator == 1 {
        let rule = "─".repeat(usize::from(inner.width));
        frame.render_widget(Paragraph::new(Line::styled(rule, theme::dim())), take(1));
    }
    form_grid::render(frame, take(grid_height), state, form);
    let summary = summary.shown(form.changes_scroll, summary_height);
    frame.render_widget(Paragraph::new(summary), take(summary_height));
    frame.render_widget(Paragraph::new(seats), take(seats_height));
    let notice_area = take(notice_height);
    frame.render_widget(Paragraph::new(notice), notice_area);

    // The cursor shows only where letters are text: not while sending.
    if on_top
        && state.mode() == Mode::FormText
        && let Subject::Invite { email } = &form.subject
    {
        let room = content.saturating_sub(LABEL + 1);
        let column = email.visual_cursor() - email.visual_scroll(room);
        let x = top_area.x + u16::try_from(LABEL + column).unwrap_or(0);
        if x < top_area.right() && top_area.height > 0 {
            frame.set_cursor_position(Position::new(x, top_area.y));
        }
    }
}

fn label(text: &str, focused: bool) -> Span<'static> {
    let marker = if focused { '›' } else { ' ' };
    let style = if focused {
        theme::focused_border().patch(theme::title())
    } else {
        theme::dim()
    };
    Span::styled(format!("{marker}{text:<width$}", width = LABEL - 1), style)
}

/// Invite: the email and what is wrong with it. Edit: whose permissions.
fn top_lines(state: &AppState, form: &Form, content: usize) -> Vec<Line<'static>> {
    let room = content.saturating_sub(LABEL + 1);
    match &form.subject {
        Subject::Invite { email } => {
            let scroll = email.visual_scroll(room);
            let shown: String = visible_from(email.value(), scroll);
            let shown = fit(&shown, room);
            let pad = " ".repeat(room.saturating_sub(width(&shown)));
            let field = Line::from(vec![
                label("Email", form.focus == Field::Email),
                Span::styled(format!("{shown}{pad}"), theme::field()),
            ]);
            let (text, style) = match form.email_check(&state.list.users) {
                EmailCheck::Empty => (
                    "the address the invitation goes to".to_owned(),
                    theme::dim(),
                ),
                // Before the first list arrives nothing is known either way.
                EmailCheck::Fine if !state.list.loaded_once() => (
                    "list not loaded yet: cannot tell whether already a user".to_owned(),
                    theme::dim(),
                ),
                EmailCheck::Fine => ("✓ not in the list yet".to_owned(), theme::success()),
                check => (
                    format!("✗ {}", check.reason().unwrap_or_default()),
                    theme::error(),
                ),
            };
            let reason = Line::from(vec![
                Span::raw(" ".repeat(LABEL)),
                Span::styled(fit(&text, room), style),
            ]);
            vec![field, reason]
        }
        Subject::Edit { email, .. } => {
            let status = state
                .list
                .users
                .iter()
                .find(|u| u.has_email(email))
                .map(|u| format!(" · {}", u.status.as_str()))
                .unwrap_or_default();
            vec![Line::from(vec![
                label("User", false),
                Span::styled(fit(&format!("{email}{status}"), room), theme::title()),
            ])]
        }
    }
}

/// The characters of `value` from display column `from` on.
fn visible_from(value: &str, from: usize) -> String {
    let mut skipped = 0;
    value
        .chars()
        .skip_while(|c| {
            let skip = skipped < from;
            skipped += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            skip
        })
        .collect()
}

fn access_line(form: &Form) -> Line<'static> {
    let focused = form.focus == Field::AllFeatures;
    let on = form.privileges.all_features;
    let box_style = if focused {
        theme::selected()
    } else {
        Style::new()
    };
    let mut spans = vec![
        label("Access", focused),
        Span::styled(if on { "[x]" } else { "[ ]" }, box_style),
        Span::raw(" All features"),
    ];
    if on {
        spans.push(Span::styled(
            " — every feature, user management included",
            theme::warning(),
        ));
    }
    Line::from(spans)
}

/// The presets in a row, scrolled so the one under the cursor shows; a
/// preset the form matches is ticked.
fn presets_line(state: &AppState, form: &Form, content: usize) -> Line<'static> {
    let focused = form.focus == Field::Presets;
    let room = content.saturating_sub(LABEL + 2);
    let names: Vec<(String, bool)> = state
        .presets
        .iter()
        .map(|p| {
            let on = form.privileges.matches(p);
            let mark = if on { "✓" } else { "" };
            (fit(&format!("{mark}{}", p.name), room), on)
        })
        .collect();
    let cursor = form.privileges.preset.min(names.len().saturating_sub(1));
    // The first preset shown: as early as still leaves the cursor in view.
    let mut first = 0;
    while first < cursor
        && names[first..=cursor]
            .iter()
            .map(|(n, _)| width(n) + 2)
            .sum::<usize>()
            > room
    {
        first += 1;
    }
    let mut spans = vec![label("Presets", focused)];
    if first > 0 {
        spans.push(Span::styled("‹", theme::dim()));
    }
    let mut used = usize::from(first > 0);
    for (i, (name, on)) in names.iter().enumerate().skip(first) {
        if used + width(name) + 2 > room + 1 {
            spans.push(Span::styled("›", theme::dim()));
            break;
        }
        used += width(name) + 2;
        let mut style = if *on {
            theme::success().patch(theme::title())
        } else {
            Style::new()
        };
        if focused && i == cursor {
            style = style.patch(theme::selected());
        }
        spans.push(Span::styled(format!(" {name} "), style));
    }
    Line::from(spans)
}
