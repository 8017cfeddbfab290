//! The one catalogue of Brevo features and permissions (spec §2).
//!
//! Everything that needs to know which features exist, which permissions fit
//! which feature, how Brevo labels them on the wire and how we name them on
//! screen reads it from here: the client's validation, the forms, the CLI's
//! `--grant` parsing and the mock server. There is no second list.

use super::catalog_table::PERMISSION_ALIASES;
pub use super::catalog_table::{FEATURES, Feature, NONE, PERMISSIONS, Permission};

/// The features offered in forms and the CLI, in display order.
pub fn current_features() -> impl Iterator<Item = &'static Feature> {
    FEATURES.iter().filter(|f| f.current)
}

/// Looks a feature up by its key (exact, as sent on the wire).
pub fn feature(key: &str) -> Option<&'static Feature> {
    FEATURES.iter().find(|f| f.key == key)
}

/// Looks a permission up by its key or one of its known alternative spellings.
pub fn permission(key: &str) -> Option<&'static Permission> {
    let key = PERMISSION_ALIASES
        .iter()
        .find(|(alias, _)| *alias == key)
        .map_or(key, |(_, canonical)| canonical);
    PERMISSIONS.iter().find(|p| p.key == key)
}

/// Maps what Brevo sent for a feature — a key or a documented label, in any
/// case — to the catalogue entry.
pub fn feature_from_wire(value: &str) -> Option<&'static Feature> {
    let value = value.trim();
    FEATURES.iter().find(|f| {
        f.key.eq_ignore_ascii_case(value)
            || f.wire_label.is_some_and(|l| l.eq_ignore_ascii_case(value))
    })
}

/// Maps what Brevo sent for a permission — a key, an alias or a documented
/// label, in any case — to the catalogue entry.
pub fn permission_from_wire(value: &str) -> Option<&'static Permission> {
    let value = value.trim();
    PERMISSIONS
        .iter()
        .find(|p| {
            p.key.eq_ignore_ascii_case(value)
                || p.wire_label.is_some_and(|l| l.eq_ignore_ascii_case(value))
        })
        .or_else(|| permission(&value.to_ascii_lowercase()))
}

/// Whether `permission` is one Brevo pairs with `feature` (spec §2.3).
/// `none` fits every feature: it is how access to a feature is removed.
pub fn fits(feature: &str, permission: &str) -> bool {
    if permission == NONE {
        return self::feature(feature).is_some();
    }
    let permission = self::permission(permission).map_or(permission, |p| p.key);
    self::feature(feature).is_some_and(|f| f.permissions.contains(&permission))
}

/// Our display name for a feature key; an unknown key is shown as it came.
pub fn feature_name(key: &str) -> &str {
    feature(key).map_or(key, |f| f.name)
}

/// Our display name for a permission key; an unknown key is shown as it came.
pub fn permission_name(key: &str) -> &str {
    permission(key).map_or(key, |p| p.name)
}

/// Position of a feature in display order; unknown features sort last.
pub fn feature_rank(key: &str) -> usize {
    FEATURES
        .iter()
        .position(|f| f.key == key)
        .unwrap_or(FEATURES.len())
}

/// Position of a permission in display order; unknown values sort last.
pub fn permission_rank(key: &str) -> usize {
    PERMISSIONS
        .iter()
        .position(|p| p.key == key)
        .unwrap_or(PERMISSIONS.len())
}

/// What goes on the wire for a feature in label form: the documented label,
/// or the key where Brevo documents none.
pub fn feature_wire_label(key: &str) -> &str {
    feature(key).and_then(|f| f.wire_label).unwrap_or(key)
}

/// What goes on the wire for a permission in label form.
pub fn permission_wire_label(key: &str) -> &str {
    permission(key).and_then(|p| p.wire_label).unwrap_or(key)
}

/// Granting this feature lets the invitee manage users in turn, so the forms
/// and the CLI ask for a second confirmation.
pub const ESCALATING_FEATURE: &str = "user_management";

/// The closest current feature key to a misspelled one, for "did you mean".
pub fn suggest_feature(input: &str) -> Option<&'static str> {
    closest(input, current_features().map(|f| f.key))
}

/// The closest permission of `feature` to a misspelled one.
pub fn suggest_permission(feature: &str, input: &str) -> Option<&'static str> {
    let candidates = self::feature(feature)
        .map(|f| f.permissions)
        .unwrap_or_default();
    closest(input, candidates.iter().copied())
}

fn closest(input: &str, candidates: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let input = input.trim().to_ascii_lowercase();
    let limit = (input.len() / 3).max(2);
    candidates
        .map(|c| (edit_distance(&input, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance; inputs are short keys, so the simple table will do.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous_diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous_diagonal + usize::from(ca != *cb);
            previous_diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_fifteen_current_features_and_thirty_current_permissions() {
        assert_eq!(current_features().count(), 15);
        assert_eq!(PERMISSIONS.iter().filter(|p| p.current).count(), 30);
    }

    #[test]
    fn every_paired_permission_exists_in_the_catalogue() {
        for feature in FEATURES {
            for key in feature.permissions {
                assert!(permission(key).is_some(), "{}: {key}", feature.key);
            }
        }
    }

    #[test]
    fn wire_labels_map_back_to_keys() {
        assert_eq!(
            feature_from_wire("Email campaign").map(|f| f.key),
            Some("email_campaigns")
        );
        assert_eq!(
            feature_from_wire("Push").map(|f| f.key),
            Some("push_notifications")
        );
        assert_eq!(
            feature_from_wire("contacts").map(|f| f.key),
            Some("contacts")
        );
        assert_eq!(
            permission_from_wire("Contact forms").map(|p| p.key),
            Some("forms")
        );
        assert_eq!(
            permission_from_wire("API Keys").map(|p| p.key),
            Some("api_keys")
        );
        assert_eq!(permission_from_wire("None").map(|p| p.key), Some("none"));
        assert_eq!(
            permission_from_wire("manage_other_companies").map(|p| p.key),
            Some("manage_others_companies")
        );
        assert!(feature_from_wire("Meetings").is_none());
    }

    #[test]
    fn pairing_follows_the_spec_table() {
        assert!(fits("contacts", "import"));
        assert!(!fits("contacts", "send_schedule_suspend"));
        assert!(fits("companies", "manage_other_companies"));
        assert!(fits("phone", NONE));
        assert!(!fits("meetings", "all"));
    }

    #[test]
    fn suggests_the_nearest_name_for_a_typo() {
        assert_eq!(suggest_feature("contact"), Some("contacts"));
        assert_eq!(suggest_feature("emial_campaigns"), Some("email_campaigns"));
        assert_eq!(suggest_permission("contacts", "imprt"), Some("import"));
        assert_eq!(suggest_feature("zzzzzzzzzz"), None);
    }
}
