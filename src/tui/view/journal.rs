//! The journal (`L`): newest first, one line per call, change or message;
//! the line under the cursor shows its request id (`y` copies it). Only
//! the lines on screen are drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::super::messages::clock_time;
use super::super::state::AppState;
use super::super::state::journal::{EntryKind, JournalView};
use super::text::fit;
use super::{centered, draw_modal, theme};

pub fn render(frame: &mut Frame, area: Rect, view: &JournalView, state: &AppState) {
    let dialog = centered(
        area,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    let journal = &state.journal;
    let title = format!(" Journal of this run · {} entries ", journal.len());
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .title_bottom(
            Line::styled(
                " newest first · y copies the request id · Esc closes ",
                theme::dim(),
            )
            .right_aligned(),
        );
    let inner = draw_modal(frame, dialog, block);
    let cells = usize::from(inner.width);
    let room = usize::from(inner.height).saturating_sub(1);
    if journal.is_empty() {
        let line = Line::styled("Nothing yet: no call, change or message.", theme::dim());
        frame.render_widget(Paragraph::new(line), inner);
        return;
    }
    let cursor = view.cursor.min(journal.len() - 1);
    let offset = (cursor + 1).saturating_sub(room);
    let mut lines: Vec<Line> = journal
        .iter_newest()
        .enumerate()
        .skip(offset)
        .take(room)
        .map(|(n, entry)| {
            let at = entry
                .at
                .map(clock_time)
                .unwrap_or_else(|| "--:--:--".to_owned());
            let kind = match entry.kind {
                EntryKind::Call => "call   ",
                EntryKind::Change => "change ",
                EntryKind::Message => "message",
            };
            let mark = if entry.ok { " " } else { "!" };
            let text = fit(&format!("{at} {kind} {mark} {}", entry.text), cells);
            let style = if n == cursor {
                theme::selected()
            } else if !entry.ok {
                theme::warning()
            } else {
                Style::new()
            };
            let pad = " ".repeat(cells.saturating_sub(super::text::width(&text)));
            Line::styled(format!("{text}{pad}"), style)
        })
        .collect();
    let id = journal
        .newest(cursor)
        .and_then(|e| e.request_id.as_deref())
        .map(|id| format!("request id: {id}"))
        .unwrap_or_else(|| "no request id on this line".to_owned());
    let filler = room.saturating_sub(lines.len());
    lines.extend(std::iter::repeat_n(Line::raw(""), filler));
    lines.push(Line::styled(fit(&id, cells), theme::dim()));
    frame.render_widget(Paragraph::new(lines), inner);
}
