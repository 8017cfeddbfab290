//! What the form asks for and whether it may: the email against the
//! rules and the loaded list, the change per feature, the request itself
//! (built by the core's one builder), and when to confirm a second time.

use crate::brevo::escalation::{Escalation, escalation};
use crate::brevo::validate::{EmailProblem, check_email};
use crate::brevo::{AccessRequest, Change, FeatureChange, User};

use super::{Form, Subject};

/// What the invite form says under the email as it is typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmailCheck {
    Empty,
    Malformed(EmailProblem),
    AlreadyUser,
    AlreadyInvited,
    Fine,
}

impl EmailCheck {
    /// The sentence under the field, or why the form will not send.
    pub fn reason(&self) -> Option<String> {
        match self {
            Self::Empty | Self::Fine => None,
            Self::Malformed(problem) => Some(problem.to_string()),
            Self::AlreadyUser => Some("already a user of this account".to_owned()),
            Self::AlreadyInvited => {
                Some("already invited: resend the invitation from the list (r)".to_owned())
            }
        }
    }
}

impl Form {
    /// The typed email against the rules and the loaded list.
    pub fn email_check(&self, users: &[User]) -> EmailCheck {
        let email = self.email().trim();
        if email.is_empty() {
            return EmailCheck::Empty;
        }
        if let Err(problem) = check_email(email) {
            return EmailCheck::Malformed(problem);
        }
        match users.iter().find(|u| u.has_email(email)) {
            Some(user) if user.is_pending() => EmailCheck::AlreadyInvited,
            Some(_) => EmailCheck::AlreadyUser,
            None => EmailCheck::Fine,
        }
    }

    /// What saving would change, per feature (edit form).
    pub fn changes(&self) -> Vec<FeatureChange> {
        self.current()
            .map(|current| current.diff(&self.privileges.intended()))
            .unwrap_or_default()
    }

    /// The change the form asks for, or why it cannot be sent.
    pub fn request(&self, users: &[User]) -> Result<Change, String> {
        let privileges = &self.privileges;
        let change = match &self.subject {
            Subject::Invite { email } => {
                if let Some(reason) = self.email_check(users).reason() {
                    return Err(reason);
                }
                let request = AccessRequest::invite(
                    email.value(),
                    privileges.all_features,
                    privileges.grants.clone(),
                );
                request.validate().map_err(|e| e.to_string())?;
                Change::Invite(request)
            }
            Subject::Edit { email, .. } => {
                let Some(current) = self.current() else {
                    return Err("the permissions are not loaded yet".to_owned());
                };
                if self.changes().is_empty() {
                    return Err("no changes: nothing to save".to_owned());
                }
                let request = AccessRequest::update(
                    email,
                    current,
                    &privileges.grants,
                    privileges.all_features,
                );
                request.validate().map_err(|e| e.to_string())?;
                Change::UpdatePermissions(request)
            }
        };
        Ok(change)
    }

    /// The change as far as seats go, before it is valid (an email still
    /// being typed): what the form would send, for the seat line. `None`
    /// while nothing is chosen, or the edit has nothing to save.
    pub fn seat_draft(&self) -> Option<Change> {
        let privileges = &self.privileges;
        match &self.subject {
            Subject::Invite { email } => (privileges.all_features || !privileges.grants.is_empty())
                .then(|| {
                    Change::Invite(AccessRequest::invite(
                        email.value(),
                        privileges.all_features,
                        privileges.grants.clone(),
                    ))
                }),
            Subject::Edit { email, .. } => {
                let current = self.current()?;
                (!self.changes().is_empty()).then(|| {
                    Change::UpdatePermissions(AccessRequest::update(
                        email,
                        current,
                        &privileges.grants,
                        privileges.all_features,
                    ))
                })
            }
        }
    }

    /// Whether sending lets the user manage users in turn, where they
    /// could not before (the core's rule): then the admin confirms a
    /// second time.
    pub fn escalation(&self) -> Option<Escalation> {
        escalation(
            self.privileges.all_features,
            &self.privileges.grants,
            self.current(),
        )
    }
}
