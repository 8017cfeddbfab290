//! Building a [`Plan`]: the file against the live state, user by user, then
//! the core's guards, then seats. Pure and linear in the number of users.

use std::collections::{HashMap, HashSet};

use super::file::{AccessFile, Entry, split_known};
use super::guards;
use super::live::{LiveState, LiveUser, Reading};
use super::plan::{Action, Basis, Plan, PlanOptions, PlanRefusal, PlannedFrom, Step, unix_seconds};
use super::seat_needs::seat_needs;
use crate::brevo::account::Account;
use crate::brevo::escalation::escalation;
use crate::brevo::grants::Grants;
use crate::brevo::model::User;
use crate::brevo::presets::Preset;
use crate::brevo::removal::{KnownPermissions, holds_user_management};

/// Plans `file` against `live`. `presets`: the catalogue's and the
/// profile's. `account`: `/account` as read, for seats (`None`: no seat
/// needs, and a note says so).
pub fn plan(
    file: &AccessFile,
    live: &LiveState,
    options: &PlanOptions,
    presets: &[Preset],
    account: Option<&Account>,
) -> Result<Plan, PlanRefusal> {
    check_account(file, live, options)?;
    let mut plan = Plan::new(options);
    plan.account = live.account.clone().or_else(|| file.account.clone());
    plan.owner = live.owner().map(|o| o.user.email.clone());
    if file.account.is_none() {
        plan.notes.push(
            "the file names no account: add account = \"…\" so that planning it against another account is refused"
                .into(),
        );
    }
    let by_email: HashMap<String, &LiveUser> = live
        .users
        .iter()
        .map(|u| (u.user.email.trim().to_ascii_lowercase(), u))
        .collect();
    let mut known = KnownPermissions::new();
    for user in &live.users {
        if let Some(grants) = user.reading.grants() {
            known.record(&user.user.email, grants);
        }
    }
    let everything = Grants::everything();
    let mut in_file = HashSet::with_capacity(file.users.len());
    let mut losing_user_management = Vec::new();
    for entry in &file.users {
        let email = entry.email.trim().to_ascii_lowercase();
        let current = by_email.get(&email).copied();
        in_file.insert(email);
        if let Some(owner) = current.filter(|u| u.user.is_owner) {
            return Err(PlanRefusal::OwnerInFile {
                email: owner.user.email.clone(),
                line: entry.line,
            });
        }
        let step = entry_step(entry, current, presets, options, &everything)?;
        if let (Action::Update { .. }, Some(before)) = (&step.action, current) {
            let after = desired_effective(entry, presets, &everything);
            let held = before.reading.grants().is_some_and(holds_user_management);
            if held && !holds_user_management(&after) {
                losing_user_management.push(before.user.email.clone());
            } else if !held && holds_user_management(&after) && !before.user.is_pending() {
                known.record(&before.user.email, &after);
            }
        }
        plan.steps.push(step);
    }
    for user in &live.users {
        if user.user.is_owner || in_file.contains(&user.user.email.trim().to_ascii_lowercase()) {
            continue;
        }
        plan.steps.push(unlisted_step(user, options.prune));
    }
    let users: Vec<User> = live.users.iter().map(|u| u.user.clone()).collect();
    let removals: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| s.action.is_removal())
        .map(|s| s.email.as_str())
        .collect();
    let losing: Vec<&str> = losing_user_management.iter().map(String::as_str).collect();
    let prune = options.prune.then_some(options.max_removals);
    guards::check(&users, &removals, &losing, &known, prune)?;
    plan.steps
        .sort_by_cached_key(|s| (s.email.to_ascii_lowercase(), s.email.clone()));
    match account {
        Some(account) => {
            let (needs, notes) = seat_needs(&plan.steps, &users, account, options.removals_first);
            plan.seats = needs;
            plan.notes.extend(notes);
        }
        None if plan.has_changes() => plan
            .notes
            .push("seats unknown: /account was not read".into()),
        None => {}
    }
    let pending = plan
        .steps
        .iter()
        .filter(|s| matches!(s.action, Action::Update { pending: true, .. }))
        .count();
    if pending > 0 {
        // [UNCONFIRMED] spec §4.6: whether Brevo updates a pending invitation.
        plan.notes.push(format!(
            "{pending} pending invitation(s) would be updated: if Brevo refuses, cancel and invite again"
        ));
    }
    Ok(plan)
}

fn check_account(
    file: &AccessFile,
    live: &LiveState,
    options: &PlanOptions,
) -> Result<(), PlanRefusal> {
    let Some(wanted) = file.account.as_deref().filter(|_| options.account_check) else {
        return Ok(());
    };
    match live.account.as_deref() {
        Some(key) if key.trim().eq_ignore_ascii_case(wanted.trim()) => Ok(()),
        Some(key) => Err(PlanRefusal::WrongAccount {
            file: wanted.to_owned(),
            key: key.to_owned(),
        }),
        None => Err(PlanRefusal::AccountNotConfirmed {
            file: wanted.to_owned(),
        }),
    }
}

fn desired_effective(entry: &Entry, presets: &[Preset], everything: &Grants) -> Grants {
    match entry.desired.target(presets) {
        Some(t) if t.all_features => everything.clone(),
        Some(t) => t.grants,
        None => Grants::new(),
    }
}

fn entry_step(
    entry: &Entry,
    current: Option<&LiveUser>,
    presets: &[Preset],
    options: &PlanOptions,
    everything: &Grants,
) -> Result<Step, PlanRefusal> {
    let target = entry
        .desired
        .target(presets)
        .ok_or_else(|| PlanRefusal::UnknownPreset {
            email: entry.email.clone(),
            preset: match &entry.desired {
                super::file::Desired::Preset(p) => p.clone(),
                _ => String::new(),
            },
            line: entry.line,
        })?;
    let mut step = Step {
        email: entry.email.clone(),
        action: Action::Unchanged,
        line: (entry.line > 0).then_some(entry.line),
        escalation: None,
        basis: Basis::List,
        age_seconds: None,
        planned_from: PlannedFrom::default(),
    };
    let Some(current) = current else {
        step.escalation = escalation(target.all_features, &target.grants, None);
        step.action = Action::Invite {
            all_features: target.all_features,
            grants: target.grants,
        };
        return Ok(step);
    };
    step.planned_from.status = Some(current.user.status.clone());
    let grants = match &current.reading {
        Reading::NotRead { reason } => {
            step.basis = Basis::NotRead;
            step.action = Action::NotChecked {
                reason: reason.clone(),
            };
            return Ok(step);
        }
        Reading::Fresh { grants, .. } => {
            step.basis = Basis::Fresh;
            grants
        }
        Reading::Cached { grants, .. } => {
            step.basis = Basis::Cached;
            step.age_seconds = current.reading.age(options.now).map(|a| a.as_secs());
            grants
        }
    };
    step.planned_from.grants = Some(grants.clone());
    step.planned_from.read_at = current.reading.read_at().map(unix_seconds);
    // Values the catalogue does not know are compared on neither side and
    // sent back as they came: plan and apply leave them untouched.
    let (held, unrecognised) = split_known(grants);
    let desired = if target.all_features {
        everything
    } else {
        &target.grants
    };
    if held == *desired {
        return Ok(step);
    }
    let changes = held.diff(desired);
    let mut send = target.grants.clone();
    if !target.all_features {
        for (feature, permissions) in unrecognised.iter() {
            for permission in permissions {
                send.insert(feature, permission);
            }
        }
    }
    step.escalation = escalation(target.all_features, &target.grants, Some(&held));
    step.action = Action::Update {
        all_features: target.all_features,
        grants: send,
        changes,
        pending: current.user.is_pending(),
    };
    Ok(step)
}

/// A user with access who is not in the file. A removal depends on the
/// list alone, so it is planned from the list entry (status), not from
/// the permissions: apply's re-read of the list is enough to check it.
fn unlisted_step(user: &LiveUser, prune: bool) -> Step {
    let action = match (prune, user.user.is_pending()) {
        (false, _) => Action::NotManaged,
        (true, true) => Action::Cancel,
        (true, false) => Action::Revoke,
    };
    Step {
        email: user.user.email.clone(),
        action,
        line: None,
        escalation: None,
        basis: Basis::List,
        age_seconds: None,
        planned_from: PlannedFrom {
            status: Some(user.user.status.clone()),
            grants: None,
            read_at: None,
        },
    }
}
