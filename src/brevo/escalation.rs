//! The one rule for "this hands out power": a grant of every feature, or of
//! *User management*, lets the person invite, change and revoke users in
//! turn. Every face (the forms, `invite`, `update`, `import`) asks a second
//! time when a change escalates, and all of them ask here.

use std::fmt;

use super::catalog::ESCALATING_FEATURE;
use super::grants::Grants;
use super::request::AccessRequest;

/// What a change hands out that lets the person manage users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escalation {
    /// Every feature, *User management* included.
    AllFeatures,
    /// *User management* permissions the person did not hold before.
    UserManagement,
}

impl Escalation {
    /// The grant, as a phrase: "all features, user management included".
    pub fn granted(self) -> &'static str {
        match self {
            Self::AllFeatures => "all features, user management included",
            Self::UserManagement => "user management",
        }
    }
}

impl fmt::Display for Escalation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.granted())
    }
}

/// Whether asking for `all_features` or `grants` lets the person manage
/// users where they could not before. `current` is what they hold now:
/// `None` for an invitation (or when it is not known, which counts as
/// holding nothing: the safe side). An update that keeps the *User
/// management* they already have is not an escalation; one that adds a
/// permission of it is.
pub fn escalation(
    all_features: bool,
    grants: &Grants,
    current: Option<&Grants>,
) -> Option<Escalation> {
    let held =
        |feature: &str, permission: &str| current.is_some_and(|c| c.contains(feature, permission));
    if all_features {
        let already_everything = current.is_some_and(|c| *c == Grants::everything());
        return (!already_everything).then_some(Escalation::AllFeatures);
    }
    let adds_user_management = grants
        .get(ESCALATING_FEATURE)
        .is_some_and(|permissions| permissions.iter().any(|p| !held(ESCALATING_FEATURE, p)));
    adds_user_management.then_some(Escalation::UserManagement)
}

impl AccessRequest {
    /// Whether sending this request escalates; see [`escalation`].
    pub fn escalation(&self, current: Option<&Grants>) -> Option<Escalation> {
        escalation(self.all_features_access, &self.grants, current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants(pairs: &[(&str, &[&str])]) -> Grants {
        Grants::from_pairs(pairs.iter().map(|(f, p)| (*f, p.to_vec())))
    }

    #[test]
    fn an_invitation_with_user_management_or_every_feature_escalates() {
        let none = Grants::new();
        assert_eq!(
            escalation(false, &grants(&[("contacts", &["view"])]), None),
            None
        );
        assert_eq!(
            escalation(false, &grants(&[("user_management", &["all"])]), None),
            Some(Escalation::UserManagement)
        );
        assert_eq!(escalation(true, &none, None), Some(Escalation::AllFeatures));
    }

    #[test]
    fn an_update_that_keeps_user_management_does_not_escalate() {
        let current = grants(&[("user_management", &["all"])]);
        let desired = grants(&[("user_management", &["all"]), ("contacts", &["view"])]);
        assert_eq!(escalation(false, &desired, Some(&current)), None);
    }

    #[test]
    fn an_update_that_adds_user_management_escalates() {
        let current = grants(&[("contacts", &["view"])]);
        let desired = grants(&[("user_management", &["all"])]);
        assert_eq!(
            escalation(false, &desired, Some(&current)),
            Some(Escalation::UserManagement)
        );
        // Every feature for someone who holds less is an escalation even if
        // they already manage users: they gain the rest.
        assert_eq!(
            escalation(
                true,
                &Grants::new(),
                Some(&grants(&[("user_management", &["all"])]))
            ),
            Some(Escalation::AllFeatures)
        );
        assert_eq!(
            escalation(true, &Grants::new(), Some(&Grants::everything())),
            None
        );
    }

    #[test]
    fn the_request_asks_the_same_rule() {
        let request = AccessRequest::invite("a@acme.test", true, Grants::new());
        assert_eq!(request.escalation(None), Some(Escalation::AllFeatures));
    }
}
