//! The dialogs and forms over the list, kept as one stack, and what can be
//! in it: a confirmation that carries what it confirms, the help overlay, a
//! form, or the profile switcher.

use crate::brevo::{Change, Escalation};

use super::super::form::Form;
use super::conflict::Conflict;
use super::mode::Mode;
use super::palette::Palette;
use super::profiles::ProfilePicker;

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
    /// A form's change that needs a seat beyond those bought: Brevo may
    /// bill one. Carries the core's sentence per vertical over its seats
    /// (the dialog names them). Accepted, the form sends it.
    Billing(Change, Vec<String>),
    /// Closing a form that holds what the admin typed.
    Discard,
    /// `O` in the Everywhere view: offboard as the plan says; the dialog
    /// names every account, what happens there, and the guards' warnings.
    OffboardEverywhere(crate::everywhere::Plan),
    /// `P` while marks or an undo are pending: they belong to this account.
    ForgetAndSwitch,
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

/// The help overlay: the mode whose keys it lists, and how far it is
/// scrolled (a small terminal shows one column, a part at a time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HelpOverlay {
    pub mode: Mode,
    /// The first entry shown.
    pub scroll: usize,
}

impl HelpOverlay {
    pub fn new(mode: Mode) -> Self {
        Self { mode, scroll: 0 }
    }

    /// Moves by `delta` entries, kept within what `entries` rows of which
    /// `shown` fit on screen can show: never past the last page, so the
    /// key that scrolls back works at once.
    pub fn scroll_by(&mut self, delta: isize, entries: usize, shown: usize) {
        let last = entries.saturating_sub(shown.max(1));
        self.scroll = self.scroll.saturating_add_signed(delta).min(last);
    }
}

#[derive(Clone, Debug)]
pub enum Modal {
    Confirm(Confirm),
    /// Lists the keys of the mode underneath.
    Help(HelpOverlay),
    /// Invite or edit: boxed, it is much larger than the others.
    Form(Box<Form>),
    /// The profile switcher (`P`).
    Profiles(ProfilePicker),
    /// The command palette (`:`).
    Palette(Palette),
    /// The edited permissions changed meanwhile: theirs or the form's?
    Conflict(Box<Conflict>),
    /// A bulk action's (or an undo's) one confirmation.
    Bulk(Box<super::bulk::BulkPlan>),
    /// The journal of this run (`L`).
    Journal(super::journal::JournalView),
    /// The presets to apply to the marked users (`p`); the cursor.
    Presets(ProfilePicker),
}

impl Modal {
    /// The keys the modal alone decides (whether a form's email field
    /// takes letters is `AppState::mode`'s to say).
    pub fn mode(&self) -> Mode {
        match self {
            Self::Confirm(_) => Mode::Confirm,
            Self::Help(_) => Mode::Help,
            Self::Form(_) => Mode::Form,
            Self::Profiles(_) => Mode::Profiles,
            Self::Bulk(_) => Mode::BulkConfirm,
            Self::Journal(_) => Mode::Journal,
            Self::Presets(_) => Mode::Presets,
            Self::Palette(_) => Mode::Palette,
            Self::Conflict(_) => Mode::Conflict,
        }
    }

    /// The help overlay over `mode`, scrolled to its top.
    pub fn help(mode: Mode) -> Self {
        Self::Help(HelpOverlay::new(mode))
    }

    /// How many of the help's entries one column shows on a screen this
    /// tall: the view draws that many, `update` scrolls by them.
    pub fn help_rows(screen_height: u16) -> usize {
        usize::from(screen_height.saturating_sub(4)).max(1)
    }
}

/// Every open dialog and form; the last one is on screen and has the keys.
/// Where a new one goes is decided here and only here:
/// - [`Modals::open_over`]: what the admin just asked for (a second
///   confirmation over its form, the help, a quit question) goes on top;
///   what it covers comes back when it closes, so nothing typed is lost.
/// - [`Modals::open_after`]: what arrives unasked (a background answer that
///   asks a question) waits beneath everything open, so a key meant for
///   the dialog on screen never answers a dialog that appeared under it.
#[derive(Clone, Debug, Default)]
pub struct Modals {
    stack: Vec<Modal>,
}

impl Modals {
    /// The dialog on screen.
    pub fn top(&self) -> Option<&Modal> {
        self.stack.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Modal> {
        self.stack.last_mut()
    }

    /// The one beneath the top (a form under its question is drawn too).
    pub fn beneath(&self) -> Option<&Modal> {
        self.stack.iter().rev().nth(1)
    }

    pub fn open_over(&mut self, modal: Modal) {
        self.stack.push(modal);
    }

    /// On top when nothing else is open; a help overlay gives way to it.
    pub fn open_after(&mut self, modal: Modal) {
        if matches!(self.stack.last(), Some(Modal::Help(_))) {
            self.stack.pop();
        }
        self.stack.insert(0, modal);
    }

    /// Closes the one on screen; the next one beneath shows.
    pub fn close_top(&mut self) -> Option<Modal> {
        self.stack.pop()
    }

    /// Removes the form, wherever it waits.
    pub fn close_form(&mut self) {
        self.stack.retain(|m| !matches!(m, Modal::Form(_)));
    }

    pub fn clear(&mut self) {
        self.stack.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    pub fn form(&self) -> Option<&Form> {
        self.stack.iter().rev().find_map(|modal| match modal {
            Modal::Form(form) => Some(form.as_ref()),
            _ => None,
        })
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        self.stack.iter_mut().rev().find_map(|modal| match modal {
            Modal::Form(form) => Some(form.as_mut()),
            _ => None,
        })
    }
}
