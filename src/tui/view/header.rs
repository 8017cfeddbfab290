//! The top line: tool, profile, account, host, badges, quota, spinner.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::state::AppState;
use super::text::{fit, width};
use super::{spinner, theme};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let mut right: Vec<Span> = Vec::new();
    if let Some(left) = state.requests_left() {
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
            right.push(Span::raw(format!("{left}{limit} requests left")));
        }
    }
    if state.busy() {
        right.push(Span::styled(
            format!("  {} loading", spinner(state)),
            theme::info(),
        ));
    }
    right.push(Span::raw(" "));
    let right_width: usize = right.iter().map(|s| width(&s.content)).sum();

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
    let room = usize::from(area.width).saturating_sub(used + right_width + 1);
    left.push(Span::raw(fit(&place, room)));

    frame.render_widget(Paragraph::new(Line::from(left)), area);
    if used + right_width < usize::from(area.width) {
        frame.render_widget(Paragraph::new(Line::from(right).right_aligned()), area);
    }
}
