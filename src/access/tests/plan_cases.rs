//! What a plan shows: additive vs prune, the guards, pending invitations,
//! unknown values left alone, seats, the saved JSON and the exit code.

use std::time::Duration;

use super::{fresh, grants, live, now, presets};
use crate::access::file::parse;
use crate::access::live::{LiveState, LiveUser, Reading};
use crate::access::plan::{Action, Basis, Plan, PlanOptions, PlanRefusal, Step, plan};
use crate::brevo::account::Account;
use crate::brevo::change::Change;
use crate::brevo::grants::Grants;
use crate::brevo::model::UserStatus;
use crate::brevo::removal::RemovalRefusal;

fn team() -> LiveState {
    live(vec![
        fresh(
            "admin@acme.test",
            UserStatus::Active,
            grants(&[("user_management", &["all"])]),
        ),
        fresh(
            "ana@acme.test",
            UserStatus::Active,
            grants(&[("contacts", &["view"])]),
        ),
        fresh(
            "bo@acme.test",
            UserStatus::Active,
            grants(&[("contacts", &["view"])]),
        ),
        fresh(
            "cy@acme.test",
            UserStatus::Pending,
            grants(&[("contacts", &["view"])]),
        ),
    ])
}

fn run(file: &str, state: &LiveState, options: &PlanOptions) -> Result<Plan, PlanRefusal> {
    let file = parse(file, &presets()).expect("the file is valid");
    plan(&file, state, options, &presets(), None)
}

fn step<'a>(plan: &'a Plan, email: &str) -> &'a Step {
    plan.steps
        .iter()
        .find(|s| s.email == email)
        .expect("a step for the user")
}

const HEAD: &str = "account = \"ops@acme.test\"\n";

#[test]
fn additive_leaves_unlisted_users_alone_and_prune_removes_them() {
    let file = format!(
        "{HEAD}[users.\"admin@acme.test\"]\ngrants.user_management = [\"all\"]\n\
         [users.\"ana@acme.test\"]\ngrants.contacts = [\"view\", \"import\"]\n\
         [users.\"bo@acme.test\"]\ngrants.contacts = [\"view\"]\n\
         [users.\"new@acme.test\"]\npreset = \"viewer\"\n"
    );
    let additive = run(&file, &team(), &PlanOptions::new(now())).expect("plans");
    let words: Vec<(&str, &str)> = additive
        .steps
        .iter()
        .map(|s| (s.email.as_str(), s.action.word()))
        .collect();
    assert_eq!(
        words,
        vec![
            ("admin@acme.test", "unchanged"),
            ("ana@acme.test", "update"),
            ("bo@acme.test", "unchanged"),
            ("cy@acme.test", "not managed"),
            ("new@acme.test", "invite"),
        ]
    );
    let Action::Update {
        changes, pending, ..
    } = &step(&additive, "ana@acme.test").action
    else {
        panic!("update expected");
    };
    assert_eq!(
        (changes[0].added.clone(), *pending),
        (vec!["import".to_string()], false)
    );
    assert_eq!(additive.exit_code(), 6);
    assert_eq!(step(&additive, "ana@acme.test").line, Some(4));
    let mut options = PlanOptions::new(now());
    options.prune = true;
    let pruned = run(&file, &team(), &options).expect("1 of 4 is within 25 %");
    assert_eq!(step(&pruned, "cy@acme.test").action, Action::Cancel);
    let order: Vec<&str> = pruned
        .apply_order()
        .iter()
        .map(|s| s.action.word())
        .collect();
    assert_eq!(order, vec!["invite", "update", "cancel"]);
    options.removals_first = true;
    let first = run(&file, &team(), &options).expect("plans");
    assert_eq!(first.apply_order()[0].action, Action::Cancel);
    assert_eq!(pruned.apply_cost(), 2 + 3 + 2);
}

#[test]
fn a_pending_invitation_whose_grants_differ_is_an_update_flagged_pending() {
    let file = format!("{HEAD}[users.\"cy@acme.test\"]\npreset = \"viewer\"\n");
    let plan = run(&file, &team(), &PlanOptions::new(now())).expect("plans");
    let Action::Update { pending, .. } = &step(&plan, "cy@acme.test").action else {
        panic!("update expected");
    };
    assert!(*pending);
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("cancel and invite again")),
        "{:?}",
        plan.notes
    );
}

#[test]
fn the_owner_is_never_a_target() {
    let file = format!("{HEAD}\n[users.\"Owner@acme.test\"]\nall_features = true\n");
    let refusal = run(&file, &team(), &PlanOptions::new(now())).expect_err("refused");
    assert!(
        matches!(refusal, PlanRefusal::OwnerInFile { line: 3, .. }),
        "{refusal}"
    );
    assert!(
        refusal.to_string().contains("owner@acme.test is the owner"),
        "{refusal}"
    );
}

#[test]
fn the_last_user_manager_besides_the_owner_is_never_removed_or_narrowed() {
    let mut options = PlanOptions::new(now());
    options.prune = true;
    options.max_removals = Some(10);
    let file = format!("{HEAD}[users.\"ana@acme.test\"]\ngrants.contacts = [\"view\"]\n");
    let refusal = run(&file, &team(), &options).expect_err("refused");
    assert!(
        matches!(refusal, PlanRefusal::LastUserManager(_)),
        "{refusal}"
    );
    assert!(refusal.to_string().contains("admin@acme.test"), "{refusal}");
    let narrowed = format!("{HEAD}[users.\"admin@acme.test\"]\ngrants.contacts = [\"view\"]\n");
    let refusal = run(&narrowed, &team(), &PlanOptions::new(now())).expect_err("refused");
    assert!(
        matches!(refusal, PlanRefusal::LastUserManager(_)),
        "{refusal}"
    );
    // Handing it to someone else in the same plan keeps a manager.
    let handed =
        format!("{narrowed}[users.\"bo@acme.test\"]\ngrants.user_management = [\"all\"]\n");
    let plan = run(&handed, &team(), &PlanOptions::new(now())).expect("plans");
    assert!(step(&plan, "bo@acme.test").escalation.is_some());
}

#[test]
fn a_prune_of_more_than_a_quarter_needs_max_removals() {
    let file = format!("{HEAD}[users.\"admin@acme.test\"]\ngrants.user_management = [\"all\"]\n");
    let mut options = PlanOptions::new(now());
    options.prune = true;
    let refusal = run(&file, &team(), &options).expect_err("3 of 5 is over 25 %");
    assert!(
        matches!(
            refusal,
            PlanRefusal::Removal(RemovalRefusal::TooMany { removals: 3, .. })
        ),
        "{refusal}"
    );
    options.max_removals = Some(3);
    let plan = run(&file, &team(), &options).expect("allowed");
    assert_eq!(
        plan.steps.iter().filter(|s| s.action.is_removal()).count(),
        3
    );
}

#[test]
fn a_file_for_another_account_is_refused_unless_unchecked() {
    let file =
        "account = \"other@acme.test\"\n[users.\"ana@acme.test\"]\ngrants.contacts = [\"view\"]\n";
    let refusal = run(file, &team(), &PlanOptions::new(now())).expect_err("refused");
    assert!(matches!(refusal, PlanRefusal::WrongAccount { .. }));
    let mut unread = team();
    unread.account = None;
    let refusal = run(file, &unread, &PlanOptions::new(now())).expect_err("refused");
    assert!(
        refusal.to_string().contains("--no-account-check"),
        "{refusal}"
    );
    let mut options = PlanOptions::new(now());
    options.account_check = false;
    assert!(run(file, &unread, &options).is_ok());
}

#[test]
fn values_the_catalogue_does_not_know_are_left_untouched() {
    let odd = grants(&[("contacts", &["view", "teleport"]), ("meetings", &["all"])]);
    let state = live(vec![fresh(
        "ana@acme.test",
        UserStatus::Active,
        odd.clone(),
    )]);
    let same = format!("{HEAD}[users.\"ana@acme.test\"]\ngrants.contacts = [\"view\"]\n");
    let plan = run(&same, &state, &PlanOptions::new(now())).expect("plans");
    assert_eq!(step(&plan, "ana@acme.test").action, Action::Unchanged);
    let wider =
        format!("{HEAD}[users.\"ana@acme.test\"]\ngrants.contacts = [\"view\", \"import\"]\n");
    let plan = run(&wider, &state, &PlanOptions::new(now())).expect("plans");
    let step = step(&plan, "ana@acme.test");
    let Action::Update {
        grants: sent,
        changes,
        ..
    } = &step.action
    else {
        panic!("update expected");
    };
    assert!(sent.contains("contacts", "teleport") && sent.contains("meetings", "all"));
    assert_eq!(changes.len(), 1);
    let Some(Change::UpdatePermissions(request)) = step.change() else {
        panic!("an update request");
    };
    let body = request.to_body();
    let features: Vec<&str> = body["privileges"]
        .as_array()
        .expect("privileges")
        .iter()
        .filter_map(|p| p["feature"].as_str())
        .collect();
    assert!(
        features.contains(&"phone"),
        "every other feature is sent as none: {body}"
    );
    assert!(request.carried_features.contains("meetings"));
}

#[test]
fn cached_or_unread_entries_never_report_in_sync() {
    let mut state = team();
    state.set_reading(
        "ana@acme.test",
        Reading::Cached {
            grants: grants(&[("contacts", &["view"])]),
            at: now() - Duration::from_secs(600),
        },
    );
    state.set_reading(
        "bo@acme.test",
        Reading::NotRead {
            reason: "the quota ran out".into(),
        },
    );
    let file = format!(
        "{HEAD}[users.\"ana@acme.test\"]\ngrants.contacts = [\"view\"]\n[users.\"bo@acme.test\"]\ngrants.contacts = [\"view\"]\n"
    );
    let plan = run(&file, &state, &PlanOptions::new(now())).expect("plans");
    assert_eq!(step(&plan, "ana@acme.test").basis, Basis::Cached);
    assert_eq!(step(&plan, "ana@acme.test").age_seconds, Some(600));
    assert!(matches!(
        step(&plan, "bo@acme.test").action,
        Action::NotChecked { .. }
    ));
    assert_eq!(plan.exit_code(), 7);
    assert_eq!(plan.not_checked().len(), 2);
}

#[test]
fn invites_that_would_buy_seats_the_removals_free_suggest_removals_first() {
    let account: Account = serde_json::from_str(
        r#"{"email":"ops@acme.test","planVerticals":[
            {"planCategory":"Marketing","users":{"purchasedSeats":"5","usedSeats":"5"}}]}"#,
    )
    .expect("decodes");
    let file = parse(
        &format!(
            "{HEAD}[users.\"admin@acme.test\"]\ngrants.user_management = [\"all\"]\n\
             [users.\"ana@acme.test\"]\ngrants.contacts = [\"view\"]\n\
             [users.\"bo@acme.test\"]\ngrants.contacts = [\"view\"]\n\
             [users.\"new@acme.test\"]\ngrants.contacts = [\"view\"]\n"
        ),
        &presets(),
    )
    .expect("valid");
    let mut options = PlanOptions::new(now());
    options.prune = true;
    let plan = plan(&file, &team(), &options, &presets(), Some(&account)).expect("plans");
    let marketing = &plan.seats[0];
    assert_eq!(
        (marketing.used, marketing.takes, marketing.frees),
        (5, 1, 1)
    );
    assert_eq!(marketing.billed_invites_first, Some(1));
    assert_eq!(marketing.billed_removals_first, Some(0));
    assert!(
        plan.notes.iter().any(|n| n.contains("--removals-first")),
        "{:?}",
        plan.notes
    );
}

#[test]
fn a_saved_plan_reads_back_exactly_and_checks_its_version() {
    let file = format!(
        "{HEAD}[users.\"ana@acme.test\"]\ngrants.contacts = [\"view\", \"import\"]\n[users.\"z@acme.test\"]\nall_features = true\n"
    );
    let plan = run(&file, &team(), &PlanOptions::new(now())).expect("plans");
    let json = plan.to_json();
    assert!(Plan::looks_like_plan(&json));
    assert_eq!(Plan::from_json(&json).expect("reads back"), plan);
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["version"], 1);
    assert_eq!(value["account"], "ops@acme.test");
    assert_eq!(value["steps"][1]["action"], "update");
    assert_eq!(
        value["steps"][1]["planned_from"]["grants"]["contacts"][0],
        "view"
    );
    assert_eq!(value["steps"][4]["escalation"], "all_features");
    let newer = json.replace("\"version\": 1", "\"version\": 2");
    assert!(
        Plan::from_json(&newer)
            .expect_err("refused")
            .contains("version 2")
    );
    assert!(Plan::from_json("{}").is_err());
}

#[test]
fn a_user_changed_since_the_plan_is_noticed() {
    let file =
        format!("{HEAD}[users.\"ana@acme.test\"]\ngrants.contacts = [\"view\", \"import\"]\n");
    let plan = run(&file, &team(), &PlanOptions::new(now())).expect("plans");
    let step = step(&plan, "ana@acme.test");
    let ana = super::user("ana@acme.test", UserStatus::Active, false);
    let same = grants(&[("contacts", &["view"])]);
    assert!(!step.changed_since(Some(&ana), Some(&same)));
    assert!(step.changed_since(Some(&ana), Some(&Grants::everything())));
    assert!(step.changed_since(None, None));
    let invite = LiveUser {
        user: ana,
        reading: Reading::NotRead {
            reason: String::new(),
        },
    };
    assert!(step.changed_since(Some(&invite.user), None));
}
