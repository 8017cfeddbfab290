//! What belongs to one account and must not follow a profile switch:
//! marks, the undo history, a bulk run. (The Everywhere view, when it
//! lands, is dropped here too.) Asked first when marks or an undo are
//! pending, so nothing done in one account is replayed in another.

use super::super::state::{AppState, Confirm, Confirmed, Modal};

/// Opens the question and says so, when something would be lost.
pub fn ask_before_switch(state: &mut AppState) -> bool {
    if state.marks.is_empty() && state.undo.is_empty() {
        return false;
    }
    let question = Confirm::new(Confirmed::ForgetAndSwitch);
    state.modals.open_over(Modal::Confirm(question));
    true
}

/// The switch happened: this account's marks, undo history and run go.
pub fn forget(state: &mut AppState) {
    state.marks.clear();
    state.undo.clear();
    state.bulk = None;
    state.everywhere = None;
}
