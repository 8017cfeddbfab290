//! The lines under the grid: what the form would grant or change, and
//! where the request stands or what Brevo answered.

use ratatui::text::{Line, Span};

use crate::brevo::catalog;

use super::super::form::{Form, Notice};
use super::super::state::{AppState, Stage};
use super::text::{capitalised, fit, width, wrap};
use super::{spinner, theme};

/// What the form would do: a head line, then for the edit form one block of
/// lines per changed feature, every permission named (long lists wrap).
pub struct Summary {
    head: Option<Line<'static>>,
    changes: Vec<Vec<Line<'static>>>,
}

impl Summary {
    /// Lines it takes when shown whole.
    pub fn len(&self) -> usize {
        usize::from(self.head.is_some()) + self.changes.iter().map(Vec::len).sum::<usize>()
    }

    /// At most `rows` lines, the changes from the `scroll`th feature on. When
    /// not all of them show, the head says how many are above and below.
    pub fn shown(self, scroll: usize, rows: usize) -> Vec<Line<'static>> {
        let Some(head) = self.head else {
            return Vec::new();
        };
        if rows == 0 {
            return Vec::new();
        }
        let total = self.changes.len();
        let first = scroll.min(total.saturating_sub(1));
        let mut body = Vec::new();
        let mut whole = 0;
        for block in self.changes.into_iter().skip(first) {
            let room = (rows - 1).saturating_sub(body.len());
            if block.len() <= room {
                whole += 1;
            }
            body.extend(block.into_iter().take(room));
        }
        let below = total - first - whole;
        let head = if first == 0 && below == 0 {
            head
        } else {
            let mut spans = head.spans;
            spans.push(Span::styled(
                format!(" in {total} features · {first} above, {below} below"),
                theme::dim(),
            ));
            Line::from(spans)
        };
        let mut lines = vec![head];
        lines.extend(body);
        lines
    }
}

/// Invite: what will be granted. Edit: what saving changes, per feature.
pub fn summary_lines(form: &Form, content: usize) -> Summary {
    let privileges = &form.privileges;
    let only = |line: Line<'static>| Summary {
        head: Some(line),
        changes: Vec::new(),
    };
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
        return only(line);
    }
    if form.current().is_none() {
        return Summary {
            head: None,
            changes: Vec::new(),
        };
    }
    let changes = form.changes();
    if changes.is_empty() {
        return only(Line::styled("No changes: nothing to save", theme::dim()));
    }
    let names = |keys: &[String]| {
        keys.iter()
            .map(|k| catalog::permission_name(k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let room = content.saturating_sub(NAME + 3).max(10);
    let blocks = changes
        .iter()
        .map(|change| {
            let parts: Vec<(String, ratatui::style::Style)> = [
                ("+", &change.added, theme::success()),
                ("−", &change.removed, theme::error()),
            ]
            .into_iter()
            .filter(|(_, keys, _)| !keys.is_empty())
            .map(|(sign, keys, style)| (format!("{sign} {}", names(keys)), style))
            .collect();
            let name = fit(catalog::feature_name(&change.feature), NAME);
            let indent = " ".repeat(NAME + 3);
            let mut lines: Vec<Vec<Span<'static>>> =
                vec![vec![Span::raw(format!("  {name:<NAME$} "))]];
            let together: usize = parts.iter().map(|(t, _)| width(t) + 2).sum();
            if together <= room + 2 {
                for (text, style) in parts {
                    lines[0].push(Span::styled(format!("{text}  "), style));
                }
            } else {
                // Too long for one line: each sign on lines of its own.
                let mut first = true;
                for (text, style) in parts {
                    for piece in wrap(&text, room) {
                        if !first {
                            lines.push(vec![Span::raw(indent.clone())]);
                        }
                        first = false;
                        if let Some(line) = lines.last_mut() {
                            line.push(Span::styled(piece, style));
                        }
                    }
                }
            }
            lines.into_iter().map(Line::from).collect()
        })
        .collect();
    Summary {
        head: Some(Line::styled("Changes", theme::title())),
        changes: blocks,
    }
}

/// The feature's name column in the list of changes.
const NAME: usize = 22;

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Which seats the change takes or frees (the core's sentences), wrapped
/// to `width`; a seat beyond those bought stands out.
pub fn seat_lines(state: &AppState, width: usize) -> Vec<Line<'static>> {
    let Some(seats) = state.account.form_seats(state.form(), &state.list.users) else {
        return Vec::new();
    };
    seats
        .lines
        .iter()
        .flat_map(|sentence| {
            let style = if seats.over.contains(sentence) {
                theme::warning()
            } else {
                theme::dim()
            };
            wrap(&capitalised(sentence), width)
                .into_iter()
                .map(move |line| Line::styled(line, style))
        })
        .collect()
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
