//! The lines under the grid: what the form would grant or change, and
//! where the request stands or what Brevo answered.

use ratatui::text::{Line, Span};

use crate::brevo::catalog;

use super::super::form::{Form, Notice};
use super::super::state::{AppState, Stage};
use super::text::{fit, width, wrap};
use super::{spinner, theme};

/// Invite: what will be granted. Edit: what saving changes, per feature.
pub fn summary_lines(form: &Form, content: usize) -> Vec<Line<'static>> {
    let privileges = &form.privileges;
    if form.is_invite() {
        let line = if privileges.all_features {
            Line::styled(
                "Grants every feature, user management included",
                theme::warning(),
            )
        } else if privileges.grants.is_empty() {
            Line::styled("Nothing chosen yet", theme::dim())
        } else {
            let features = privileges.grants.iter().count();
            let count = privileges.grants.len();
            let mut spans = vec![Span::raw(format!(
                "Grants {count} permission{} in {features} feature{}",
                plural(count),
                plural(features)
            ))];
            if form.escalation().is_some() {
                spans.push(Span::styled(
                    " · including user management",
                    theme::warning(),
                ));
            }
            Line::from(spans)
        };
        return vec![line];
    }
    if form.current().is_none() {
        return Vec::new();
    }
    let changes = form.changes();
    if changes.is_empty() {
        return vec![Line::styled("No changes: nothing to save", theme::dim())];
    }
    let mut lines = vec![Line::styled("Changes", theme::title())];
    let names = |keys: &[String]| {
        keys.iter()
            .map(|k| catalog::permission_name(k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let shown = if changes.len() > 4 { 3 } else { 4 };
    for change in changes.iter().take(shown) {
        let name = fit(catalog::feature_name(&change.feature), 22);
        let mut spans = vec![Span::raw(format!("  {name:<22} "))];
        let mut room = content.saturating_sub(25);
        for (sign, keys, style) in [
            ("+", &change.added, theme::success()),
            ("−", &change.removed, theme::error()),
        ] {
            if keys.is_empty() {
                continue;
            }
            let text = fit(&format!("{sign} {}  ", names(keys)), room);
            room = room.saturating_sub(width(&text));
            spans.push(Span::styled(text, style));
        }
        lines.push(Line::from(spans));
    }
    if changes.len() > shown {
        let more = changes.len() - shown;
        lines.push(Line::styled(
            format!("  … and {more} more feature{}", plural(more)),
            theme::dim(),
        ));
    }
    lines
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Progress, or the latest message: a refusal, or Brevo's answer; broken
/// into lines of `width` so the form can make room for all of it.
pub fn notice_lines(state: &AppState, form: &Form, width: usize) -> Vec<Line<'static>> {
    let what = if form.is_invite() {
        "the invitation"
    } else {
        "the change"
    };
    let stage = state.in_flight.of_form().map(|flight| &flight.stage);
    let (text, style) = match stage {
        Some(Stage::Sending) => {
            let doing = if form.is_invite() {
                "Sending the invitation"
            } else {
                "Saving"
            };
            (format!("{} {doing}…", spinner(state)), theme::info())
        }
        Some(Stage::Checking { lost: None }) => (
            format!("{} Checking whether {what} took effect…", spinner(state)),
            theme::info(),
        ),
        Some(Stage::Checking { lost: Some(error) }) => (
            format!(
                "{} No clear answer ({}); checking whether {what} took effect…",
                spinner(state),
                fit(error, 400)
            ),
            theme::info(),
        ),
        None => match &form.notice {
            None => return Vec::new(),
            Some(Notice::Hint(text) | Notice::Info(text)) => (fit(text, 400), theme::info()),
            Some(Notice::Invalid(text) | Notice::Failed(text)) => (fit(text, 600), theme::error()),
        },
    };
    wrap(&text, width)
        .into_iter()
        .map(|line| Line::styled(line, style))
        .collect()
}
