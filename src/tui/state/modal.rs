//! The one modal slot and what can occupy it: a confirmation that carries
//! what it confirms, the help overlay, a form, or the profile switcher.

use crate::brevo::{Change, Escalation};

use super::super::form::Form;
use super::{Mode, ProfilePicker};

/// The buttons of a confirmation dialog.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Button {
    Yes,
    #[default]
    No,
}

/// Why a dialog asks to send a change again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    NotDone,
    CannotTell,
}

/// What a confirmation dialog confirms; accepted, it is carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmed {
    Apply(Change),
    Retry(Change, RetryReason),
    Quit,
    /// A form's change that grants all features or user management: the
    /// invitee could manage users in turn. Accepted, the form sends it.
    Escalation(Change, Escalation),
    /// Closing a form that holds what the admin typed.
    Discard,
}

#[derive(Clone, Debug)]
pub struct Confirm {
    pub what: Confirmed,
    pub focus: Button,
}

impl Confirm {
    pub fn new(what: Confirmed) -> Self {
        Self {
            what,
            focus: Button::No,
        }
    }
}

/// The one modal slot. A form that asks a question (or shows the help)
/// waits at the front of `queued_modals` and is drawn beneath it.
#[derive(Clone, Debug)]
pub enum Modal {
    Confirm(Confirm),
    /// Lists the keys of the mode underneath.
    Help(Mode),
    /// Invite or edit: boxed, it is much larger than the others.
    Form(Box<Form>),
    /// The profile switcher (`P`).
    Profiles(ProfilePicker),
}
