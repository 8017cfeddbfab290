//! The one confirmation dialog; it names the user and what will happen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::brevo::sanitize::sanitize;
use crate::brevo::{Change, Escalation};
use crate::everywhere::Plan;

use super::super::state::{AppState, Button, Confirm, Confirmed, RetryReason};
use super::text::{capitalised, wrap};
use super::{centered, draw_modal, theme};

pub fn render(frame: &mut Frame, area: Rect, confirm: &Confirm, state: &AppState) {
    let width = area.width.saturating_sub(4).min(64);
    let inner_width = usize::from(width.saturating_sub(4));
    let (title, lines) = match &confirm.what {
        Confirmed::Apply(change) => {
            let mut lines = question(change);
            // A cancel or revoke says the seat it frees.
            let seats = state.account.seats_of(change, &state.list.users);
            for sentence in seats.map(|s| s.lines).unwrap_or_default() {
                lines.push(Line::styled(
                    format!("{}.", capitalised(&sentence)),
                    theme::dim(),
                ));
            }
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
        Confirmed::Billing(change, over) => {
            let mut lines = question(change);
            for sentence in over {
                // The core's sentence, which names the vertical and says
                // "may" ([INFERRED] billing rule).
                lines.push(Line::styled(
                    format!("{}.", capitalised(sentence)),
                    theme::warning().patch(theme::title()),
                ));
            }
            lines.push(Line::styled("Send it anyway?", theme::title()));
            (" Seats: second confirmation ", lines)
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
        Confirmed::OffboardEverywhere(plan) => (" Offboard everywhere ", offboard_lines(plan)),
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
    let wrapped: Vec<Line<'static>> = lines
        .iter()
        .flat_map(|line| {
            let style = line.style;
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            wrap(&text, inner_width)
                .into_iter()
                .map(move |piece| Line::styled(piece, style))
        })
        .collect();
    // The border, a blank line and the buttons must fit: a long dialog
    // (offboarding from many accounts on a small screen) gives each of its
    // sentences one line, and the last ones give way to a note, never the
    // buttons.
    let room = usize::from(area.height).saturating_sub(4);
    let mut lines = if wrapped.len() <= room {
        wrapped
    } else {
        let mut short = Vec::new();
        for line in &lines {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            short.push(Line::styled(
                super::text::fit(&text, inner_width),
                line.style,
            ));
        }
        if short.len() > room {
            let hidden = short.len() + 1 - room;
            short.truncate(room.saturating_sub(1));
            let note = format!("… {hidden} more lines: a taller terminal shows them");
            short.push(Line::styled(note, theme::dim()));
        }
        short
    };
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

/// Every account of the plan and what happens in it (the module's words);
/// the guards' warnings after, each naming its account; what it costs.
fn offboard_lines(plan: &Plan) -> Vec<Line<'static>> {
    let clean = |text: &str| sanitize(text).into_owned();
    let mut lines = vec![
        Line::raw("Offboard"),
        Line::styled(clean(&plan.email), theme::title()),
        Line::raw("from every account listed:"),
    ];
    for step in &plan.steps {
        let style = if step.action.change(&plan.email).is_some() {
            theme::title()
        } else {
            theme::dim()
        };
        let what = step.action.describe(&plan.email);
        lines.push(Line::styled(
            clean(&format!("• {}: {what}", step.profile)),
            style,
        ));
    }
    for step in plan.warnings() {
        if let Some(warning) = &step.warning {
            lines.push(Line::styled(
                clean(&format!("{}: {warning}", step.profile)),
                theme::warning().patch(theme::title()),
            ));
        }
    }
    let (sent, reads) = (plan.changes(), plan.permission_reads);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let read = match reads {
        0 => String::new(),
        n => format!(" (making this plan read {n} permission list{})", plural(n)),
    };
    lines.push(Line::raw(format!(
        "Sends one request to {sent} account{}{read}; an unclear answer is checked, never resent.",
        plural(sent)
    )));
    lines.push(Line::styled("Offboard them?", theme::title()));
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
