//! The account's seats as the dashboard knows them (spec §8.1.1,
//! [INFERRED]): bought, from the last `GET /account` (read once at start
//! and after a change Brevo billed or credited); used, counted from the
//! users list by the core's rule every time the list arrives, so an
//! invitation that took the last free seat makes the next one warn
//! without reading the account again.

use std::collections::BTreeSet;

use crate::brevo::account::{Account, Vertical};
use crate::brevo::seats::{SeatUse, seat_effect, seat_use};
use crate::brevo::{Change, User};

use super::super::form::Form;

/// Where the account's figures stand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AccountStatus {
    /// Not read yet: nothing is said about seats.
    #[default]
    Loading,
    Known(Account),
    /// `/account` failed (a restricted key gets 401/403 there while the
    /// user endpoints work): seats are "unknown", nothing else changes.
    Unknown,
}

#[derive(Clone, Debug, Default)]
pub struct AccountSeats {
    pub status: AccountStatus,
    /// Only the answer to the latest account request is taken.
    pub latest_request: u64,
    /// Seats per vertical the account has, used counted from the list
    /// (worked out by `recount`, not per frame).
    pub uses: Vec<SeatUse>,
}

impl AccountSeats {
    /// Counts the used seats again: from the list once it has arrived,
    /// else as the account itself said.
    pub fn recount(&mut self, users: &[User], list_loaded: bool) {
        self.uses = match &self.status {
            AccountStatus::Known(account) if list_loaded => seat_use(account, users),
            AccountStatus::Known(account) => account
                .plan_verticals
                .iter()
                .map(|v| SeatUse {
                    vertical: v.plan_category.clone(),
                    purchased: v.users.purchased,
                    used: v.users.used.unwrap_or(0),
                })
                .collect(),
            _ => Vec::new(),
        };
    }
}

/// What the open form's change does to the seats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormSeats {
    /// The core's sentences ("takes a Marketing seat: 3 of 3 used — Brevo
    /// may bill an extra seat"), or why nothing can be said.
    pub lines: Vec<String>,
    /// The sentences of the verticals where it needs a seat beyond those
    /// bought: sending asks a second time, naming them.
    pub over: Vec<String>,
}

impl FormSeats {
    pub fn bills(&self) -> bool {
        !self.over.is_empty()
    }
}

impl AccountSeats {
    /// The seats `change` takes and frees, against the seats known now
    /// (`users`: the list as loaded). `None` while the account is being
    /// read, or when it touches none.
    pub fn seats_of(&self, change: &Change, users: &[User]) -> Option<FormSeats> {
        let target = users.iter().find(|u| u.has_email(change.email()));
        match &self.status {
            AccountStatus::Loading => None,
            AccountStatus::Unknown => {
                // Which verticals the account has is unknown: say the
                // change takes seats only when it plainly does.
                let dummy = Account {
                    email: String::new(),
                    company_name: None,
                    plan: Vec::new(),
                    plan_verticals: Vec::new(),
                };
                let effect = seat_effect(change, target, &dummy);
                (!effect.takes.is_empty()).then(|| FormSeats {
                    lines: vec![format!(
                        "takes a {} seat: seats unknown (the account could not be read)",
                        names(&effect.takes)
                    )],
                    over: Vec::new(),
                })
            }
            AccountStatus::Known(account) => {
                let effect = seat_effect(change, target, account);
                let uses = &self.uses;
                let lines = effect.sentences(uses);
                let over: Vec<_> = effect
                    .over_purchased(uses)
                    .into_iter()
                    .map(|seat| {
                        let only = crate::brevo::seats::SeatEffect {
                            takes: [seat.vertical.clone()].into(),
                            frees: BTreeSet::new(),
                        };
                        only.sentences(std::slice::from_ref(seat)).join("")
                    })
                    .collect();
                (!lines.is_empty()).then_some(FormSeats { lines, over })
            }
        }
    }

    /// The seat lines of the open form, as it stands (before it is valid:
    /// ticking a feature shows what it costs at once).
    pub fn form_seats(&self, form: Option<&Form>, users: &[User]) -> Option<FormSeats> {
        let change = form?.seat_draft()?;
        self.seats_of(&change, users)
    }
}

/// "Marketing" or "Marketing and CRM seat" names, for the unknown case.
fn names(verticals: &BTreeSet<Vertical>) -> String {
    let names: Vec<String> = verticals.iter().map(ToString::to_string).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
