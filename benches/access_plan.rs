//! What `plan` costs on a 10,000-user account and a 10,000-entry file,
//! without the network (issue 13: under 50 ms). Also parsing that file.
//! Numbers: docs/PERFORMANCE.md.
//!
//!   cargo bench --bench access_plan

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use brevo_users::access::live::{LiveState, LiveUser, Reading};
use brevo_users::access::plan::{PlanOptions, plan};
use brevo_users::access::write::render;
use brevo_users::access::{AccessFile, parse};
use brevo_users::brevo::account::Account;
use brevo_users::brevo::grants::Grants;
use brevo_users::brevo::presets;
use brevo_users::brevo::{FeatureAccess, User, UserStatus};
use criterion::{Criterion, criterion_group, criterion_main};

const USERS: usize = 10_000;

fn held(i: usize) -> Grants {
    let mut grants = Grants::from_pairs([
        ("contacts", vec!["view", "import"]),
        ("email_campaigns", vec!["create_edit_delete"]),
        ("transactional_emails", vec!["logs"]),
    ]);
    if i.is_multiple_of(3) {
        grants.insert("sales_platform", "reports");
    }
    if i % 50 == 1 {
        grants.insert("user_management", "all");
    }
    grants
}

/// The account: an owner and `USERS - 1` users, every one read fresh.
fn account_state(now: SystemTime) -> LiveState {
    let users = (0..USERS)
        .map(|i| LiveUser {
            user: User {
                email: format!("user{i:06}@perf.test"),
                is_owner: i == 0,
                status: if i.is_multiple_of(7) {
                    UserStatus::Pending
                } else {
                    UserStatus::Active
                },
                feature_access: FeatureAccess::from([
                    ("marketing".to_owned(), "custom".to_owned()),
                    ("crm".to_owned(), "none".to_owned()),
                ]),
                id: None,
                locale: None,
            },
            reading: Reading::Fresh {
                grants: held(i),
                at: now,
            },
        })
        .collect();
    LiveState {
        account: Some("ops@perf.test".into()),
        users,
    }
}

/// The account's own snapshot with 5 % of the entries changed and 1 %
/// new users: 10,000 entries.
fn desired_file(live: &LiveState) -> String {
    let mut text = render(live);
    for i in 0..USERS / 20 {
        let from = format!(
            "[users.\"user{:06}@perf.test\"]\ngrants.contacts = [\"view\", \"import\"]",
            i * 20 + 3
        );
        let to = from.replace("\"import\"]", "\"export\"]");
        text = text.replacen(&from, &to, 1);
    }
    for i in 0..USERS / 100 {
        text.push_str(&format!(
            "\n[users.\"new{i:05}@perf.test\"]\npreset = \"viewer\"\n"
        ));
    }
    text
}

fn plan_10000(c: &mut Criterion) {
    let now = SystemTime::now();
    let live = account_state(now);
    let presets = presets::builtin();
    let text = desired_file(&live);
    let file: AccessFile = parse(&text, &presets).expect("the file parses");
    let account: Account = serde_json::from_str(
        r#"{"email":"ops@perf.test","planVerticals":[
            {"planCategory":"Marketing","users":{"purchasedSeats":"10000","usedSeats":"10000"}},
            {"planCategory":"CRM","users":{"purchasedSeats":"10","usedSeats":"1"}}]}"#,
    )
    .expect("an account");
    let options = PlanOptions::new(now);
    let made = plan(&file, &live, &options, &presets, Some(&account)).expect("plans");
    assert!(made.has_changes());
    // The machine is shared (up to 8 builds on 2 cores): the wall-clock
    // times below include waiting for a core. The CPU time this thread
    // spends per plan is the computation's own cost.
    let runs = 20;
    let start = thread_cpu();
    for _ in 0..runs {
        black_box(plan(&file, &live, &options, &presets, Some(&account)).expect("plans"));
    }
    println!(
        "plan_10000_users: {:.1} ms of CPU per plan (mean of {runs})",
        (thread_cpu() - start).as_secs_f64() * 1000.0 / f64::from(runs)
    );
    c.bench_function("plan_10000_users", |b| {
        b.iter(|| {
            plan(
                black_box(&file),
                black_box(&live),
                &options,
                &presets,
                Some(&account),
            )
            .expect("plans")
        });
    });
    c.bench_function("parse_10000_entries", |b| {
        b.iter(|| parse(black_box(&text), &presets).expect("parses"));
    });
}

/// CPU time used by this thread so far.
fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10);
    targets = plan_10000
}
criterion_main!(benches);
