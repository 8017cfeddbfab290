//! The `brevo-users` binary's scriptable commands, run as a user runs them,
//! against the Brevo-compatible mock started in-process on 127.0.0.1. The
//! environment is emptied (no BREVO_*, proxy or XDG_* variable leaks in) and
//! HOME is a fresh temporary directory.

#[path = "cli/access.rs"]
mod access;
#[path = "cli/config.rs"]
mod config;
#[path = "cli/dry_run.rs"]
mod dry_run;
#[path = "cli/emails.rs"]
mod emails;
#[path = "cli/everywhere.rs"]
mod everywhere;
#[path = "cli/import_file.rs"]
mod import_file;
#[path = "cli/install.rs"]
mod install;
#[path = "cli/output.rs"]
mod output;
#[path = "cli/seats.rs"]
mod seats;

use std::path::Path;
use std::time::Duration;

use brevo_users::mock::{Fault, FaultKind, MockControl, MockOptions, MockServer, MockUser, Seed};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_brevo-users");
const LIST: &str = "/organization/invited/users";
const PERMISSIONS: &str = "/organization/user/{email}/permissions";
const SEND: &str = "/organization/user/invitation/send";
const UPDATE: &str = "/organization/user/update/permissions";

struct Mock {
    server: MockServer,
    home: tempfile::TempDir,
}

#[derive(Debug)]
struct Run {
    code: i32,
    out: String,
    err: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.out)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {self:?}"))
    }

    fn error_kind(&self) -> String {
        self.json()["error"]["kind"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn ok(self) -> Self {
        assert_eq!(self.code, 0, "{self:?}");
        self
    }
}

async fn mock(options: MockOptions) -> Mock {
    Mock {
        server: MockServer::start(options).await.expect("the mock starts"),
        home: tempfile::tempdir().expect("a temporary HOME"),
    }
}

async fn demo() -> Mock {
    mock(MockOptions::default()).await
}

/// A small organization: the owner, one active member, one pending invitation.
async fn small() -> Mock {
    let seed = Seed {
        seat_billing: true,
        account: None,
        users: vec![
            MockUser::owner("owner@acme.test"),
            MockUser::active("ops@acme.test").with_privilege("contacts", &["view"]),
            MockUser::pending("new.hire@acme.test").with_privilege("contacts", &["view"]),
        ],
    };
    mock(MockOptions {
        seed,
        ..MockOptions::default()
    })
    .await
}

impl Mock {
    fn control(&self) -> MockControl {
        self.server.control()
    }

    async fn run(&self, args: &[&str]) -> Run {
        run_binary(&self.server.base_url(), self.home.path(), args, &[]).await
    }

    async fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        run_binary(&self.server.base_url(), self.home.path(), args, env).await
    }

    fn count(&self, method: &str, route: &str) -> u64 {
        self.control().request_log().count(method, route)
    }

    fn changes_sent(&self) -> u64 {
        let log = self.control().request_log();
        log.counts
            .iter()
            .filter(|(k, _)| !k.starts_with("GET "))
            .map(|(_, n)| n)
            .sum()
    }
}

/// Runs the binary with stdin closed (not a terminal), off the async
/// runtime so the in-process mock keeps answering meanwhile.
async fn run_binary(url: &str, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    run_binary_in(url, home, here, args, env).await
}

/// [`run_binary`] in the folder `cwd`.
async fn run_binary_in(
    url: &str,
    home: &Path,
    cwd: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Run {
    let mut command = assert_cmd::Command::new(BIN);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("BREVO_API_URL", url)
        .env("BREVO_API_KEY", "test")
        .current_dir(cwd)
        .timeout(Duration::from_secs(60))
        .args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the runner thread")
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn write_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the file");
    path.to_string_lossy().into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn list_as_table_json_and_csv() {
    let mock = small().await;
    let table = mock.run(&["list"]).await.ok();
    assert!(table.out.starts_with("EMAIL"), "{table:?}");
    assert!(table.out.contains("new.hire@acme.test") && table.out.contains("pending"));
    assert!(
        !table.out.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    assert!(table.err.contains("3 users, 1 pending"), "{table:?}");

    let users = mock.run(&["list", "--json"]).await.ok().json();
    let users = users.as_array().expect("an array");
    assert_eq!(users.len(), 3);
    assert_eq!(users[0]["is_owner"], Value::Bool(true));
    assert_eq!(users[1]["is_owner"], Value::Bool(false));
    assert_eq!(users[2]["status"], "pending");
    assert!(users[1]["feature_access"].is_object());

    let csv = mock.run(&["list", "--csv"]).await.ok();
    let mut reader = csv::Reader::from_reader(csv.out.as_bytes());
    let headers: Vec<&str> = reader.headers().unwrap().iter().take(3).collect();
    assert_eq!(headers, ["email", "is_owner", "status"]);
    assert_eq!(reader.records().count(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn show_in_words_and_in_catalogue_keys() {
    let mock = small().await;
    let human = mock.run(&["show", "ops@acme.test"]).await.ok();
    assert!(human.out.contains("ops@acme.test (active)"), "{human:?}");
    assert!(
        human.out.contains("Contacts") && human.out.contains("View"),
        "{human:?}"
    );
    let json = mock
        .run(&["show", "OPS@acme.test", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(json["email"], "ops@acme.test");
    assert_eq!(
        json["privileges"],
        serde_json::json!([{"feature": "contacts", "permissions": ["view"]}])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_user_exits_5_for_every_command_about_one_user() {
    let mock = small().await;
    for args in [
        vec!["show", "ghost@acme.test"],
        vec!["update", "ghost@acme.test", "--grant", "contacts=view"],
        vec!["resend", "ghost@acme.test"],
        vec!["cancel", "ghost@acme.test", "--yes"],
        vec!["revoke", "ghost@acme.test", "--yes"],
    ] {
        let human = mock.run(&args).await;
        assert_eq!(human.code, 5, "{args:?}: {human:?}");
        assert!(
            human.err.contains("ghost@acme.test is not a user"),
            "{human:?}"
        );
        let mut with_json = args.clone();
        with_json.push("--json");
        let json = mock.run(&with_json).await;
        assert_eq!(
            (json.code, json.error_kind().as_str()),
            (5, "not_found"),
            "{args:?}: {json:?}"
        );
    }
}

/// Each kind of failure, for every command, in words and in JSON, with its exit code.
#[tokio::test(flavor = "multi_thread")]
async fn every_command_reports_each_failure_kind_with_its_exit_code() {
    let file = tempfile::tempdir().unwrap();
    let csv = write_file(
        file.path(),
        "team.csv",
        "email,preset\nana@acme.test,viewer\n",
    );
    let commands: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["show", "ops@acme.test"],
        vec!["invite", "ana@acme.test", "--preset", "viewer"],
        vec!["update", "ops@acme.test", "--grant", "contacts=view,import"],
        vec!["resend", "new.hire@acme.test"],
        vec!["cancel", "new.hire@acme.test", "--yes"],
        vec!["revoke", "ops@acme.test", "--yes"],
        vec!["export"],
        vec!["import", &csv],
        vec!["whoami"],
    ];
    // (kind in JSON, exit code, words on stderr, how to provoke it)
    let unauthorized = mock(MockOptions {
        api_key: Some("another-key".into()),
        ..MockOptions::default()
    })
    .await;
    let rate_limited = mock(MockOptions {
        rate_limit: Some(0),
        ..MockOptions::default()
    })
    .await;
    let failing = small().await;
    for args in &commands {
        let mut json_args = args.clone();
        json_args.push("--json");

        let human = unauthorized.run(args).await;
        assert_eq!(human.code, 3, "{args:?}: {human:?}");
        assert!(
            human.err.contains("refused the API key with 401"),
            "{human:?}"
        );
        assert!(
            human.err.lines().any(|l| l.starts_with("request id: ")),
            "the request id on a line of its own: {human:?}"
        );
        let json = unauthorized.run(&json_args).await;
        assert_eq!(
            (json.code, json.error_kind().as_str()),
            (3, "unauthorized"),
            "{json:?}"
        );
        assert_eq!(json.json()["error"]["status"], 401);
        assert!(json.json()["error"]["request_id"].is_string());

        let human = rate_limited.run(args).await;
        assert_eq!(human.code, 1, "{args:?}: {human:?}");
        assert!(human.err.contains("rate limit"), "{human:?}");
        let json = rate_limited.run(&json_args).await;
        assert_eq!(
            (json.code, json.error_kind().as_str()),
            (1, "rate_limited"),
            "{json:?}"
        );

        // Reads are retried: three 500s exhaust the client's attempts. The
        // seat check's optional read of /account is refused first, so that
        // the 500s meet the command's own request (whoami's is /account).
        let account_refused = || {
            if args[0] != "whoami" {
                failing.control().add_fault(
                    Fault::error(403, "permission_denied", "restricted").on("GET", "/account"),
                );
            }
            failing
                .control()
                .add_fault(Fault::error(500, "internal_error", "boom").times(3));
        };
        account_refused();
        let human = failing.run(args).await;
        failing.control().clear_faults();
        assert_eq!(human.code, 1, "{args:?}: {human:?}");
        assert!(human.err.contains("server error 500"), "{human:?}");
        account_refused();
        let json = failing.run(&json_args).await;
        failing.control().clear_faults();
        assert_eq!(
            (json.code, json.error_kind().as_str()),
            (1, "server_error"),
            "{args:?}: {json:?}"
        );
        assert_eq!(json.json()["error"]["status"], 500);

        let unreachable = [("BREVO_API_URL", "http://127.0.0.1:9/v3")];
        let human = failing.run_env(args, &unreachable).await;
        assert_eq!(human.code, 4, "{args:?}: {human:?}");
        assert!(human.err.contains("could not connect"), "{human:?}");
        let json = failing.run_env(&json_args, &unreachable).await;
        assert_eq!(
            (json.code, json.error_kind().as_str()),
            (4, "connect"),
            "{json:?}"
        );

        let no_key = [("BREVO_API_KEY", "")];
        let human = failing.run_env(args, &no_key).await;
        assert_eq!(human.code, 2, "{args:?}: {human:?}");
        assert!(human.err.contains("BREVO_API_KEY"), "{human:?}");
        let json = failing.run_env(&json_args, &no_key).await;
        assert_eq!(
            (json.code, json.error_kind().as_str()),
            (2, "no_key"),
            "{json:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invite_checks_names_confirms_power_and_prints_the_invoice() {
    let mock = small().await;
    let typo = mock
        .run(&["invite", "ana@acme.test", "--grant", "contact=view"])
        .await;
    assert_eq!(typo.code, 2);
    assert!(typo.err.contains("did you mean contacts?"), "{typo:?}");
    let typo = mock
        .run(&[
            "invite",
            "ana@acme.test",
            "--grant",
            "contacts=veiw",
            "--json",
        ])
        .await;
    assert_eq!((typo.code, typo.error_kind().as_str()), (2, "usage"));
    for power in [vec!["--all"], vec!["--grant", "user_management=all"]] {
        let mut args = vec!["invite", "ana@acme.test"];
        args.extend(power);
        let refused = mock.run(&args).await;
        assert_eq!(refused.code, 2, "{refused:?}");
        assert!(refused.err.contains("--yes"), "{refused:?}");
    }
    assert_eq!(mock.changes_sent(), 0);

    let done = mock
        .run(&[
            "invite",
            "ana@acme.test",
            "--grant",
            "contacts=view,import",
            "--grant",
            "email_campaigns=create_edit_delete",
            "--allow-billing",
        ])
        .await
        .ok();
    assert!(done.out.contains("invited ana@acme.test"), "{done:?}");
    assert!(done.out.contains("invoice: INV-"), "{done:?}");
    let json = mock
        .run(&[
            "invite",
            "bo@acme.test",
            "--all",
            "--yes",
            "--allow-billing",
            "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(json["action"], "invite");
    assert!(json["invoice_ids"][0].as_str().unwrap().starts_with("INV-"));

    let again = mock
        .run(&[
            "invite",
            "ana@acme.test",
            "--preset",
            "viewer",
            "--allow-billing",
        ])
        .await;
    assert_eq!(again.code, 1);
    assert!(again.err.contains("already invited"), "{again:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn update_shows_the_diff_dry_run_sends_nothing_and_saving_reads_back() {
    let mock = small().await;
    let dry = mock
        .run(&[
            "update",
            "ops@acme.test",
            "--grant",
            "contacts=view,import",
            "--grant",
            "sms_campaigns=send_schedule_suspend",
            "--dry-run",
        ])
        .await
        .ok();
    assert!(dry.out.contains("+ Contacts: Import"), "{dry:?}");
    assert!(
        dry.out.contains("+ SMS campaigns: Send/schedule/suspend"),
        "{dry:?}"
    );
    assert_eq!(mock.count("POST", UPDATE), 0);

    let done = mock
        .run(&[
            "update",
            "ops@acme.test",
            "--grant",
            "contacts=export",
            "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(done["changes"][0]["added"], serde_json::json!(["export"]));
    assert_eq!(done["changes"][0]["removed"], serde_json::json!(["view"]));
    assert_eq!(done["stored_differences"], serde_json::json!([]));
    assert_eq!(mock.count("POST", UPDATE), 1);
    assert_eq!(
        mock.count("GET", PERMISSIONS),
        3,
        "before, after, and the dry run"
    );

    let removed = mock
        .run(&["update", "ops@acme.test", "--grant", "contacts=none"])
        .await
        .ok();
    assert!(removed.out.contains("- Contacts: Export"), "{removed:?}");
    let owner = mock
        .run(&["update", "owner@acme.test", "--grant", "contacts=view"])
        .await;
    assert_eq!(owner.code, 1, "{owner:?}");
    assert!(owner.err.contains("is the owner"), "{owner:?}");
    let read_only = mock
        .run(&[
            "--read-only",
            "update",
            "ops@acme.test",
            "--grant",
            "contacts=view",
            "--json",
        ])
        .await;
    assert_eq!(
        (read_only.code, read_only.error_kind().as_str()),
        (2, "read_only")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn resend_cancel_and_revoke_confirm_and_explain_refusals() {
    let mock = small().await;
    let resent = mock.run(&["resend", "new.hire@acme.test"]).await.ok();
    assert!(
        resent
            .out
            .contains("resent the invitation to new.hire@acme.test"),
        "{resent:?}"
    );
    for args in [
        ["cancel", "new.hire@acme.test"],
        ["revoke", "ops@acme.test"],
    ] {
        let refused = mock.run(&args).await;
        assert_eq!(refused.code, 2, "{refused:?}");
        assert!(
            refused.err.contains("stdin is not a terminal; pass --yes"),
            "{refused:?}"
        );
        let json = mock.run(&[args[0], args[1], "--json"]).await;
        assert_eq!(json.error_kind(), "confirmation_required");
    }
    assert_eq!(mock.changes_sent(), 1, "only the resend");

    let wrong = mock.run(&["cancel", "ops@acme.test", "--yes"]).await;
    assert_eq!(wrong.code, 1);
    assert!(wrong.err.contains("already accepted"), "{wrong:?}");
    let owner = mock
        .run(&["revoke", "owner@acme.test", "--yes", "--json"])
        .await;
    assert_eq!((owner.code, owner.error_kind().as_str()), (1, "forbidden"));
    assert!(
        owner.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("is the owner")
    );

    let cancelled = mock
        .run(&["cancel", "new.hire@acme.test", "--yes"])
        .await
        .ok();
    assert!(cancelled.out.contains("credit note: CN-"), "{cancelled:?}");
    let revoked = mock
        .run(&["revoke", "ops@acme.test", "--yes", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(revoked["action"], "revoke");
    assert!(
        revoked["credit_notes"][0]
            .as_str()
            .unwrap()
            .starts_with("CN-")
    );
    assert!(mock.control().user("ops@acme.test").is_none());
    let read_only = mock.run(&["--read-only", "resend", "x@acme.test"]).await;
    assert_eq!(read_only.code, 2);
    assert!(
        read_only.err.contains("--read-only is set"),
        "{read_only:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_is_reconciled_instead_of_resent() {
    let mock = small().await;
    mock.control()
        .add_fault(Fault::new(FaultKind::ApplyThenFail { status: 502 }).on("POST", SEND));
    let run = mock
        .run(&[
            "invite",
            "ana@acme.test",
            "--preset",
            "viewer",
            "--allow-billing",
            "--json",
        ])
        .await
        .ok();
    assert_eq!(run.json()["reconciled"], Value::Bool(true));
    assert_eq!(mock.count("POST", SEND), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn export_csv_parses_and_defuses_formula_cells() {
    let mock = small().await;
    let mut users = mock.control().users();
    users.push(
        MockUser::active("=HYPERLINK(\"x\")@evil.test").with_privilege("contacts", &["view"]),
    );
    users.push(MockUser::pending("+1@evil.test"));
    mock.control().set_users(users);

    let export = mock
        .run(&["export", "--csv", "--with-permissions"])
        .await
        .ok();
    assert!(
        export.err.contains("[5/5] reading the permissions"),
        "{export:?}"
    );
    let mut reader = csv::Reader::from_reader(export.out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let contacts = headers
        .iter()
        .position(|h| h == "permissions.contacts")
        .expect("a contacts column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV row")).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[3][0], "'=HYPERLINK(\"x\")@evil.test");
    assert_eq!(&rows[3][contacts], "view");
    assert_eq!(&rows[4][0], "'+1@evil.test");
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }

    let json = mock
        .run(&["export", "--with-permissions"])
        .await
        .ok()
        .json();
    assert_eq!(
        json[1]["privileges"],
        serde_json::json!([{"feature": "contacts", "permissions": ["view"]}])
    );
    let plain = mock.run(&["export", "--json"]).await.ok().json();
    assert!(plain[1].get("privileges").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn export_with_permissions_stops_before_starting_when_the_quota_is_short() {
    let mock = mock(MockOptions {
        rate_limit: Some(3),
        ..MockOptions::default()
    })
    .await;
    let run = mock.run(&["export", "--with-permissions", "--json"]).await;
    assert_eq!(
        (run.code, run.error_kind().as_str()),
        (1, "rate_limited"),
        "{run:?}"
    );
    assert!(run.err.contains("needs 26 requests"), "{run:?}");
    assert_eq!(mock.count("GET", PERMISSIONS), 0);
}

const TEAM: &str = "\
email,preset,grants,name
ana@acme.test,viewer,,Ana
bo@acme.test,,contacts=view;import|email_campaigns=create_edit_delete,Bo
not-an-email,viewer,,Typo
cy@acme.test,boss,,Unknown preset
new.hire@acme.test,viewer,,Already invited
ops@acme.test,viewer,,Already a user
";

#[tokio::test(flavor = "multi_thread")]
async fn import_plans_first_and_a_dry_run_sends_nothing() {
    let mock = small().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(dir.path(), "team.csv", TEAM);
    let dry = mock.run(&["import", &file, "--dry-run"]).await;
    assert_eq!(dry.code, 1, "invalid rows make the exit code 1: {dry:?}");
    assert!(
        dry.err.contains("2 to invite, 2 to skip, 2 invalid"),
        "{dry:?}"
    );
    assert!(dry.err.contains("dry run: nothing was sent"), "{dry:?}");
    for expected in [
        "ana@acme.test",
        "invite",
        "the email has no @",
        "unknown preset",
        "already invited (pending)",
        "already a user (active)",
    ] {
        assert!(dry.out.contains(expected), "{expected}: {dry:?}");
    }
    let log = mock.control().request_log();
    assert_eq!(
        log.total(),
        2,
        "one read of the user list and one of the seats, nothing else: {log:?}"
    );
    assert_eq!(log.count("GET", LIST), 1);
    assert_eq!(log.count("GET", "/account"), 1);

    let json = mock
        .run(&["import", &file, "--dry-run", "--json"])
        .await
        .json();
    assert_eq!(json["summary"]["would_invite"], 2);
    assert_eq!(json["error"]["kind"], "incomplete");
    assert_eq!(mock.changes_sent(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn import_invites_valid_rows_once_even_when_run_twice() {
    let mock = small().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(dir.path(), "team.csv", TEAM);
    let first = mock.run(&["import", &file, "--allow-billing"]).await;
    assert_eq!(first.code, 1, "{first:?}");
    assert!(
        first.err.contains("[1/2] inviting ana@acme.test"),
        "{first:?}"
    );
    assert!(
        first
            .err
            .contains("2 rows were not invited (lines 4 and 5)"),
        "{first:?}"
    );
    assert!(
        first
            .out
            .lines()
            .any(|l| l.contains("ana@acme.test") && l.contains("invited")),
        "{first:?}"
    );
    assert_eq!(mock.count("POST", SEND), 2);
    assert!(mock.control().user("bo@acme.test").is_some());

    let second = mock.run(&["import", &file, "--json"]).await;
    // Nothing to invite: no seat is needed, so no consent either.
    assert_eq!(second.code, 1);
    let report = second.json();
    assert_eq!(report["summary"]["invited"], 0);
    assert_eq!(report["summary"]["skipped"], 4);
    assert_eq!(mock.count("POST", SEND), 2, "nobody invited twice");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_error_mid_import_says_which_rows_are_done_and_a_rerun_finishes() {
    let mock = small().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "team.csv",
        "email,preset\nana@acme.test,viewer\nbo@acme.test,viewer\ncy@acme.test,viewer\n",
    );
    // The first invitation goes through (the latency fault uses up the
    // first match), the second meets a 500.
    mock.control()
        .add_fault(Fault::new(FaultKind::Latency { ms: 1 }).on("POST", SEND));
    mock.control()
        .add_fault(Fault::error(500, "internal_error", "boom").on("POST", SEND));
    let run = mock
        .run(&["import", &file, "--allow-billing", "--json"])
        .await;
    assert_eq!(run.code, 1, "{run:?}");
    let report = run.json();
    let results: Vec<(&str, &str)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["email"].as_str().unwrap(), r["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        results,
        vec![
            ("ana@acme.test", "invited"),
            ("bo@acme.test", "not_done"),
            ("cy@acme.test", "not_done")
        ]
    );
    assert_eq!(report["error"]["kind"], "server_error");
    assert!(
        run.err.contains("checking the user list"),
        "the 500 was reconciled: {run:?}"
    );
    assert_eq!(
        mock.count("GET", LIST),
        2,
        "the plan, then the reconciliation"
    );

    let rerun = mock.run(&["import", &file, "--allow-billing"]).await.ok();
    assert!(rerun.out.contains("already invited (pending)"), "{rerun:?}");
    assert_eq!(
        mock.count("POST", SEND),
        4,
        "ana once, bo twice (the 500, then the re-run), cy once"
    );
    let log = mock.control().request_log();
    let ana_sent = log
        .recent
        .iter()
        .filter(|r| {
            r.body
                .as_deref()
                .is_some_and(|b| b.contains("ana@acme.test"))
        })
        .count();
    assert_eq!(ana_sent, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_rate_limit_stops_the_import_and_lists_the_rows_left() {
    // Three requests: the list, the seats (GET /account) and one invitation.
    let mock = mock(MockOptions {
        rate_limit: Some(3),
        seed: Seed::default(),
        ..MockOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "team.csv",
        "email,preset\nana@acme.test,viewer\nbo@acme.test,viewer\ncy@acme.test,viewer\n",
    );
    let run = mock.run(&["import", &file]).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.err.contains("rate limit"), "{run:?}");
    assert!(
        run.err.contains("2 rows are left to do (lines 3 and 4)"),
        "{run:?}"
    );
    assert!(mock.control().user("ana@acme.test").is_some());
    assert!(mock.control().user("bo@acme.test").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_need_no_account() {
    let mock = small().await;
    let run = mock
        .run_env(&["completions", "bash"], &[("BREVO_API_KEY", "")])
        .await
        .ok();
    assert!(run.out.contains("brevo-users"), "{run:?}");
    assert_eq!(mock.control().request_log().total(), 0);
}

/// Every example line of the README's Commands section runs as written,
/// in order, against one mock with the demo organization.
#[tokio::test(flavor = "multi_thread")]
async fn the_readme_examples_run_as_written() {
    let section = readme_section("Commands");
    let examples: Vec<Vec<String>> = section
        .lines()
        .filter_map(|line| line.strip_prefix("brevo-users "))
        .map(|line| {
            let command = line.split(" #").next().unwrap_or(line);
            command.split_whitespace().map(str::to_owned).collect()
        })
        .collect();
    assert!(examples.len() >= 15, "{examples:?}");
    let mock = demo().await;
    for example in &examples {
        let args: Vec<&str> = example.iter().map(String::as_str).collect();
        let run = mock.run(&args).await;
        assert_eq!(run.code, 0, "brevo-users {}: {run:?}", args.join(" "));
        if args.contains(&"--json") {
            run.json();
        }
    }
}

/// The README's `## TITLE` section, up to the next one.
fn readme_section(title: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    readme
        .split(&format!("\n## {title}\n"))
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or_else(|| panic!("a README section {title:?}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_rate_limit_is_waited_for_and_said() {
    // Import does its own waiting, out loud; the window is short so the
    // test is too.
    let mock = mock(MockOptions {
        rate_limit: Some(2),
        rate_window: Duration::from_secs(2),
        seed: Seed::default(),
        ..MockOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "team.csv",
        "email,preset\nana@acme.test,viewer\nbo@acme.test,viewer\n",
    );
    let run = mock.run(&["import", &file, "--max-wait", "10"]).await.ok();
    assert!(run.err.contains("waiting"), "{run:?}");
    assert!(mock.control().user("bo@acme.test").is_some(), "{run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn command_line_mistakes_are_json_too_under_json() {
    let mock = small().await;
    let run = mock.run(&["invite", "ana@acme.test", "--json"]).await;
    assert_eq!(
        (run.code, run.error_kind().as_str()),
        (2, "usage"),
        "{run:?}"
    );
    let run = mock.run(&["list", "--json", "--csv"]).await;
    assert_eq!(
        (run.code, run.error_kind().as_str()),
        (2, "usage"),
        "{run:?}"
    );
    let run = mock.run(&["list", "--bogus"]).await;
    assert_eq!(run.code, 2);
    assert!(run.out.is_empty() && run.err.contains("--bogus"), "{run:?}");
    assert_eq!(mock.control().request_log().total(), 0);
}
