//! The invite and edit-privileges forms: their state and the rules that do
//! not need the rest of the dashboard. A form never loses what the admin
//! typed: failures are shown inside it, and only the admin closes it.

mod privileges;
pub mod rules;

use tui_input::{Input, InputRequest};

use crate::brevo::sanitize::is_unsafe;

use crate::brevo::{ApiError, Change, Grants};

pub use privileges::{Privileges, Row};

/// What the form is about.
#[derive(Clone, Debug)]
pub enum Subject {
    Invite { email: Input },
    Edit { email: String, current: Load },
}

/// An edited user's permissions as the form knows them.
#[derive(Clone, Debug)]
pub enum Load {
    Loading,
    Failed(ApiError),
    Loaded(Grants),
}

/// The parts of a form the focus moves between, in Tab order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Field {
    #[default]
    Email,
    AllFeatures,
    Presets,
    Grid,
}

/// Where the latest request stands.
/// A message inside the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A hint that goes away with the next edit.
    Hint(String),
    /// The form refused to send: what to fix. Gone with the next edit.
    Invalid(String),
    /// Brevo's answer to the latest attempt; stays until the next one.
    Failed(String),
    /// Progress or a neutral fact.
    Info(String),
}

#[derive(Clone, Debug)]
pub struct Form {
    pub subject: Subject,
    pub privileges: Privileges,
    pub focus: Field,
    pub notice: Option<Notice>,
    /// A change whose outcome is still unknown (checking failed): the next
    /// submit asks Brevo again instead of sending it a second time.
    pub unresolved: Option<Change>,
    /// The first changed feature the edit form's list of changes shows,
    /// when it is longer than the room it has.
    pub changes_scroll: usize,
    /// Before an edit is sent, the permissions are read again (one
    /// request) to catch a change made by someone else since the form
    /// opened: the request waited for, and the change it holds back.
    pub reread: Option<Reread>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reread {
    pub request: u64,
    pub change: Change,
}

impl Form {
    pub fn invite() -> Self {
        Self {
            subject: Subject::Invite {
                email: Input::default(),
            },
            privileges: Privileges::new(Grants::new(), &Default::default()),
            focus: Field::Email,
            notice: None,
            unresolved: None,
            changes_scroll: 0,
            reread: None,
        }
    }

    /// An edit form; `current` is `None` until the permissions arrive.
    pub fn edit(email: &str, current: Option<Grants>) -> Self {
        let mut form = Self {
            subject: Subject::Edit {
                email: email.to_owned(),
                current: Load::Loading,
            },
            privileges: Privileges::new(Grants::new(), &Default::default()),
            focus: Field::Grid,
            notice: None,
            unresolved: None,
            changes_scroll: 0,
            reread: None,
        };
        if let Some(current) = current {
            form.loaded(Ok(current));
        }
        form
    }

    /// The edited user's permissions arrived (or could not be read).
    pub fn loaded(&mut self, result: Result<Grants, ApiError>) {
        let Subject::Edit { current, .. } = &mut self.subject else {
            return;
        };
        match result {
            Ok(grants) => {
                self.privileges = Privileges::new(grants.clone(), &grants.unrecognised_features());
                *current = Load::Loaded(grants);
            }
            Err(error) => *current = Load::Failed(error),
        }
    }

    /// Someone else's permissions become what the form started from; what
    /// the admin ticked stays, so the changes shown are against theirs.
    pub fn rebase(&mut self, theirs: Grants) {
        if let Subject::Edit { current, .. } = &mut self.subject {
            *current = Load::Loaded(theirs);
        }
    }

    pub fn is_invite(&self) -> bool {
        matches!(self.subject, Subject::Invite { .. })
    }

    /// The email typed (invite) or edited (edit).
    pub fn email(&self) -> &str {
        match &self.subject {
            Subject::Invite { email } => email.value(),
            Subject::Edit { email, .. } => email,
        }
    }

    /// The edited user's permissions before any change, once loaded.
    pub fn current(&self) -> Option<&Grants> {
        match &self.subject {
            Subject::Edit {
                current: Load::Loaded(grants),
                ..
            } => Some(grants),
            _ => None,
        }
    }

    /// Whether the edit form still waits for (or failed to get) the
    /// permissions it edits.
    pub fn waiting(&self) -> bool {
        matches!(
            self.subject,
            Subject::Edit {
                current: Load::Loading | Load::Failed(_),
                ..
            }
        )
    }

    /// Keys are text: the email field has the focus.
    pub fn typing(&self) -> bool {
        self.is_invite() && self.focus == Field::Email
    }

    /// Whether closing would lose something the admin did.
    pub fn touched(&self) -> bool {
        match &self.subject {
            Subject::Invite { email } => {
                !email.value().is_empty()
                    || self.privileges.all_features
                    || !self.privileges.grants.is_empty()
            }
            Subject::Edit { .. } => self.current().is_some_and(|_| !self.changes().is_empty()),
        }
    }

    /// The fields the focus visits, in order.
    fn fields(&self) -> Vec<Field> {
        let mut fields = Vec::with_capacity(4);
        if self.is_invite() {
            fields.push(Field::Email);
        }
        if !self.waiting() {
            fields.extend([Field::AllFeatures, Field::Presets]);
            if !self.privileges.all_features {
                fields.push(Field::Grid);
            }
        }
        fields
    }

    /// Tab (`forward`) or Shift-Tab.
    pub fn cycle_focus(&mut self, forward: bool) {
        let fields = self.fields();
        if fields.is_empty() {
            return;
        }
        let at = fields.iter().position(|f| *f == self.focus);
        let next = match (at, forward) {
            (Some(i), true) => (i + 1) % fields.len(),
            (Some(i), false) => (i + fields.len() - 1) % fields.len(),
            (None, _) => 0,
        };
        self.focus = fields[next];
    }

    /// ↑/↓ outside the grid: the previous or next field, without wrapping.
    pub fn step_focus(&mut self, down: bool) {
        let fields = self.fields();
        let Some(at) = fields.iter().position(|f| *f == self.focus) else {
            return;
        };
        let next = if down {
            (at + 1).min(fields.len() - 1)
        } else {
            at.saturating_sub(1)
        };
        self.focus = fields[next];
    }

    /// An editing key in the email field. Control, bidi and zero-width
    /// characters never reach it: pasted from a web page, they would send
    /// the invitation to an address that only looks right.
    pub fn edit_email(&mut self, request: InputRequest) {
        if let InputRequest::InsertChar(c) = request
            && is_unsafe(c)
        {
            return;
        }
        if let Subject::Invite { email } = &mut self.subject
            && email.handle(request).is_some_and(|c| c.value)
        {
            self.edited();
        }
    }

    /// A bracketed paste: lands in the email field at the cursor, without
    /// the line break or spaces a copied address often brings along.
    pub fn paste(&mut self, text: &str) {
        if !self.typing() {
            return;
        }
        for c in text.trim().chars() {
            self.edit_email(InputRequest::InsertChar(c));
        }
    }

    /// Something changed: what the form said about the old values is stale.
    pub fn edited(&mut self) {
        if matches!(self.notice, Some(Notice::Hint(_) | Notice::Invalid(_))) {
            self.notice = None;
        }
    }
}

#[cfg(test)]
mod tests;
