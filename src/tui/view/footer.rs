//! The two bottom lines: the latest toast, and the keys of the current mode.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::action::Command;
use super::super::form::{Load, Subject};
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
            Command::ScrollChangesUp,
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
            Command::OffboardEverywhere,
            Command::Invite,
            Command::EditPermissions,
            Command::Resend,
            Command::CancelInvitation,
            Command::Revoke,
            Command::FindEverywhere,
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
    let rank = |command: Command| {
        priority
            .iter()
            .position(|c| *c == command)
            .unwrap_or(priority.len())
    };
    let mut hints = hints(state, keymap);
    hints.sort_by_key(|(_, command, _)| rank(*command));
    let room = usize::from(area.width);
    let mut used = 1;
    let mut spans = vec![Span::raw(" ")];
    for (keys, _, name) in hints {
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

/// The hints of the mode: only commands that do something now, each with
/// the word that says what (the edit form saves, the invite form sends);
/// commands sharing a word are merged into one hint ("↑/↓ move"), keeping
/// the first key of each.
fn hints(state: &AppState, keymap: &Keymap) -> Vec<(String, Command, &'static str)> {
    let mut out: Vec<(String, Command, &'static str)> = Vec::new();
    for (command, keys) in keymap.commands(state.mode()) {
        // Ctrl-Z is listed by `?` only.
        if command == Command::Suspend {
            continue;
        }
        let Some(word) = word(state, command) else {
            continue;
        };
        let key = keys.first().map(|k| k.label()).unwrap_or_default();
        match out.iter_mut().find(|(_, _, name)| *name == word) {
            Some((label, _, _)) => {
                label.push('/');
                label.push_str(&key);
            }
            None => out.push((key, command, word)),
        }
    }
    out
}

/// The footer's word for `command`, or `None` when it would do nothing now.
fn word(state: &AppState, command: Command) -> Option<&'static str> {
    // In the help, the key that opened it and Esc both close it.
    if state.mode() == Mode::Help && matches!(command, Command::Help | Command::Back) {
        return Some("close");
    }
    if state.mode() == Mode::Everywhere {
        let offboarding = state
            .everywhere
            .as_ref()
            .and_then(|e| e.accounts())
            .is_some_and(|e| e.offboarding);
        return match command {
            // After offboarding, `O` only says to look again first.
            Command::OffboardEverywhere if offboarding => None,
            Command::FindEverywhere => Some("look again"),
            Command::Back => Some("close"),
            _ => Some(command.short()),
        };
    }
    let Some(form) = state
        .form()
        .filter(|_| matches!(state.mode(), Mode::Form | Mode::FormText))
    else {
        return Some(command.short());
    };
    // While the form's request is out (or the edited permissions are not
    // in yet) it stays as it is: only closing it and the help work.
    let frozen = state.form_busy() || form.waiting();
    match command {
        Command::CancelForm | Command::Help | Command::Quit => Some(command.short()),
        Command::Submit if state.form_busy() => None,
        Command::Submit if form.current().is_none() && form.waiting() => {
            // Enter fetches them again once they failed to load.
            matches!(
                &form.subject,
                Subject::Edit {
                    current: Load::Failed(_),
                    ..
                }
            )
            .then_some("retry")
        }
        Command::Submit if form.is_invite() => Some("send"),
        Command::Submit => Some("save"),
        Command::ScrollChangesUp | Command::ScrollChangesDown => {
            (form.changes().len() > 1).then_some(command.short())
        }
        _ if frozen => None,
        _ => Some(command.short()),
    }
}
