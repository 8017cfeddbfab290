//! The users pane: filter line and a table of email, role, status, access.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Paragraph, Row, Table, Wrap};

use crate::brevo::User;
use crate::brevo::summary::access_summary;

use super::super::messages::{
    capitalised, clock_time, explain_error, explain_sentence, retry_hint,
};
use super::super::state::filter::{self, Query};
use super::super::state::rows::Shown;
use super::super::state::{AppState, Focus, ListStatus, SortKey};
use super::text::{fit, wrap};
use super::theme;

const ROLE: u16 = 6;
const STATUS: u16 = 8;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let shown = state.shown();
    let rows = &shown.rows;
    let block = pane_block(state, rows.len());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let filtering = state.view.filter.editing || !state.view.filter.text.is_empty();
    let note = filter_note(state, &shown);
    let filter_lines = u16::from(filtering) + u16::from(filtering && note.is_some());
    let [filter_area, table_area] =
        Layout::vertical([Constraint::Length(filter_lines), Constraint::Min(0)]).areas(inner);
    if filtering {
        render_filter(frame, filter_area, state, rows.len(), note);
    }
    match &state.list.status {
        // The last good list stays on screen, dimmed, under the error and
        // its age: every row action then acts on a row the admin can see.
        ListStatus::Failed(error) if state.list.loaded_once() => {
            let mut text = format!("Reload failed: {}.", explain_sentence(error));
            if let Some(at) = state.list.loaded_at {
                text.push_str(&format!(" Showing the list from {}.", clock_time(at)));
            }
            if let Some(hint) = retry_hint(error, "R", state.quota_wait.map(|w| w.left)) {
                text.push_str(&format!(" {}.", capitalised(&hint)));
            }
            if let Some(line) = error.request_id_line() {
                text.push_str(&format!(" {}", capitalised(&line)));
            }
            let lines: Vec<Line> = wrap(&text, usize::from(table_area.width))
                .into_iter()
                .map(|line| Line::styled(line, theme::error()))
                .collect();
            let height = u16::try_from(lines.len())
                .unwrap_or(u16::MAX)
                .min(table_area.height / 2);
            let [error_area, rest] =
                Layout::vertical([Constraint::Length(height), Constraint::Min(0)])
                    .areas(table_area);
            frame.render_widget(Paragraph::new(lines), error_area);
            render_table(frame, rest, state, rows, true);
        }
        ListStatus::Failed(error) => {
            let mut lines = vec![Line::styled(explain_error(error), theme::error())];
            if let Some(hint) = retry_hint(error, "R", state.quota_wait.map(|w| w.left)) {
                lines.push(Line::raw(""));
                lines.push(Line::styled(capitalised(&hint), theme::title()));
            }
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), table_area);
        }
        ListStatus::Loading if !state.list.loaded_once() => {
            frame.render_widget(Paragraph::new("Loading users…"), table_area);
        }
        _ if rows.is_empty() && filtering => {
            let text = format!("nothing matches “{}”", state.view.filter.text);
            let line = Line::styled(fit(&text, usize::from(table_area.width)), theme::dim());
            frame.render_widget(Paragraph::new(line), table_area);
        }
        _ => render_table(frame, table_area, state, rows, false),
    }
}

fn pane_block(state: &AppState, shown: usize) -> Block<'static> {
    let total = state.list.users.len();
    let pending = state.pending_count();
    let mut title = if !state.list.loaded_once() {
        " Users".to_owned()
    } else if shown == total {
        format!(" Users {total}")
    } else {
        format!(" Users {shown} of {total}")
    };
    if pending > 0 {
        title.push_str(&format!(" · {pending} pending"));
    }
    title.push_str(&super::bulk_confirm::title_note(state));
    title.push(' ');
    let focused = state.focus == Focus::Users;
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .title_top(
            Line::raw(format!(
                " sorted by {} {} ",
                state.view.sort.name(),
                arrow(state)
            ))
            .right_aligned(),
        );
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(theme::focused_border())
    } else {
        block
    }
}

/// The sort's direction, as the title and the column header show it.
fn arrow(state: &AppState) -> &'static str {
    if state.view.reverse { "↓" } else { "↑" }
}

/// What the filter line says under the text: a term it could not read, and
/// the users a `feature:` term could not tell about (and what loading them
/// costs).
fn filter_note(state: &AppState, shown: &Shown) -> Option<Line<'static>> {
    let mut spans = Vec::new();
    if !shown.not_loaded.is_empty() {
        let n = shown.not_loaded.len();
        let cost = match state.requests_left() {
            Some(left) => format!("{n} requests of {left} left"),
            None => format!("{n} requests"),
        };
        spans.push(Span::styled(
            format!("{n} not loaded — Enter loads them ({cost})"),
            theme::warning(),
        ));
    }
    if let Some(hint) = &shown.hint {
        if !spans.is_empty() {
            spans.push(Span::raw(" · "));
        }
        spans.push(Span::styled(hint.clone(), theme::error()));
    }
    (!spans.is_empty()).then(|| Line::from(spans))
}

fn render_filter(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    matches: usize,
    note: Option<Line<'static>>,
) {
    let count = match matches {
        1 => " 1 match".to_owned(),
        n => format!(" {n} matches"),
    };
    let cursor = if state.view.filter.editing { "▏" } else { "" };
    let room = usize::from(area.width).saturating_sub(count.chars().count() + 3);
    let line = Line::from(vec![
        Span::styled("/ ", theme::key()),
        Span::raw(fit(&state.view.filter.text, room)),
        Span::raw(cursor),
        Span::styled(count, theme::dim()),
    ]);
    let mut lines = vec![line];
    if let Some(note) = note {
        // The note is built from the typed text: fitted like it.
        let text: String = note.spans.iter().map(|s| s.content.as_ref()).collect();
        let style = note.spans.first().map(|s| s.style).unwrap_or_default();
        lines.push(Line::styled(fit(&text, usize::from(area.width)), style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_table(frame: &mut Frame, area: Rect, state: &AppState, rows: &[usize], stale: bool) {
    let height = usize::from(area.height.saturating_sub(1));
    let rest = area.width.saturating_sub(ROLE + STATUS + 3);
    let access = rest * 2 / 5;
    let email = rest - access;
    let selected = state.view.selected.as_deref();
    let is_selected = |i: usize| Some(state.list.users[i].email.as_str()) == selected;
    // Usually the row the update remembered; else look for it.
    let remembered = state.view.index;
    let position = if rows.get(remembered).is_some_and(|&i| is_selected(i)) {
        Some(remembered)
    } else {
        rows.iter().position(|&i| is_selected(i))
    };
    let offset = match position {
        Some(p) if p >= height => p + 1 - height,
        _ => 0,
    };
    let query = Query::parse(&state.view.filter.text);
    let mut matcher = (query.email_words().next().is_some()).then(filter::matcher);
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(n, &i)| {
            let user = &state.list.users[i];
            let matched = matcher
                .as_mut()
                .map(|m| filter::matched_chars(m, &query, &user.email))
                .unwrap_or_default();
            let marked = state.marks.contains(&user.email);
            let row = user_row(user, email, access, &matched, marked);
            if Some(n) == position {
                row.style(theme::selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(
        [
            (SortKey::Email, "Email"),
            (SortKey::Role, "Role"),
            (SortKey::Status, "Status"),
            (SortKey::Access, "Access"),
        ]
        .map(|(key, name)| {
            if key == state.view.sort {
                format!("{name} {}", arrow(state))
            } else {
                name.to_owned()
            }
        }),
    )
    .style(theme::title());
    let table = Table::new(
        body,
        [
            Constraint::Length(email),
            Constraint::Length(ROLE),
            Constraint::Length(STATUS),
            Constraint::Length(access),
        ],
    )
    .header(header)
    .style(if stale {
        theme::dim()
    } else {
        Style::default()
    })
    .column_spacing(1);
    frame.render_widget(table, area);
}

/// The email with the characters the filter matched highlighted; a cut
/// or sanitised email is shown plain (its characters moved). A marked
/// row starts with `● ` (a mark is a character, not a colour alone).
fn email_cell(email: &str, room: usize, matched: &[u32], marked: bool) -> Cell<'static> {
    let (mut spans, room) = if marked {
        (
            vec![Span::styled("● ", theme::title())],
            room.saturating_sub(2),
        )
    } else {
        (Vec::new(), room)
    };
    let shown = fit(email, room);
    if matched.is_empty() || shown != email {
        spans.push(Span::raw(shown));
    } else {
        spans.extend(email.chars().enumerate().map(|(i, c)| {
            let hit = u32::try_from(i).is_ok_and(|i| matched.binary_search(&i).is_ok());
            if hit {
                Span::styled(c.to_string(), theme::matched())
            } else {
                Span::raw(c.to_string())
            }
        }));
    }
    let line = Line::from(spans);
    Cell::from(if marked {
        line.style(theme::title())
    } else {
        line
    })
}

fn user_row(user: &User, email: u16, access: u16, matched: &[u32], marked: bool) -> Row<'static> {
    let role = if user.is_owner {
        Cell::from(Span::styled("owner", theme::owner()))
    } else {
        Cell::from("member")
    };
    let status_style = if user.is_pending() {
        theme::pending()
    } else if user.is_active() {
        theme::active()
    } else {
        theme::warning()
    };
    let status = Span::styled(fit(user.status.as_str(), usize::from(STATUS)), status_style);
    Row::new([
        email_cell(&user.email, usize::from(email), matched, marked),
        role,
        Cell::from(status),
        Cell::from(fit(&access_summary(user), usize::from(access))),
    ])
}
