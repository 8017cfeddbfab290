//! The two bottom lines: the latest toast, and the keys of the current mode.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::action::Command;
use super::super::keymap::Keymap;
use super::super::state::{AppState, Mode, ToastKind};
use super::text::{fit, width};
use super::theme;

pub fn render_toast(frame: &mut Frame, area: Rect, state: &AppState) {
    let Some(toast) = state.toast() else {
        return;
    };
    let (mark, style) = match toast.kind {
        ToastKind::Info => ("•", theme::info()),
        ToastKind::Success => ("✓", theme::success()),
        ToastKind::Error => ("✗", theme::error()),
    };
    let text = format!(" {mark} {}", toast.text);
    let line = Line::styled(fit(&text, usize::from(area.width)), style);
    frame.render_widget(Paragraph::new(line), area);
}

pub fn render_keys(frame: &mut Frame, area: Rect, state: &AppState, keymap: &Keymap) {
    let mode = state.mode();
    // What is hardest to guess first; whatever does not fit is listed by `?`
    // (Ctrl-Z, for one, is only listed there).
    let mut priority = if matches!(mode, Mode::Form | Mode::FormText) {
        vec![
            Command::Submit,
            Command::CancelForm,
            Command::NextField,
            Command::Toggle,
            Command::SelectAll,
            Command::SelectNone,
            Command::Left,
            Command::Up,
            Command::CursorLeft,
            Command::DeleteBack,
            Command::Help,
        ]
    } else {
        vec![
            Command::Help,
            Command::Invite,
            Command::EditPermissions,
            Command::Resend,
            Command::CancelInvitation,
            Command::Revoke,
            Command::Filter,
            Command::CycleSort,
            Command::Reload,
            Command::CopyEmail,
            Command::FocusPermissions,
            Command::Yes,
            Command::No,
            Command::Activate,
            Command::FilterAccept,
            Command::FilterClear,
            Command::Back,
        ]
    };
    if matches!(mode, Mode::Users | Mode::Permissions) {
        priority.insert(1, Command::Quit);
    } else {
        priority.push(Command::Quit);
    }
    let rank = |name: &str| {
        priority
            .iter()
            .position(|c| c.short() == name)
            .unwrap_or(priority.len())
    };
    let mut hints = keymap.hints(mode);
    hints.retain(|(_, name)| *name != Command::Suspend.short());
    hints.sort_by_key(|(_, name)| rank(name));
    let room = usize::from(area.width);
    let mut used = 1;
    let mut spans = vec![Span::raw(" ")];
    for (keys, name) in hints {
        let hint = width(&keys) + 1 + name.len() + 2;
        if used + hint > room {
            if used < room {
                spans.push(Span::styled("…", theme::dim()));
            }
            break;
        }
        used += hint;
        spans.push(Span::styled(fit(&keys, room), theme::key()));
        spans.push(Span::raw(format!(" {name}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
