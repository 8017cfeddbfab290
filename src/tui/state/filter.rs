//! The filter's text read as terms, all of which a row must pass (AND):
//! words match the email fuzzily (`nucleo-matcher`, the matcher of helix
//! and television), and `field:value` terms match a field —
//! `status:pending`, `role:owner` / `role:member`, `feature:contacts`.
//! A term that cannot be read is left out of the filtering and said in a
//! hint, so a typo never shows as an empty list.

use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::brevo::{User, UserStatus, catalog};

/// One term of the filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// Matched fuzzily against the email; lower-cased.
    Email(String),
    Status(UserStatus),
    Owner(bool),
    /// A catalogue feature key: the user holds at least one permission of
    /// it (known only once their permissions are loaded; the owner holds
    /// every feature).
    Feature(&'static str),
}

/// The filter text, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
    /// What could not be read, said once (the terms it names are ignored).
    pub hint: Option<String>,
}

/// Whether a user passes a feature term, as far as known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    Yes,
    No,
    /// Their permissions are not loaded (or failed to load).
    Unknown,
}

const FIELDS: &str = "status:, role:, feature:";

impl Query {
    pub fn parse(text: &str) -> Self {
        let mut query = Self::default();
        let mut hints: Vec<String> = Vec::new();
        for word in text.split_whitespace() {
            let Some((field, value)) = word.split_once(':') else {
                query.terms.push(Term::Email(word.to_lowercase()));
                continue;
            };
            let value = value.to_lowercase();
            let term = match field.to_lowercase().as_str() {
                "status" => status(&value),
                "role" => role(&value),
                "feature" => feature(&value),
                other => Err(format!("no field “{other}:” (use {FIELDS})")),
            };
            match term {
                Ok(term) => query.terms.push(term),
                Err(hint) => hints.push(hint),
            }
        }
        if !hints.is_empty() {
            query.hint = Some(format!("{}; ignored", hints.join("; ")));
        }
        query
    }

    /// Whether every row this query shows is among the rows of `earlier`
    /// (a text it extends): each earlier term comes back as strict or
    /// stricter — a fuzzy word only longer, a field term the same.
    pub fn narrows(&self, earlier: &Query) -> bool {
        self.hint.is_none()
            && earlier.hint.is_none()
            && earlier.terms.len() <= self.terms.len()
            && earlier
                .terms
                .iter()
                .zip(&self.terms)
                .all(|(before, now)| match (before, now) {
                    (Term::Email(before), Term::Email(now)) => now.starts_with(before.as_str()),
                    (before, now) => before == now,
                })
    }

    /// Whether any term needs the users' permissions.
    pub fn needs_permissions(&self) -> bool {
        self.terms.iter().any(|t| matches!(t, Term::Feature(_)))
    }

    /// The email words, for highlighting.
    pub fn email_words(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().filter_map(|t| match t {
            Term::Email(word) => Some(word.as_str()),
            _ => None,
        })
    }

    /// Whether `user` (whose lower-cased email is `lower`) passes every
    /// term; `Unknown` when only a feature term could not be told.
    pub fn passes(
        &self,
        matcher: &mut Matcher,
        user: &User,
        lower: &str,
        holds: impl Fn(&'static str) -> Holds,
    ) -> Holds {
        let mut unknown = false;
        let mut haystack_buf = Vec::new();
        let mut needle_buf = Vec::new();
        for term in &self.terms {
            let pass = match term {
                Term::Email(word) => {
                    let haystack = Utf32Str::new(lower, &mut haystack_buf);
                    let needle = Utf32Str::new(word, &mut needle_buf);
                    matcher.fuzzy_match(haystack, needle).is_some()
                }
                Term::Status(status) => user.status == *status,
                Term::Owner(owner) => user.is_owner == *owner,
                Term::Feature(_) if user.is_owner => true,
                Term::Feature(key) => match holds(key) {
                    Holds::Yes => true,
                    Holds::No => false,
                    Holds::Unknown => {
                        unknown = true;
                        true
                    }
                },
            };
            if !pass {
                return Holds::No;
            }
        }
        if unknown { Holds::Unknown } else { Holds::Yes }
    }
}

/// A matcher for emails; it allocates about 135 KB, so one is reused for a
/// whole pass over the list.
pub fn matcher() -> Matcher {
    Matcher::new(Config::DEFAULT)
}

/// The characters of `email` (char indices) that the email words match,
/// for highlighting; sorted, without repeats.
pub fn matched_chars(matcher: &mut Matcher, query: &Query, email: &str) -> Vec<u32> {
    let mut indices = Vec::new();
    let mut haystack_buf = Vec::new();
    let mut needle_buf = Vec::new();
    for word in query.email_words() {
        let haystack = Utf32Str::new(email, &mut haystack_buf);
        let needle = Utf32Str::new(word, &mut needle_buf);
        matcher.fuzzy_indices(haystack, needle, &mut indices);
    }
    indices.sort_unstable();
    indices.dedup();
    indices
}

/// A value is taken when it starts a known one, so the list narrows while
/// it is typed.
fn status(value: &str) -> Result<Term, String> {
    match value {
        v if !v.is_empty() && "pending".starts_with(v) => Ok(Term::Status(UserStatus::Pending)),
        v if !v.is_empty() && "active".starts_with(v) => Ok(Term::Status(UserStatus::Active)),
        _ => Err("status: is pending or active".to_owned()),
    }
}

fn role(value: &str) -> Result<Term, String> {
    match value {
        v if !v.is_empty() && "owner".starts_with(v) => Ok(Term::Owner(true)),
        v if !v.is_empty() && "member".starts_with(v) => Ok(Term::Owner(false)),
        _ => Err("role: is owner or member".to_owned()),
    }
}

/// A current feature by key or name (`contacts`, `sms_campaigns`,
/// `sms-campaigns`), or by the start of exactly one of them.
fn feature(value: &str) -> Result<Term, String> {
    let value = value.replace('-', "_");
    let spelled = |f: &catalog::Feature| {
        [
            f.key.to_owned(),
            f.name.to_lowercase().replace([' ', '-'], "_"),
        ]
    };
    let features: Vec<&'static catalog::Feature> = catalog::current_features().collect();
    if value.is_empty() {
        return Err("feature: needs a feature, e.g. feature:contacts".to_owned());
    }
    if let Some(f) = features.iter().find(|f| spelled(f).contains(&value)) {
        return Ok(Term::Feature(f.key));
    }
    let starting: Vec<&&catalog::Feature> = features
        .iter()
        .filter(|f| spelled(f).iter().any(|s| s.starts_with(&value)))
        .collect();
    match starting[..] {
        [only] => Ok(Term::Feature(only.key)),
        [] => Err(format!("no feature “{value}”")),
        ref many => {
            let names: Vec<&str> = many.iter().take(4).map(|f| f.key).collect();
            let more = if many.len() > 4 { ", …" } else { "" };
            Err(format!(
                "feature:{value} could be {}{more}",
                names.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_fuzzy_and_fields_are_read() {
        let query = Query::parse("ops status:pend ROLE:member feature:contacts");
        assert_eq!(
            query.terms,
            vec![
                Term::Email("ops".into()),
                Term::Status(UserStatus::Pending),
                Term::Owner(false),
                Term::Feature("contacts"),
            ]
        );
        assert_eq!(query.hint, None);
        assert!(query.needs_permissions());
    }

    #[test]
    fn an_unknown_field_or_value_is_a_hint_and_is_ignored() {
        let query = Query::parse("colour:red acme status:gone");
        assert_eq!(query.terms, vec![Term::Email("acme".into())]);
        let hint = query.hint.unwrap();
        assert!(hint.contains("no field “colour:”"), "{hint}");
        assert!(hint.contains("status: is pending or active"), "{hint}");
        let hint = Query::parse("feature:c").hint.unwrap();
        assert!(hint.contains("could be"), "{hint}");
    }

    #[test]
    fn the_fuzzy_match_skips_letters_and_says_which_matched() {
        let query = Query::parse("opsacm");
        let user = User {
            email: "Ops@Acme.test".into(),
            is_owner: false,
            status: UserStatus::Active,
            feature_access: Default::default(),
            id: None,
            locale: None,
        };
        let mut m = matcher();
        let pass = query.passes(&mut m, &user, "ops@acme.test", |_| Holds::No);
        assert_eq!(pass, Holds::Yes);
        let other = Query::parse("zz");
        assert_eq!(
            other.passes(&mut m, &user, "ops@acme.test", |_| Holds::No),
            Holds::No
        );
        assert_eq!(
            matched_chars(&mut m, &query, &user.email),
            vec![0, 1, 2, 4, 5, 6]
        );
    }
}
