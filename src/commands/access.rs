//! Access as code (issue 13): `snapshot`, `plan` and `diff`; `apply` is
//! `access_apply.rs`. The rules (the file, the plan, the diff, the exit
//! code) are `crate::access`'s; this is the face: reading the files and
//! the account, saying what it costs, printing what comes back.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::access::plan::{PlanOptions as CorePlanOptions, plan as make_plan};
use crate::access::{AccessFile, LiveState, Plan, render};
use crate::brevo::sanitize::sanitize;
use crate::brevo::{Client, Preset};
use crate::cli::{PlanArgs, PlanOptions, SnapshotArgs};

use super::access_print::print_plan;
use super::access_read::{LiveRead, ReadOptions, Refresh, read_live};
use super::{Console, Failure};

pub async fn snapshot(
    client: &Client,
    console: &mut Console<'_>,
    args: &SnapshotArgs,
    _presets: &[Preset],
) -> Result<(), Failure> {
    let options = ReadOptions {
        refresh: Refresh::All,
        use_cache: !args.read.no_cache,
        max_wait: Duration::from_secs(args.read.max_wait),
        env: &crate::connect::process_env,
        what: "the snapshot",
        check_account: None,
    };
    let live = read_live(client, console, None, &options).await?;
    if let Err(why) = &live.account {
        console.warn(format!(
            "the account could not be read ({why}): the file has no account line"
        ));
    }
    let text = render(&live.state);
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| Failure::General(format!("cannot write {}: {e}", path.display())))?;
            console.note(format!(
                "wrote {} ({} requests spent)",
                path.display(),
                live.requests
            ));
        }
        None => super::print_all(console, text.as_bytes())?,
    }
    let unread: Vec<String> = live
        .state
        .not_read()
        .map(|u| sanitize(&u.user.email).into_owned())
        .collect();
    if !unread.is_empty() {
        return Err(Failure::Incomplete(format!(
            "the snapshot is incomplete: the permissions of {} were not read (commented out in the file)",
            unread.join(", ")
        )));
    }
    Ok(())
}

/// Reads and parses an access file: every problem with its line, a
/// did-you-mean, before any request (exit 2).
pub(super) fn load_file(path: &Path, presets: &[Preset]) -> Result<AccessFile, Failure> {
    let text = read_text(path)?;
    parse_file(path, &text, presets)
}

pub(super) fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))
}

pub(super) fn parse_file(
    path: &Path,
    text: &str,
    presets: &[Preset],
) -> Result<AccessFile, Failure> {
    crate::access::parse(text, presets).map_err(|errors| {
        let name = path.display().to_string();
        Failure::Usage(
            errors
                .iter()
                .map(|e| e.located(&name))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// Plans `file` against the account as read now: the shared first half of
/// `plan` and `apply FILE`.
pub(super) async fn plan_file(
    client: &Client,
    console: &mut Console<'_>,
    file: &AccessFile,
    options: &PlanOptions,
    refresh: Refresh,
    presets: &[Preset],
) -> Result<(Plan, LiveRead), Failure> {
    // Under --prune everyone is managed, and who holds User management must
    // be known for the last-manager guard: every user is read.
    let wanted: Option<Vec<String>> =
        (!options.prune).then(|| file.users.iter().map(|e| e.email.clone()).collect());
    // Said before the first request: the rate-limit headers come with it.
    if options.prune {
        console.note(
            "the plan costs 2 requests (the list, /account), then one per user with access (--prune manages everyone)",
        );
    } else {
        let n = file.users.len();
        console.note(format!(
            "the plan costs at most {} requests: the list, /account, and one per user of the file who has access ({n})",
            n + 2
        ));
    }
    let core_options = CorePlanOptions {
        prune: options.prune,
        max_removals: options.max_removals,
        removals_first: options.removals_first,
        account_check: !options.no_account_check,
        now: SystemTime::now(),
    };
    // The core's account rule, asked before any permission is read: the
    // plan of nobody against nobody, with the file's account line.
    let check_account = |key: Option<&str>| {
        let bare = AccessFile {
            account: file.account.clone(),
            users: Vec::new(),
        };
        let nobody = LiveState::from_list(key.map(str::to_owned), Vec::new(), "");
        make_plan(&bare, &nobody, &core_options, presets, None)
            .map(|_| ())
            .map_err(|refusal| Failure::Usage(refusal.to_string()))
    };
    let read_options = ReadOptions {
        refresh,
        use_cache: !options.read.no_cache,
        max_wait: Duration::from_secs(options.read.max_wait),
        env: &crate::connect::process_env,
        what: "the plan",
        check_account: Some(&check_account),
    };
    let live = read_live(client, console, wanted.as_deref(), &read_options).await?;
    if let (Err(why), true) = (&live.account, options.no_account_check) {
        console.warn(format!(
            "could not confirm the account ({why}); going on because of --no-account-check"
        ));
    }
    let plan = make_plan(
        file,
        &live.state,
        &core_options,
        presets,
        live.account.as_ref().ok(),
    )
    .map_err(|refusal| Failure::Usage(refusal.to_string()))?;
    Ok((plan, live))
}

pub async fn plan(
    client: &Client,
    console: &mut Console<'_>,
    args: &PlanArgs,
    presets: &[Preset],
) -> Result<(), Failure> {
    let file = load_file(&args.file, presets)?;
    let refresh = Refresh::parse(args.refresh.as_deref())?;
    let (plan, live) = plan_file(client, console, &file, &args.options, refresh, presets).await?;
    if let Some(path) = &args.output {
        std::fs::write(path, plan.to_json())
            .map_err(|e| Failure::General(format!("cannot write {}: {e}", path.display())))?;
        console.note(format!(
            "saved the plan to {} (apply it with: brevo-users apply {})",
            path.display(),
            path.display()
        ));
    }
    if args.json {
        super::print_all(console, format!("{}\n", plan.to_json()).as_bytes())?;
    } else {
        print_plan(console, &plan)?;
    }
    console.note(format!(
        "this plan spent {} request{}; applying it would send about {} more",
        live.requests,
        if live.requests == 1 { "" } else { "s" },
        plan.apply_cost()
    ));
    if args.detailed_exitcode {
        let code = plan.exit_code();
        let not_checked = plan.not_checked();
        if !not_checked.is_empty() {
            let names: Vec<String> = not_checked
                .iter()
                .map(|s| match s.age_seconds {
                    Some(age) => format!(
                        "{} (from the cache, {} old)",
                        sanitize(&s.email),
                        crate::brevo::error::human_duration(Duration::from_secs(age))
                    ),
                    None => sanitize(&s.email).into_owned(),
                })
                .collect();
            console.warn(format!(
                "not checked against Brevo now, so the plan cannot say in sync: {}",
                names.join(", ")
            ));
        }
        if code != 0 {
            return Err(Failure::Reported(code));
        }
    }
    Ok(())
}
