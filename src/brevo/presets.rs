//! Role presets: named bundles of permissions that fill a form or a CLI
//! invitation in one step. They are data (owned strings), so that a
//! configuration file can add its own next to the built-in ones.

use super::{catalog, grants::Grants};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preset {
    /// What the CLI's `--preset` takes: lower-case, dash-separated.
    pub id: String,
    /// What the forms show.
    pub name: String,
    pub description: String,
    pub all_features: bool,
    pub grants: Grants,
}

impl Preset {
    fn new(id: &str, name: &str, description: &str, pairs: &[(&str, &[&str])]) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            description: description.to_owned(),
            all_features: false,
            grants: Grants::from_pairs(pairs.iter().map(|(f, ps)| (*f, ps.iter().copied()))),
        }
    }

    /// Every (feature, permission) pair the preset names that the catalogue
    /// does not pair; empty for a sound preset. Config-defined presets are
    /// checked with this when they are loaded.
    pub fn invalid_pairs(&self) -> Vec<(String, String)> {
        self.grants
            .iter()
            .flat_map(|(feature, permissions)| {
                permissions
                    .into_iter()
                    .filter(move |p| !catalog::fits(feature, p))
                    .map(move |p| (feature.to_owned(), p.to_owned()))
            })
            .collect()
    }
}

/// The presets every installation has, in the order the forms show them.
pub fn builtin() -> Vec<Preset> {
    vec![
        Preset::new(
            "viewer",
            "Viewer",
            "Looks, changes nothing: contacts, push notifications and transactional logs",
            &[
                ("contacts", &["view"]),
                ("push_notifications", &["view"]),
                ("transactional_emails", &["logs"]),
            ],
        ),
        Preset::new(
            "campaign-manager",
            "Campaign manager",
            "Builds and sends email and SMS campaigns to the contact base",
            &[
                (
                    "email_campaigns",
                    &["create_edit_delete", "send_schedule_suspend"],
                ),
                (
                    "sms_campaigns",
                    &["create_edit_delete", "send_schedule_suspend"],
                ),
                (
                    "contacts",
                    &[
                        "view",
                        "create_edit_delete",
                        "import",
                        "export",
                        "list_and_attributes",
                        "forms",
                    ],
                ),
                ("templates", &["create_edit_delete", "activate_deactivate"]),
                ("landing_pages", &["all"]),
            ],
        ),
        Preset::new(
            "sales",
            "Sales",
            "Works deals and companies in the sales platform, answers conversations",
            &[
                (
                    "sales_platform",
                    &["create_edit_deals", "delete_deals", "reports"],
                ),
                ("companies", &["manage_owned_companies"]),
                ("contacts", &["view"]),
                ("conversations", &["access"]),
            ],
        ),
        Preset::new(
            "developer",
            "Developer",
            "Integrates: SMTP, API keys, transactional settings and templates",
            &[
                ("smtp_api", &["smtp", "api_keys", "authorized_ips"]),
                ("transactional_emails", &["settings", "logs"]),
                (
                    "senders_domains_dedicated_ips",
                    &["senders_management", "domains_management"],
                ),
                ("templates", &["create_edit_delete", "activate_deactivate"]),
            ],
        ),
        Preset {
            id: "full-access".to_owned(),
            name: "Full access".to_owned(),
            description: "Every feature, user management included".to_owned(),
            all_features: true,
            grants: Grants::new(),
        },
    ]
}

/// Finds a preset by id or display name, ignoring case.
pub fn find<'a>(presets: &'a [Preset], name: &str) -> Option<&'a Preset> {
    presets
        .iter()
        .find(|p| p.id.eq_ignore_ascii_case(name) || p.name.eq_ignore_ascii_case(name))
}

/// The preset whose id is closest to a misspelt name (`campaign_manager`
/// for `campaign-manager`), for a "did you mean" hint. An underscore and a
/// dash are the same to the eye, so they count as equal.
pub fn suggest<'a>(presets: &'a [Preset], name: &str) -> Option<&'a str> {
    let typed = name.trim().to_ascii_lowercase().replace('_', "-");
    let limit = (typed.chars().count() / 3).max(2);
    presets
        .iter()
        .map(|p| {
            (
                super::catalog::edit_distance(&typed, &p.id.to_ascii_lowercase()),
                p.id.as_str(),
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_preset_gets_the_nearest_id() {
        let presets = builtin();
        assert_eq!(
            suggest(&presets, "campaign_manager"),
            Some("campaign-manager")
        );
        assert_eq!(suggest(&presets, "Viewr"), Some("viewer"));
        assert_eq!(suggest(&presets, "zzzzzzzzzzzz"), None);
    }

    #[test]
    fn builtin_presets_only_pair_permissions_that_fit() {
        for preset in builtin() {
            assert!(
                preset.invalid_pairs().is_empty(),
                "{}: {:?}",
                preset.id,
                preset.invalid_pairs()
            );
            assert!(
                preset.all_features || !preset.grants.is_empty(),
                "{} grants nothing",
                preset.id
            );
        }
    }

    #[test]
    fn finds_a_preset_by_id_or_name() {
        let presets = builtin();
        assert_eq!(
            find(&presets, "Campaign Manager").map(|p| p.id.as_str()),
            Some("campaign-manager")
        );
        assert_eq!(
            find(&presets, "viewer").map(|p| p.name.as_str()),
            Some("Viewer")
        );
        assert!(find(&presets, "boss").is_none());
    }
}
