//! `Grants`: which permissions a user holds per feature, normalised to
//! catalogue keys; and the diff between two of them.

use std::collections::{BTreeMap, BTreeSet};

use super::catalog;

/// Permissions per feature. A feature with no permissions is absent: "no
/// access" is never stored as an explicit `none`. Keys the catalogue does not
/// know are kept exactly as Brevo sent them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grants(BTreeMap<String, BTreeSet<String>>);

/// How one feature differs between two `Grants`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureChange {
    pub feature: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl Grants {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds grants from `(feature, permissions)` pairs; `none` entries are
    /// dropped because they mean "no access".
    pub fn from_pairs<F, P, I>(pairs: impl IntoIterator<Item = (F, I)>) -> Self
    where
        F: Into<String>,
        P: Into<String>,
        I: IntoIterator<Item = P>,
    {
        let mut grants = Self::new();
        for (feature, permissions) in pairs {
            let feature = feature.into();
            for permission in permissions {
                grants.insert(&feature, permission.into());
            }
        }
        grants
    }

    pub fn insert(&mut self, feature: &str, permission: impl Into<String>) {
        let permission = permission.into();
        if permission == catalog::NONE {
            return;
        }
        self.0
            .entry(feature.to_owned())
            .or_default()
            .insert(permission);
    }

    pub fn remove(&mut self, feature: &str, permission: &str) {
        if let Some(set) = self.0.get_mut(feature) {
            set.remove(permission);
            if set.is_empty() {
                self.0.remove(feature);
            }
        }
    }

    /// Adds the permission if absent, removes it if present.
    pub fn toggle(&mut self, feature: &str, permission: &str) {
        if self.contains(feature, permission) {
            self.remove(feature, permission);
        } else {
            self.insert(feature, permission);
        }
    }

    /// Replaces a feature's permissions; an empty list removes the feature.
    pub fn set<P: Into<String>>(
        &mut self,
        feature: &str,
        permissions: impl IntoIterator<Item = P>,
    ) {
        self.0.remove(feature);
        for permission in permissions {
            self.insert(feature, permission);
        }
    }

    pub fn clear_feature(&mut self, feature: &str) {
        self.0.remove(feature);
    }

    pub fn contains(&self, feature: &str, permission: &str) -> bool {
        self.0
            .get(feature)
            .is_some_and(|set| set.contains(permission))
    }

    pub fn get(&self, feature: &str) -> Option<&BTreeSet<String>> {
        self.0.get(feature)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of (feature, permission) pairs held.
    pub fn len(&self) -> usize {
        self.0.values().map(BTreeSet::len).sum()
    }

    /// Features in catalogue display order (unknown ones last, by name), each
    /// with its permissions in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Vec<&str>)> {
        let mut features: Vec<(&String, &BTreeSet<String>)> = self.0.iter().collect();
        features.sort_by_key(|(feature, _)| (catalog::feature_rank(feature), feature.as_str()));
        features.into_iter().map(|(feature, permissions)| {
            let mut permissions: Vec<&str> = permissions.iter().map(String::as_str).collect();
            permissions.sort_by_key(|p| permission_order(feature, p));
            (feature.as_str(), permissions)
        })
    }

    /// `contacts=view,import email_campaigns=create_edit_delete`: the
    /// `--grant` spelling, in catalogue order, so what a plan or a
    /// confirmation shows can be pasted into `invite`. Not sanitised: the
    /// face that prints it does that (values may have come from Brevo).
    pub fn spelled(&self) -> String {
        if self.is_empty() {
            return "no permissions".to_owned();
        }
        let pairs: Vec<String> = self
            .iter()
            .map(|(feature, permissions)| format!("{feature}={}", permissions.join(",")))
            .collect();
        pairs.join(" ")
    }

    /// Features that hold at least one value the catalogue does not pair with
    /// them (unknown or legacy). Forms show these as they came and lock them.
    pub fn unrecognised_features(&self) -> BTreeSet<String> {
        self.0
            .iter()
            .filter(|(feature, permissions)| {
                let known = catalog::feature(feature).is_some_and(|f| f.current);
                !known
                    || permissions.iter().any(|p| {
                        !catalog::fits(feature, p)
                            || catalog::permission(p).is_none_or(|p| !p.current)
                    })
            })
            .map(|(feature, _)| feature.clone())
            .collect()
    }

    /// What changes from `self` (before) to `after`, per feature, in
    /// catalogue order. Features that do not change are left out.
    pub fn diff(&self, after: &Grants) -> Vec<FeatureChange> {
        let empty = BTreeSet::new();
        let features: BTreeSet<&String> = self.0.keys().chain(after.0.keys()).collect();
        let mut changes: Vec<FeatureChange> = features
            .into_iter()
            .filter_map(|feature| {
                let before = self.0.get(feature).unwrap_or(&empty);
                let now = after.0.get(feature).unwrap_or(&empty);
                let mut added: Vec<String> = now.difference(before).cloned().collect();
                let mut removed: Vec<String> = before.difference(now).cloned().collect();
                if added.is_empty() && removed.is_empty() {
                    return None;
                }
                added.sort_by(|a, b| {
                    permission_order(feature, a).cmp(&permission_order(feature, b))
                });
                removed.sort_by(|a, b| {
                    permission_order(feature, a).cmp(&permission_order(feature, b))
                });
                Some(FeatureChange {
                    feature: feature.clone(),
                    added,
                    removed,
                })
            })
            .collect();
        changes.sort_by_key(|c| catalog::feature_rank(&c.feature));
        changes
    }

    /// Every current feature with all of its permissions: what "all features"
    /// amounts to.
    pub fn everything() -> Self {
        Self::from_pairs(
            catalog::current_features().map(|f| (f.key, f.permissions.iter().copied())),
        )
    }
}

/// The order a feature lists its permissions in (spec §2.3: Contacts reads
/// View, Create / edit / delete, Import, ...); values it does not list come
/// after, in catalogue order.
fn permission_order<'a>(feature: &str, permission: &'a str) -> (usize, usize, &'a str) {
    let listed = catalog::feature(feature)
        .map(|f| f.permissions)
        .unwrap_or_default();
    let in_feature = listed
        .iter()
        .position(|p| *p == permission)
        .unwrap_or(listed.len());
    (in_feature, catalog::permission_rank(permission), permission)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelled_as_the_grant_flag_takes_it_in_catalogue_order() {
        let grants = Grants::from_pairs([
            ("contacts", vec!["import", "view"]),
            ("email_campaigns", vec!["create_edit_delete"]),
        ]);
        assert_eq!(
            grants.spelled(),
            "email_campaigns=create_edit_delete contacts=view,import"
        );
        assert_eq!(Grants::default().spelled(), "no permissions");
    }

    #[test]
    fn none_means_no_access_and_is_not_stored() {
        let grants = Grants::from_pairs([
            ("contacts", vec!["view"]),
            ("user_management", vec!["none"]),
        ]);
        assert!(grants.get("user_management").is_none());
        assert_eq!(grants.len(), 1);
    }

    #[test]
    fn iterates_in_catalogue_order_with_unknown_features_last() {
        let grants = Grants::from_pairs([
            ("meetings", vec!["all"]),
            ("contacts", vec!["import", "view"]),
            ("email_campaigns", vec!["send_schedule_suspend"]),
        ]);
        let order: Vec<(&str, Vec<&str>)> = grants.iter().collect();
        assert_eq!(
            order,
            vec![
                ("email_campaigns", vec!["send_schedule_suspend"]),
                ("contacts", vec!["view", "import"]),
                ("meetings", vec!["all"]),
            ]
        );
    }

    #[test]
    fn diff_names_added_and_removed_permissions_per_feature() {
        let before =
            Grants::from_pairs([("contacts", vec!["view", "export"]), ("phone", vec!["all"])]);
        let after = Grants::from_pairs([
            ("contacts", vec!["view", "import"]),
            ("sms_campaigns", vec!["send_schedule_suspend"]),
        ]);
        let diff = before.diff(&after);
        assert_eq!(
            diff,
            vec![
                FeatureChange {
                    feature: "sms_campaigns".into(),
                    added: vec!["send_schedule_suspend".into()],
                    removed: vec![]
                },
                FeatureChange {
                    feature: "contacts".into(),
                    added: vec!["import".into()],
                    removed: vec!["export".into()]
                },
                FeatureChange {
                    feature: "phone".into(),
                    added: vec![],
                    removed: vec!["all".into()]
                },
            ]
        );
        assert!(after.diff(&after).is_empty());
    }

    #[test]
    fn unknown_and_mismatched_values_mark_a_feature_unrecognised() {
        let grants = Grants::from_pairs([
            ("contacts", vec!["view"]),
            ("meetings", vec!["all"]),
            ("sales_platform", vec!["manage_owned_deals_tasks"]),
            ("phone", vec!["teleport"]),
        ]);
        let odd: Vec<String> = grants.unrecognised_features().into_iter().collect();
        assert_eq!(odd, vec!["meetings", "phone", "sales_platform"]);
    }
}
