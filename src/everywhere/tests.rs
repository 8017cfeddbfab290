//! One person across several accounts, each a mock started here: where
//! they are, what offboarding plans and does, and that a re-run sends
//! nothing twice.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::brevo::removal::RemovalWarning;
use crate::cli::GlobalOptions;
use crate::config::Config;
use crate::connect::Reconnect;
use crate::mock::{Fault, FaultKind, MockOptions, MockServer, MockUser, Seed};

const REVOKE: &str = "/organization/user/invitation/revoke/{email}";
const INVITATION: &str = "/organization/user/invitation/{action}/{email}";
const PERSON: &str = "leaver@acme.test";

async fn server(users: Vec<MockUser>, api_key: Option<&str>) -> MockServer {
    MockServer::start(MockOptions {
        seed: Seed {
            users,
            ..Seed::default()
        },
        api_key: api_key.map(str::to_owned),
        ..MockOptions::default()
    })
    .await
    .unwrap()
}

/// Four accounts: the person active (a), pending (b), absent (c), and one
/// whose key is refused (d).
async fn four() -> Vec<(&'static str, MockServer)> {
    let owner = |n: &str| MockUser::owner(format!("owner@{n}.test"));
    let colleague = |n: &str| {
        MockUser::active(format!("colleague@{n}.test")).with_privilege("user_management", &["all"])
    };
    vec![
        (
            "a",
            server(
                vec![
                    owner("a"),
                    colleague("a"),
                    MockUser::active(PERSON).with_privilege("contacts", &["view"]),
                ],
                None,
            )
            .await,
        ),
        (
            "b",
            server(vec![owner("b"), MockUser::pending(PERSON)], None).await,
        ),
        ("c", server(vec![owner("c"), colleague("c")], None).await),
        (
            "d",
            server(vec![owner("d"), MockUser::active(PERSON)], Some("right")).await,
        ),
    ]
}

/// A configuration with one profile per server; `extra` is added to the
/// profile of that name (`read_only = true`).
fn connector(servers: &[(&str, MockServer)], extra: &[(&str, &str)]) -> (Connector, Arc<Config>) {
    let mut text = String::new();
    for (name, server) in servers {
        text.push_str(&format!(
            "[profiles.{name}]\napi_url = \"{}\"\napi_key_command = [\"echo\", \"key-{name}\"]\n",
            server.base_url()
        ));
        for (profile, line) in extra {
            if profile == name {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    connector_of(&text)
}

/// A connector over the configuration `text`, with short timings.
fn connector_of(text: &str) -> (Connector, Arc<Config>) {
    let config = Arc::new(Config::parse(text, Path::new("config.toml"), &|_| None).unwrap());
    let reconnect = Reconnect::new(
        &GlobalOptions::default(),
        Arc::clone(&config),
        Arc::new(|_: &str| None),
        false,
    )
    .tuned(|b| {
        b.reconcile_wait(Duration::from_millis(10))
            .request_timeout(Duration::from_secs(5))
    });
    (Connector::new(reconnect, Arc::clone(&config)), config)
}

async fn targets(connector: &Connector, config: &Config) -> Vec<Target> {
    let names = select(config, &Selection::All, &|_| None).unwrap();
    connector.connect_each(&names, |_| {}).await
}

#[tokio::test]
async fn each_account_says_where_the_person_is_and_a_refused_key_hides_nothing() {
    let servers = four().await;
    let (connector, config) = connector(&servers, &[]);
    let targets = targets(&connector, &config).await;
    let seen = Mutex::new(Vec::new());
    let found = presence_all(&targets, " LEAVER@acme.test ", |p| {
        seen.lock().unwrap().push(p.profile.clone())
    })
    .await;
    assert_eq!(seen.lock().unwrap().len(), 4, "each answer is handed over");
    let statuses: Vec<Option<Status>> = found.iter().map(Presence::status).collect();
    assert_eq!(
        statuses,
        [
            Some(Status::Active),
            Some(Status::Pending),
            Some(Status::Absent),
            None
        ]
    );
    assert_eq!(found[0].account(), Some("owner@a.test"));
    assert_eq!(found[0].access().as_deref(), Some("marketing:custom"));
    assert_eq!(found[0].is_owner(), Some(false));
    assert_eq!(found[3].error().map(|e| e.kind), Some("unauthorized"));
    for (_, server) in &servers {
        assert_eq!(server.control().request_log().total(), 1, "one list each");
    }
}

#[tokio::test]
async fn profiles_are_named_exactly_and_the_environment_key_is_refused() {
    let servers = four().await;
    let (_, config) = connector(&servers, &[]);
    let named = |names: &[&str]| Selection::Named(names.iter().map(|n| (*n).to_owned()).collect());
    assert_eq!(
        select(&config, &named(&["c", "a", "c"]), &|_| None).unwrap(),
        ["c", "a"]
    );
    let error = select(&config, &named(&["a", "dd"]), &|_| None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "profile \"dd\" is not defined (did you mean \"d\"?); defined: a, b, c, d"
    );
    let env = |name: &str| (name == "BREVO_API_KEY").then(|| "k".to_owned());
    assert_eq!(
        select(&config, &Selection::All, &env).unwrap_err(),
        SelectionError::EnvironmentKey
    );
}

#[tokio::test]
async fn offboarding_plans_acts_once_and_a_rerun_repeats_nothing() {
    let mut servers = four().await;
    servers.push(("e", server(vec![MockUser::owner(PERSON)], None).await));
    servers.push((
        "f",
        server(
            vec![MockUser::owner("o@f.test"), MockUser::active(PERSON)],
            None,
        )
        .await,
    ));
    let (connector, config) = connector(&servers, &[("f", "read_only = true")]);
    let targets = targets(&connector, &config).await;
    let presences = presence_all(&targets, PERSON, |_| {}).await;
    let planned = plan(&targets, &presences, PERSON).await;
    let actions: Vec<String> = planned
        .steps
        .iter()
        .map(|s| s.action.describe(PERSON))
        .collect();
    assert_eq!(actions[0], "revoke the access of leaver@acme.test");
    assert_eq!(actions[1], "cancel the invitation of leaver@acme.test");
    assert!(actions[2].starts_with("already gone"), "{actions:?}");
    assert!(actions[3].starts_with("not reached:"), "{actions:?}");
    assert!(actions[4].starts_with("refused: owner"), "{actions:?}");
    assert_eq!(actions[5], "skipped: the profile is read-only");
    assert_eq!((planned.changes(), planned.permission_reads), (2, 1));
    assert_eq!(planned.left().len(), 3);

    let outcomes = execute(&targets, &planned, |_| {}).await;
    let kinds: Vec<&str> = outcomes.iter().map(|o| o.outcome.kind()).collect();
    assert_eq!(
        kinds,
        [
            "done",
            "done",
            "already_gone",
            "failed",
            "refused",
            "skipped"
        ]
    );
    assert!(!all_gone(&outcomes));
    assert!(servers[0].1.control().user(PERSON).is_none());
    assert!(servers[1].1.control().user(PERSON).is_none());
    assert!(
        servers[5].1.control().user(PERSON).is_some(),
        "read-only kept"
    );

    // Again: nothing left to send where it was done.
    for (_, server) in &servers {
        server.control().reset_log();
    }
    let presences = presence_all(&targets, PERSON, |_| {}).await;
    let again = plan(&targets, &presences, PERSON).await;
    assert_eq!(again.changes(), 0);
    execute(&targets, &again, |_| {}).await;
    for (_, server) in &servers {
        let log = server.control().request_log();
        assert_eq!(log.count("PUT", REVOKE) + log.count("PUT", INVITATION), 0);
    }
}

#[tokio::test]
async fn a_lost_answer_is_reconciled_not_sent_again() {
    let servers = four().await;
    let (connector, config) = connector(&servers[..1], &[]);
    let targets = targets(&connector, &config).await;
    servers[0]
        .1
        .control()
        .add_fault(Fault::new(FaultKind::ApplyThenFail { status: 500 }).on("PUT", REVOKE));
    let presences = presence_all(&targets, PERSON, |_| {}).await;
    let planned = plan(&targets, &presences, PERSON).await;
    let outcomes = execute(&targets, &planned, |_| {}).await;
    assert_eq!(
        outcomes[0].outcome,
        Outcome::Done {
            billing: Default::default(),
            reconciled: true
        }
    );
    assert!(all_gone(&outcomes));
    assert_eq!(
        servers[0].1.control().request_log().count("PUT", REVOKE),
        1,
        "sent once"
    );
}

#[tokio::test]
async fn removing_the_last_user_manager_is_warned_about() {
    let servers = vec![(
        "a",
        server(
            vec![
                MockUser::owner("o@a.test"),
                MockUser::active(PERSON).with_privilege("user_management", &["all"]),
            ],
            None,
        )
        .await,
    )];
    let (connector, config) = connector(&servers, &[]);
    let targets = targets(&connector, &config).await;
    let presences = presence_all(&targets, PERSON, |_| {}).await;
    let planned = plan(&targets, &presences, PERSON).await;
    assert_eq!(
        planned.steps[0].warning,
        Some(RemovalWarning::LastUserManager {
            emails: vec![PERSON.to_owned()],
            others_not_read: 0
        })
    );
    assert!(matches!(planned.steps[0].action, Action::Revoke));
}

#[tokio::test]
async fn connecting_at_once_still_runs_one_key_command_at_a_time() {
    let servers = four().await;
    let dir = tempfile::tempdir().unwrap();
    let busy = dir.path().join("busy");
    // Fails if another key command is running at the same moment.
    let command = format!(
        "api_key_command = [\"sh\", \"-c\", \"mkdir {0} || exit 1; sleep 0.05; rmdir {0}; echo k\"]",
        busy.display()
    );
    let mut text = String::new();
    for (name, server) in &servers[..3] {
        text.push_str(&format!(
            "[profiles.{name}]\napi_url = \"{}\"\n{command}\n",
            server.base_url()
        ));
    }
    let (connector, config) = connector_of(&text);
    let names = select(&config, &Selection::All, &|_| None).unwrap();
    let announced = Arc::new(Mutex::new(Vec::new()));
    let heard = Arc::clone(&announced);
    let targets = connector
        .connect_all(&names, move |name| {
            heard.lock().unwrap().push(name.to_owned())
        })
        .await;
    for target in &targets {
        assert!(
            target.client.is_ok(),
            "{}: {:?}",
            target.profile,
            target.client.as_ref().err()
        );
    }
    let mut heard = announced.lock().unwrap().clone();
    heard.sort();
    assert_eq!(heard, ["a", "b", "c"], "each key command announced once");
}
