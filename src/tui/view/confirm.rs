//! The one confirmation dialog; it names the user and what will happen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::brevo::{Change, Escalation};

use super::super::state::{AppState, Button, Confirm, Confirmed, RetryReason};
use super::text::wrap;
use super::{centered, draw_modal, theme};

pub fn render(frame: &mut Frame, area: Rect, confirm: &Confirm, state: &AppState) {
    let width = area.width.saturating_sub(4).min(64);
    let inner_width = usize::from(width.saturating_sub(4));
    let (title, lines) = match &confirm.what {
        Confirmed::Apply(change) => {
            let mut lines = question(change);
            // A resend is confirmed only when one went out less than a
            // minute ago (a held key must not send twenty emails).
            if matches!(change, Change::ResendInvitation(_)) {
                lines.push(Line::raw(
                    "One was resent under a minute ago: another email goes out.",
                ));
            }
            if super::super::state::undo::needs_read(state, change) && !state.context.read_only {
                lines.push(Line::raw(
                    "One request first reads their permissions, so that u can invite them back with the same.",
                ));
            }
            (" Confirm ", lines)
        }
        Confirmed::Retry(change, reason) => {
            let mut lines = vec![Line::raw(match reason {
                RetryReason::NotDone => {
                    "No clear answer came, and Brevo shows this did not take effect:"
                }
                RetryReason::CannotTell => {
                    "No clear answer came, and Brevo cannot tell whether this took effect:"
                }
            })];
            lines.extend(question(change));
            if matches!(change, Change::ResendInvitation(_)) {
                lines.push(Line::raw("If it did, a second email goes out."));
            }
            lines.push(Line::styled("Send it again?", theme::title()));
            (" Retry? ", lines)
        }
        Confirmed::Quit => {
            let mut lines = Vec::new();
            if !state.in_flight.is_empty() {
                lines.push(Line::raw("A change has not been answered yet;"));
                lines.push(Line::raw("its result will not be shown."));
            }
            if state.form().is_some_and(|f| f.touched()) {
                lines.push(Line::raw("What you typed in the form will be lost."));
            }
            lines.push(Line::raw("Quit anyway?"));
            (" Quit? ", lines)
        }
        Confirmed::Escalation(change, escalation) => {
            let mut lines = question(change);
            lines.push(Line::styled(
                match escalation {
                    Escalation::AllFeatures => "granting ALL features, user management included:",
                    Escalation::UserManagement => "granting user management:",
                },
                theme::warning().patch(theme::title()),
            ));
            lines.push(Line::raw(
                "they could invite, change and revoke other users.",
            ));
            lines.push(Line::styled("Send it?", theme::title()));
            (" Second confirmation ", lines)
        }
        Confirmed::Discard => {
            let lines = match state.form() {
                // The request is out: closing loses nothing typed, and the
                // answer still comes — say where.
                Some(_) if state.form_busy() => vec![Line::raw(
                    "Close the form? The request has already gone out; closing does not stop it. \
                         Its answer will still arrive, as a message at the bottom of the screen that \
                         stays until you press a key.",
                )],
                Some(form) if !form.is_invite() => vec![
                    Line::raw("Close the form without saving?"),
                    Line::raw("The changes you made will be lost."),
                ],
                _ => vec![
                    Line::raw("Close the invitation form?"),
                    Line::raw("What you typed will be lost."),
                ],
            };
            (" Discard? ", lines)
        }
        Confirmed::ForgetAndSwitch => (
            " Switch profile? ",
            vec![
                Line::raw("Marks and the undo history belong to this account:"),
                Line::raw("switching profile clears them (u can no longer undo here)."),
                Line::styled("Switch anyway?", theme::title()),
            ],
        ),
    };
    // Broken here, not by the paragraph, so the dialog is as tall as its
    // lines and nothing it says (an email above all) is ever cut.
    let mut lines: Vec<Line<'static>> = lines
        .into_iter()
        .flat_map(|line| {
            let style = line.style;
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            wrap(&text, inner_width)
                .into_iter()
                .map(move |piece| Line::styled(piece, style))
        })
        .collect();
    lines.push(Line::raw(""));
    // The keys are in the footer, read from the keymap like every hint.
    lines.push(buttons(confirm.focus));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let dialog = centered(area, width, height);
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .border_style(theme::warning());
    let inner = draw_modal(frame, dialog, block);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "Revoke the access of" / the email on a line of its own (broken across
/// lines when long, by `render`) / a consequence.
fn question(change: &Change) -> Vec<Line<'static>> {
    let mut verb = change.verb().to_owned();
    if let Some(first) = verb.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let consequence = match change {
        Change::Revoke(_) => "They lose access to the account at once.",
        Change::CancelInvitation(_) => "The invitation link stops working.",
        _ => "",
    };
    let mut lines = vec![
        Line::raw(verb),
        Line::styled(change.email().to_owned(), theme::title()),
    ];
    if !consequence.is_empty() {
        lines.push(Line::raw(consequence));
    }
    lines
}

/// Yes and No, the focused one in reverse video (every confirmation's).
pub(super) fn buttons(focus: Button) -> Line<'static> {
    let style = |button: Button| {
        if button == focus {
            theme::selected().patch(theme::title())
        } else {
            ratatui::style::Style::new()
        }
    };
    Line::from(vec![
        Span::styled(" Yes ", style(Button::Yes)),
        Span::raw("   "),
        Span::styled(" No ", style(Button::No)),
    ])
    .centered()
}
