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
//!
//! The types are in `plan_types.rs`, the computation in `plan_build.rs`,
//! the refusals in `plan_refusal.rs`.

pub use super::plan_build::plan;
pub use super::plan_refusal::PlanRefusal;
pub use super::plan_types::*;
