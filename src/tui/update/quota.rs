//! Brevo's hourly quota (spec §7: about 100 requests for the whole
//! account). When it answers 429, every key that would spend a request is
//! refused until the quota resets, with a sentence that says when: twenty
//! presses of `R` must not send twenty requests that can only fail. `update`
//! has no clock, so the wait is counted down by timers.

use std::time::Duration;

use crate::brevo::ApiError;

use super::super::action::{Effect, TimedAction};
use super::super::messages::about;
use super::super::state::{AppState, QuotaWait, ToastKind};
use super::toast::toast;

/// How often the wait is counted down (and the sentence refreshed).
const STEP: Duration = Duration::from_secs(60);
/// Brevo did not say when its quota resets: wait this long before trying.
const UNKNOWN_RESET: Duration = Duration::from_secs(60);

/// Every answer passes here: a 429 starts (or extends) the wait.
pub fn noticed(state: &mut AppState, error: Option<&ApiError>) -> Vec<Effect> {
    let Some(ApiError::RateLimited { reset_after, .. }) = error else {
        return Vec::new();
    };
    let left = reset_after
        .unwrap_or(UNKNOWN_RESET)
        .max(Duration::from_secs(1));
    if let Some(wait) = &mut state.quota_wait {
        // A countdown is already running with its own step: keep it.
        wait.left = left;
        return Vec::new();
    }
    wait_in_steps(state, left)
}

pub fn countdown(state: &mut AppState, generation: u64) -> Vec<Effect> {
    // The wait belongs to one account: a step of the previous one's (the
    // profile was switched meanwhile) must not shorten this one's.
    if generation != state.profiles.generation {
        return Vec::new();
    }
    let Some(wait) = state.quota_wait else {
        return Vec::new();
    };
    let left = wait.left.saturating_sub(wait.step);
    if left.is_zero() {
        state.quota_wait = None;
        let text = "Brevo's request quota has reset: R reloads the list".to_owned();
        return toast(state, ToastKind::Info, text);
    }
    wait_in_steps(state, left)
}

/// `left` to wait, counted down by the next step's timer.
fn wait_in_steps(state: &mut AppState, left: Duration) -> Vec<Effect> {
    let step = left.min(STEP);
    state.quota_wait = Some(QuotaWait { left, step });
    vec![Effect::After {
        delay: step,
        action: TimedAction::QuotaCountdown {
            generation: state.profiles.generation,
        },
    }]
}

/// Why a key that spends a request is refused now, if it is.
pub fn refusal(state: &AppState) -> Option<String> {
    let wait = state.quota_wait?;
    Some(format!(
        "Brevo's request quota is used up (429): nothing is sent until it resets in {}",
        about(wait.left)
    ))
}

/// Refuses with a toast while the quota is used up.
pub fn refused(state: &mut AppState) -> Option<Vec<Effect>> {
    let text = refusal(state)?;
    Some(toast(state, ToastKind::Error, text))
}
