//! The edited permissions changed since the form opened: what they changed,
//! what saving the form would change in what they hold now, and the three
//! ways on. Its size depends on the screen only, so it stays put.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::brevo::{FeatureChange, catalog};

use super::super::action::Command;
use super::super::keymap::Keymap;
use super::super::state::Mode;
use super::super::state::conflict::{Choice, Conflict};
use super::text::{fit, wrap};
use super::{centered, draw_modal, theme};

pub fn render(frame: &mut Frame, area: Rect, conflict: &Conflict, keymap: &Keymap) {
    let width = area.width.saturating_sub(4).min(90);
    let height = area.height.saturating_sub(2).min(22);
    let dialog = centered(area, width, height);
    let block = Block::bordered()
        .title(Line::styled(" Changed meanwhile ", theme::title()))
        .border_style(theme::warning());
    let inner = draw_modal(frame, dialog, block);
    let cells = usize::from(inner.width);
    let mut lines: Vec<Line> = wrap(
        &format!(
            "Someone changed the permissions of {} after this form opened.",
            conflict.email
        ),
        cells,
    )
    .into_iter()
    .map(|l| Line::styled(l, theme::warning()))
    .collect();
    lines.push(Line::styled(
        "Theirs (since the form opened):",
        theme::title(),
    ));
    lines.extend(changes(&conflict.their_changes(), cells));
    lines.push(Line::styled(
        "The form's (what saving it would change in theirs):",
        theme::title(),
    ));
    let form = conflict.form_changes();
    if form.is_empty() {
        lines.push(Line::styled(
            "  nothing: they hold what the form would save",
            theme::dim(),
        ));
    }
    lines.extend(changes(&form, cells));
    // The buttons keep the last line, whatever the lists take.
    let room = usize::from(inner.height).saturating_sub(2);
    if lines.len() > room {
        lines.truncate(room.saturating_sub(1));
        lines.push(Line::styled("  …", theme::dim()));
    }
    while lines.len() < room {
        lines.push(Line::raw(""));
    }
    lines.push(Line::raw(""));
    lines.push(buttons(conflict.focus, keymap));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "  Contacts: + Import · − Export", one line per feature.
fn changes(changes: &[FeatureChange], cells: usize) -> Vec<Line<'static>> {
    let names = |keys: &[String]| {
        keys.iter()
            .map(|k| catalog::permission_name(k).to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    changes
        .iter()
        .map(|change| {
            let mut parts = Vec::new();
            if !change.added.is_empty() {
                parts.push(format!("+ {}", names(&change.added)));
            }
            if !change.removed.is_empty() {
                parts.push(format!("− {}", names(&change.removed)));
            }
            let text = format!(
                "  {}: {}",
                catalog::feature_name(&change.feature),
                parts.join(" · ")
            );
            Line::raw(fit(&text, cells))
        })
        .collect()
}

fn buttons(focus: Choice, keymap: &Keymap) -> Line<'static> {
    let keys = |choice: Choice| {
        let command = match choice {
            Choice::KeepTheirs => Command::KeepTheirs,
            Choice::TakeForm => Command::TakeForm,
            Choice::EditAgain => Command::EditAgain,
        };
        let keys = keymap.keys_of(Mode::Conflict, command);
        keys.first().map_or_else(|| "—".to_owned(), |k| k.label())
    };
    let mut spans = Vec::new();
    for choice in Choice::ALL {
        let style = if choice == focus {
            theme::selected()
        } else {
            theme::title()
        };
        spans.push(Span::styled(
            format!(" {} ({}) ", choice.label(), keys(choice)),
            style,
        ));
        spans.push(Span::raw("   "));
    }
    Line::from(spans).centered()
}
