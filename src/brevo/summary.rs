//! How a user's access is said in a few words, and in which order users
//! are listed for people: one wording and one order for the dashboard and
//! the commands, so the same account reads the same everywhere.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::model::User;

/// The documented `feature_access` areas (spec §3.1), in the docs' order;
/// whatever else Brevo sends follows alphabetically.
pub const DOCUMENTED_ACCESS_AREAS: [&str; 3] = ["marketing", "conversations", "crm"];

/// The areas of `feature_access` in display order.
pub fn ordered_areas<'a>(areas: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let present: BTreeSet<&str> = areas.into_iter().collect();
    let mut ordered: Vec<&str> = DOCUMENTED_ACCESS_AREAS
        .iter()
        .copied()
        .filter(|area| present.contains(area))
        .collect();
    ordered.extend(
        present
            .into_iter()
            .filter(|area| !DOCUMENTED_ACCESS_AREAS.contains(area)),
    );
    ordered
}

/// `feature_access` in a few words: "all full" (every area the same),
/// "marketing:full crm:custom" (areas without access left out), "none",
/// or "—" when Brevo sent nothing. Not sanitised: faces fit it to a cell.
pub fn access_summary(user: &User) -> String {
    let access = &user.feature_access;
    let values: BTreeSet<&str> = access.values().collect();
    match values.len() {
        0 => "—".to_owned(),
        1 if access.len() > 1 => format!("all {}", values.iter().next().unwrap_or(&"")),
        _ => {
            let granted: Vec<String> = ordered_areas(access.keys())
                .into_iter()
                .filter_map(|area| access.get(area).map(|value| (area, value)))
                .filter(|(_, value)| !value.eq_ignore_ascii_case("none"))
                .map(|(area, value)| format!("{area}:{value}"))
                .collect();
            if granted.is_empty() {
                "none".to_owned()
            } else {
                granted.join(" ")
            }
        }
    }
}

/// The order users are listed in for people: by email, ignoring case.
pub fn display_order(a: &User, b: &User) -> Ordering {
    a.email
        .to_lowercase()
        .cmp(&b.email.to_lowercase())
        .then_with(|| a.email.cmp(&b.email))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brevo::UserStatus;

    fn with_access(pairs: &[(&str, &str)]) -> User {
        User {
            email: "a@acme.test".into(),
            is_owner: false,
            status: UserStatus::Active,
            feature_access: pairs.iter().copied().collect(),
            id: None,
            locale: None,
        }
    }

    #[test]
    fn the_summary_reads_the_documented_areas_first() {
        let user = with_access(&[
            ("crm", "custom"),
            ("marketing", "full"),
            ("conversations", "none"),
        ]);
        assert_eq!(access_summary(&user), "marketing:full crm:custom");
        assert_eq!(
            access_summary(&with_access(&[("crm", "full"), ("marketing", "full")])),
            "all full"
        );
        assert_eq!(access_summary(&with_access(&[])), "—");
        assert_eq!(
            access_summary(&with_access(&[("crm", "none"), ("marketing", "x")])),
            "marketing:x"
        );
    }
}
