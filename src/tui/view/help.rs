//! The help overlay: every key of the mode underneath, read from the keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::super::keymap::Keymap;
use super::super::state::Mode;
use super::text::{fit, width};
use super::{centered, theme};

pub fn render(frame: &mut Frame, area: Rect, mode: Mode, keymap: &Keymap) {
    let entries: Vec<(String, &str)> = keymap
        .commands(mode)
        .into_iter()
        .map(|(command, keys)| {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            (keys.join(" "), command.describe())
        })
        .collect();
    let rows_available = usize::from(area.height.saturating_sub(4)).max(1);
    let columns = entries.len().div_ceil(rows_available).max(1);
    let rows = entries.len().div_ceil(columns);
    let dialog_width = area
        .width
        .saturating_sub(2)
        .min(if columns == 1 { 64 } else { 110 });
    let height = u16::try_from(rows + 3).unwrap_or(u16::MAX);
    let dialog = centered(area, dialog_width, height);
    frame.render_widget(Clear, dialog);
    let title = format!(" Keys — {} ", mode.describe());
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .title_bottom(Line::styled(" Esc closes ", theme::dim()).right_aligned());
    let inner = block.inner(dialog);
    frame.render_widget(block, dialog);
    let areas =
        Layout::horizontal(vec![Constraint::Ratio(1, columns as u32); columns]).split(inner);
    for (column, chunk) in entries.chunks(rows).enumerate() {
        let Some(&area) = areas.get(column) else {
            break;
        };
        let cells = usize::from(area.width);
        let key_width = chunk
            .iter()
            .map(|(k, _)| width(k))
            .max()
            .unwrap_or(0)
            .min(cells / 2);
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(keys, what)| {
                let keys = fit(keys, key_width);
                let pad = " ".repeat(key_width.saturating_sub(width(&keys)) + 2);
                let room = cells.saturating_sub(key_width + 3);
                Line::from(vec![
                    Span::raw(" "),
                    Span::styled(keys, theme::key()),
                    Span::raw(pad),
                    Span::raw(fit(what, room)),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }
}
