//! `find` and `offboard` across several accounts, each a mock started by
//! the test, with a configuration of one profile per mock, as an admin of
//! several accounts runs them.

use serde_json::json;

use super::*;

const PERSON: &str = "ops@acme.test";
const REVOKE: &str = "/organization/user/invitation/revoke/{email}";
const INVITATION: &str = "/organization/user/invitation/{action}/{email}";

/// Several accounts and the configuration naming them.
struct Accounts {
    servers: Vec<(String, MockServer)>,
    home: tempfile::TempDir,
    config: String,
}

/// One profile's account: its users, and an `api_key` it insists on
/// (the configuration gives every profile a key that is not it, so such an
/// account answers 401).
struct Account {
    name: &'static str,
    users: Option<Vec<MockUser>>,
    api_key: Option<&'static str>,
    extra: &'static str,
}

fn account(name: &'static str, users: Vec<MockUser>) -> Account {
    Account {
        name,
        users: Some(users),
        api_key: None,
        extra: "",
    }
}

/// The demo organization, where the person is an active member whose seat
/// was bought over the plan (a revoke answers a credit note).
fn demo_account(name: &'static str) -> Account {
    Account {
        name,
        users: None,
        api_key: None,
        extra: "",
    }
}

fn owner(domain: &str) -> MockUser {
    MockUser::owner(format!("owner@{domain}"))
}

/// a: the person active (the demo org), b: pending, c: absent, d: the key
/// refused (401).
fn the_four() -> Vec<Account> {
    vec![
        demo_account("a"),
        account("b", vec![owner("b.test"), MockUser::pending(PERSON)]),
        account("c", vec![owner("c.test"), MockUser::active("x@c.test")]),
        Account {
            api_key: Some("the-right-key"),
            ..account("d", vec![owner("d.test"), MockUser::active(PERSON)])
        },
    ]
}

async fn accounts(list: Vec<Account>) -> Accounts {
    let home = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut servers = Vec::new();
    for account in list {
        let seed = match account.users {
            Some(users) => Seed {
                users,
                ..Seed::default()
            },
            None => brevo_users::mock::demo_seed(),
        };
        let server = MockServer::start(MockOptions {
            seed,
            api_key: account.api_key.map(str::to_owned),
            ..MockOptions::default()
        })
        .await
        .unwrap();
        text.push_str(&format!(
            "[profiles.{}]\napi_url = \"{}\"\napi_key_command = \"echo key-{}\"\n{}\n",
            account.name,
            server.base_url(),
            account.name,
            account.extra
        ));
        servers.push((account.name.to_owned(), server));
    }
    let config = write_file(home.path(), "config.toml", &text);
    Accounts {
        servers,
        home,
        config,
    }
}

impl Accounts {
    /// Runs with no BREVO_API_KEY and no BREVO_API_URL: each profile's own.
    async fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[]).await
    }

    async fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all = vec![
            ("BREVO_API_KEY", ""),
            ("BREVO_API_URL", ""),
            ("BREVO_USERS_CONFIG", self.config.as_str()),
        ];
        all.extend_from_slice(env);
        run_binary("", self.home.path(), args, &all).await
    }

    fn server(&self, name: &str) -> &MockServer {
        &self
            .servers
            .iter()
            .find(|(n, _)| n == name)
            .expect("a server of that name")
            .1
    }

    /// Changes (anything but a GET) that reached any account.
    fn changes_sent(&self) -> u64 {
        self.servers
            .iter()
            .map(|(_, s)| {
                let log = s.control().request_log();
                log.count("PUT", REVOKE) + log.count("PUT", INVITATION)
            })
            .sum()
    }

    fn reset_logs(&self) {
        for (_, server) in &self.servers {
            server.control().reset_log();
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn find_says_where_the_person_is_and_its_exit_code_tells_the_whole() {
    let accounts = accounts(the_four()).await;
    let run = accounts
        .run(&["find", PERSON, "--profiles", "a,b,c"])
        .await
        .ok();
    let line = |profile: &str| {
        run.out
            .lines()
            .find(|l| l.starts_with(&format!("{profile} ")))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(line("a").contains("active"), "{run:?}");
    assert!(line("b").contains("pending"), "{run:?}");
    assert!(line("c").contains("absent"), "{run:?}");

    // The refused key is listed, and hides none of the others.
    let run = accounts.run(&["find", PERSON, "--all-profiles"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.out.contains("unreadable") && run.out.contains("pending"),
        "{run:?}"
    );
    assert!(
        run.err.contains("1 of 4 accounts could not be read: d"),
        "{run:?}"
    );

    let run = accounts.run(&["find", PERSON, "--profiles", "c"]).await;
    assert_eq!(run.code, 5, "absent from every account asked: {run:?}");

    let json = accounts
        .run(&["find", PERSON, "--all-profiles", "--json"])
        .await
        .json();
    let entries = json.as_array().expect("one object per profile");
    assert_eq!(entries.len(), 4);
    for entry in entries {
        let mut keys: Vec<&str> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["access", "account", "error", "owner", "profile", "status"]
        );
    }
    assert_eq!(entries[0]["profile"], "a");
    assert_eq!(entries[0]["account"], "claire.founder@acme.test");
    assert_eq!(
        (&entries[0]["status"], &entries[0]["owner"]),
        (&json!("active"), &json!(false))
    );
    assert!(entries[0]["access"].is_string());
    assert_eq!(entries[2]["status"], "absent");
    assert_eq!(entries[2]["access"], Value::Null);
    assert_eq!(entries[3]["status"], Value::Null);
    assert_eq!(entries[3]["error"]["kind"], "unauthorized");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_key_for_every_profile_and_misspelt_profiles_are_refused() {
    let accounts = accounts(the_four()).await;
    for command in ["find", "offboard"] {
        let run = accounts
            .run_env(
                &[command, PERSON, "--all-profiles", "--yes"]
                    [..if command == "find" { 3 } else { 4 }],
                &[("BREVO_API_KEY", "xkeysib-one")],
            )
            .await;
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.err.contains("BREVO_API_KEY is set"), "{run:?}");
    }
    let run = accounts.run(&["find", PERSON, "--profiles", "a,bb"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains("did you mean \"b\"?"), "{run:?}");
    let total: u64 = accounts
        .servers
        .iter()
        .map(|(_, s)| s.control().request_log().total())
        .sum();
    assert_eq!(total, 0, "nothing was asked");
}

#[tokio::test(flavor = "multi_thread")]
async fn offboard_plans_asks_acts_and_a_rerun_finishes_without_repeating() {
    let mut list = the_four();
    list.push(account("e", vec![MockUser::owner(PERSON)]));
    list.push(Account {
        extra: "read_only = true",
        ..account("f", vec![owner("f.test"), MockUser::active(PERSON)])
    });
    let accounts = accounts(list).await;

    // Off a terminal, --yes is needed; nothing is sent without it.
    let run = accounts.run(&["offboard", PERSON, "--all-profiles"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.out
            .contains("a (claire.founder@acme.test): revoke the access of ops@acme.test"),
        "the plan first: {run:?}"
    );
    assert_eq!(accounts.changes_sent(), 0);

    let dry = accounts
        .run(&["offboard", PERSON, "--all-profiles", "--dry-run"])
        .await;
    assert_eq!(dry.code, 1, "the plan leaves d, e, f: {dry:?}");
    assert!(
        dry.out
            .contains("b (owner@b.test): cancel the invitation of ops@acme.test"),
        "{dry:?}"
    );
    assert!(
        dry.out.contains("e (ops@acme.test): refused: owner"),
        "{dry:?}"
    );
    assert!(
        dry.out
            .contains("f (owner@f.test): skipped: the profile is read-only"),
        "{dry:?}"
    );
    assert_eq!(accounts.changes_sent(), 0, "a dry run sends nothing");

    let run = accounts
        .run(&["offboard", PERSON, "--all-profiles", "--yes"])
        .await;
    assert_eq!(run.code, 1, "{run:?}");
    for expected in [
        "a (claire.founder@acme.test): done",
        "credit note CN-2026-0001",
        "b (owner@b.test): done",
        "c (owner@c.test): already gone",
        "d: failed: not reached",
        "e (ops@acme.test): refused: owner",
        "f (owner@f.test): skipped: the profile is read-only",
    ] {
        assert!(run.out.contains(expected), "{expected}: {run:?}");
    }
    assert!(
        run.err
            .contains("is not gone from 3 accounts: d (failed: not reached"),
        "{run:?}"
    );
    assert!(accounts.server("a").control().user(PERSON).is_none());
    assert!(accounts.server("b").control().user(PERSON).is_none());
    assert!(accounts.server("f").control().user(PERSON).is_some());
    assert_eq!(accounts.changes_sent(), 2);

    // Again: what was done is already gone, and nothing is sent twice.
    accounts.reset_logs();
    let again = accounts
        .run(&["offboard", PERSON, "--all-profiles", "--yes"])
        .await;
    assert_eq!(again.code, 1, "d, e and f are still left: {again:?}");
    assert!(
        again
            .out
            .contains("a (claire.founder@acme.test): already gone"),
        "{again:?}"
    );
    assert_eq!(accounts.changes_sent(), 0);

    // The accounts it can finish: gone from all, exit 0.
    let done = accounts
        .run(&["offboard", PERSON, "--profiles", "a,b,c", "--yes"])
        .await
        .ok();
    assert!(done.err.contains("is gone from every account"), "{done:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_error_on_a_revoke_is_reconciled_not_sent_again() {
    let accounts = accounts(the_four().into_iter().take(3).collect()).await;
    accounts
        .server("a")
        .control()
        .add_fault(Fault::new(FaultKind::ApplyThenFail { status: 500 }).on("PUT", REVOKE));
    let run = accounts
        .run(&["offboard", PERSON, "--all-profiles", "--yes", "--json"])
        .await
        .ok();
    let json = run.json();
    assert_eq!(json["accounts"][0]["outcome"], "done", "{run:?}");
    assert_eq!(json["left"], json!([]));
    assert_eq!(
        accounts
            .server("a")
            .control()
            .request_log()
            .count("PUT", REVOKE),
        1,
        "sent once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn offboard_json_lists_every_account_with_its_action_and_outcome() {
    let accounts = accounts(the_four()).await;
    let run = accounts
        .run(&["offboard", PERSON, "--all-profiles", "--yes", "--json"])
        .await;
    assert_eq!(run.code, 1, "{run:?}");
    let json = run.json();
    assert_eq!(json["email"], PERSON);
    assert_eq!(json["dry_run"], false);
    let actions: Vec<&str> = json["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["revoke", "cancel", "none", "not_reached"]);
    assert_eq!(json["accounts"][0]["credit_notes"], json!(["CN-2026-0001"]));
    assert_eq!(json["accounts"][3]["outcome"], "failed");
    assert_eq!(json["left"], json!(["d"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_the_last_user_manager_warns_and_needs_yes() {
    let accounts = accounts(vec![account(
        "a",
        vec![
            owner("a.test"),
            MockUser::active(PERSON).with_privilege("user_management", &["all"]),
        ],
    )])
    .await;
    let run = accounts.run(&["offboard", PERSON, "--all-profiles"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.err
            .contains("is the last user besides the owner who holds User management"),
        "{run:?}"
    );
    assert_eq!(accounts.changes_sent(), 0);
    accounts
        .run(&["offboard", PERSON, "--all-profiles", "--yes"])
        .await
        .ok();
}

/// The README's section runs as written, in order, against three profiles
/// on three mocks; a line's `# exit N` comment gives its exit code.
#[tokio::test(flavor = "multi_thread")]
async fn the_readme_section_on_several_accounts_runs_as_written() {
    let section = readme_section("One person across every account");
    let examples: Vec<(Vec<&str>, i32)> = section
        .lines()
        .filter_map(|line| line.strip_prefix("brevo-users "))
        .filter(|line| line.starts_with("find ") || line.starts_with("offboard "))
        .map(|line| {
            let (command, comment) = line.split_once(" #").unwrap_or((line, ""));
            let code = comment
                .split("exit ")
                .nth(1)
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|digits| digits.parse().ok())
                .unwrap_or(0);
            (command.split_whitespace().collect(), code)
        })
        .collect();
    assert!(examples.len() >= 5, "{examples:?}");
    let person = "leaver@acme.test";
    let accounts = accounts(vec![
        account("acme", vec![owner("acme.test"), MockUser::active(person)]),
        account(
            "globex",
            vec![owner("globex.test"), MockUser::pending(person)],
        ),
        account("initech", vec![owner("initech.test")]),
    ])
    .await;
    for (args, code) in &examples {
        let run = accounts.run(args).await;
        assert_eq!(run.code, *code, "brevo-users {}: {run:?}", args.join(" "));
        if args.contains(&"--json") {
            run.json();
        }
    }
    assert_eq!(accounts.changes_sent(), 2, "each change sent once");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_selection_find_asks_the_one_account_of_the_key() {
    let mock = small().await;
    let run = mock.run(&["find", "OPS@acme.test"]).await.ok();
    assert!(
        run.out.contains("(BREVO_API_KEY)") && run.out.contains("active"),
        "{run:?}"
    );
    assert_eq!(mock.count("GET", LIST), 1);
    let run = mock.run(&["find", "nobody@acme.test", "--json"]).await;
    assert_eq!(run.code, 5, "{run:?}");
    assert_eq!(run.json()[0]["profile"], Value::Null);
    assert_eq!(run.json()[0]["status"], "absent");
    // offboard is always about several accounts: one is revoke or cancel.
    let run = mock.run(&["offboard", "ops@acme.test", "--yes"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(mock.changes_sent(), 0);
}
