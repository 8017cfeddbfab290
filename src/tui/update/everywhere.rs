//! `F` and `O`: one person across every account of the configuration. The
//! lookup and the offboarding are effects the event loop carries out (the
//! keys one profile at a time, then the accounts in parallel); the answers
//! come back per account, tagged with the lookup's request.

use super::super::action::{Command, Effect};
use super::super::state::{
    AppState, Confirm, Confirmed, EmailPrompt, Everywhere, EverywhereScreen, Lookup, Modal,
    Progress, ToastKind,
};
use super::toast::toast;
use super::{list, seats};
use crate::brevo::validate::check_email;
use crate::everywhere::{AccountOutcome, Plan, Presence};

/// Why `F` cannot fan out here, if it cannot.
fn refusal(state: &AppState) -> Option<String> {
    let profiles = &state.profiles;
    if profiles.key_from_env && !state.context.demo {
        // As the switcher says it: the environment's key wins over every
        // profile's own source, so every profile would reach one account.
        return Some(
            "BREVO_API_KEY is set: every profile is reached with that key, so one account would \
             be listed under every profile's name; unset it to look in every account"
                .to_owned(),
        );
    }
    if state.context.demo && profiles.names.len() < 2 {
        let text = "this demo has a single account: there is nowhere else to look";
        return Some(text.to_owned());
    }
    if profiles.names.is_empty() {
        let text = "Everywhere looks in the configuration's profiles, and it has none (add [profiles.NAME] tables)";
        return Some(text.to_owned());
    }
    None
}

/// `F` in the list: the selected user in every account, or, with nobody
/// selected, a prompt for the email.
pub fn open(state: &mut AppState) -> Vec<Effect> {
    if let Some(text) = refusal(state) {
        return toast(state, ToastKind::Error, text);
    }
    match state.selected_user().map(|u| u.email.clone()) {
        Some(email) => look(state, email),
        None => {
            state.everywhere = Some(EverywhereScreen::Prompt(EmailPrompt::default()));
            Vec::new()
        }
    }
}

/// Starts a lookup of `email` in every profile.
fn look(state: &mut AppState, email: String) -> Vec<Effect> {
    let request = state.fresh_id();
    let profiles = state.profiles.names.clone();
    let everywhere = Everywhere::new(email.clone(), request, &profiles);
    state.everywhere = Some(EverywhereScreen::Accounts(everywhere));
    vec![Effect::FindEverywhere {
        request,
        email,
        profiles,
    }]
}

fn prompt(state: &mut AppState) -> Option<&mut EmailPrompt> {
    match state.everywhere.as_mut() {
        Some(EverywhereScreen::Prompt(prompt)) => Some(prompt),
        _ => None,
    }
}

/// A character typed or pasted into the prompt (control characters
/// dropped: a pasted line break is not Enter).
pub fn input(state: &mut AppState, text: &str) -> Vec<Effect> {
    if let Some(prompt) = prompt(state) {
        prompt.text.extend(text.chars().filter(|c| !c.is_control()));
        prompt.problem = None;
    }
    Vec::new()
}

/// Keys of the prompt.
pub fn prompt_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(prompt) = prompt(state) else {
        return Vec::new();
    };
    match command {
        Command::Submit => match check_email(&prompt.text) {
            Ok(()) => {
                let email = prompt.text.trim().to_owned();
                return look(state, email);
            }
            // What was typed stays, with the reason under it.
            Err(problem) => prompt.problem = Some(problem.to_string()),
        },
        Command::CancelForm => state.everywhere = None,
        Command::DeleteBack => {
            prompt.text.pop();
            prompt.problem = None;
        }
        Command::DeleteLine => {
            prompt.text.clear();
            prompt.problem = None;
        }
        _ => {}
    }
    Vec::new()
}

/// Keys of the view.
pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let page = state.page_size() as isize;
    let Some(everywhere) = shown(state) else {
        return Vec::new();
    };
    let running = everywhere.offboarding && everywhere.busy();
    let last = everywhere.accounts.len().saturating_sub(1);
    let scroll = |everywhere: &mut Everywhere, delta: isize| {
        everywhere.scroll = everywhere.scroll.saturating_add_signed(delta).min(last);
    };
    match command {
        Command::Up => scroll(everywhere, -1),
        Command::Down => scroll(everywhere, 1),
        Command::PageUp => scroll(everywhere, -page),
        Command::PageDown => scroll(everywhere, page),
        Command::Top => scroll(everywhere, isize::MIN),
        Command::Bottom => scroll(everywhere, isize::MAX),
        Command::Back if running => {
            let text = "offboarding is under way: the view stays until every account has answered";
            return toast(state, ToastKind::Error, text.to_owned());
        }
        Command::Back => state.everywhere = None,
        Command::FindEverywhere if running => {}
        Command::FindEverywhere => {
            let email = everywhere.email.clone();
            return look(state, email);
        }
        Command::OffboardEverywhere => return offboard(state),
        Command::Help => state.modals.open_over(Modal::help(super::Mode::Everywhere)),
        _ => {}
    }
    Vec::new()
}

/// `O`: the plan first (it reads the person's permissions where they are an
/// active member, to know whether they are the last user manager), then
/// the one confirmation naming every account.
fn offboard(state: &mut AppState) -> Vec<Effect> {
    let Some(everywhere) = shown(state) else {
        return Vec::new();
    };
    // A second `O` while it runs (or while the plan is made) does nothing.
    if everywhere.busy() && (everywhere.offboarding || everywhere.planning) {
        return Vec::new();
    }
    let text = if everywhere.offboarding {
        Some("offboarding has run: press F to look again, then O finishes what is left")
    } else if !everywhere.looked_everywhere() {
        Some("still looking: O works once every account has answered")
    } else if !everywhere.presences().iter().any(Presence::is_present) {
        Some("nothing to offboard: they are in none of the accounts that answered")
    } else {
        None
    };
    if let Some(text) = text {
        return toast(state, ToastKind::Info, text.to_owned());
    }
    everywhere.planning = true;
    vec![Effect::PlanEverywhere {
        request: everywhere.request,
        email: everywhere.email.clone(),
        presences: everywhere.presences(),
    }]
}

/// The plan is made: the confirmation, unless nothing would be sent.
pub fn planned(state: &mut AppState, request: u64, plan: Plan) -> Vec<Effect> {
    let Some(everywhere) = current(state, request) else {
        return Vec::new();
    };
    everywhere.planning = false;
    if plan.changes() == 0 {
        let text =
            "nothing to offboard: in no account listed can access be removed (see each account)";
        return toast(state, ToastKind::Info, text.to_owned());
    }
    let question = Modal::Confirm(Confirm::new(Confirmed::OffboardEverywhere(plan)));
    state.modals.open_over(question);
    Vec::new()
}

/// The confirmation was accepted: every account of the plan is under way
/// until its outcome comes.
pub fn confirmed(state: &mut AppState, plan: Plan) -> Vec<Effect> {
    let Some(everywhere) = shown(state) else {
        return Vec::new();
    };
    if everywhere.email != plan.email || everywhere.offboarding {
        return Vec::new();
    }
    everywhere.offboarding = true;
    for step in &plan.steps {
        if let Some(row) = everywhere.row_mut(&step.profile) {
            row.offboard = Some(Progress::Running);
        }
    }
    vec![Effect::OffboardEverywhere {
        request: everywhere.request,
        plan,
    }]
}

/// The accounts on screen, if the view shows them.
fn shown(state: &mut AppState) -> Option<&mut Everywhere> {
    state
        .everywhere
        .as_mut()
        .and_then(EverywhereScreen::accounts_mut)
}

/// The accounts on screen, if they are those of lookup `request`.
fn current(state: &mut AppState, request: u64) -> Option<&mut Everywhere> {
    shown(state).filter(|e| e.request == request)
}

/// The keys are in: the accounts are being read.
pub fn connected(state: &mut AppState, request: u64) {
    if let Some(everywhere) = current(state, request) {
        for row in &mut everywhere.accounts {
            if row.lookup == Lookup::GettingKey {
                row.lookup = Lookup::Loading;
            }
        }
    }
}

pub fn found(state: &mut AppState, request: u64, presence: Presence) {
    if let Some(row) = current(state, request).and_then(|e| e.row_mut(&presence.profile)) {
        row.lookup = Lookup::Answered(Box::new(presence));
    }
}

/// One account's result. The list on screen is the active profile's: when
/// the person was removed from it, it is read again.
pub fn offboarded(state: &mut AppState, request: u64, outcome: AccountOutcome) -> Vec<Effect> {
    let Some(row) = current(state, request).and_then(|e| e.row_mut(&outcome.profile)) else {
        return Vec::new();
    };
    let changed = outcome.outcome.is_gone();
    let credited = !outcome.outcome.credit_notes().is_empty();
    let profile = outcome.profile.clone();
    row.offboard = Some(Progress::Finished(outcome));
    if !(changed && state.profiles.active.as_deref() == Some(profile.as_str())) {
        return Vec::new();
    }
    let mut effects = list::reload(state);
    // A credit note means the seats bought changed: the header's account
    // is read again, as after a change made from a form.
    if credited {
        effects.extend(seats::load(state));
    }
    effects
}
