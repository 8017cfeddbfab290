//! `GET /account` (spec §8.1) and seat billing (spec §8.1.1, [INFERRED]).
//!
//! Used seats are never stored: they are counted from the list this mock
//! serves, by the core's rule (`brevo::seats::seat_use` over the list
//! entries), so `/account` always agrees with what a client counts from
//! `GET /organization/invited/users`. Purchased seats are stored, and move
//! only with billing:
//! - a change after which a vertical uses more seats than it bought answers
//!   `invoice_id` and that vertical buys one more seat;
//! - a change that frees a seat in a vertical that bought more than its
//!   plan includes answers `credit_notes` (one per vertical) and that
//!   vertical gives one back, never below the included seats.

use serde_json::{Value, json};

use super::error::MockError;
use super::seed_account::SeedAccount;
use super::state::{Org, listed};
use crate::brevo::account::{Account, PlanVertical, Seats, Vertical};
use crate::brevo::seats::{SeatUse, seat_use};

impl Org {
    /// The account as the core models it, for counting.
    fn core_account(&self) -> Account {
        Account {
            email: self.account_email(),
            company_name: Some(self.account.company_name.clone()),
            plan: Vec::new(),
            plan_verticals: self
                .account
                .plan_verticals
                .iter()
                .map(|v| PlanVertical {
                    plan_category: Vertical::parse(&v.plan_category),
                    name: Some(v.name.clone()),
                    status: Some(v.status.clone()),
                    users: Seats {
                        purchased: Some(v.purchased_seats),
                        used: None,
                    },
                })
                .collect(),
        }
    }

    fn account_email(&self) -> String {
        self.account
            .email
            .clone()
            .or_else(|| {
                self.users()
                    .iter()
                    .find(|u| u.owner)
                    .map(|u| u.email.clone())
            })
            .unwrap_or_else(|| "owner@mock.test".into())
    }

    /// Seats per vertical, in the order of `plan_verticals`: purchased as
    /// stored, used counted from the list.
    pub fn seats(&self) -> Vec<SeatUse> {
        if self.account.plan_verticals.is_empty() {
            return Vec::new();
        }
        let users: Vec<_> = self.users().iter().map(listed).collect();
        seat_use(&self.core_account(), &users)
    }

    pub fn seed_account(&self) -> &SeedAccount {
        &self.account
    }

    /// A seed without an account: its verticals bought exactly the seats
    /// its users take now (see [`SeedAccount::default_for`]).
    pub(super) fn buy_the_seats_in_use(&mut self) {
        let seats = self.seats();
        for (vertical, seat) in self.account.plan_verticals.iter_mut().zip(seats) {
            vertical.purchased_seats = seat.used;
        }
    }

    /// `GET /account`: every field the official SDKs require (spec §8.1),
    /// seat counts as strings as the schema types them.
    pub fn account(&self) -> Result<Value, MockError> {
        let account = &self.account;
        let email = self.account_email();
        let plan: Vec<Value> = account
            .plan
            .iter()
            .map(|p| json!({"type": p.kind, "creditsType": p.credits_type, "credits": p.credits}))
            .collect();
        let verticals: Vec<Value> = account
            .plan_verticals
            .iter()
            .zip(self.seats())
            .map(|(v, seat)| {
                json!({
                    "planCategory": v.plan_category,
                    "planType": v.plan_type,
                    "name": v.name,
                    "status": v.status,
                    "startDate": "2026-01-01",
                    "endDate": "2026-12-31",
                    "users": {
                        "purchasedSeats": v.purchased_seats.to_string(),
                        "usedSeats": seat.used.to_string(),
                    },
                })
            })
            .collect();
        Ok(json!({
            "organization_id": account.organization_id,
            "user_id": account.user_id,
            "enterprise": account.enterprise,
            "email": email,
            "firstName": account.first_name,
            "lastName": account.last_name,
            "companyName": account.company_name,
            "address": {"street": "", "city": "", "zipCode": "", "country": ""},
            "dateTimePreferences": {
                "timezone": "Europe/Paris", "timeFormat": "HH:mm", "dateFormat": "dd-mm-yyyy"
            },
            "plan": plan,
            "relay": {
                "enabled": true,
                "data": {"userName": email, "relay": "smtp-relay.brevo.com", "port": 587}
            },
            "marketingAutomation": {"enabled": false},
            "planVerticals": verticals,
        }))
    }

    /// After a change: bills the seats it needs beyond those bought and
    /// credits the paid seats it freed, into `answer`. `before` is
    /// [`Org::seats`] from before the change.
    pub(super) fn settle(&mut self, before: &[SeatUse], answer: &mut Value) {
        if !self.seat_billing || before.is_empty() {
            return;
        }
        let after = self.seats();
        let mut billed = false;
        let mut credits = Vec::new();
        for ((vertical, was), now) in self
            .account
            .plan_verticals
            .iter_mut()
            .zip(before)
            .zip(&after)
        {
            let included = vertical.included_seats.unwrap_or(0);
            if now.used > was.used && now.used > vertical.purchased_seats {
                vertical.purchased_seats += 1;
                billed = true;
            } else if now.used < was.used && vertical.purchased_seats > included {
                vertical.purchased_seats -= 1;
                self.credit_notes += 1;
                credits.push(format!("CN-2026-{:04}", self.credit_notes));
            }
        }
        if billed {
            self.invoices += 1;
            answer["invoice_id"] = json!(format!("INV-2026-{:04}", self.invoices));
        }
        if !credits.is_empty() {
            answer["credit_notes"] = json!(credits);
        }
    }
}
