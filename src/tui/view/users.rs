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
use super::super::state::{AppState, Focus, ListStatus};
use super::text::{fit, wrap};
use super::theme;

const ROLE: u16 = 6;
const STATUS: u16 = 8;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let rows = state.visible();
    let block = pane_block(state, rows.len());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let filtering = state.view.filter.editing || !state.view.filter.text.is_empty();
    let [filter_area, table_area] =
        Layout::vertical([Constraint::Length(u16::from(filtering)), Constraint::Min(0)])
            .areas(inner);
    if filtering {
        render_filter(frame, filter_area, state, rows.len());
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
            render_table(frame, rest, state, &rows, true);
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
            let text = format!("no email contains “{}”", state.view.filter.text);
            let line = Line::styled(fit(&text, usize::from(table_area.width)), theme::dim());
            frame.render_widget(Paragraph::new(line), table_area);
        }
        _ => render_table(frame, table_area, state, &rows, false),
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
        .title_top(Line::raw(format!(" sorted by {} ", state.view.sort.name())).right_aligned());
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(theme::focused_border())
    } else {
        block
    }
}

fn render_filter(frame: &mut Frame, area: Rect, state: &AppState, matches: usize) {
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
    frame.render_widget(Paragraph::new(line), area);
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
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(n, &i)| {
            let user = &state.list.users[i];
            let row = user_row(user, email, access, state.marks.contains(&user.email));
            if Some(n) == position {
                row.style(theme::selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(["Email", "Role", "Status", "Access"]).style(theme::title());
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

fn user_row(user: &User, email: u16, access: u16, marked: bool) -> Row<'static> {
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
        // A mark is a character, not a colour alone.
        if marked {
            Cell::from(Span::styled(
                fit(&format!("● {}", user.email), usize::from(email)),
                theme::title(),
            ))
        } else {
            Cell::from(fit(&user.email, usize::from(email)))
        },
        role,
        Cell::from(status),
        Cell::from(fit(&access_summary(user), usize::from(access))),
    ])
}
