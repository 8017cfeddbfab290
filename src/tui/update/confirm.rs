//! Every confirmation dialog's keys, and the quit question. A dialog
//! carries what it confirms; accepted, that is carried out here.

use super::super::action::{Command, Effect};
use super::super::state::{AppState, Button, Confirm, Confirmed, Modal};
use super::{changes, everywhere, forms, profiles, undo};

/// Keys while a confirmation dialog is open.
pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(Modal::Confirm(confirm)) = state.modals.top_mut() else {
        return Vec::new();
    };
    match command {
        Command::Yes => accept(state),
        Command::No => {
            state.modals.close_top();
            Vec::new()
        }
        Command::Activate if confirm.focus == Button::Yes => accept(state),
        Command::Activate => {
            state.modals.close_top();
            Vec::new()
        }
        Command::NextButton | Command::PrevButton => {
            confirm.focus = match confirm.focus {
                Button::Yes => Button::No,
                Button::No => Button::Yes,
            };
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn accept(state: &mut AppState) -> Vec<Effect> {
    let Some(Modal::Confirm(confirm)) = state.modals.top().cloned() else {
        return Vec::new();
    };
    state.modals.close_top();
    match confirm.what {
        Confirmed::Apply(change) => undo::send_confirmed(state, change),
        Confirmed::Retry(change, _) => changes::send(state, change),
        Confirmed::ForgetAndSwitch => profiles::open_picker(state),
        Confirmed::Quit => {
            vec![Effect::Quit]
        }
        // The form came back from the queue when the dialog closed. The
        // seats are asked about next: one question never hides the other.
        Confirmed::Escalation(change, _) => forms::ask_billing_or_send(state, change),
        Confirmed::Billing(change, _) => forms::send(state, change),
        Confirmed::Discard => {
            forms::close_form(state);
            Vec::new()
        }
        Confirmed::OffboardEverywhere(plan) => everywhere::confirmed(state, plan),
    }
}

/// `q`/Ctrl-C: asks first while a change has no answer yet.
pub fn quit(state: &mut AppState) -> Vec<Effect> {
    let asking = matches!(
        state.modals.top(),
        Some(Modal::Confirm(Confirm {
            what: Confirmed::Quit,
            ..
        }))
    );
    let unanswered = !state.in_flight.is_empty();
    let unsaved = state.form().is_some_and(|form| form.touched());
    if (unanswered || unsaved) && !asking {
        // Over everything: the user is leaving.
        let question = Modal::Confirm(Confirm::new(Confirmed::Quit));
        state.modals.open_over(question);
        return Vec::new();
    }
    vec![Effect::Quit]
}
