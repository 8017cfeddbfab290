//! Bulk actions over the marked users: the plan (what happens to each, or
//! why they are skipped — the core's applicability), its one confirmation
//! with the quota check, and the preset picker. `bulk_run.rs` runs it.

use crate::brevo::applicability::{ChangeKind, applies_in, applies_to};
use crate::brevo::escalation::escalation;
use crate::brevo::{Change, Escalation};

use super::super::action::{Command, Effect};
use super::super::state::bulk::{Asking, BulkPlan, PlanItem, Step, Work};
use super::super::state::{AppState, Cached, Modal, ProfilePicker, ToastKind, user_key};
use super::toast::toast;
use super::{bulk_run, changes};

/// `r`, `c`, `x`: on the marked users when there are marks, else on the
/// selected one as always.
pub fn change_key(state: &mut AppState, command: Command) -> Vec<Effect> {
    if let Some(refused) = busy(state) {
        return refused;
    }
    if state.marks.is_empty() {
        return changes::requested(state, command);
    }
    let (kind, title) = match command {
        Command::Resend => (ChangeKind::Resend, "resend the invitation"),
        Command::CancelInvitation => (ChangeKind::Cancel, "cancel the invitation"),
        _ => (ChangeKind::Revoke, "revoke the access"),
    };
    let items = marked_items(
        state,
        |state, user| {
            applies_to(kind, user).map_err(|why| why.to_string())?;
            let email = user.email.clone();
            let change = match kind {
                ChangeKind::Resend => Change::ResendInvitation(email),
                ChangeKind::Cancel => Change::CancelInvitation(email),
                _ => Change::Revoke(email),
            };
            let read = super::super::state::undo::needs_read(state, &change);
            let what = if read {
                format!("{title} (their permissions are read first, so u can give them back)")
            } else {
                title.to_owned()
            };
            let work = if read {
                Work::ReadThenSend(change)
            } else {
                Work::Send(change)
            };
            Ok((work, what))
        },
        kind,
    );
    let plan = finish_plan(title.to_owned(), items, Vec::new(), None, false, state);
    state.modals.open_over(Modal::Bulk(Box::new(plan)));
    Vec::new()
}

/// A bulk action or a change of its is out: nothing else goes at once.
pub fn busy(state: &mut AppState) -> Option<Vec<Effect>> {
    let run = state.bulk.as_ref()?;
    let text = format!(
        "a bulk action is running ({} of {}): Esc stops it after the user in flight",
        run.started(),
        run.total
    );
    Some(toast(state, ToastKind::Error, text))
}

/// Every marked user, those shown first in the order shown, then those
/// the filter hides, then marks of users no longer in the list.
fn marked_items(
    state: &AppState,
    decide: impl Fn(&AppState, &crate::brevo::User) -> Result<(Work, String), String>,
    kind: ChangeKind,
) -> Vec<PlanItem> {
    let users = &state.list.users;
    let rows = state.visible();
    let mut shown = vec![false; users.len()];
    let mut items = Vec::with_capacity(state.marks.len());
    let item = |i: usize, on_screen: bool| {
        let user = &users[i];
        let step = match decide(state, user) {
            Ok((work, what)) => Step::Do { work, what },
            Err(why) => Step::Skip(why),
        };
        PlanItem {
            email: user.email.clone(),
            shown: on_screen,
            step,
        }
    };
    for &i in rows.iter() {
        shown[i] = true;
        if state.marks.contains(&users[i].email) {
            items.push(item(i, true));
        }
    }
    for i in 0..users.len() {
        if !shown[i] && state.marks.contains(&users[i].email) {
            items.push(item(i, false));
        }
    }
    if items.len() < state.marks.len() {
        for email in state.marks.iter() {
            if !users.iter().any(|u| u.email == email) {
                let why = applies_in(kind, email, users).err().map(|e| e.to_string());
                items.push(PlanItem {
                    email: email.to_owned(),
                    shown: false,
                    step: Step::Skip(why.unwrap_or_else(|| "no longer in the list".to_owned())),
                });
            }
        }
    }
    items
}

/// The plan's costs: its requests (and the list's reload after), against
/// what Brevo said is left.
pub fn finish_plan(
    title: String,
    items: Vec<PlanItem>,
    notes: Vec<String>,
    escalation: Option<Escalation>,
    undo: bool,
    state: &AppState,
) -> BulkPlan {
    let work: u64 = items
        .iter()
        .map(|i| match &i.step {
            Step::Do { work, .. } => work.requests(),
            Step::Skip(_) => 0,
        })
        .sum();
    BulkPlan {
        title,
        requests: if work > 0 { work + 1 } else { 0 },
        cost_detail: None,
        items,
        requests_left: state.requests_left(),
        notes,
        escalation,
        undo,
        asking: Asking::Plan,
        scroll: 0,
        yes_focused: false,
    }
}

/// `p`: the presets, to apply one to the marked users.
pub fn open_presets(state: &mut AppState) -> Vec<Effect> {
    if let Some(refused) = busy(state) {
        return refused;
    }
    let refusal = if state.marks.is_empty() {
        "mark users first (Space, or * for every user shown): p applies a preset to the marked users"
    } else if state.presets.is_empty() {
        "no preset is defined"
    } else {
        ""
    };
    if !refusal.is_empty() {
        return toast(state, ToastKind::Error, refusal.to_owned());
    }
    let picker = Modal::Presets(ProfilePicker::default());
    state.modals.open_over(picker);
    Vec::new()
}

pub fn presets_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let last = state.presets.len().saturating_sub(1);
    let Some(Modal::Presets(picker)) = state.modals.top_mut() else {
        return Vec::new();
    };
    match command {
        Command::Up => picker.cursor = picker.cursor.saturating_sub(1),
        Command::Down => picker.cursor = (picker.cursor + 1).min(last),
        Command::Back => {
            state.modals.close_top();
        }
        Command::Activate => {
            let chosen = picker.cursor;
            state.modals.close_top();
            return plan_preset(state, chosen);
        }
        _ => {}
    }
    Vec::new()
}

fn plan_preset(state: &mut AppState, index: usize) -> Vec<Effect> {
    let Some(preset) = state.presets.get(index).cloned() else {
        return Vec::new();
    };
    let what = format!(
        "set the permissions of the preset {} (sent as the full set)",
        preset.name
    );
    let items = marked_items(
        state,
        |state, user| {
            applies_to(ChangeKind::Update, user).map_err(|why| why.to_string())?;
            let planned = match state.permissions.cache.get(&user_key(&user.email)) {
                Some(Cached::Loaded(p)) => Some(p.grants.clone()),
                _ => None,
            };
            let work = Work::Preset {
                all_features: preset.all_features,
                grants: preset.grants.clone(),
                planned,
            };
            Ok((work, what.clone()))
        },
        ChangeKind::Update,
    );
    // Unknown permissions count as holding nothing: the safe side.
    let escalates = items.iter().find_map(|item| {
        let current = match state.permissions.cache.get(&user_key(&item.email)) {
            Some(Cached::Loaded(p)) => Some(&p.grants),
            _ => None,
        };
        matches!(item.step, Step::Do { .. })
            .then(|| escalation(preset.all_features, &preset.grants, current))
            .flatten()
    });
    let title = format!("apply the preset {}", preset.name);
    let mut plan = finish_plan(title, items, Vec::new(), escalates, false, state);
    plan.cost_detail = Some(
        "3 per user: their permissions read again just before the update, the update, a read-back; 1 to reload the list"
            .to_owned(),
    );
    state.modals.open_over(Modal::Bulk(Box::new(plan)));
    Vec::new()
}

/// Keys while the bulk confirmation is open.
pub fn confirm_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let page = usize::from(state.height.saturating_sub(12)).max(1);
    let Some(Modal::Bulk(plan)) = state.modals.top_mut() else {
        return Vec::new();
    };
    let last = plan.items.len().saturating_sub(1);
    match command {
        Command::Up => plan.scroll = plan.scroll.saturating_sub(1),
        Command::Down => plan.scroll = (plan.scroll + 1).min(last),
        Command::PageUp => plan.scroll = plan.scroll.saturating_sub(page),
        Command::PageDown => plan.scroll = (plan.scroll + page).min(last),
        Command::NextButton | Command::PrevButton => {
            plan.yes_focused = !plan.yes_focused;
        }
        Command::Yes => return accept(state),
        Command::Activate if plan.yes_focused => return accept(state),
        Command::No | Command::Activate => {
            state.modals.close_top();
        }
        _ => {}
    }
    Vec::new()
}

fn accept(state: &mut AppState) -> Vec<Effect> {
    let Some(Modal::Bulk(plan)) = state.modals.top_mut() else {
        return Vec::new();
    };
    if plan.to_do() == 0 {
        state.modals.close_top();
        let text = "nothing to do: every marked user is skipped".to_owned();
        return toast(state, ToastKind::Info, text);
    }
    if plan.over_quota() {
        let text = format!(
            "not started: it needs {} requests and Brevo says {} are left this hour",
            plan.requests,
            plan.requests_left.unwrap_or(0)
        );
        return toast(state, ToastKind::Error, text);
    }
    if let (Some(escalation), Asking::Plan) = (plan.escalation, plan.asking) {
        plan.asking = Asking::Escalation(escalation);
        plan.yes_focused = false;
        return Vec::new();
    }
    let Some(Modal::Bulk(plan)) = state.modals.close_top() else {
        return Vec::new();
    };
    bulk_run::start(state, *plan)
}
