//! The Everywhere view (`F`): every account of the configuration with the
//! person's status in it, then what offboarding (`O`) did there; and the
//! one-line prompt for an email when no user was selected.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::brevo::removal::KnownPermissions;
use crate::brevo::sanitize::sanitize;
use crate::everywhere::{AccountOutcome, Outcome, Presence, Status, decide};

use super::super::state::{AppState, EmailPrompt, Everywhere, Lookup, Progress};
use super::text::{fit, wrap};
use super::{centered, draw_modal, spinner, theme};

/// What offboarding did in an account (the module's words), with the
/// credit notes Brevo returned.
fn outcome_text(outcome: &AccountOutcome) -> (String, Style) {
    let (mark, style) = match &outcome.outcome {
        Outcome::Done { .. } | Outcome::AlreadyGone => ("✓", theme::success()),
        Outcome::Refused(_) => ("•", theme::warning()),
        Outcome::Skipped(_) => ("•", theme::dim()),
        Outcome::Failed(_) => ("✗", theme::error()),
    };
    let notes = outcome.outcome.credit_notes();
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" · a seat was refunded (credit note {})", notes.join(", "))
    };
    let text = format!("{mark} {}{notes}", outcome.outcome.describe());
    (sanitize(&text).into_owned(), style)
}

/// The account's first line: the person's status there, or its error.
fn status_line(state: &AppState, lookup: &Lookup) -> (String, Style) {
    let presence = match lookup {
        Lookup::GettingKey => {
            return (format!("{} getting the key…", spinner(state)), theme::dim());
        }
        Lookup::Loading => {
            return (
                format!("{} reading the account…", spinner(state)),
                theme::dim(),
            );
        }
        Lookup::Answered(presence) => presence,
    };
    let (Some(status), Some(owner)) = (presence.status(), presence.is_owner()) else {
        let why = presence.error().map(|e| e.to_string()).unwrap_or_default();
        return (
            format!("✗ could not be read: {}", sanitize(&why)),
            theme::error(),
        );
    };
    let style = match status {
        Status::Absent => return ("absent".to_owned(), theme::dim()),
        Status::Pending => theme::pending(),
        _ => theme::active(),
    };
    let owner = if owner { " · owner" } else { "" };
    let access = presence.access().unwrap_or_default();
    let text = format!("{}{owner} · {access}", status.as_str());
    (sanitize(&text).into_owned(), style)
}

/// Before `O`: what it would do here, by the module's rule (the removal
/// guards' warning waits for the plan, which reads permissions).
fn preview(presence: &Presence, email: &str) -> Option<String> {
    presence.is_present().then(|| {
        let step = decide(presence, email, &KnownPermissions::new());
        format!("O would: {}", sanitize(&step.action.describe(email)))
    })
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
            (None, Lookup::Answered(presence)) => match preview(presence, &everywhere.email) {
                Some(text) => (text, theme::dim()),
                None => continue,
            },
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
    let email = sanitize(&everywhere.email).into_owned();
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
        .filter(|r| matches!(r.lookup, Lookup::Answered(_)))
        .count();
    let head = if everywhere.planning {
        "Preparing the offboarding: reading their permissions where they are a member (one request each)…".to_owned()
    } else if everywhere.offboarding {
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
    let clean = sanitize(text);
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
