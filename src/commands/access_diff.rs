//! `diff OLD.toml NEW.toml [--format text|markdown|json]`, with `--live` in
//! place of either file: the account as it is now, read as a snapshot
//! reads it. The comparison and its three renderings are the core's.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::access::{AccessFile, diff as compare, write::snapshot};
use crate::brevo::{Client, Preset};
use crate::cli::DiffArgs;

use super::access::load_file;
use super::access_read::{ReadOptions, Refresh, read_live};
use super::{Console, Failure};

const LIVE: &str = "--live";

pub async fn diff(
    client: &Client,
    console: &mut Console<'_>,
    args: &DiffArgs,
    presets: &[Preset],
) -> Result<(), Failure> {
    if args.old == LIVE && args.new == LIVE {
        return Err(Failure::Usage(
            "--live stands for one side only: give a file for the other".to_owned(),
        ));
    }
    // Both files are checked before the account is read.
    let old = (args.old != LIVE)
        .then(|| load_file(Path::new(&args.old), presets))
        .transpose()?;
    let new = (args.new != LIVE)
        .then(|| load_file(Path::new(&args.new), presets))
        .transpose()?;
    let live = if old.is_none() || new.is_none() {
        Some(live_file(client, console, args).await?)
    } else {
        None
    };
    let (old, new) = match (old, new, live) {
        (Some(old), Some(new), _) => (old, new),
        (None, Some(new), Some(live)) => (live, new),
        (Some(old), None, Some(live)) => (old, live),
        _ => return Err(Failure::Usage("nothing to compare".to_owned())),
    };
    let difference = compare(&old, &new, presets);
    let text = match args.format.as_str() {
        "json" => format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::access::diff::json(&difference))
                .unwrap_or_default()
        ),
        "markdown" => crate::access::diff::markdown(&difference, &utc_date(SystemTime::now())),
        _ => crate::access::diff::text(&difference),
    };
    super::print_all(console, text.as_bytes())
}

/// The account now, as the file a snapshot would write.
async fn live_file(
    client: &Client,
    console: &mut Console<'_>,
    args: &DiffArgs,
) -> Result<AccessFile, Failure> {
    let options = ReadOptions {
        refresh: Refresh::All,
        use_cache: !args.read.no_cache,
        max_wait: Duration::from_secs(args.read.max_wait),
        env: &crate::connect::process_env,
        what: "the comparison with the account",
        check_account: None,
    };
    let live = read_live(client, console, None, &options).await?;
    let unread: Vec<&str> = live
        .state
        .not_read()
        .map(|u| u.user.email.as_str())
        .collect();
    if !unread.is_empty() {
        return Err(Failure::Incomplete(format!(
            "could not read the permissions of {} user(s), so the account cannot be compared; try again when the quota allows",
            unread.len()
        )));
    }
    Ok(snapshot(&live.state))
}

/// `2026-12-02`, in UTC (days from the epoch to the civil date, after
/// Howard Hinnant's algorithm).
fn utc_date(now: SystemTime) -> String {
    let days = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        let at = |secs: u64| utc_date(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01");
        assert_eq!(at(951_782_400), "2000-02-29");
        assert_eq!(at(1_764_633_600), "2025-12-02");
    }
}
