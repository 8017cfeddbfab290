//! Marks: `Space` marks or unmarks the selected user and moves down, `*`
//! marks every user shown, `Esc` clears them (before the filter).

use super::super::action::Effect;
use super::super::state::{AppState, ToastKind};
use super::list;
use super::toast::toast;

pub fn toggle(state: &mut AppState) -> Vec<Effect> {
    let Some(email) = state.selected_user().map(|u| u.email.clone()) else {
        return toast(state, ToastKind::Error, "no user selected".to_owned());
    };
    state.marks.toggle(&email);
    list::move_by(state, 1)
}

/// Marks the rows shown (the filter's), not those it hides.
pub fn mark_all(state: &mut AppState) -> Vec<Effect> {
    state.refresh_rows();
    let rows = state.visible().into_owned();
    state.marks.reserve(rows.len());
    for i in rows {
        let email = &state.list.users[i].email;
        state.marks.mark(email);
    }
    Vec::new()
}

/// Esc with marks: they go first; the filter stays.
pub fn clear(state: &mut AppState) -> Vec<Effect> {
    let n = state.marks.len();
    state.marks.clear();
    let text = match n {
        1 => "1 mark cleared".to_owned(),
        n => format!("{n} marks cleared"),
    };
    toast(state, ToastKind::Info, text)
}
