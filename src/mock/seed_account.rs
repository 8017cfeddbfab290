//! The account part of a seed: what `GET /account` serves (spec §8.1) and
//! the seats each plan vertical has bought. Optional in a seed: an older
//! seed without it gets [`SeedAccount::default_for`].

use serde::{Deserialize, Serialize};

/// The account as a seed writes it. Seat counts are numbers here (the seed
/// is ours); `/account` sends them as strings, as Brevo's schema types them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedAccount {
    #[serde(default = "organization_id")]
    pub organization_id: String,
    #[serde(default = "user_id")]
    pub user_id: u64,
    #[serde(default)]
    pub enterprise: bool,
    /// The owner's address when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub plan: Vec<SeedPlan>,
    #[serde(default)]
    pub plan_verticals: Vec<SeedVertical>,
}

/// One entry of `plan[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedPlan {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default = "credits_type")]
    pub credits_type: String,
    #[serde(default)]
    pub credits: i64,
}

/// One plan vertical and its seats.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedVertical {
    /// `Marketing`, `Chat` or `CRM` (anything else is served as it is).
    pub plan_category: String,
    #[serde(default)]
    pub plan_type: String,
    #[serde(default)]
    pub name: String,
    #[serde(default = "active")]
    pub status: String,
    /// Seats bought; grows with a billed invitation, shrinks with a
    /// credited removal.
    pub purchased_seats: u32,
    /// Seats the plan includes, never credited back: `purchased_seats`
    /// never falls below it. Absent: the seats purchased at load (nothing
    /// was bought over the plan yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub included_seats: Option<u32>,
}

fn organization_id() -> String {
    "66a1c0ffee0ddba11ad0beef".into()
}

fn user_id() -> u64 {
    4242
}

fn credits_type() -> String {
    "sendLimit".into()
}

fn active() -> String {
    "active".into()
}

impl SeedAccount {
    /// The account of a seed that has none (`owner_email`: its owner's) (seeds written before `/account`
    /// was served). [INFERRED] the sensible reading of the one billing fact
    /// such a seed holds: with `seat_billing`, a per-seat plan that includes
    /// no seat and has bought exactly the seats its users take in each of
    /// the three verticals (so every seat taken is billed and every seat
    /// freed credited, as those seeds were answered before); without it, a
    /// free plan with no vertical (no seats to count or bill).
    /// `purchased_seats` is 0 here: [`super::state::Org`] fills it in from
    /// the users once the verticals exist.
    pub fn default_for(owner_email: Option<&str>, seat_billing: bool) -> Self {
        let vertical = |category: &str| SeedVertical {
            plan_category: category.into(),
            plan_type: "payAsYouGo".into(),
            name: format!("{category} per seat"),
            status: active(),
            purchased_seats: 0,
            included_seats: Some(0),
        };
        let (plan, plan_verticals) = if seat_billing {
            (
                SeedPlan {
                    kind: "subscription".into(),
                    credits_type: credits_type(),
                    credits: 20_000,
                },
                ["Marketing", "Chat", "CRM"].map(vertical).to_vec(),
            )
        } else {
            (
                SeedPlan {
                    kind: "free".into(),
                    credits_type: credits_type(),
                    credits: 300,
                },
                Vec::new(),
            )
        };
        Self {
            organization_id: organization_id(),
            user_id: user_id(),
            enterprise: false,
            email: owner_email.map(str::to_owned),
            first_name: String::new(),
            last_name: String::new(),
            company_name: "Mock organization".into(),
            plan: vec![plan],
            plan_verticals,
        }
    }
}
