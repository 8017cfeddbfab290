//! Checks a request before it is sent, so that a mistake costs no request
//! from the hourly quota and gets a message that says what to fix.

use thiserror::Error;

use super::sanitize::is_unsafe;
use super::{catalog, request::AccessRequest};

/// Why an email address was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum EmailProblem {
    #[error("the email is empty")]
    Empty,
    #[error("the email has no @")]
    NoAt,
    #[error("the email has nothing before the @")]
    NoLocalPart,
    #[error("the email has no domain after the @")]
    NoDomain,
    #[error("the email's domain needs a dot, as in example.com")]
    DomainWithoutDot,
    #[error("the email contains a space or a control character")]
    Whitespace,
    #[error("the email is longer than 254 characters")]
    TooLong,
    #[error("the email has more than one @")]
    SeveralAts,
    #[error("the email's domain is malformed")]
    MalformedDomain,
    /// Invisible or direction-changing characters (U+202E, zero-width
    /// spaces): what the screen shows would not be the address sent.
    #[error("the email contains an invisible or direction-changing character (U+{0:04X})")]
    InvisibleCharacter(u32),
    /// Outside quotes, which no one types into an invitation, these
    /// characters are not part of an address (`mailto:a@x.test`, `a(x)@x.test`).
    #[error("the email contains {0:?}, which an address cannot have before the @")]
    LocalPartCharacter(char),
    #[error("the part before the @ cannot start or end with a dot, or have two in a row")]
    MisplacedDot,
}

/// Characters an unquoted local part may hold besides letters and digits
/// (RFC 5322 `atext`, plus the dot); any non-ASCII letter is allowed as
/// internationalised mail (RFC 6531) permits it.
const LOCAL_PART_SYMBOLS: &str = "!#$%&'*+-/=?^_`{|}~.";

/// Accepts what real mail systems accept, internationalised addresses
/// included; refuses what would certainly bounce or be a typo.
pub fn check_email(email: &str) -> Result<(), EmailProblem> {
    let email = email.trim();
    if email.is_empty() {
        return Err(EmailProblem::Empty);
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EmailProblem::Whitespace);
    }
    // The sanitiser's own predicate: what it would replace on screen is
    // refused here, so every face (forms, command line, import) shares one rule.
    if let Some(c) = email.chars().find(|c| is_unsafe(*c)) {
        return Err(EmailProblem::InvisibleCharacter(u32::from(c)));
    }
    if email.chars().count() > 254 {
        return Err(EmailProblem::TooLong);
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err(EmailProblem::NoAt);
    };
    if local.contains('@') {
        return Err(EmailProblem::SeveralAts);
    }
    if local.is_empty() {
        return Err(EmailProblem::NoLocalPart);
    }
    if let Some(c) = local
        .chars()
        .find(|c| c.is_ascii() && !c.is_ascii_alphanumeric() && !LOCAL_PART_SYMBOLS.contains(*c))
    {
        return Err(EmailProblem::LocalPartCharacter(c));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(EmailProblem::MisplacedDot);
    }
    if domain.is_empty() {
        return Err(EmailProblem::NoDomain);
    }
    if !domain.contains('.') {
        return Err(EmailProblem::DomainWithoutDot);
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if !domain.split('.').all(label_ok) {
        return Err(EmailProblem::MalformedDomain);
    }
    Ok(())
}

/// Why a request was refused before sending.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum InvalidRequest {
    #[error("{0}")]
    Email(#[from] EmailProblem),
    #[error("choose at least one permission, or grant all features")]
    NoPrivileges,
    #[error("unknown feature {feature:?}{}", hint(suggestion))]
    UnknownFeature {
        feature: String,
        suggestion: Option<&'static str>,
    },
    #[error("{feature:?} is no longer offered by Brevo")]
    LegacyFeature { feature: String },
    #[error("unknown permission {permission:?} for {feature}{}", hint(suggestion))]
    UnknownPermission {
        feature: String,
        permission: String,
        suggestion: Option<&'static str>,
    },
    #[error("{permission:?} does not apply to {feature} (it takes: {allowed})")]
    PermissionDoesNotFit {
        feature: String,
        permission: String,
        allowed: String,
    },
}

fn hint(suggestion: &Option<&'static str>) -> String {
    suggestion
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default()
}

/// Checks one feature/permission pair against the catalogue.
pub fn check_pair(feature: &str, permission: &str) -> Result<(), InvalidRequest> {
    let Some(entry) = catalog::feature(feature) else {
        return Err(InvalidRequest::UnknownFeature {
            feature: feature.to_owned(),
            suggestion: catalog::suggest_feature(feature),
        });
    };
    if !entry.current {
        return Err(InvalidRequest::LegacyFeature {
            feature: feature.to_owned(),
        });
    }
    if catalog::permission(permission).is_none_or(|p| !p.current) {
        return Err(InvalidRequest::UnknownPermission {
            feature: feature.to_owned(),
            permission: permission.to_owned(),
            suggestion: catalog::suggest_permission(feature, permission),
        });
    }
    if !catalog::fits(feature, permission) {
        return Err(InvalidRequest::PermissionDoesNotFit {
            feature: feature.to_owned(),
            permission: permission.to_owned(),
            allowed: entry.permissions.join(", "),
        });
    }
    Ok(())
}

impl AccessRequest {
    /// A valid email; at least one privilege unless all features; every
    /// feature and permission known and paired as the catalogue says —
    /// except features carried back verbatim from Brevo's own answer.
    pub fn validate(&self) -> Result<(), InvalidRequest> {
        check_email(&self.email)?;
        if self.all_features_access {
            return Ok(());
        }
        if self.grants.is_empty() && self.revoked_features.is_empty() {
            return Err(InvalidRequest::NoPrivileges);
        }
        for (feature, permissions) in self.grants.iter() {
            if self.carried_features.contains(feature) {
                continue;
            }
            for permission in permissions {
                check_pair(feature, permission)?;
            }
        }
        for feature in &self.revoked_features {
            if catalog::feature(feature).is_none() && !self.carried_features.contains(feature) {
                check_pair(feature, catalog::NONE)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brevo::grants::Grants;

    #[test]
    fn accepts_real_world_addresses() {
        for ok in [
            "a@b.co",
            "first.last+tag@example.test",
            "jürgen@bücher.example",
            "x_y-z@sub.domain.example",
        ] {
            assert_eq!(check_email(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_typos_with_a_reason() {
        assert_eq!(check_email(""), Err(EmailProblem::Empty));
        assert_eq!(check_email("new.hire"), Err(EmailProblem::NoAt));
        assert_eq!(check_email("@example.com"), Err(EmailProblem::NoLocalPart));
        assert_eq!(check_email("a@"), Err(EmailProblem::NoDomain));
        assert_eq!(
            check_email("a@localhost"),
            Err(EmailProblem::DomainWithoutDot)
        );
        assert_eq!(
            check_email("a b@example.com"),
            Err(EmailProblem::Whitespace)
        );
        assert_eq!(check_email("a@@example.com"), Err(EmailProblem::SeveralAts));
        assert_eq!(
            check_email("a@example..com"),
            Err(EmailProblem::MalformedDomain)
        );
    }

    #[test]
    fn refuses_what_the_screen_would_not_show_as_sent() {
        assert_eq!(
            check_email("a\u{202e}b@x.test"),
            Err(EmailProblem::InvisibleCharacter(0x202E))
        );
        assert_eq!(
            check_email("a\u{200b}@x.test"),
            Err(EmailProblem::InvisibleCharacter(0x200B))
        );
        assert_eq!(
            check_email("ops@acme\u{2060}.test"),
            Err(EmailProblem::InvisibleCharacter(0x2060))
        );
        assert_eq!(
            check_email("mailto:a@x.test"),
            Err(EmailProblem::LocalPartCharacter(':'))
        );
        assert_eq!(
            check_email("a(x)@x.test"),
            Err(EmailProblem::LocalPartCharacter('('))
        );
        assert_eq!(
            check_email("<a@x.test"),
            Err(EmailProblem::LocalPartCharacter('<'))
        );
        assert_eq!(check_email(".a@x.test"), Err(EmailProblem::MisplacedDot));
        assert_eq!(check_email("a..b@x.test"), Err(EmailProblem::MisplacedDot));
        assert_eq!(check_email("o'brien&co@x.test"), Ok(()));
    }

    #[test]
    fn refuses_a_request_without_privileges() {
        let request = AccessRequest::invite("a@b.test", false, Grants::new());
        assert_eq!(request.validate(), Err(InvalidRequest::NoPrivileges));
        assert_eq!(
            AccessRequest::invite("a@b.test", true, Grants::new()).validate(),
            Ok(())
        );
    }

    #[test]
    fn refuses_a_permission_that_does_not_fit_and_suggests_names() {
        let request = AccessRequest::invite(
            "a@b.test",
            false,
            Grants::from_pairs([("contacts", vec!["send"])]),
        );
        let message = request.validate().unwrap_err().to_string();
        assert!(message.contains("does not apply to contacts"), "{message}");
        let request = AccessRequest::invite(
            "a@b.test",
            false,
            Grants::from_pairs([("contact", vec!["view"])]),
        );
        assert!(
            request
                .validate()
                .unwrap_err()
                .to_string()
                .contains("did you mean contacts?")
        );
    }

    #[test]
    fn values_carried_back_from_brevo_are_not_judged() {
        let current = Grants::from_pairs([("meetings", vec!["all"]), ("contacts", vec!["view"])]);
        let desired = Grants::from_pairs([
            ("meetings", vec!["all"]),
            ("contacts", vec!["view", "import"]),
        ]);
        assert_eq!(
            AccessRequest::update("a@b.test", &current, &desired, false).validate(),
            Ok(())
        );
    }
}
