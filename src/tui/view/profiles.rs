//! The profile switcher: the configuration's profiles in a list, the one in
//! force marked, the cursor in reverse video.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::super::state::{AppState, ProfilePicker};
use super::text::fit;
use super::{centered, theme};

pub fn render(frame: &mut Frame, area: Rect, picker: &ProfilePicker, state: &AppState) {
    let profiles = &state.profiles;
    let width = area.width.saturating_sub(4).min(60);
    let cells = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = profiles
        .names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let active = profiles.active.as_ref() == Some(name);
            let mark = if active { "●" } else { " " };
            let note = if active { "  (in use)" } else { "" };
            let text = fit(&format!(" {mark} {name}{note}"), cells);
            let pad = " ".repeat(cells.saturating_sub(super::text::width(&text)));
            let style = if i == picker.cursor {
                theme::selected()
            } else {
                ratatui::style::Style::new()
            };
            Line::from(Span::styled(format!("{text}{pad}"), style))
        })
        .collect();
    let mut hint_lines = 0;
    if profiles.key_from_env {
        // The documented order: the environment's key wins over every
        // profile's own source, so the switch changes the URL only.
        let hint = " BREVO_API_KEY is set: every profile is reached with that key.";
        hint_lines = 1 + hint.len().div_ceil(cells.max(1));
        lines.push(Line::raw(""));
        lines.push(Line::styled(hint, theme::warning()));
    }
    let height = (profiles.names.len() + hint_lines + 2).min(usize::from(u16::MAX));
    let height = u16::try_from(height).unwrap_or(u16::MAX);
    let dialog = centered(area, width, height);
    frame.render_widget(Clear, dialog);
    let block = Block::bordered()
        .title(Line::styled(" Switch profile ", theme::title()))
        .title_bottom(Line::styled(" Enter switches · Esc closes ", theme::dim()).right_aligned());
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        dialog,
    );
}
