//! A plan: what apply would do to make the account match a file, per user,
//! with the state each step was planned from. Built by [`plan`] (in
//! `plan_build.rs`); saved as JSON by `plan -o` and applied exactly by
//! `apply PLAN.json`.
//!
//! JSON shape, version 1 (`Plan::to_json`; unknown fields are ignored when
//! read back, a different `version` is refused):
//!
//! ```json
//! {"format": "brevo-users plan", "version": 1,
//!  "account": "ops@acme.test", "owner": "owner@acme.test", "made_at": 1764640000,
//!  "prune": false, "removals_first": false,
//!  "steps": [
//!   {"email": "bo@acme.test", "action": "update", "all_features": false,
//!    "grants": {"contacts": ["view", "import"]},
//!    "changes": [{"feature": "contacts", "added": ["import"], "removed": []}],
//!    "pending": false, "line": 7, "escalation": null,
//!    "basis": "fresh", "age_seconds": null,
//!    "planned_from": {"status": "active", "grants": {"contacts": ["view"]}, "read_at": 1764639990}},
//!   {"email": "new@acme.test", "action": "invite", "all_features": false,
//!    "grants": {"contacts": ["view"]}, "line": 4, "escalation": null, "basis": "list",
//!    "age_seconds": null, "planned_from": {"status": null, "grants": null, "read_at": null}}],
//!  "seats": [{"vertical": "Marketing", "purchased": 3, "used": 3, "takes": 1, "frees": 1,
//!             "billed_invites_first": 1, "billed_removals_first": 0}],
//!  "notes": ["…"]}
//! ```
//!
//! `action` is one of `invite`, `update`, `unchanged`, `revoke`, `cancel`,
//! `not_managed`, `not_checked` (with `reason`). `basis` is how the user's
//! state was known: `list` (settled by the user list), `fresh`, `cached`
//! (with `age_seconds`) or `not_read`.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::json;
use crate::brevo::catalog;
use crate::brevo::change::Change;
use crate::brevo::escalation::Escalation;
use crate::brevo::grants::{FeatureChange, Grants};
use crate::brevo::model::{User, UserStatus};
use crate::brevo::request::AccessRequest;

pub use super::plan_build::plan;
pub use super::plan_refusal::PlanRefusal;
pub use super::seat_needs::SeatNeed;

/// The `version` this build writes and reads.
pub const PLAN_VERSION: u32 = 1;
const PLAN_FORMAT: &str = "brevo-users plan";

/// `plan --detailed-exitcode`: every managed entry checked, nothing to do.
pub const EXIT_IN_SYNC: i32 = 0;
/// `plan --detailed-exitcode`: changes pending.
pub const EXIT_CHANGES_PENDING: i32 = 6;
/// `plan --detailed-exitcode`: not everything could be checked (not read,
/// or answered from the cache): see [`Plan::not_checked`].
pub const EXIT_NOT_CHECKED: i32 = 7;

/// How to plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanOptions {
    /// `--prune`: users with access who are not in the file are removed.
    pub prune: bool,
    /// `--max-removals N`: allows a prune above 25 % (and caps any prune).
    pub max_removals: Option<usize>,
    /// `--removals-first`: apply runs revokes and cancels before invites.
    pub removals_first: bool,
    /// false with `--no-account-check`.
    pub account_check: bool,
    /// The time the plan is made at (ages of cached answers, `made_at`).
    pub now: SystemTime,
}

impl PlanOptions {
    /// Additive, removals last, account checked.
    pub fn new(now: SystemTime) -> Self {
        Self {
            prune: false,
            max_removals: None,
            removals_first: false,
            account_check: true,
            now,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Always "brevo-users plan": tells a saved plan from anything else.
    pub format: String,
    pub version: u32,
    /// The account the live state came from (`/account`), else the file's.
    pub account: Option<String>,
    pub owner: Option<String>,
    /// Seconds since the Unix epoch.
    pub made_at: u64,
    pub prune: bool,
    pub removals_first: bool,
    /// One per user of the file and of the account (the owner excepted),
    /// sorted by email.
    pub steps: Vec<Step>,
    /// Seat needs per vertical; empty when `/account` was not read.
    pub seats: Vec<SeatNeed>,
    /// Sentences for the reader: seats, the `--removals-first` hint,
    /// warnings that do not refuse.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub email: String,
    #[serde(flatten)]
    pub action: Action,
    /// The file line of the entry; `None` for users not in the file.
    pub line: Option<usize>,
    /// Whether this step hands out the power to manage users (core rule).
    #[serde(with = "json::escalation", default)]
    pub escalation: Option<Escalation>,
    pub basis: Basis,
    /// For `basis: cached`: how old the answer was when planned.
    pub age_seconds: Option<u64>,
    pub planned_from: PlannedFrom,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    Invite {
        all_features: bool,
        #[serde(with = "json::grants")]
        grants: Grants,
    },
    /// `grants` is the full set to send: the file's catalogue pairs plus the
    /// live values the catalogue does not know (carried untouched).
    Update {
        all_features: bool,
        #[serde(with = "json::grants")]
        grants: Grants,
        /// Per feature `+`/`−`, catalogue pairs only.
        #[serde(with = "json::changes")]
        changes: Vec<FeatureChange>,
        /// The user is a pending invitation (Brevo may refuse to update it:
        /// then cancel and re-invite).
        pending: bool,
    },
    Unchanged,
    /// `--prune`: an active user not in the file.
    Revoke,
    /// `--prune`: a pending invitation not in the file.
    Cancel,
    /// Without `--prune`: a user not in the file, left alone.
    NotManaged,
    /// In the file, but the permissions were not read.
    NotChecked {
        reason: String,
    },
}

/// How the step's user state was known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The user list alone settles it (absent, or not in the file).
    List,
    Fresh,
    Cached,
    NotRead,
}

/// The state a step was planned from: apply re-reads the user and skips
/// them ("changed since the plan") when this no longer holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedFrom {
    /// `None`: the user was not in the list.
    pub status: Option<UserStatus>,
    /// `None`: the permissions were not read.
    #[serde(with = "json::grants_opt", default)]
    pub grants: Option<Grants>,
    /// Seconds since the Unix epoch.
    pub read_at: Option<u64>,
}

impl Action {
    /// Invite, update, revoke or cancel: something apply would send.
    pub fn is_change(&self) -> bool {
        matches!(
            self,
            Self::Invite { .. } | Self::Update { .. } | Self::Revoke | Self::Cancel
        )
    }

    pub fn is_removal(&self) -> bool {
        matches!(self, Self::Revoke | Self::Cancel)
    }

    /// The word the human report and the JSON use.
    pub fn word(&self) -> &'static str {
        match self {
            Self::Invite { .. } => "invite",
            Self::Update { .. } => "update",
            Self::Unchanged => "unchanged",
            Self::Revoke => "revoke",
            Self::Cancel => "cancel",
            Self::NotManaged => "not managed",
            Self::NotChecked { .. } => "not checked",
        }
    }
}

impl Step {
    /// The request apply sends, built by the core: an invite, the full
    /// update (every current feature, emptied ones as `none`), or a removal.
    pub fn change(&self) -> Option<Change> {
        let email = self.email.clone();
        match &self.action {
            Action::Invite {
                all_features,
                grants,
            } => Some(Change::Invite(AccessRequest::invite(
                email,
                *all_features,
                grants.clone(),
            ))),
            Action::Update {
                all_features,
                grants,
                ..
            } => {
                let current = self.planned_from.grants.clone().unwrap_or_default();
                let mut request = AccessRequest::update(email, &current, grants, *all_features);
                // `grants` means every other feature none: whether Brevo
                // merges or replaces is [UNCONFIRMED] (spec §4.6, §11.5), so
                // the features the user was not seen to hold are emptied too.
                if !*all_features {
                    request.revoked_features.extend(
                        catalog::current_features()
                            .map(|f| f.key)
                            .filter(|f| grants.get(f).is_none())
                            .map(str::to_owned),
                    );
                }
                Some(Change::UpdatePermissions(request))
            }
            Action::Revoke => Some(Change::Revoke(email)),
            Action::Cancel => Some(Change::CancelInvitation(email)),
            Action::Unchanged | Action::NotManaged | Action::NotChecked { .. } => None,
        }
    }

    /// Whether the user, read again right before the change, differs from
    /// what the step was planned from. `grants` is the re-read permissions;
    /// when the plan knew them and `grants` is `None`, it counts as changed
    /// (nothing is changed on a guess).
    pub fn changed_since(&self, user: Option<&User>, grants: Option<&Grants>) -> bool {
        if user.map(|u| &u.status) != self.planned_from.status.as_ref() {
            return true;
        }
        match (&self.planned_from.grants, grants) {
            (Some(planned), Some(now)) => planned != now,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

impl Plan {
    pub(crate) fn new(options: &PlanOptions) -> Self {
        Self {
            format: PLAN_FORMAT.to_owned(),
            version: PLAN_VERSION,
            account: None,
            owner: None,
            made_at: unix_seconds(options.now),
            prune: options.prune,
            removals_first: options.removals_first,
            steps: Vec::new(),
            seats: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Steps that change something, in the order apply runs them: invites,
    /// updates, removals last; removals first with `removals_first`.
    pub fn apply_order(&self) -> Vec<&Step> {
        let rank = |s: &Step| match (&s.action, self.removals_first) {
            (Action::Revoke | Action::Cancel, true) => 0,
            (Action::Invite { .. }, _) => 1,
            (Action::Update { .. }, _) => 2,
            _ => 3,
        };
        let mut steps: Vec<&Step> = self.steps.iter().filter(|s| s.action.is_change()).collect();
        steps.sort_by_key(|s| rank(s));
        steps
    }

    pub fn has_changes(&self) -> bool {
        self.steps.iter().any(|s| s.action.is_change())
    }

    /// Entries that keep the plan from saying "in sync": not read, or
    /// answered from the cache.
    pub fn not_checked(&self) -> Vec<&Step> {
        self.steps
            .iter()
            .filter(|s| matches!(s.basis, Basis::NotRead | Basis::Cached))
            .collect()
    }

    /// `--detailed-exitcode`: 7 when anything was not checked (even with
    /// changes pending: the plan is incomplete), else 6 with changes, else 0.
    pub fn exit_code(&self) -> i32 {
        if !self.not_checked().is_empty() {
            EXIT_NOT_CHECKED
        } else if self.has_changes() {
            EXIT_CHANGES_PENDING
        } else {
            EXIT_IN_SYNC
        }
    }

    /// Every escalation the plan hands out, by email.
    pub fn escalations(&self) -> Vec<(&str, Escalation)> {
        self.steps
            .iter()
            .filter_map(|s| s.escalation.map(|e| (s.email.as_str(), e)))
            .collect()
    }

    /// Requests apply is expected to spend: per invite and removal a
    /// re-read and the change (2), per update also a read-back (3).
    pub fn apply_cost(&self) -> usize {
        self.apply_order()
            .iter()
            .map(|s| match s.action {
                Action::Update { .. } => 3,
                _ => 2,
            })
            .sum()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a saved plan; the error is one sentence.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not a saved plan: {e}"))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(PLAN_FORMAT) {
            return Err("not a saved plan: it has no \"format\": \"brevo-users plan\"".into());
        }
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(PLAN_VERSION) => {}
            other => {
                return Err(format!(
                    "the saved plan has version {}, this brevo-users reads version {PLAN_VERSION}: plan again",
                    other.map_or("none".into(), |v| v.to_string())
                ));
            }
        }
        serde_json::from_value(value).map_err(|e| format!("the saved plan is damaged: {e}"))
    }

    /// Whether a file's text is a saved plan rather than an access file.
    pub fn looks_like_plan(text: &str) -> bool {
        text.trim_start().starts_with('{')
    }
}

pub(crate) fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
