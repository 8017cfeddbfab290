//! What a change costs in seats (spec §8.1.1, [INFERRED] throughout: Brevo
//! documents no exact rule, so this is our model and every sentence says
//! "may"). A user counts against a vertical when their access touches it;
//! the owner counts in every vertical the account has; pending invitations
//! count. An invitation or update that needs a seat beyond those bought may
//! be billed; a cancel, revoke or downgrade may free one.

use std::collections::BTreeSet;

use super::account::{Account, Vertical};
use super::change::Change;
use super::grants::Grants;
use super::model::User;

/// The list's `feature_access` area (spec §2.5) a catalogue feature shows
/// under. [INFERRED] from the spec's grouping and the live lists: the
/// campaign, contact and automation features are `marketing`, the sales
/// platform and companies `crm`; user management and senders belong to no
/// area (a user holding only those shows `none` everywhere, so takes no
/// seat). A feature we do not place is counted as `marketing`: a warning
/// too many is cheaper than a bill unannounced. The mock's list summary and
/// the seat rule below both read this, so they cannot disagree.
pub fn area_of_feature(feature: &str) -> Option<&'static str> {
    match feature {
        "user_management" | "senders_domains_dedicated_ips" => None,
        "sales_platform" | "companies" => Some("crm"),
        "conversations" => Some("conversations"),
        "phone" => Some("phone"),
        "transactional_emails" | "smtp_api" => Some("transactional"),
        _ => Some("marketing"),
    }
}

/// The vertical a catalogue feature counts against, if any: the vertical
/// of its list area.
pub fn vertical_of_feature(feature: &str) -> Option<Vertical> {
    area_of_feature(feature).and_then(vertical_of_area)
}

/// The vertical a list entry's `feature_access` area counts against, or
/// `None` for an area we cannot place (tolerant: it counts nowhere rather
/// than guessing a bill). [INFERRED] for the undocumented areas.
pub fn vertical_of_area(area: &str) -> Option<Vertical> {
    match area.to_ascii_lowercase().as_str() {
        "marketing" | "transactional" => Some(Vertical::Marketing),
        "conversations" | "phone" => Some(Vertical::Chat),
        "crm" | "meetings" | "sequences" => Some(Vertical::Crm),
        _ => None,
    }
}

/// The verticals a user counts against, from the list alone.
pub fn user_verticals(user: &User, account: &Account) -> BTreeSet<Vertical> {
    if user.is_owner {
        return account
            .plan_verticals
            .iter()
            .map(|v| v.plan_category.clone())
            .collect();
    }
    user.feature_access
        .iter()
        .filter(|(_, value)| !value.trim().eq_ignore_ascii_case("none"))
        .filter_map(|(area, _)| vertical_of_area(area))
        .collect()
}

/// The verticals a grant touches.
pub fn grant_verticals(all_features: bool, grants: &Grants) -> BTreeSet<Vertical> {
    if all_features {
        return [Vertical::Marketing, Vertical::Chat, Vertical::Crm].into();
    }
    grants
        .iter()
        .filter_map(|(feature, _)| vertical_of_feature(feature))
        .collect()
}

/// One vertical's seats: bought (from `/account`) and used (counted from
/// the list, so a change made since the account was read is included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatUse {
    pub vertical: Vertical,
    pub purchased: Option<u32>,
    pub used: u32,
}

impl SeatUse {
    pub fn full(&self) -> bool {
        self.purchased.is_some_and(|bought| self.used >= bought)
    }

    /// `23/23`: used of bought, `?` for seats bought Brevo did not give.
    /// The header and `whoami` write a vertical's seats this way.
    pub fn figures(&self) -> String {
        let bought = self
            .purchased
            .map_or_else(|| "?".to_owned(), |n| n.to_string());
        format!("{}/{bought}", self.used)
    }
}

/// Seats per vertical of the account, used counts from `users`.
pub fn seat_use(account: &Account, users: &[User]) -> Vec<SeatUse> {
    account
        .plan_verticals
        .iter()
        .map(|plan| SeatUse {
            vertical: plan.plan_category.clone(),
            purchased: plan.users.purchased,
            used: users
                .iter()
                .filter(|u| user_verticals(u, account).contains(&plan.plan_category))
                .count()
                .try_into()
                .unwrap_or(u32::MAX),
        })
        .collect()
}

/// The seats a change takes and frees, per vertical.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeatEffect {
    pub takes: BTreeSet<Vertical>,
    pub frees: BTreeSet<Vertical>,
}

/// What `change` does to the seats; `user` is the target as the list shows
/// it (absent for an invitation).
pub fn seat_effect(change: &Change, user: Option<&User>, account: &Account) -> SeatEffect {
    let held = user.map(|u| user_verticals(u, account)).unwrap_or_default();
    seat_effect_held(change, held)
}

/// What `change` does to the seats of a target holding `held` (from the
/// list entry, or from the permissions `update` read: `grant_verticals`).
pub fn seat_effect_held(change: &Change, held: BTreeSet<Vertical>) -> SeatEffect {
    match change {
        Change::Invite(request) => SeatEffect {
            takes: grant_verticals(request.all_features_access, &request.grants),
            frees: BTreeSet::new(),
        },
        Change::UpdatePermissions(request) => {
            let after = grant_verticals(request.all_features_access, &request.grants);
            SeatEffect {
                takes: after.difference(&held).cloned().collect(),
                frees: held.difference(&after).cloned().collect(),
            }
        }
        Change::CancelInvitation(_) | Change::Revoke(_) => SeatEffect {
            takes: BTreeSet::new(),
            frees: held,
        },
        Change::ResendInvitation(_) => SeatEffect::default(),
    }
}

impl SeatEffect {
    /// The verticals where the change needs a seat beyond those bought:
    /// Brevo may bill one. Only verticals the account has count.
    pub fn over_purchased<'a>(&self, uses: &'a [SeatUse]) -> Vec<&'a SeatUse> {
        uses.iter()
            .filter(|u| self.takes.contains(&u.vertical) && u.full())
            .collect()
    }

    /// One sentence per vertical touched, for the forms and the commands:
    /// "takes a Marketing seat: 3 of 3 used — Brevo may bill an extra seat".
    pub fn sentences(&self, uses: &[SeatUse]) -> Vec<String> {
        let mut sentences = Vec::new();
        for seat in uses {
            let counted = match seat.purchased {
                Some(bought) => format!("{} of {bought} used", seat.used),
                None => format!("{} used, bought unknown", seat.used),
            };
            if self.takes.contains(&seat.vertical) {
                let bill = if seat.full() {
                    " — Brevo may bill an extra seat"
                } else {
                    ""
                };
                sentences.push(format!("takes a {} seat: {counted}{bill}", seat.vertical));
            }
            if self.frees.contains(&seat.vertical) {
                sentences.push(format!("frees a {} seat: {counted}", seat.vertical));
            }
        }
        sentences
    }
}

/// What a batch of invitations (an import) needs in one vertical against
/// the seats free: "Marketing needs 2, 0 free — Brevo may bill 2 extra seats".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchNeed {
    pub vertical: Vertical,
    pub needs: u32,
    /// `None` when the seats bought are unknown.
    pub free: Option<u32>,
}

impl BatchNeed {
    /// The seats needed beyond those free: Brevo may bill that many.
    pub fn extra(&self) -> u32 {
        self.free.map_or(0, |free| self.needs.saturating_sub(free))
    }

    pub fn sentence(&self) -> String {
        let free = match self.free {
            Some(free) => format!("{free} free"),
            None => "free unknown".to_owned(),
        };
        let bill = match self.extra() {
            0 => String::new(),
            1 => " — Brevo may bill an extra seat".to_owned(),
            n => format!(" — Brevo may bill {n} extra seats"),
        };
        format!("{} needs {}, {free}{bill}", self.vertical, self.needs)
    }
}

/// Per vertical of `uses`, the seats the invitations' effects take.
pub fn batch_needs(effects: &[SeatEffect], uses: &[SeatUse]) -> Vec<BatchNeed> {
    uses.iter()
        .map(|seat| BatchNeed {
            vertical: seat.vertical.clone(),
            needs: effects
                .iter()
                .filter(|e| e.takes.contains(&seat.vertical))
                .count()
                .try_into()
                .unwrap_or(u32::MAX),
            free: seat
                .purchased
                .map(|bought| bought.saturating_sub(seat.used)),
        })
        .filter(|need| need.needs > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brevo::{AccessRequest, UserStatus};

    fn account() -> Account {
        serde_json::from_str(
            r#"{"email":"o@acme.test","planVerticals":[
                {"planCategory":"Marketing","users":{"purchasedSeats":"3","usedSeats":"3"}},
                {"planCategory":"CRM","users":{"purchasedSeats":"2","usedSeats":"1"}}]}"#,
        )
        .expect("decodes")
    }

    fn user(email: &str, owner: bool, access: &[(&str, &str)]) -> User {
        User {
            email: email.into(),
            is_owner: owner,
            status: UserStatus::Active,
            feature_access: access.iter().copied().collect(),
            id: None,
            locale: None,
        }
    }

    fn org() -> Vec<User> {
        vec![
            user("o@acme.test", true, &[("marketing", "owner")]),
            user(
                "a@acme.test",
                false,
                &[("marketing", "full"), ("crm", "none")],
            ),
            user("b@acme.test", false, &[("marketing", "custom")]),
        ]
    }

    #[test]
    fn used_seats_follow_the_list_and_the_owner_counts_everywhere() {
        let uses = seat_use(&account(), &org());
        assert_eq!(uses[0].used, 3, "owner, a and b in Marketing");
        assert!(uses[0].full());
        assert_eq!(uses[1].used, 1, "only the owner in CRM");
        assert!(!uses[1].full());
    }

    #[test]
    fn an_invitation_over_the_seats_bought_may_be_billed() {
        let grants = Grants::from_pairs([("contacts", vec!["view"])]);
        let invite = Change::Invite(AccessRequest::invite("n@acme.test", false, grants));
        let effect = seat_effect(&invite, None, &account());
        let uses = seat_use(&account(), &org());
        assert_eq!(effect.over_purchased(&uses).len(), 1);
        assert_eq!(
            effect.sentences(&uses),
            vec!["takes a Marketing seat: 3 of 3 used — Brevo may bill an extra seat"]
        );
        let crm = Grants::from_pairs([("sales_platform", vec!["create_edit_deals"])]);
        let crm_invite = Change::Invite(AccessRequest::invite("n@acme.test", false, crm));
        let effect = seat_effect(&crm_invite, None, &account());
        assert!(effect.over_purchased(&uses).is_empty());
        assert_eq!(
            effect.sentences(&uses),
            vec!["takes a CRM seat: 1 of 2 used"]
        );
    }

    #[test]
    fn a_revoke_frees_and_an_update_moves_seats() {
        let users = org();
        let revoke = Change::Revoke("a@acme.test".into());
        let effect = seat_effect(&revoke, Some(&users[1]), &account());
        assert_eq!(effect.frees, [Vertical::Marketing].into());
        let to_crm = Grants::from_pairs([("companies", vec!["owner_companies"])]);
        let current = Grants::from_pairs([("contacts", vec!["view"])]);
        let update = Change::UpdatePermissions(AccessRequest::update(
            "a@acme.test",
            &current,
            &to_crm,
            false,
        ));
        let effect = seat_effect(&update, Some(&users[1]), &account());
        assert_eq!(effect.takes, [Vertical::Crm].into());
        assert_eq!(effect.frees, [Vertical::Marketing].into());
        assert!(
            seat_effect(
                &Change::ResendInvitation("b@acme.test".into()),
                Some(&users[2]),
                &account()
            )
            .takes
            .is_empty()
        );
    }

    #[test]
    fn a_batch_counts_what_it_needs_against_the_seats_free() {
        let uses = seat_use(&account(), &org());
        let viewer = Grants::from_pairs([("contacts", vec!["view"])]);
        let invite = |email: &str| {
            let change = Change::Invite(AccessRequest::invite(email, false, viewer.clone()));
            seat_effect(&change, None, &account())
        };
        let needs = batch_needs(&[invite("x@acme.test"), invite("y@acme.test")], &uses);
        assert_eq!(needs.len(), 1, "CRM is not needed: {needs:?}");
        assert_eq!(needs[0].extra(), 2);
        assert_eq!(
            needs[0].sentence(),
            "Marketing needs 2, 0 free — Brevo may bill 2 extra seats"
        );
        let crm = Grants::from_pairs([("companies", vec!["owner_companies"])]);
        let change = Change::Invite(AccessRequest::invite("z@acme.test", false, crm));
        let needs = batch_needs(&[seat_effect(&change, None, &account())], &uses);
        assert_eq!(needs[0].sentence(), "CRM needs 1, 1 free");
        assert_eq!(needs[0].extra(), 0);
    }

    #[test]
    fn user_management_alone_takes_no_seat_because_the_list_shows_no_area() {
        // The form's "takes a seat" and the recount from the list after the
        // invitation read the same rule, so they cannot disagree.
        let manager = Grants::from_pairs([("user_management", vec!["all"])]);
        let invite = Change::Invite(AccessRequest::invite("m@acme.test", false, manager));
        assert!(seat_effect(&invite, None, &account()).takes.is_empty());
        assert_eq!(area_of_feature("senders_domains_dedicated_ips"), None);
        assert_eq!(area_of_feature("smtp_api"), Some("transactional"));
        assert_eq!(vertical_of_feature("companies"), Some(Vertical::Crm));
    }
}
