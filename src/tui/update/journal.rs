//! `L`: the journal of this run. What goes into it (calls, changes,
//! messages) and its keys: moving, `y` copies the line's request id.

use crate::brevo::sanitize::sanitize;
use crate::brevo::{ApiError, Change, ChangeOutcome};

use super::super::action::{Command, Effect};
use super::super::state::journal::{EntryKind, JournalView};
use super::super::state::{AppState, Modal, ToastKind};
use super::toast::toast;

pub fn open(state: &mut AppState) -> Vec<Effect> {
    state
        .modals
        .open_over(Modal::Journal(JournalView::default()));
    Vec::new()
}

/// A change's answer, journaled whoever waits for it.
pub fn change_answered(
    state: &mut AppState,
    change: &Change,
    result: Result<&ChangeOutcome, &ApiError>,
) {
    let (text, ok, id) = match result {
        Ok(outcome) => {
            let mut text = format!("{change}: done");
            if let Some(note) = outcome.billing_note() {
                text.push_str(&format!(" · {}", sanitize(&note)));
            }
            (text, true, None)
        }
        Err(error) if error.is_unclear() => (
            format!("{change}: no clear answer ({error}); checking"),
            false,
            error.request_id().map(str::to_owned),
        ),
        Err(error) => (
            format!("{change}: failed: {error}"),
            false,
            error.request_id().map(str::to_owned),
        ),
    };
    state.journal.push(EntryKind::Change, text, ok, id);
}

pub fn note(state: &mut AppState, text: String, ok: bool) {
    state.journal.push(EntryKind::Change, text, ok, None);
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let len = state.journal.len();
    let page = usize::from(state.height.saturating_sub(6)).max(1);
    let Some(Modal::Journal(view)) = state.modals.top_mut() else {
        return Vec::new();
    };
    let last = len.saturating_sub(1);
    let cursor = view.cursor;
    view.cursor = match command {
        Command::Back | Command::Journal => {
            state.modals.close_top();
            return Vec::new();
        }
        Command::Up => cursor.saturating_sub(1),
        Command::Down => (cursor + 1).min(last),
        Command::PageUp => cursor.saturating_sub(page),
        Command::PageDown => (cursor + page).min(last),
        Command::Top => 0,
        Command::Bottom => last,
        Command::CopyRequestId => return copy(state, cursor),
        _ => cursor,
    };
    Vec::new()
}

fn copy(state: &mut AppState, cursor: usize) -> Vec<Effect> {
    let id = state
        .journal
        .newest(cursor)
        .and_then(|e| e.request_id.clone());
    match id {
        // Only what holds nothing a paste could run reaches the clipboard.
        Some(id) if matches!(sanitize(&id), std::borrow::Cow::Borrowed(_)) && !id.is_empty() => {
            vec![Effect::CopyToClipboard(id)]
        }
        _ => toast(
            state,
            ToastKind::Error,
            "this line has no request id to copy".to_owned(),
        ),
    }
}
