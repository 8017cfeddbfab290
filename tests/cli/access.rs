//! Access as code (issue 13) as an admin meets it: snapshot, plan, apply,
//! diff, against the mock — what each prints, what it sends, how it exits.

use super::*;

const ACCOUNT: &str = "/account";

/// The owner, two members (one holding User management) and one pending
/// invitation: small enough that every request can be counted.
async fn team() -> Mock {
    let seed = Seed {
        seat_billing: false,
        account: None,
        users: vec![
            MockUser::owner("owner@acme.test"),
            MockUser::active("ana@acme.test")
                .with_privilege("contacts", &["view"])
                .with_privilege("user_management", &["all"]),
            MockUser::active("bo@acme.test").with_privilege("contacts", &["view", "import"]),
            MockUser::active("cy@acme.test").with_privilege("contacts", &["view"]),
            MockUser::pending("new.hire@acme.test").with_privilege("contacts", &["view"]),
        ],
    };
    mock(MockOptions {
        seed,
        ..MockOptions::default()
    })
    .await
}

/// `snapshot -o access.toml` into a fresh folder; returns the folder and path.
async fn snapshot(mock: &Mock) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.toml");
    let path = path.to_string_lossy().into_owned();
    mock.run(&["snapshot", "-o", &path, "--no-cache"])
        .await
        .ok();
    (dir, path)
}

fn append(path: &str, text: &str) {
    let mut old = std::fs::read_to_string(path).unwrap();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

/// Replaces the table of `email` (header to the next blank line) with `table`.
fn replace_entry(path: &str, email: &str, table: Option<&str>) {
    let text = std::fs::read_to_string(path).unwrap();
    let header = format!("[users.\"{email}\"]");
    let start = text
        .find(&header)
        .unwrap_or_else(|| panic!("{email} in\n{text}"));
    let end = text[start..]
        .find("\n\n")
        .map_or(text.len(), |i| start + i + 1);
    let mut new = text[..start].to_owned();
    if let Some(table) = table {
        new.push_str(table);
    }
    new.push_str(&text[end..]);
    std::fs::write(path, new).unwrap();
}

/// Two updates: bo loses Import, cy gains Export.
fn two_updates(file: &str) {
    replace_entry(
        file,
        "bo@acme.test",
        Some("[users.\"bo@acme.test\"]\ngrants = { contacts = [\"view\"] }\n"),
    );
    replace_entry(
        file,
        "cy@acme.test",
        Some("[users.\"cy@acme.test\"]\ngrants = { contacts = [\"view\", \"export\"] }\n"),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_snapshot_round_trips_and_names_the_owner_and_pending_as_comments() {
    let mock = team().await;
    let (_dir, file) = snapshot(&mock).await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("owner@acme.test"), "{text}");
    assert!(
        !text.contains("[users.\"owner@acme.test\"]"),
        "the owner is a comment, never an entry: {text}"
    );
    assert!(text.contains("# pending"), "{text}");
    let run = mock
        .run(&["plan", &file, "--detailed-exitcode", "--no-cache"])
        .await;
    assert_eq!(run.code, 0, "in sync: {run:?}");
    assert!(run.out.contains("No changes"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn adding_changing_and_removing_entries_plans_each_and_exits_6() {
    let mock = team().await;
    let (_dir, file) = snapshot(&mock).await;
    append(&file, "\n[users.\"dee@acme.test\"]\npreset = \"viewer\"\n");
    replace_entry(
        &file,
        "bo@acme.test",
        Some("[users.\"bo@acme.test\"]\ngrants = { contacts = [\"view\", \"export\"] }\n"),
    );
    replace_entry(&file, "cy@acme.test", None);
    mock.control().reset_log();
    let run = mock
        .run(&["plan", &file, "--detailed-exitcode", "--no-cache"])
        .await;
    assert_eq!(run.code, 6, "{run:?}");
    assert!(
        run.out.contains("invite") && run.out.contains("dee@acme.test"),
        "{run:?}"
    );
    assert!(run.out.contains("+ Contacts: Export"), "{run:?}");
    assert!(run.out.contains("- Contacts: Import"), "{run:?}");
    assert!(
        run.out.contains("not managed cy@acme.test"),
        "additive: a missing entry is left alone: {run:?}"
    );
    assert_eq!(mock.changes_sent(), 0, "a plan sends nothing");
    // N + 1 (+ the account): the list, /account, one read per managed user
    // that exists (ana, bo, new.hire).
    assert_eq!(mock.count("GET", PERMISSIONS), 3, "{run:?}");
    assert_eq!(mock.count("GET", LIST), 1);
    assert!(
        run.err.contains("3 users' permissions: 3 requests"),
        "{run:?}"
    );

    let pruned = mock
        .run(&["plan", &file, "--prune", "--json", "--no-cache"])
        .await
        .ok();
    let plan = pruned.json();
    let cy = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["email"] == "cy@acme.test")
        .unwrap()
        .clone();
    assert_eq!(cy["action"], "revoke", "{plan}");
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_then_plan_shows_no_changes_and_a_second_apply_sends_nothing() {
    let mock = team().await;
    let (_dir, file) = snapshot(&mock).await;
    append(&file, "\n[users.\"dee@acme.test\"]\npreset = \"viewer\"\n");
    replace_entry(
        &file,
        "bo@acme.test",
        Some("[users.\"bo@acme.test\"]\ngrants = { contacts = [\"view\"] }\n"),
    );
    let refused = mock.run(&["apply", &file]).await;
    assert_eq!(refused.code, 2, "no terminal, no --yes: {refused:?}");
    assert_eq!(mock.changes_sent(), 0);

    let run = mock.run(&["apply", &file, "--yes", "--json"]).await.ok();
    let report = run.json();
    assert_eq!(report["done"], 2, "{report}");
    assert!(mock.control().user("dee@acme.test").is_some());
    assert_eq!(
        mock.control().user("bo@acme.test").unwrap().privileges["contacts"],
        vec!["view".to_owned()]
    );
    let plan = mock
        .run(&["plan", &file, "--detailed-exitcode", "--no-cache"])
        .await;
    assert_eq!(plan.code, 0, "{plan:?}");

    mock.control().reset_log();
    let again = mock.run(&["apply", &file, "--yes"]).await.ok();
    assert_eq!(mock.changes_sent(), 0, "converged: {again:?}");
    assert!(again.err.contains("nothing to change"), "{again:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_removes_who_is_not_in_the_file_and_the_guards_refuse_before_sending() {
    let mock = team().await;
    let (_dir, file) = snapshot(&mock).await;
    replace_entry(&file, "cy@acme.test", None);
    let run = mock
        .run(&["apply", &file, "--prune", "--yes", "--no-cache"])
        .await
        .ok();
    assert!(mock.control().user("cy@acme.test").is_none(), "{run:?}");
    assert!(mock.control().user("bo@acme.test").is_some());

    // More than 25 % of the users with access.
    let mock = team().await;
    let (_dir, file) = snapshot(&mock).await;
    replace_entry(&file, "cy@acme.test", None);
    replace_entry(&file, "bo@acme.test", None);
    let run = mock.run(&["plan", &file, "--prune", "--no-cache"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains("25 %"), "{run:?}");
    let allowed = mock
        .run(&[
            "plan",
            &file,
            "--prune",
            "--max-removals",
            "2",
            "--no-cache",
        ])
        .await;
    assert_eq!(allowed.code, 0, "{allowed:?}");

    // The last user manager besides the owner.
    replace_entry(&file, "ana@acme.test", None);
    let run = mock
        .run(&[
            "apply",
            &file,
            "--prune",
            "--max-removals",
            "3",
            "--yes",
            "--no-cache",
        ])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains("User management"), "{run:?}");
    assert_eq!(mock.changes_sent(), 0, "refused before anything is sent");

    // The owner is never an entry.
    append(
        &file,
        "\n[users.\"owner@acme.test\"]\npreset = \"viewer\"\n",
    );
    let run = mock.run(&["plan", &file, "--no-cache"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains("owner"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_for_another_account_is_refused_and_an_unreadable_account_needs_a_flag() {
    let mock = team().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "other.toml",
        "account = \"someone@else.test\"\n\n[users.\"bo@acme.test\"]\npreset = \"viewer\"\n",
    );
    let run = mock.run(&["plan", &file, "--no-cache"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains("someone@else.test"), "{run:?}");
    assert_eq!(mock.count("GET", PERMISSIONS), 0, "{run:?}");

    mock.control().add_fault(
        Fault::error(500, "internal_error", "down")
            .on("GET", ACCOUNT)
            .times(10),
    );
    let run = mock.run(&["plan", &file, "--no-cache"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains("--no-account-check"), "{run:?}");
    mock.control().clear_faults();
    mock.control().add_fault(
        Fault::error(500, "internal_error", "down")
            .on("GET", ACCOUNT)
            .times(10),
    );
    let run = mock
        .run(&["plan", &file, "--no-cache", "--no-account-check"])
        .await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.err.contains("could not confirm"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_plan_is_applied_exactly_and_a_user_changed_since_is_skipped() {
    let mock = team().await;
    let (dir, file) = snapshot(&mock).await;
    two_updates(&file);
    let saved = dir.path().join("plan.json");
    let saved = saved.to_string_lossy().into_owned();
    mock.run(&["plan", &file, "-o", &saved, "--no-cache"])
        .await
        .ok();
    // Edited after the review: the saved plan, not the file, is applied.
    append(&file, "\n[users.\"dee@acme.test\"]\npreset = \"viewer\"\n");
    // Someone changes cy in Brevo between the plan and the apply.
    let mut users = mock.control().users();
    for user in &mut users {
        if user.email == "cy@acme.test" {
            user.privileges
                .insert("templates".into(), vec!["create_edit_delete".into()]);
        }
    }
    mock.control().set_users(users);

    let run = mock.run(&["apply", &saved, "--yes", "--json"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    let report = run.json();
    let outcome = |email: &str| {
        report["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["email"] == email)
            .map(|u| u["outcome"].as_str().unwrap().to_owned())
    };
    assert_eq!(outcome("bo@acme.test").as_deref(), Some("done"), "{report}");
    assert_eq!(
        outcome("cy@acme.test").as_deref(),
        Some("changed_since_plan"),
        "{report}"
    );
    assert!(
        mock.control().user("dee@acme.test").is_none(),
        "not in the plan"
    );
    let cy = mock.control().user("cy@acme.test").unwrap();
    assert!(cy.privileges.contains_key("templates"), "not overwritten");
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_7_when_the_quota_cannot_cover_the_plan_or_answers_come_from_the_cache() {
    let mock = mock(MockOptions {
        rate_limit: Some(3),
        rate_window: Duration::from_secs(3600),
        seed: team().await.control().seed(),
        ..MockOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "access.toml",
        "[users.\"ana@acme.test\"]\ngrants = { contacts = [\"view\"], user_management = [\"all\"] }\n\n[users.\"bo@acme.test\"]\ngrants = { contacts = [\"view\", \"import\"] }\n",
    );
    let run = mock.run(&["plan", &file, "--detailed-exitcode"]).await;
    assert_eq!(run.code, 7, "{run:?}");
    assert!(run.err.contains("not checked"), "{run:?}");

    // A cached answer never says in sync.
    let mock = team().await;
    let first = mock.run(&["plan", &file]).await.ok();
    let cached = mock
        .run(&["plan", &file, "--refresh=none", "--detailed-exitcode"])
        .await;
    assert_eq!(cached.code, 7, "{first:?}\n{cached:?}");
    assert!(cached.out.contains("from the cache"), "{cached:?}");
    assert!(cached.err.contains("ana@acme.test"), "{cached:?}");

    // Whom apply changed is read again, never answered from before.
    let narrowed = write_file(
        dir.path(),
        "narrowed.toml",
        "[users.\"bo@acme.test\"]\ngrants = { contacts = [\"view\"] }\n",
    );
    mock.run(&["apply", &narrowed, "--yes"]).await.ok();
    let after = mock
        .run(&["plan", &narrowed, "--refresh=none", "--detailed-exitcode"])
        .await;
    assert_eq!(after.code, 0, "bo was read fresh: {after:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cache_is_private_and_holds_no_key() {
    let mock = team().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "a.toml",
        "[users.\"bo@acme.test\"]\npreset = \"viewer\"\n",
    );
    mock.run(&["plan", &file]).await.ok();
    let folder = mock.home.path().join(".cache/brevo-users");
    let entries: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&entries[0]), mode(&folder)), (0o600, 0o700));
    }
    let text = std::fs::read_to_string(&entries[0]).unwrap();
    assert!(
        text.contains("bo@acme.test") && text.contains("read_at"),
        "{text}"
    );
    assert!(!text.contains("\"test\""), "never the key: {text}");

    let other = tempfile::tempdir().unwrap();
    let run = run_binary(
        &mock.server.base_url(),
        other.path(),
        &["plan", &file, "--no-cache"],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        !other.path().join(".cache").exists(),
        "--no-cache writes nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_500_on_one_update_is_reconciled_and_a_long_429_stops_and_lists_the_rest() {
    let mock = team().await;
    let (_dir, file) = snapshot(&mock).await;
    two_updates(&file);
    mock.control().add_fault(Fault {
        times: 1,
        method: Some("POST".into()),
        route: Some(UPDATE.into()),
        kind: FaultKind::ApplyThenFail { status: 500 },
    });
    let run = mock
        .run(&["apply", &file, "--yes", "--json", "--no-cache"])
        .await;
    assert_eq!(run.code, 0, "{run:?}");
    let report = run.json();
    assert!(
        report["users"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["reconciled"] == true),
        "{report}"
    );
    assert_eq!(mock.count("POST", UPDATE), 2, "never resent: one per user");

    let mock = team().await;
    let (_dir, file) = snapshot(&mock).await;
    two_updates(&file);
    mock.control().add_fault(
        Fault::error(429, "too_many_requests", "slow down")
            .on("POST", UPDATE)
            .times(5),
    );
    let run = mock.run(&["apply", &file, "--yes", "--no-cache"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.err.contains("not attempted"), "{run:?}");
    assert!(
        run.err.contains("bo@acme.test") && run.err.contains("cy@acme.test"),
        "{run:?}"
    );
    assert_eq!(
        mock.count("POST", UPDATE),
        1,
        "stopped at the first 429: {run:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn diff_compares_files_and_the_account() {
    let mock = team().await;
    let (dir, old) = snapshot(&mock).await;
    let new = dir.path().join("new.toml");
    let new = new.to_string_lossy().into_owned();
    std::fs::copy(&old, &new).unwrap();
    append(&new, "\n[users.\"dee@acme.test\"]\npreset = \"viewer\"\n");
    replace_entry(&new, "cy@acme.test", None);
    mock.control().reset_log();
    let run = mock.run(&["diff", &old, &new]).await.ok();
    assert!(
        run.out.contains("dee@acme.test") && run.out.contains("cy@acme.test"),
        "{run:?}"
    );
    assert_eq!(
        mock.control().request_log().total(),
        0,
        "two files: no request"
    );
    let run = mock
        .run(&["diff", &old, &new, "--format", "json"])
        .await
        .ok();
    run.json();
    let run = mock
        .run(&["diff", "--live", &old, "--format", "markdown", "--no-cache"])
        .await
        .ok();
    assert!(run.out.contains("bo@acme.test"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_error_names_the_line_and_a_guess_before_any_request() {
    let mock = team().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "bad.toml",
        "[users.\"bo@acme.test\"]\ngrants = { contact = [\"view\"] }\n",
    );
    let run = mock.run(&["plan", &file]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains("bad.toml:2"), "{run:?}");
    assert!(run.err.contains("contacts"), "did you mean: {run:?}");
    assert_eq!(mock.control().request_log().total(), 0);
}

/// The README's "Access as code" example runs as written, in order, in an
/// empty folder against the demo organization: each `brevo-users` line
/// exits as its `# exits N` comment says (else 0), and `cat >> FILE
/// <<'EOF'` appends its lines to FILE.
#[tokio::test(flavor = "multi_thread")]
async fn the_readme_access_as_code_section_runs_as_written() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("\n## Access as code\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("an Access as code section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a shell example");
    // As the README starts it: the demo's 27 users make the walk-through
    // cost more than the hour's 100 requests.
    let mock = mock(MockOptions {
        rate_limit: Some(1000),
        ..MockOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut lines = block.lines();
    let mut ran = 0;
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("cat >> ") {
            let file = rest.split_whitespace().next().unwrap();
            let mut text = String::new();
            for body in lines.by_ref().take_while(|l| *l != "EOF") {
                text.push_str(body);
                text.push('\n');
            }
            append(&dir.path().join(file).to_string_lossy(), &text);
            continue;
        }
        let Some(command) = line.strip_prefix("brevo-users ") else {
            continue;
        };
        let (command, comment) = command.split_once(" #").unwrap_or((command, ""));
        let expected: i32 = comment
            .trim()
            .strip_prefix("exits ")
            .and_then(|c| c.split(':').next())
            .map_or(0, |c| c.trim().parse().unwrap());
        let args: Vec<&str> = command.split_whitespace().collect();
        let run = run_binary_in(
            &mock.server.base_url(),
            mock.home.path(),
            dir.path(),
            &args,
            &[],
        )
        .await;
        assert_eq!(run.code, expected, "brevo-users {command}: {run:?}");
        ran += 1;
    }
    assert!(ran >= 9, "{block}");
    let applied = mock.control().user("new.analyst@acme.test");
    assert!(
        applied.is_some(),
        "the apply line invited the appended user"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_update_of_a_pending_invitation_suggests_cancel_and_invite_again() {
    let mock = team().await;
    let (_dir, file) = snapshot(&mock).await;
    replace_entry(
        &file,
        "new.hire@acme.test",
        Some("[users.\"new.hire@acme.test\"]\ngrants = { contacts = [\"view\", \"export\"] }\n"),
    );
    mock.control()
        .add_fault(Fault::error(400, "invalid_parameter", "User is not active").on("POST", UPDATE));
    let run = mock.run(&["apply", &file, "--yes", "--no-cache"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.err.contains("cancel it and invite again"), "{run:?}");
    assert_eq!(mock.count("POST", UPDATE), 1, "not resent: {run:?}");
}
