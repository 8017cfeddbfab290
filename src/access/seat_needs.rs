//! What a plan does to seats, per vertical, from the core's seat rules
//! (`brevo::seats`): how many its changes take and free, and how many
//! Brevo may bill depending on whether removals run first. An upper-bound
//! estimate [INFERRED]: Brevo documents no seat rule exactly (spec §8.1.1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::plan::{Action, Step};
use crate::brevo::account::{Account, Vertical};
use crate::brevo::model::User;
use crate::brevo::seats::{seat_effect, seat_use};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatNeed {
    pub vertical: String,
    /// `None`: the account does not say.
    pub purchased: Option<u32>,
    /// Counted from the user list (the owner in every vertical).
    pub used: u32,
    /// Seats the plan's invites and updates take.
    pub takes: u32,
    /// Seats the plan's removals and updates free.
    pub frees: u32,
    /// Seats beyond those purchased if invites run before removals
    /// (the default order); `None` when `purchased` is unknown.
    pub billed_invites_first: Option<u32>,
    /// The same with `--removals-first`.
    pub billed_removals_first: Option<u32>,
}

/// The seat needs of `steps` and the sentences that go with them.
pub(crate) fn seat_needs(
    steps: &[Step],
    users: &[User],
    account: &Account,
    removals_first: bool,
) -> (Vec<SeatNeed>, Vec<String>) {
    let by_email: BTreeMap<String, &User> = users
        .iter()
        .map(|u| (u.email.to_ascii_lowercase(), u))
        .collect();
    #[derive(Default)]
    struct Count {
        takes: u32,
        frees: u32,
        frees_by_removals: u32,
    }
    let mut counts: BTreeMap<Vertical, Count> = BTreeMap::new();
    for step in steps {
        let Some(change) = step.change() else {
            continue;
        };
        let user = by_email.get(&step.email.to_ascii_lowercase()).copied();
        let effect = seat_effect(&change, user, account);
        for vertical in effect.takes {
            counts.entry(vertical).or_default().takes += 1;
        }
        for vertical in effect.frees {
            let count = counts.entry(vertical).or_default();
            count.frees += 1;
            if matches!(step.action, Action::Revoke | Action::Cancel) {
                count.frees_by_removals += 1;
            }
        }
    }
    let mut needs = Vec::new();
    let mut notes = Vec::new();
    for seat in seat_use(account, users) {
        let count = counts.remove(&seat.vertical).unwrap_or_default();
        let billed = |peak: u32| seat.purchased.map(|bought| peak.saturating_sub(bought));
        let invites_first = billed(seat.used.saturating_add(count.takes));
        let removals_first_billed = billed(
            seat.used
                .saturating_sub(count.frees_by_removals)
                .saturating_add(count.takes),
        );
        let name = seat.vertical.to_string();
        let in_order = if removals_first {
            removals_first_billed
        } else {
            invites_first
        };
        if count.takes > 0 || count.frees > 0 {
            let bought = seat
                .purchased
                .map_or("bought unknown".to_owned(), |b| format!("{b} bought"));
            let mut sentence = format!(
                "{name} seats: {} used, {bought}; the plan takes {} and frees {}",
                seat.used, count.takes, count.frees
            );
            if let Some(extra) = in_order.filter(|n| *n > 0) {
                sentence.push_str(&format!(" — Brevo may bill {extra} extra"));
            }
            notes.push(sentence);
        }
        if !removals_first
            && let (Some(before), Some(after)) = (invites_first, removals_first_billed)
            && after < before
        {
            notes.push(format!(
                "invites would buy {} {name} seats that the plan's own removals free: \
                 --removals-first runs the removals before the invites",
                before - after
            ));
        }
        needs.push(SeatNeed {
            vertical: name,
            purchased: seat.purchased,
            used: seat.used,
            takes: count.takes,
            frees: count.frees,
            billed_invites_first: invites_first,
            billed_removals_first: removals_first_billed,
        });
    }
    (needs, notes)
}
