//! A bulk action's one confirmation: every marked user and what happens to
//! each (skips with their reason, marks the filter hides under a heading of
//! their own), the requests it spends against those left. The dialog keeps
//! its size whatever it says; only the lines on screen are drawn, so a
//! plan of 10,000 costs what a plan of ten does. Also the preset picker
//! and the progress shown in the users pane's title.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::super::messages::capitalised;
use super::super::state::bulk::{Asking, BulkPlan, Step};
use super::super::state::{AppState, Button, ProfilePicker};
use super::text::{fit, wrap};
use super::{centered, draw_modal, theme};
use crate::brevo::sanitize::sanitize;

pub fn render(frame: &mut Frame, area: Rect, plan: &BulkPlan) {
    let width = area.width.saturating_sub(4).min(96);
    let height = area.height.saturating_sub(2);
    let dialog = centered(area, width, height);
    let title = if plan.undo { " Undo " } else { " Bulk action " };
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .title_bottom(Line::styled(" ↑↓ PgUp PgDn scroll ", theme::dim()).right_aligned())
        .border_style(theme::warning());
    let inner = draw_modal(frame, dialog, block);
    let cells = usize::from(inner.width);
    let mut head: Vec<Line> = Vec::new();
    let mut say = |text: &str, style: Style| {
        for piece in wrap(text, cells) {
            head.push(Line::styled(piece, style));
        }
    };
    let skipped = plan.items.len() - plan.to_do();
    let users = |n: usize| {
        if n == 1 {
            "1 user".to_owned()
        } else {
            format!("{n} users")
        }
    };
    // "Revoke the access of 3 users", but "Apply the preset Viewer to 2 users".
    let of = if plan.title.starts_with("apply ") {
        "to"
    } else {
        "of"
    };
    say(
        &format!(
            "{} {of} {}; {skipped} skipped, nothing is sent to them.",
            capitalised(&plan.title),
            users(plan.to_do())
        ),
        theme::title(),
    );
    // A preset says what its requests are (3 a user); the others need not.
    let detail = plan.cost_detail.as_ref();
    let how = detail.map_or("one at a time".to_owned(), |d| {
        format!("one at a time; {d}")
    });
    let short = detail.map(|d| format!(" ({d})")).unwrap_or_default();
    let cost = match plan.requests_left {
        Some(left) if plan.over_quota() => format!(
            "Needs {} requests{short}; Brevo says {left} are left this hour: not enough, it cannot start.",
            plan.requests
        ),
        Some(left) => format!(
            "Needs {} requests ({how}); Brevo says {left} are left this hour.",
            plan.requests
        ),
        None => format!(
            "Needs {} requests ({how}); Brevo has not said yet how many are left.",
            plan.requests
        ),
    };
    let cost_style = if plan.over_quota() {
        theme::error()
    } else {
        Style::new()
    };
    say(&cost, cost_style);
    for note in &plan.notes {
        say(note, theme::warning());
    }
    if let Asking::Escalation(escalation) = plan.asking {
        say(
            &format!(
                "Second confirmation: this grants {escalation}: they could invite, change and revoke other users."
            ),
            theme::warning().patch(theme::title()),
        );
    }
    head.push(Line::raw(""));
    let room = usize::from(inner.height).saturating_sub(head.len() + 2);
    let mut lines = head;
    lines.extend(items(plan, room, cells));
    let filler = usize::from(inner.height).saturating_sub(lines.len() + 1);
    lines.extend(std::iter::repeat_n(Line::raw(""), filler));
    lines.push(super::confirm::buttons(if plan.yes_focused {
        Button::Yes
    } else {
        Button::No
    }));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The lines of the list that fit in `room`, from the scroll position:
/// whole items only (an email is never cut), then how many more follow.
fn items(plan: &BulkPlan, room: usize, cells: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::with_capacity(room);
    let start = plan.scroll.min(plan.items.len().saturating_sub(1));
    let mut previous_shown = start == 0 || plan.items[start - 1].shown;
    let mut shown = 0;
    for item in plan.items.iter().skip(start) {
        let mut group = Vec::new();
        if previous_shown && !item.shown {
            group.push(Line::styled(
                fit("Marked, but not shown by the filter:", cells),
                theme::title(),
            ));
        }
        let (mark, what, style) = match &item.step {
            Step::Do { what, .. } => ("✓", what.clone(), Style::new()),
            Step::Skip(why) => ("–", format!("skipped: {why}"), theme::dim()),
        };
        let email = sanitize(&item.email);
        for piece in wrap(&format!("{mark} {email}"), cells) {
            group.push(Line::styled(piece, theme::title().patch(style)));
        }
        let mut pieces = wrap(&what, cells.saturating_sub(4));
        if pieces.len() > 2 {
            pieces.truncate(2);
            if let Some(last) = pieces.last_mut() {
                *last = fit(&format!("{last} …"), cells.saturating_sub(4));
            }
        }
        group.extend(
            pieces
                .into_iter()
                .map(|p| Line::styled(format!("    {p}"), style)),
        );
        let last = start + shown + 1 == plan.items.len();
        let reserve = usize::from(!last);
        if lines.len() + group.len() + reserve > room {
            break;
        }
        lines.extend(group);
        previous_shown = item.shown;
        shown += 1;
    }
    let more = plan.items.len() - start - shown;
    if more > 0 {
        let text = format!("… {more} more (↓ scrolls)");
        lines.push(Line::styled(fit(&text, cells), theme::dim()));
    }
    lines
}

/// `p`: the presets to apply to the marked users.
pub fn render_presets(frame: &mut Frame, area: Rect, picker: &ProfilePicker, state: &AppState) {
    let width = area.width.saturating_sub(4).min(64);
    let cells = usize::from(width.saturating_sub(4));
    let mut lines = vec![Line::styled(
        fit(
            &format!("Apply to the {} marked users:", state.marks.len()),
            cells,
        ),
        theme::title(),
    )];
    for (i, preset) in state.presets.iter().enumerate() {
        let text = fit(&format!(" {} — {}", preset.name, preset.description), cells);
        let pad = " ".repeat(cells.saturating_sub(super::text::width(&text)));
        let style = if i == picker.cursor {
            theme::selected()
        } else {
            Style::new()
        };
        lines.push(Line::styled(format!("{text}{pad}"), style));
    }
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let dialog = centered(area, width, height);
    let block = Block::bordered()
        .title(Line::styled(" Apply a preset ", theme::title()))
        .title_bottom(Line::styled(" Enter chooses · Esc closes ", theme::dim()).right_aligned());
    let inner = draw_modal(frame, dialog, block);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What the users pane's title adds: the marks, and a run's progress.
pub fn title_note(state: &AppState) -> String {
    let mut note = String::new();
    if !state.marks.is_empty() {
        note.push_str(&format!(" · {} marked", state.marks.len()));
    }
    if let Some(run) = &state.bulk {
        let stop = if run.stopping {
            "stopping"
        } else {
            "Esc stops"
        };
        note.push_str(&format!(
            " · {} {}/{} ({stop})",
            run.title,
            run.started(),
            run.total
        ));
    }
    note
}
