//! The one catalogue of Brevo features and permissions (spec §2).
//!
//! Everything that needs to know which features exist, which permissions fit
//! which feature, how Brevo labels them on the wire and how we name them on
//! screen reads it from here: the client's validation, the forms, the CLI's
//! `--grant` parsing and the mock server. There is no second list.

/// A feature an invited user can be given access to.
#[derive(Debug, PartialEq, Eq)]
pub struct Feature {
    /// The snake_case key Brevo expects in request bodies.
    pub key: &'static str,
    /// Our name for it on screen and in the CLI's human output.
    pub name: &'static str,
    /// The label Brevo's documented permissions response uses (spec §2.6).
    /// `None` where no label is documented: then the key itself goes on the wire.
    pub wire_label: Option<&'static str>,
    /// The permissions that fit this feature (spec §2.3), in display order.
    pub permissions: &'static [&'static str],
    /// Still offered by Brevo. Legacy features are accepted on input and never
    /// offered in the CLI or the forms.
    pub current: bool,
}

/// A permission value of the flat `permissions` enum.
#[derive(Debug, PartialEq, Eq)]
pub struct Permission {
    pub key: &'static str,
    /// Short enough for a checkbox in the privileges grid.
    pub name: &'static str,
    pub wire_label: Option<&'static str>,
    /// Legacy values are accepted when Brevo sends them and never emitted.
    pub current: bool,
}

/// The permission meaning "no access to this feature". It is in Brevo's enum
/// but fits no feature: sending `["none"]` for a feature empties it.
pub const NONE: &str = "none";

macro_rules! feature {
    ($key:literal, $name:literal, $label:expr, [$($perm:literal),*]) => {
        Feature { key: $key, name: $name, wire_label: $label, permissions: &[$($perm),*], current: true }
    };
}

/// The 15 current features (spec §2.1) in display order, then the legacy ones.
pub static FEATURES: &[Feature] = &[
    feature!(
        "email_campaigns",
        "Email campaigns",
        Some("Email campaign"),
        ["create_edit_delete", "send_schedule_suspend"]
    ),
    feature!(
        "sms_campaigns",
        "SMS campaigns",
        Some("SMS campaign"),
        ["create_edit_delete", "send_schedule_suspend"]
    ),
    feature!(
        "contacts",
        "Contacts",
        Some("Contacts"),
        [
            "view",
            "create_edit_delete",
            "import",
            "export",
            "list_and_attributes",
            "forms"
        ]
    ),
    feature!(
        "templates",
        "Templates",
        Some("Templates"),
        ["create_edit_delete", "activate_deactivate"]
    ),
    feature!(
        "workflows",
        "Workflows",
        Some("Workflows"),
        [
            "create_edit_delete",
            "activate_deactivate_pause",
            "settings"
        ]
    ),
    feature!(
        "landing_pages",
        "Landing pages",
        Some("Landing pages"),
        ["all"]
    ),
    feature!(
        "transactional_emails",
        "Transactional emails",
        None,
        ["settings", "logs"]
    ),
    feature!(
        "smtp_api",
        "SMTP & API",
        Some("SMTP & API"),
        ["smtp", "api_keys", "authorized_ips"]
    ),
    feature!(
        "user_management",
        "User management",
        Some("User management"),
        ["all"]
    ),
    feature!(
        "sales_platform",
        "Sales platform",
        Some("Sales Platform"),
        [
            "create_edit_deals",
            "delete_deals",
            "manage_others_deals_tasks",
            "reports",
            "settings"
        ]
    ),
    feature!("phone", "Phone", None, ["all"]),
    feature!(
        "conversations",
        "Conversations",
        Some("Conversations"),
        ["access", "assign", "configure"]
    ),
    feature!(
        "senders_domains_dedicated_ips",
        "Senders, domains & IPs",
        Some("Senders, Domains & Dedicated IPs"),
        [
            "senders_management",
            "domains_management",
            "dedicated_ips_management"
        ]
    ),
    feature!(
        "push_notifications",
        "Push notifications",
        Some("Push"),
        ["view", "create_edit_delete", "send", "settings"]
    ),
    feature!(
        "companies",
        "Companies",
        Some("Companies"),
        [
            "manage_owned_companies",
            "manage_others_companies",
            "settings"
        ]
    ),
    // Removed from the current API (spec §2.1); accepted as legacy input only.
    Feature {
        key: "facebook_ads",
        name: "Facebook Ads",
        wire_label: Some("Facebook Ads"),
        permissions: &["create_edit_delete", "schedule_pause"],
        current: false,
    },
];

macro_rules! permission {
    ($key:literal, $name:literal, $label:expr) => {
        Permission {
            key: $key,
            name: $name,
            wire_label: $label,
            current: true,
        }
    };
    ($key:literal, $name:literal, $label:expr, legacy) => {
        Permission {
            key: $key,
            name: $name,
            wire_label: $label,
            current: false,
        }
    };
}

/// The 30 current permissions (spec §2.2), then the legacy values.
pub static PERMISSIONS: &[Permission] = &[
    permission!(
        "create_edit_delete",
        "Create/edit/delete",
        Some("Create / edit / delete")
    ),
    permission!(
        "send_schedule_suspend",
        "Send/schedule/suspend",
        Some("Send / schedule / suspend")
    ),
    permission!("view", "View", Some("View")),
    permission!("import", "Import", None),
    permission!("export", "Export", None),
    permission!("list_and_attributes", "Lists & attributes", None),
    permission!("forms", "Forms", Some("Contact forms")),
    permission!(
        "activate_deactivate",
        "Activate/deactivate",
        Some("Activate / deactivate")
    ),
    permission!(
        "activate_deactivate_pause",
        "Activate/deactivate/pause",
        Some("Activate / deactivate / Pause")
    ),
    permission!("settings", "Settings", Some("Settings")),
    permission!("schedule_pause", "Schedule/pause", Some("Schedule / pause")),
    permission!("all", "All", Some("All")),
    permission!("logs", "Logs", None),
    permission!("access", "Access", None),
    permission!("assign", "Assign", None),
    permission!("configure", "Configure", None),
    permission!("create_edit_deals", "Create/edit deals", None),
    permission!("delete_deals", "Delete deals", None),
    permission!(
        "manage_others_deals_tasks",
        "Others' deals & tasks",
        Some("Manage deals and tasks from other users")
    ),
    permission!(
        "manage_owned_companies",
        "Own companies",
        Some("Create / edit / delete owned companies")
    ),
    permission!(
        "manage_others_companies",
        "Others' companies",
        Some("Manage companies from other users")
    ),
    permission!("reports", "Reports", Some("Reports")),
    permission!("senders_management", "Senders", Some("Senders management")),
    permission!("domains_management", "Domains", Some("Domains management")),
    permission!(
        "dedicated_ips_management",
        "Dedicated IPs",
        Some("Dedicated IPs management")
    ),
    permission!("send", "Send", Some("Send")),
    permission!("smtp", "SMTP", Some("SMTP")),
    permission!("api_keys", "API keys", Some("API Keys")),
    permission!("authorized_ips", "Authorized IPs", Some("Authorized IPs")),
    permission!("none", "None", Some("None")),
    // Older sales-platform values (spec §2.2, §2.3).
    permission!(
        "manage_owned_deals_tasks_companies",
        "Own deals, tasks & companies",
        None,
        legacy
    ),
    permission!(
        "manage_others_deals_tasks_companies",
        "Others' deals, tasks & companies",
        None,
        legacy
    ),
    permission!(
        "manage_owned_deals_tasks",
        "Own deals & tasks",
        Some("Create / edit / delete owned deals and tasks"),
        legacy
    ),
];

/// Spellings Brevo has used for a current key. The V4 prose writes
/// `manage_other_companies`; the schema enum (which we trust) adds an "s".
const PERMISSION_ALIASES: &[(&str, &str)] =
    &[("manage_other_companies", "manage_others_companies")];

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
