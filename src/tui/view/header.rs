//! The top line: tool, profile, account, host, badges, seats, quota,
//! spinner. On a narrow terminal the seats and the quota take their short
//! forms before the account's name is cut to nothing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::brevo::Vertical;
use crate::brevo::seats::SeatUse;

use super::super::state::{AccountStatus, AppState};
use super::text::{fit, width};
use super::{spinner, theme};

/// Columns the account's name keeps before shorter forms are tried.
const PLACE_KEEPS: usize = 16;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let mut left = vec![Span::styled(" brevo-users ", theme::title())];
    if state.context.demo {
        left.push(Span::styled("[DEMO]", theme::badge()));
        left.push(Span::raw(" "));
    }
    if state.context.read_only {
        left.push(Span::styled("[READ-ONLY]", theme::badge()));
        left.push(Span::raw(" "));
    }
    // "live: owner@acme.test @ api.brevo.com": the profile, then the account.
    if let Some(profile) = &state.profiles.active {
        left.push(Span::styled(
            format!("{}:", fit(profile, 20)),
            theme::title(),
        ));
        left.push(Span::raw(" "));
    }
    let account = state.owner().map_or("…", |o| o.email.as_str());
    let place = format!("{account} @ {}", state.context.host);
    let used: usize = left.iter().map(|s| width(&s.content)).sum();
    let total = usize::from(area.width);
    let keep = width(&place).min(PLACE_KEEPS);
    // The longest right-hand side that leaves the account some room.
    let forms = [
        (Form::Labelled, false),
        (Form::Plain, false),
        (Form::Labelled, true),
        (Form::Plain, true),
        (Form::Short, true),
    ];
    let right = forms
        .iter()
        .map(|&(seats, short)| right_side(state, seats, short))
        .find(|right| used + keep + spans_width(right) < total)
        .unwrap_or_else(|| right_side(state, Form::Short, true));
    let right_width = spans_width(&right);
    let room = total.saturating_sub(used + right_width + 1);
    left.push(Span::raw(fit(&place, room)));

    frame.render_widget(Paragraph::new(Line::from(left)), area);
    if used + right_width < total {
        frame.render_widget(Paragraph::new(Line::from(right).right_aligned()), area);
    }
}

fn spans_width(spans: &[Span]) -> usize {
    spans.iter().map(|s| width(&s.content)).sum()
}

/// How the seats are written: `Seats: Marketing 3/3 full · CRM 1/2`,
/// without the label, or with short names (`Mktg`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Labelled,
    Plain,
    Short,
}

/// Seats, then quota, then the spinner; `short`: "88/100 left".
fn right_side(state: &AppState, form: Form, short: bool) -> Vec<Span<'static>> {
    let mut right = seats(state, form);
    if let Some(left) = state.requests_left() {
        if !right.is_empty() {
            right.push(Span::raw("  "));
        }
        if state.quota_low() {
            right.push(Span::styled(
                format!("{left} requests left: permissions load on Enter"),
                theme::warning(),
            ));
        } else {
            let limit = state
                .rate_limit
                .and_then(|r| r.limit)
                .map(|l| format!("/{l}"))
                .unwrap_or_default();
            let what = if short { "left" } else { "requests left" };
            right.push(Span::raw(format!("{left}{limit} {what}")));
        }
    }
    if state.busy() {
        right.push(Span::styled(
            format!("  {} loading", spinner(state)),
            theme::info(),
        ));
    }
    right.push(Span::raw(" "));
    right
}

/// The seats per vertical the account has; the text says "full", the
/// colour is only an accent. Nothing while the account is being read.
fn seats(state: &AppState, form: Form) -> Vec<Span<'static>> {
    let label = match form {
        Form::Labelled => "Seats: ",
        Form::Plain | Form::Short => "",
    };
    match &state.account.status {
        AccountStatus::Loading => Vec::new(),
        AccountStatus::Unknown => {
            let text = if label.is_empty() {
                "seats unknown"
            } else {
                "Seats: unknown"
            };
            vec![Span::styled(text, theme::dim())]
        }
        AccountStatus::Known(_) if state.account.uses.is_empty() => Vec::new(),
        AccountStatus::Known(_) => {
            let mut spans = vec![Span::raw(label)];
            for (i, seat) in state.account.uses.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::raw(" · "));
                }
                spans.push(one(seat, form == Form::Short));
            }
            spans
        }
    }
}

fn one(seat: &SeatUse, short: bool) -> Span<'static> {
    let name = match (&seat.vertical, short) {
        (Vertical::Marketing, true) => "Mktg".to_owned(),
        (Vertical::Other(_), true) => fit(&seat.vertical.to_string(), 8),
        (vertical, _) => fit(&vertical.to_string(), 20),
    };
    let bought = seat
        .purchased
        .map_or_else(|| "?".to_owned(), |n| n.to_string());
    let text = format!("{name} {}/{bought}", seat.used);
    if seat.full() {
        Span::styled(format!("{text} full"), theme::warning())
    } else {
        Span::raw(text)
    }
}
