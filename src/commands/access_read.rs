//! Reading the account as it is now, for `snapshot`, `plan`, `apply` and
//! `diff --live` (issue 13): the user list (one request), `/account` for the
//! file's `account` line (one request; a failure is tolerated and said),
//! then the permissions of each user asked for — one request each, so the
//! cost is said against what Brevo allows before spending it, and the
//! permissions cache may answer instead (marked with its age).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::access::{LiveState, Reading};
use crate::brevo::error::human_duration;
use crate::brevo::sanitize::{sanitize, sanitize_shortened};
use crate::brevo::validate::check_email;
use crate::brevo::{Account, ApiError, Client, User};
use crate::config::cache::{CacheEntry, PermissionCache, now_secs};
use crate::config::env::EnvLookup;

use super::rate_wait::{Budget, check_budget, pause, reset_phrase, wait_for};
use super::{Console, Failure};

/// An entry older than this is stale (`--refresh=stale`).
pub const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Which users' permissions are read from Brevo rather than the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// Everyone asked for; refuses to start when the quota cannot cover it
    /// and `--max-wait` cannot wait for the window.
    All,
    /// Whoever the cache lacks.
    None,
    /// Whoever the cache lacks or read over an hour ago.
    Stale,
    /// `All` when the quota allows it; else the cache answers for whom the
    /// quota cannot cover, and anyone left is listed as not checked.
    Default,
}

impl Refresh {
    pub fn parse(value: Option<&str>) -> Result<Self, Failure> {
        match value.map(str::trim) {
            None => Ok(Self::Default),
            Some("all") => Ok(Self::All),
            Some("none") => Ok(Self::None),
            Some("stale") => Ok(Self::Stale),
            Some(other) => Err(Failure::Usage(format!(
                "--refresh is all, none or stale, not {}",
                sanitize(other)
            ))),
        }
    }
}

/// The account as read: the core's [`LiveState`], the account itself (for
/// the seats) and what the reading cost.
#[derive(Debug)]
pub struct LiveRead {
    pub state: LiveState,
    /// `Err` holds why `/account` could not be read.
    pub account: Result<Account, String>,
    /// Requests this reading sent.
    pub requests: u64,
}

/// How to read.
pub struct ReadOptions<'a> {
    pub refresh: Refresh,
    /// `--no-cache`: neither read nor write the cache.
    pub use_cache: bool,
    pub max_wait: Duration,
    pub env: EnvLookup<'a>,
    /// What is being done, for the cost sentence: "the plan".
    pub what: &'a str,
    /// Given the account's email (`None`: `/account` could not be read),
    /// refuses before any permission is read (a file for another account).
    pub check_account: Option<&'a AccountCheck<'a>>,
}

pub type AccountCheck<'a> = dyn Fn(Option<&str>) -> Result<(), Failure> + 'a;

/// Which users to read: `None` is every user but the owner.
pub async fn read_live(
    client: &Client,
    console: &mut Console<'_>,
    wanted: Option<&[String]>,
    options: &ReadOptions<'_>,
) -> Result<LiveRead, Failure> {
    let users = client.list_users().await?;
    let mut requests = 2;
    // The list was read with the same key and way: whatever fails here is
    // about `/account` alone, and tolerated ([INFERRED] spec §8.1).
    let account = client.account().await.map_err(|error| error.to_string());
    if let Some(check) = options.check_account {
        check(account.as_ref().ok().map(|a| a.email.as_str()))?;
    }
    let targets: Vec<&User> = users
        .iter()
        .filter(|u| !u.is_owner)
        .filter(|u| wanted.is_none_or(|w| w.iter().any(|e| u.has_email(e))))
        .collect();
    let mut cache = open_cache(client, console, &account, options);
    let now = now_secs();
    let account_email = account.as_ref().ok().map(|a| a.email.clone());
    let mut state = LiveState::from_list(account_email, users.clone(), "not in the file");
    let mut to_read: Vec<&User> = Vec::new();
    for user in &targets {
        let entry = cache.as_ref().and_then(|c| c.get(&user.email));
        let fresh_enough = entry.is_some_and(|e| e.age(now) < STALE_AFTER);
        let from_cache = match options.refresh {
            Refresh::None => entry.is_some(),
            Refresh::Stale => fresh_enough,
            Refresh::All | Refresh::Default => false,
        };
        match entry {
            Some(entry) if from_cache && entry.status == user.status.as_str() => {
                state.set_reading(&user.email, cached(entry));
            }
            _ => to_read.push(user),
        }
    }
    // Whom the cache lacks first, then the oldest entries.
    to_read.sort_by_key(|u| {
        cache
            .as_ref()
            .and_then(|c| c.get(&u.email))
            .map_or(0, |e| e.read_at.max(1))
    });
    let allowed = budget(client, console, to_read.len(), options)?;
    let total = to_read.len();
    let mut stopped: Option<String> = None;
    for (index, user) in to_read.iter().enumerate() {
        if stopped.is_none() && index >= allowed {
            stopped = Some("the hourly quota does not cover it".to_owned());
        }
        if let Some(why) = &stopped {
            let entry = cache.as_ref().and_then(|c| c.get(&user.email));
            match entry {
                Some(entry) if entry.status == user.status.as_str() => {
                    state.set_reading(&user.email, cached(entry));
                }
                _ => not_read(&mut state, &user.email, why),
            }
            continue;
        }
        console.progress(&format!(
            "[{}/{total}] reading the permissions of {}",
            index + 1,
            sanitize_shortened(&user.email, 80)
        ));
        if let Err(problem) = check_email(&user.email) {
            not_read(
                &mut state,
                &user.email,
                &format!("cannot be asked for: {problem}"),
            );
            continue;
        }
        let mut waits = 0;
        let read = loop {
            requests += 1;
            match client.user_permissions(&user.email).await {
                Ok(read) => break Ok(read),
                Err(error) => match wait_for(&error, options.max_wait, waits) {
                    Some(wait) => {
                        console.end_progress();
                        pause(console, wait).await;
                        waits += 1;
                    }
                    None => break Err(error),
                },
            }
        };
        match read {
            Ok(read) => {
                if let Some(cache) = cache.as_mut() {
                    cache.put(&user.email, user.status.as_str(), &read.grants, now_secs());
                }
                let reading = Reading::Fresh {
                    grants: read.grants,
                    at: SystemTime::now(),
                };
                state.set_reading(&user.email, reading);
            }
            Err(ApiError::RateLimited { reset_after, .. }) => {
                console.end_progress();
                let why = format!(
                    "Brevo's rate limit is reached and {}",
                    reset_phrase(reset_after)
                );
                console.warn(format!("stopped reading permissions: {why}"));
                not_read(&mut state, &user.email, &why);
                stopped = Some(why);
            }
            Err(
                error @ (ApiError::Unauthorized { .. }
                | ApiError::Connect { .. }
                | ApiError::Network { .. }
                | ApiError::Timeout { .. }),
            ) => {
                console.end_progress();
                save_cache(console, cache.as_mut(), &users);
                return Err(Failure::Api(error));
            }
            Err(error) => {
                console.end_progress();
                console.warn(format!(
                    "could not read the permissions of {}: {error}",
                    sanitize_shortened(&user.email, 80)
                ));
                not_read(&mut state, &user.email, &error.to_string());
            }
        }
    }
    console.end_progress();
    save_cache(console, cache.as_mut(), &users);
    Ok(LiveRead {
        state,
        account,
        requests,
    })
}

fn not_read(state: &mut LiveState, email: &str, reason: &str) {
    let reading = Reading::NotRead {
        reason: reason.to_owned(),
    };
    state.set_reading(email, reading);
}

fn cached(entry: &CacheEntry) -> Reading {
    Reading::Cached {
        grants: entry.grants.clone(),
        at: UNIX_EPOCH + Duration::from_secs(entry.read_at),
    }
}

/// The cache of this account, unless `--no-cache` or the account is
/// unknown (entries of one account are never used for another).
fn open_cache(
    client: &Client,
    console: &mut Console<'_>,
    account: &Result<Account, String>,
    options: &ReadOptions<'_>,
) -> Option<PermissionCache> {
    if !options.use_cache {
        return None;
    }
    let Ok(account) = account else {
        console.note("the permissions cache is not used: the account could not be read");
        return None;
    };
    let (cache, problem) = PermissionCache::open(options.env, &client.host(), &account.email)?;
    if let Some(problem) = problem {
        console.warn(problem);
    }
    Some(cache)
}

fn save_cache(console: &mut Console<'_>, cache: Option<&mut PermissionCache>, users: &[User]) {
    let Some(cache) = cache else {
        return;
    };
    let emails: Vec<&str> = users.iter().map(|u| u.email.as_str()).collect();
    cache.retain(&emails);
    if let Err(problem) = cache.save() {
        console.warn(problem);
    }
}

/// Says what reading costs against what is left, and how many reads may
/// go out: all of them, or (the default refresh) what the quota covers.
fn budget(
    client: &Client,
    console: &mut Console<'_>,
    needed: usize,
    options: &ReadOptions<'_>,
) -> Result<usize, Failure> {
    if needed == 0 {
        return Ok(0);
    }
    console.note(cost_sentence(client, options.what, needed));
    match check_budget(client, console, needed, options.max_wait, options.what) {
        Budget::Enough => Ok(needed),
        Budget::ShortWait => {
            console.note("it will wait for the window to reset when the quota runs out");
            Ok(needed)
        }
        Budget::TooLong {
            remaining,
            resets_in,
        } => match options.refresh {
            Refresh::Default | Refresh::Stale | Refresh::None => {
                let allowed = usize::try_from(remaining).unwrap_or(usize::MAX);
                console.note(format!(
                    "reading {allowed} now; the rest come from the cache or are listed as not checked ({})",
                    reset_phrase(resets_in)
                ));
                Ok(allowed)
            }
            Refresh::All => Err(Failure::RateLimitStop(format!(
                "not starting {}: {}; nothing was read; try again then, or allow a wait with --max-wait",
                options.what,
                reset_phrase(resets_in)
            ))),
        },
    }
}

/// "the plan reads 12 users' permissions: 12 requests; Brevo allows 88
/// more (the window resets in 40 min)".
pub fn cost_sentence(client: &Client, what: &str, needed: usize) -> String {
    let cost = if needed == 1 {
        format!("{what} reads 1 user's permissions: 1 request")
    } else {
        format!("{what} reads {needed} users' permissions: {needed} requests")
    };
    let limit = client.rate_limit();
    match limit.and_then(|l| l.remaining) {
        Some(remaining) => {
            let resets = limit
                .and_then(|l| l.resets_in(std::time::Instant::now()))
                .map(|d| format!(" (the window resets in {})", human_duration(d)))
                .unwrap_or_default();
            format!("{cost}; Brevo allows {remaining} more{resets}")
        }
        None => format!("{cost}; Brevo did not say how many requests are left"),
    }
}

/// Drops `emails` from `account`'s permissions cache (apply changed them),
/// so that a later `plan --refresh=stale|none` reads them instead of
/// answering with what they held before.
pub fn forget(client: &Client, console: &mut Console<'_>, account: Option<&str>, emails: &[&str]) {
    let Some(account) = account else {
        return;
    };
    let env = &crate::connect::process_env;
    let Some((mut cache, _)) = PermissionCache::open(env, &client.host(), account) else {
        return;
    };
    if cache.is_empty() {
        return;
    }
    for email in emails {
        cache.forget(email);
    }
    if let Err(problem) = cache.save() {
        console.warn(problem);
    }
}
