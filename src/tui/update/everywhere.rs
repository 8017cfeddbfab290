//! `F` and `O`: one person across every account of the configuration. The
//! lookup and the offboarding are effects the event loop carries out (the
//! keys one profile at a time, then the accounts in parallel); the answers
//! come back per account, tagged with the lookup's request.

use super::super::action::{Command, Effect};
use super::super::state::presence::{Outcome, Presence, Step};
use super::super::state::{
    AppState, Confirm, Confirmed, EmailPrompt, Everywhere, EverywhereScreen, Lookup, Modal,
    Progress, ToastKind,
};
use super::list;
use super::toast::toast;
use crate::brevo::validate::check_email;

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
    if profiles.names.is_empty() {
        let text = if state.context.demo {
            "this demo has a single account: there is nowhere else to look"
        } else {
            "Everywhere looks in the configuration's profiles, and it has none (add [profiles.NAME] tables)"
        };
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
    let Some(everywhere) = state
        .everywhere
        .as_mut()
        .and_then(EverywhereScreen::accounts_mut)
    else {
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

/// `O`: the one confirmation naming every account and what happens in it.
fn offboard(state: &mut AppState) -> Vec<Effect> {
    let Some(everywhere) = state
        .everywhere
        .as_ref()
        .and_then(EverywhereScreen::accounts)
    else {
        return Vec::new();
    };
    // A second `O` while it runs does nothing at all.
    if everywhere.offboarding && everywhere.busy() {
        return Vec::new();
    }
    let text = if everywhere.offboarding {
        Some("offboarding has run: press F to look again, then O finishes what is left")
    } else if !everywhere.looked_everywhere() {
        Some("still looking: O works once every account has answered")
    } else {
        None
    };
    if let Some(text) = text {
        return toast(state, ToastKind::Info, text.to_owned());
    }
    let plan = everywhere.plan();
    if !plan.iter().any(|(_, step)| step.change("").is_some()) {
        let text = "nothing to offboard: in no account listed is there access to remove";
        return toast(state, ToastKind::Info, text.to_owned());
    }
    let warnings = everywhere
        .accounts
        .iter()
        .filter_map(|row| match &row.lookup {
            Lookup::Found(Presence {
                warning: Some(w), ..
            }) => Some((row.profile.clone(), w.clone())),
            _ => None,
        })
        .collect();
    let email = everywhere.email.clone();
    let question = Confirmed::OffboardEverywhere {
        email,
        plan,
        warnings,
    };
    state
        .modals
        .open_over(Modal::Confirm(Confirm::new(question)));
    Vec::new()
}

/// The confirmation was accepted: accounts with nothing to send get their
/// outcome at once, the others are sent.
pub fn confirmed(state: &mut AppState, email: &str, plan: Vec<(String, Step)>) -> Vec<Effect> {
    let Some(everywhere) = state
        .everywhere
        .as_mut()
        .and_then(EverywhereScreen::accounts_mut)
    else {
        return Vec::new();
    };
    if everywhere.email != email || everywhere.offboarding {
        return Vec::new();
    }
    everywhere.offboarding = true;
    let mut sent = Vec::new();
    for (profile, step) in plan {
        let Some(row) = everywhere.row_mut(&profile) else {
            continue;
        };
        let now = match &step {
            Step::Revoke | Step::Cancel => None,
            Step::RefusedOwner => Some(Outcome::Refused("owner".to_owned())),
            Step::SkippedReadOnly => Some(Outcome::Skipped("read-only".to_owned())),
            Step::AlreadyGone => Some(Outcome::AlreadyGone),
            Step::NotReached(why) => Some(Outcome::Failed(format!("not reached: {why}"))),
        };
        match now {
            Some(outcome) => row.offboard = Some(Progress::Finished(outcome)),
            None => {
                row.offboard = Some(Progress::Running);
                sent.push((profile, step));
            }
        }
    }
    vec![Effect::OffboardEverywhere {
        request: everywhere.request,
        email: everywhere.email.clone(),
        plan: sent,
    }]
}

fn current(state: &mut AppState, request: u64) -> Option<&mut Everywhere> {
    state
        .everywhere
        .as_mut()
        .and_then(EverywhereScreen::accounts_mut)
        .filter(|e| e.request == request)
}

pub fn key(state: &mut AppState, request: u64, profile: &str, result: Result<(), String>) {
    if let Some(row) = current(state, request).and_then(|e| e.row_mut(profile))
        && row.lookup == Lookup::GettingKey
    {
        row.lookup = match result {
            Ok(()) => Lookup::Loading,
            Err(why) => Lookup::Failed(why),
        };
    }
}

pub fn found(state: &mut AppState, request: u64, profile: &str, result: Result<Presence, String>) {
    if let Some(row) = current(state, request).and_then(|e| e.row_mut(profile)) {
        row.lookup = match result {
            Ok(presence) => Lookup::Found(presence),
            Err(why) => Lookup::Failed(why),
        };
    }
}

/// One account's result. The list on screen is the active profile's: when
/// the person was removed from it, it is read again.
pub fn offboarded(
    state: &mut AppState,
    request: u64,
    profile: &str,
    outcome: Outcome,
) -> Vec<Effect> {
    let Some(row) = current(state, request).and_then(|e| e.row_mut(profile)) else {
        return Vec::new();
    };
    let changed = matches!(outcome, Outcome::Done { .. } | Outcome::AlreadyGone);
    row.offboard = Some(Progress::Finished(outcome));
    if changed && state.profiles.active.as_deref() == Some(profile) {
        return list::reload(state);
    }
    Vec::new()
}
