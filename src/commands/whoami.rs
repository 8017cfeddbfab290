//! `whoami`: the account the key reaches, read once (`GET /account`, one
//! request): email, company, plan, seats per vertical, the requests left
//! in the quota (from that answer's rate-limit headers), and the profile
//! and key source in force — never the key. `info` is about the local
//! set-up and needs no request; this is about the account.

use std::time::Instant;

use serde_json::{Value, json};

use super::output::write_json;
use super::seats::seat_uses;
use super::{Console, Failure};
use crate::brevo::error::human_duration;
use crate::brevo::sanitize::sanitize;
use crate::brevo::seats::SeatUse;
use crate::brevo::{Account, Client};
use crate::config::credentials::KeySource;

/// Where the key came from and under which profile, as `connect` found them.
pub struct Origin<'a> {
    pub profile: Option<&'a str>,
    pub key_source: &'a KeySource,
}

pub async fn whoami(
    client: &Client,
    origin: &Origin<'_>,
    console: &mut Console<'_>,
    json: bool,
) -> Result<(), Failure> {
    // A failure here is the command's failure: 401 exits 3, as documented.
    let account = client.account().await?;
    let seats = seat_uses(&account, None);
    let limit = client.rate_limit();
    let resets_in = limit.and_then(|l| l.resets_in(Instant::now()));
    if json {
        let document = json!({
            "email": account.email,
            "company": account.company_name,
            "plan": account.plan_name(),
            "seats": seats_json(&account, &seats),
            "quota": {
                "limit": limit.and_then(|l| l.limit),
                "remaining": limit.and_then(|l| l.remaining),
                "resets_in_seconds": resets_in.map(|d| d.as_secs()),
            },
            "host": client.host(),
            "profile": origin.profile,
            "key_source": origin.key_source.to_string(),
        });
        write_json(console.out, &document)?;
        return Ok(());
    }
    let unknown = || "(unknown)".to_owned();
    let requests = match limit.and_then(|l| l.remaining) {
        Some(remaining) => {
            let of = limit
                .and_then(|l| l.limit)
                .map(|l| format!(" of {l}"))
                .unwrap_or_default();
            let resets = resets_in
                .map(|d| format!(" (the window resets in {})", human_duration(d)))
                .unwrap_or_default();
            format!("{remaining}{of} left{resets}")
        }
        None => "not said (Brevo sent no rate-limit headers)".to_owned(),
    };
    let lines = [
        ("account", sanitize(&account.email).into_owned()),
        (
            "company",
            account
                .company_name
                .as_deref()
                .map_or_else(unknown, |c| sanitize(c).into_owned()),
        ),
        (
            "plan",
            account
                .plan_name()
                .map_or_else(unknown, |p| sanitize(&p).into_owned()),
        ),
        ("seats", seats_line(&account, &seats)),
        ("requests", requests),
        (
            "profile",
            origin.profile.map_or_else(
                || "(none: environment only)".to_owned(),
                |p| sanitize(p).into_owned(),
            ),
        ),
        ("API key", format!("from {}", origin.key_source)),
        ("API", client.host()),
    ];
    for (label, value) in lines {
        writeln!(console.out, "{label:<10} {value}")?;
    }
    Ok(())
}

/// "Marketing 3/3 full · CRM 1/2"; "?" for a count Brevo did not give.
fn seats_line(account: &Account, seats: &[SeatUse]) -> String {
    if account.plan_verticals.is_empty() {
        return "(none listed for this account)".to_owned();
    }
    account
        .plan_verticals
        .iter()
        .map(|plan| {
            let counted = seats.iter().find(|s| s.vertical == plan.plan_category);
            let figures = counted.map_or_else(
                || {
                    let bought = plan.users.purchased;
                    format!(
                        "?/{}",
                        bought.map_or_else(|| "?".to_owned(), |n| n.to_string())
                    )
                },
                SeatUse::figures,
            );
            let full = if counted.is_some_and(SeatUse::full) {
                " full"
            } else {
                ""
            };
            format!("{} {figures}{full}", plan.plan_category)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn seats_json(account: &Account, seats: &[SeatUse]) -> Value {
    Value::Array(
        account
            .plan_verticals
            .iter()
            .map(|plan| {
                let counted = seats.iter().find(|s| s.vertical == plan.plan_category);
                json!({
                    "vertical": plan.plan_category.to_string(),
                    "purchased": plan.users.purchased,
                    "used": plan.users.used,
                    "full": counted.is_some_and(SeatUse::full),
                })
            })
            .collect(),
    )
}
