//! The help overlay: every key of the mode underneath, read from the keymap.
//! Side by side in columns when every column shows its sentences whole;
//! otherwise one column that scrolls, so nothing is ever cut to `…`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::super::keymap::Keymap;
use super::super::state::{Modal, Mode};
use super::text::{fit, width};
use super::{centered, draw_modal, theme};

/// The widest the overlay grows to, with columns side by side.
const MAX_WIDTH: u16 = 110;

pub fn render(frame: &mut Frame, area: Rect, mode: Mode, scroll: usize, keymap: &Keymap) {
    let mut entries: Vec<(String, String)> = keymap
        .commands(mode)
        .into_iter()
        .map(|(command, keys)| {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            (keys.join(" "), command.describe().to_owned())
        })
        .collect();
    // A newer default key that the configuration's `[keys]` holds.
    entries.extend(keymap.yielded(mode).map(|y| {
        (
            y.key.label(),
            format!(
                "{} — taken by your [keys] binding of {}",
                y.command.name(),
                y.taken_by.name()
            ),
        )
    }));
    let key_width = entries.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    let what_width = entries.iter().map(|(_, w)| width(w)).max().unwrap_or(0);
    // A space, the keys, two spaces, the sentence, a space; inside the
    // border and its padding.
    let entry_width = 1 + key_width + 2 + what_width + 1;
    let rows_available = Modal::help_rows(area.height);
    let room = usize::from(area.width.saturating_sub(2).min(MAX_WIDTH)).saturating_sub(4);
    let columns = entries.len().div_ceil(rows_available).max(1);
    let side_by_side = columns > 1 && columns * entry_width <= room;
    let (columns, rows, first) = if side_by_side {
        (columns, entries.len().div_ceil(columns), 0)
    } else {
        let shown = entries.len().min(rows_available);
        let last = entries.len().saturating_sub(shown);
        (1, shown, scroll.min(last))
    };
    let wanted = (columns * entry_width + 4).max(30);
    let dialog_width = u16::try_from(wanted)
        .unwrap_or(u16::MAX)
        .min(area.width.saturating_sub(2))
        .min(MAX_WIDTH);
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let dialog = centered(area, dialog_width, height);
    let title = format!(" Keys — {} ", mode.describe());
    let mut block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .title_bottom(Line::styled(" Esc closes ", theme::dim()).right_aligned());
    if rows < entries.len() && !side_by_side {
        // Where the window is, and that there is more: ↑ above, ↓ below.
        let up = if first > 0 { "↑" } else { " " };
        let down = if first + rows < entries.len() {
            "↓"
        } else {
            " "
        };
        let position = format!(
            " {up}{down} {}–{} of {} ",
            first + 1,
            first + rows,
            entries.len()
        );
        block = block.title_bottom(Line::styled(position, theme::dim()).left_aligned());
    }
    let inner = draw_modal(frame, dialog, block);
    let areas =
        Layout::horizontal(vec![Constraint::Ratio(1, columns as u32); columns]).split(inner);
    let shown = &entries[first..(first + rows * columns).min(entries.len())];
    for (column, chunk) in shown.chunks(rows.max(1)).enumerate() {
        let Some(&area) = areas.get(column) else {
            break;
        };
        let cells = usize::from(area.width);
        let key_width = key_width.min(cells / 2);
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(keys, what)| {
                let keys = fit(keys, key_width);
                let pad = " ".repeat(key_width.saturating_sub(width(&keys)) + 2);
                let room = cells.saturating_sub(key_width + 2);
                Line::from(vec![
                    Span::styled(keys, theme::key()),
                    Span::raw(pad),
                    Span::raw(fit(what, room)),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }
}
