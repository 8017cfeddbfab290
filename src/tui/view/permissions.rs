//! The permissions pane: the selected user's access, feature by feature,
//! with its own loading and error states.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use crate::brevo::UserPermissions;
use crate::brevo::catalog;

use super::super::messages::{about, capitalised, explain_error, retry_hint};
use super::super::state::permissions::PermissionsView;
use super::super::state::{AppState, Focus};
use super::text::{fit, width};
use super::{spinner, theme};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let mut block = Block::bordered().title(Line::styled(" Permissions ", theme::title()));
    if state.focus == Focus::Permissions {
        block = block
            .border_type(BorderType::Thick)
            .border_style(theme::focused_border());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let cells = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(user) = state.selected_user() {
        lines.push(Line::styled(fit(&user.email, cells), theme::title()));
        let role = if user.is_owner { "owner" } else { "member" };
        let summary = format!("{role} · {}", user.status.as_str());
        lines.push(Line::styled(fit(&summary, cells), theme::dim()));
        lines.push(Line::raw(""));
    }
    let mut wrap = false;
    match state.permissions_view() {
        PermissionsView::NoSelection => lines.push(Line::styled("No user selected", theme::dim())),
        PermissionsView::Owner => lines.push(Line::raw("Owner — every feature")),
        PermissionsView::Loading => lines.push(Line::styled(
            format!("{} Loading permissions…", spinner(state)),
            theme::info(),
        )),
        PermissionsView::Waiting => lines.push(Line::styled("…", theme::dim())),
        PermissionsView::OnEnter => {
            wrap = true;
            let left = state.requests_left().unwrap_or(0);
            if let Some(wait) = state.quota_wait {
                lines.push(Line::styled(
                    format!(
                        "Brevo's request quota is used up: permissions load when it resets, in {}.",
                        about(wait.left)
                    ),
                    theme::warning(),
                ));
            } else if left == 0 {
                lines.push(Line::styled(
                    "No requests left in this hour's quota: permissions load when it resets.",
                    theme::warning(),
                ));
            } else {
                let requests = if left == 1 { "request" } else { "requests" };
                lines.push(Line::styled(
                    format!("Only {left} {requests} left in this hour's quota."),
                    theme::warning(),
                ));
                lines.push(Line::raw(
                    "Press Enter to load these permissions (one request).",
                ));
            }
        }
        PermissionsView::Failed(error) => {
            wrap = true;
            lines.push(Line::styled(explain_error(error), theme::error()));
            // Enter reads this one user again; R would spend a request on
            // the list and drop every cached permission.
            if let Some(hint) = retry_hint(error, "Enter", state.quota_wait.map(|w| w.left)) {
                lines.push(Line::raw(""));
                lines.push(Line::styled(capitalised(&hint), theme::title()));
            }
        }
        PermissionsView::Loaded(permissions) => {
            let rows = grant_lines(permissions, cells);
            let visible = usize::from(inner.height).saturating_sub(lines.len());
            let scroll = state
                .view
                .permissions_scroll
                .min(rows.len().saturating_sub(visible));
            lines.extend(rows.into_iter().skip(scroll));
        }
    }
    let mut paragraph = Paragraph::new(lines);
    if wrap {
        paragraph = paragraph.wrap(Wrap { trim: false });
    }
    frame.render_widget(paragraph, inner);
}

/// One line per current feature (those without access dimmed, so the list
/// has the same shape for everyone), then features the catalogue does not
/// offer, shown as they came.
fn grant_lines(permissions: &UserPermissions, cells: usize) -> Vec<Line<'static>> {
    let grants = &permissions.grants;
    let mut entries: Vec<(String, Option<Vec<String>>)> = catalog::current_features()
        .map(|feature| {
            let held = grants
                .get(feature.key)
                .map(|_| joined(permissions, feature.key));
            (feature.name.to_owned(), held)
        })
        .collect();
    for (feature, _) in grants.iter() {
        if catalog::feature(feature).is_none_or(|f| !f.current) {
            entries.push((
                catalog::feature_name(feature).to_owned(),
                Some(joined(permissions, feature)),
            ));
        }
    }
    let name_width = entries
        .iter()
        .map(|(name, _)| width(name))
        .max()
        .unwrap_or(0)
        .min(cells / 2);
    let indent = " ".repeat(name_width + 1);
    let room = cells.saturating_sub(name_width + 1);
    let mut lines = Vec::new();
    for (name, held) in entries {
        let name = fit(&name, name_width);
        let pad = " ".repeat(name_width.saturating_sub(width(&name)) + 1);
        match held {
            // A long list continues on the next lines, under itself: every
            // permission stays readable, and nothing spills into the next pane.
            Some(values) => {
                for (n, chunk) in wrap_names(&values, room).into_iter().enumerate() {
                    let lead = if n == 0 {
                        format!("{name}{pad}")
                    } else {
                        indent.clone()
                    };
                    lines.push(Line::from(vec![
                        Span::raw(lead),
                        Span::styled(chunk, theme::success()),
                    ]));
                }
            }
            None => lines.push(Line::styled(
                format!("{name}{pad}{}", fit("—", room)),
                theme::dim(),
            )),
        }
    }
    lines
}

/// Splits "A, B, C" into lines of at most `room` cells, breaking only after
/// a comma; a single name wider than `room` is shortened with an ellipsis.
fn wrap_names(values: &[String], room: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for (n, value) in values.iter().enumerate() {
        let piece = if n + 1 < values.len() {
            format!("{value},")
        } else {
            value.clone()
        };
        let candidate = if current.is_empty() {
            piece.clone()
        } else {
            format!("{current} {piece}")
        };
        if width(&candidate) <= room || current.is_empty() {
            current = candidate;
        } else {
            lines.push(fit(&current, room));
            current = piece;
        }
    }
    lines.push(fit(&current, room));
    lines
}

fn joined(permissions: &UserPermissions, feature: &str) -> Vec<String> {
    permissions
        .grants
        .iter()
        .find(|(f, _)| *f == feature)
        .map(|(_, values)| {
            values
                .into_iter()
                .map(|v| catalog::permission_name(v).to_owned())
                .collect()
        })
        .unwrap_or_default()
}
