//! The catalogue's data: every feature and permission Brevo documents
//! (spec §2), as a table of its own. The rules that read it are in
//! `catalog.rs`.

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
pub(super) const PERMISSION_ALIASES: &[(&str, &str)] =
    &[("manage_other_companies", "manage_others_companies")];
