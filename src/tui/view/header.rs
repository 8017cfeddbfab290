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
    // The longest right-hand side that leaves the account some room, else
    // the shortest (the account keeps what it can).
    let forms = [
        (Form::Labelled, Quota::Full),
        (Form::Plain, Quota::Full),
        (Form::Labelled, Quota::Short),
        (Form::Plain, Quota::Short),
        (Form::Short, Quota::Short),
        (Form::Short, Quota::Tiny),
    ];
    let sides: Vec<_> = forms
        .iter()
        .map(|&(seats, quota)| right_side(state, seats, quota))
        .collect();
    let chosen = sides
        .iter()
        .position(|right| used + keep + spans_width(right) < total)
        .unwrap_or(sides.len() - 1);
    let right = sides.into_iter().nth(chosen).unwrap_or_default();
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

/// How the quota is written: `88/100 requests left`, `88/100 left`,
/// `88 left`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quota {
    Full,
    Short,
    Tiny,
}

/// Seats, then quota, then the spinner.
fn right_side(state: &AppState, form: Form, quota: Quota) -> Vec<Span<'static>> {
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
                .filter(|_| quota != Quota::Tiny)
                .map(|l| format!("/{l}"))
                .unwrap_or_default();
            let what = match quota {
                Quota::Full => "requests left",
                Quota::Short | Quota::Tiny => "left",
            };
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
    let text = format!("{name} {}", seat.figures());
    if seat.full() {
        Span::styled(format!("{text} full"), theme::warning())
    } else {
        Span::raw(text)
    }
}
