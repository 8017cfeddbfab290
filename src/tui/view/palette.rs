//! The command palette: a box near the top, the typed text on its first
//! line and the commands under it, each with its keys from the keymap. Its
//! size is that of the whole list of the mode, so it stays put while the
//! matches narrow.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::super::keymap::Keymap;
use super::super::state::palette::Palette;
use super::text::{fit, width};
use super::{draw_modal, theme};

const MAX_WIDTH: u16 = 76;
/// The key column.
const KEYS: usize = 12;

pub fn render(frame: &mut Frame, area: Rect, palette: &Palette, keymap: &Keymap) {
    let all = Palette::all(palette.mode).len();
    let matches = palette.matches();
    let dialog_width = area.width.saturating_sub(4).min(MAX_WIDTH);
    // The text line, a rule, every command; within the screen.
    let wanted = u16::try_from(all + 4).unwrap_or(u16::MAX);
    let height = wanted.min(area.height.saturating_sub(2));
    let dialog = Rect {
        x: area.x + (area.width - dialog_width) / 2,
        y: area.y + 1.min(area.height.saturating_sub(height)),
        width: dialog_width,
        height,
    };
    let title = format!(" Commands — {} ", palette.mode.describe());
    let count = format!(" {} of {all} ", matches.len());
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .title_bottom(Line::styled(" Enter runs · Esc closes ", theme::dim()).right_aligned())
        .title_bottom(Line::styled(count, theme::dim()).left_aligned())
        .border_style(theme::focused_border());
    let inner = draw_modal(frame, dialog, block);
    let cells = usize::from(inner.width);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(": ", theme::key()),
            Span::raw(fit(&palette.query, cells.saturating_sub(3))),
            Span::raw("▏"),
        ]),
        Line::styled("─".repeat(cells), theme::dim()),
    ];
    let rows = usize::from(inner.height).saturating_sub(2);
    let selected = palette.selected.min(matches.len().saturating_sub(1));
    let first = (selected + 1).saturating_sub(rows);
    if matches.is_empty() {
        let text = format!("no command matches “{}”", palette.query);
        lines.push(Line::styled(fit(&text, cells), theme::dim()));
    }
    for (n, command) in matches.iter().enumerate().skip(first).take(rows) {
        let keys: Vec<String> = keymap
            .keys_of(palette.mode, *command)
            .iter()
            .map(|k| k.label())
            .collect();
        let mut what = format!("{}  {}", command.name(), command.describe());
        let keys = if keys.is_empty() {
            if let Some(y) = keymap.yielded(palette.mode).find(|y| y.command == *command) {
                what.push_str(&format!(
                    " — {} taken by your [keys] binding of {}",
                    y.key.label(),
                    y.taken_by.name()
                ));
            }
            "—".to_owned()
        } else {
            keys.join(" ")
        };
        let keys = fit(&keys, KEYS);
        let pad = " ".repeat(KEYS.saturating_sub(width(&keys)) + 1);
        let line = Line::from(vec![
            Span::styled(keys, theme::key()),
            Span::raw(pad),
            Span::raw(fit(&what, cells.saturating_sub(KEYS + 1))),
        ]);
        lines.push(if n == selected {
            line.style(theme::selected())
        } else {
            line
        });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
