//! The Everywhere view (`F`): every account of the configuration with the
//! person's status in it, then what offboarding (`O`) did there; and the
//! one-line prompt for an email when no user was selected.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::super::state::presence::{Outcome, Presence, Status, Step};
use super::super::state::{AppState, EmailPrompt, Everywhere, Lookup, Progress};
use super::text::{fit, wrap};
use super::{centered, draw_modal, spinner, theme};

/// What `O` will do in an account, as the confirmation and the view say it.
pub fn step_text(step: &Step) -> String {
    match step {
        Step::Revoke => "revoke their access".to_owned(),
        Step::Cancel => "cancel the pending invitation".to_owned(),
        Step::RefusedOwner => "refused: owner (never removed)".to_owned(),
        Step::SkippedReadOnly => "skipped: read-only profile".to_owned(),
        Step::AlreadyGone => "already gone: nothing to do".to_owned(),
        Step::NotReached(why) => format!("not reached, nothing sent: {why}"),
    }
}

/// What `O` did in an account, with its mark and style.
fn outcome_text(outcome: &Outcome) -> (String, Style) {
    match outcome {
        Outcome::Done { step, credit_notes } => {
            let what = match step {
                Step::Cancel => "done: invitation cancelled",
                _ => "done: access revoked",
            };
            let notes = if credit_notes.is_empty() {
                String::new()
            } else {
                format!(
                    " · a seat was refunded (credit note {})",
                    credit_notes.join(", ")
                )
            };
            (format!("✓ {what}{notes}"), theme::success())
        }
        Outcome::AlreadyGone => ("✓ already gone".to_owned(), theme::success()),
        Outcome::Refused(why) => (format!("• refused: {why}"), theme::warning()),
        Outcome::Skipped(why) => (format!("• skipped: {why}"), theme::dim()),
        Outcome::Failed(why) => (format!("✗ failed: {why}"), theme::error()),
    }
}

/// The account's first line: the person's status there.
fn status_line(state: &AppState, lookup: &Lookup) -> (String, Style) {
    match lookup {
        Lookup::GettingKey => (format!("{} getting the key…", spinner(state)), theme::dim()),
        Lookup::Loading => (
            format!("{} reading the account…", spinner(state)),
            theme::dim(),
        ),
        Lookup::Found(Presence {
            status: Status::Absent,
            ..
        }) => ("absent".to_owned(), theme::dim()),
        Lookup::Found(presence) => {
            let owner = if presence.owner { " · owner" } else { "" };
            let style = match presence.status {
                Status::Pending => theme::pending(),
                _ => theme::active(),
            };
            let text = format!("{}{owner} · {}", presence.status.as_str(), presence.access);
            (text, style)
        }
        Lookup::Failed(why) => (format!("✗ could not be read: {why}"), theme::error()),
    }
}

/// Every line of the view's body, account by account.
fn account_lines(state: &AppState, everywhere: &Everywhere, cells: usize) -> Vec<Line<'static>> {
    let name_width = everywhere
        .accounts
        .iter()
        .map(|row| super::text::width(&row.profile))
        .max()
        .unwrap_or(0)
        .min(cells / 3);
    let indent = " ".repeat(name_width + 3);
    let mut lines = Vec::new();
    for row in everywhere.accounts.iter().skip(everywhere.scroll) {
        let name = fit(&row.profile, name_width);
        let pad = " ".repeat(name_width.saturating_sub(super::text::width(&name)));
        let (status, style) = status_line(state, &row.lookup);
        let room = cells.saturating_sub(name_width + 3);
        lines.push(Line::from(vec![
            Span::styled(format!(" {name}{pad}  "), theme::title()),
            Span::styled(fit(&status, room), style),
        ]));
        let (next, style) = match (&row.offboard, &row.lookup) {
            (Some(Progress::Finished(outcome)), _) => outcome_text(outcome),
            (Some(Progress::Running), _) => {
                (format!("{} offboarding…", spinner(state)), theme::info())
            }
            (None, Lookup::Found(presence)) if presence.status != Status::Absent => (
                format!("O would: {}", step_text(&presence.step)),
                theme::dim(),
            ),
            _ => continue,
        };
        for piece in wrap(&next, room.max(1)) {
            lines.push(Line::from(vec![
                Span::raw(indent.clone()),
                Span::styled(piece, style),
            ]));
        }
    }
    lines
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, everywhere: &Everywhere) {
    let email = crate::brevo::sanitize::sanitize(&everywhere.email).into_owned();
    let title = fit(
        &format!(" Everywhere — {email} "),
        usize::from(area.width.saturating_sub(4)),
    );
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .border_style(theme::focused_border());
    let inner = draw_modal(frame, area, block);
    let cells = usize::from(inner.width);
    let count = everywhere.accounts.len();
    let answered = everywhere
        .accounts
        .iter()
        .filter(|r| matches!(r.lookup, Lookup::Found(_) | Lookup::Failed(_)))
        .count();
    let head = if everywhere.offboarding {
        let left = everywhere
            .accounts
            .iter()
            .filter(|r| r.offboard == Some(Progress::Running))
            .count();
        match left {
            0 => "Offboarding finished: each account's result is below.".to_owned(),
            n => format!("Offboarding: {n} of {count} accounts still to answer…"),
        }
    } else if answered < count {
        format!(
            "Looking in {count} account{}: {answered} answered (one list request in each).",
            if count == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "Looked in {count} account{}.",
            if count == 1 { "" } else { "s" }
        )
    };
    let mut lines: Vec<Line> = wrap(&head, cells.max(1))
        .into_iter()
        .map(|l| Line::styled(l, theme::dim()))
        .collect();
    lines.push(Line::raw(""));
    lines.extend(account_lines(state, everywhere, cells));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The one-line prompt over the list.
pub fn render_prompt(frame: &mut Frame, area: Rect, prompt: &EmailPrompt) {
    let width = area.width.saturating_sub(4).min(64);
    let cells = usize::from(width.saturating_sub(4));
    let mut lines = vec![
        Line::raw("No user is selected. Email to look for in every account:"),
        Line::from(vec![
            Span::styled("> ", theme::key()),
            // The end of what was typed stays in sight, the cursor after it.
            Span::styled(tail(&prompt.text, cells.saturating_sub(3)), theme::field()),
            Span::styled("█", theme::dim()),
        ]),
    ];
    if let Some(problem) = &prompt.problem {
        for piece in wrap(problem, cells.max(1)) {
            lines.push(Line::styled(piece, theme::error()));
        }
    }
    let height = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
    let dialog = centered(area, width, height);
    let block = Block::bordered()
        .title(Line::styled(" Everywhere ", theme::title()))
        .title_bottom(Line::styled(" Enter looks · Esc closes ", theme::dim()).right_aligned());
    let inner = draw_modal(frame, dialog, block);
    let inner = Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The last `cells` cells of `text`, sanitised.
fn tail(text: &str, cells: usize) -> String {
    let clean = crate::brevo::sanitize::sanitize(text);
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    for c in clean.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > cells {
            break;
        }
        used += w;
        out.push(c);
    }
    out.into_iter().rev().collect()
}
