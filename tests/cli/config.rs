//! Configuration as an admin meets it: `config init` and `info` on a fresh
//! machine, profiles, their presets and read-only flag, credential sources,
//! and the key never showing up anywhere.

use super::*;

/// A key no real output would contain by chance.
const FAKE_KEY: &str = "xkeysib-FAKE-4f1b9c0d7e2a-do-not-print";

/// Runs with no `BREVO_API_KEY` at all (an empty value counts as unset).
const NO_KEY: (&str, &str) = ("BREVO_API_KEY", "");

fn config_file(mock: &Mock, text: &str) -> String {
    write_file(mock.home.path(), "config.toml", text)
}

#[tokio::test(flavor = "multi_thread")]
async fn config_init_then_info_works_on_a_fresh_machine() {
    let mock = small().await;
    let init = mock.run_env(&["config", "init"], &[NO_KEY]).await.ok();
    let written = mock.home.path().join(".config/brevo-users/config.toml");
    assert!(
        init.err.contains(&written.display().to_string()),
        "{init:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&written).unwrap(),
        include_str!("../../assets/config.example.toml")
    );

    let again = mock.run_env(&["config", "init"], &[NO_KEY]).await;
    assert_eq!(again.code, 2, "never overwrites: {again:?}");

    let mode = |p: &std::path::Path| {
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions())
            & 0o777
    };
    assert_eq!(
        (mode(&written), mode(written.parent().unwrap())),
        (0o600, 0o700)
    );

    // The file works as written: `info` right after it exits 0.
    mock.run_env(&["info"], &[NO_KEY]).await.ok();
    let info = mock
        .run_env(&["info", "--json"], &[NO_KEY])
        .await
        .ok()
        .json();
    assert_eq!(info["config_state"], "read");
    assert_eq!(info["profile"], "main");
    assert_eq!(
        info["key_found"], false,
        "the example's key sources are comments"
    );
    assert_eq!(info["problems"], serde_json::json!([]));
    assert!(
        info["log_file"]
            .as_str()
            .unwrap()
            .ends_with(".local/state/brevo-users/brevo-users.log")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_brings_its_presets_and_its_read_only_flag() {
    let mock = small().await;
    let path = config_file(
        &mock,
        "default_profile = \"work\"\n\
         [profiles.work.presets.support]\nname = \"Support\"\ngrants = { conversations = [\"access\", \"assign\"] }\n\
         [profiles.audit]\nread_only = true\n",
    );
    let env = [("BREVO_USERS_CONFIG", path.as_str())];
    mock.run_env(
        &[
            "invite",
            "helper@acme.test",
            "--preset",
            "support",
            "--allow-billing",
        ],
        &env,
    )
    .await
    .ok();
    let invited = mock
        .control()
        .user("helper@acme.test")
        .expect("invited with the profile's preset");
    assert!(
        invited.privileges.contains_key("conversations"),
        "{invited:?}"
    );

    let refused = mock
        .run_env(
            &["--profile", "audit", "revoke", "ops@acme.test", "--yes"],
            &env,
        )
        .await;
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.err.contains("read-only"), "{refused:?}");
    assert!(mock.control().user("ops@acme.test").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn configuration_mistakes_name_the_file_and_the_line() {
    let mock = small().await;
    let path = config_file(
        &mock,
        "theme = \"mono\"\n[profiles.work]\nread_only = \"yes\"\n",
    );
    let run = mock
        .run_env(&["list"], &[("BREVO_USERS_CONFIG", path.as_str())])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains(&format!("{path}:3:")), "{run:?}");

    // A typo in a profile must never leave it writable: an error, not a
    // warning, and nothing is sent.
    for typo in ["read_onyl", "read-only", "readonly", "readOnly"] {
        let path = config_file(&mock, &format!("[profiles.work]\n{typo} = true\n"));
        let env = [
            ("BREVO_USERS_CONFIG", path.as_str()),
            ("BREVO_USERS_PROFILE", "work"),
        ];
        let run = mock
            .run_env(&["revoke", "ops@acme.test", "--yes"], &env)
            .await;
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.err
                .contains(&format!("error: {path}:2: unknown key \"{typo}\"")),
            "{run:?}"
        );
        assert!(run.err.contains("did you mean \"read_only\""), "{run:?}");
        let info = mock.run_env(&["info"], &env).await;
        assert_eq!(info.code, 2, "info reports the error and fails: {info:?}");
    }
    assert!(mock.control().user("ops@acme.test").is_some());
    assert_eq!(mock.changes_sent(), 0);

    // Unknown top-level keys stay warnings.
    let path = config_file(&mock, "them = \"mono\"\n");
    let run = mock
        .run_env(&["list"], &[("BREVO_USERS_CONFIG", path.as_str())])
        .await
        .ok();
    assert!(
        run.err.contains("warning:") && run.err.contains("did you mean \"theme\""),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_config_file_others_can_change_is_refused() {
    let mock = small().await;
    let path = config_file(&mock, "[profiles.work]\nread_only = true\n");
    let env = [
        ("BREVO_USERS_CONFIG", path.as_str()),
        ("BREVO_USERS_PROFILE", "work"),
    ];
    for mode in [0o664, 0o666] {
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(mode))
            .unwrap();
        for args in [&["list"][..], &["info"]] {
            let run = mock.run_env(args, &env).await;
            assert_eq!(run.code, 2, "{run:?}");
            assert!(
                run.err.contains("group or others")
                    && run.err.contains(&format!("chmod go-w {path}")),
                "{run:?}"
            );
        }
    }
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    mock.run_env(&["list"], &env).await.ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn info_runs_no_key_command_unless_asked_and_a_string_command_is_split_into_words() {
    let mock = small().await;
    let marker = mock.home.path().join("ran");
    let key_path = write_file(mock.home.path(), "the key", "test\n");
    // A string, split into words without a shell: the quoted path is one word.
    let path = config_file(
        &mock,
        &format!(
            "[profiles.work]\napi_key_command = \"sh -c 'touch \\\"$0\\\"; cat \\\"$1\\\"' '{}' '{key_path}'\"\n",
            marker.display()
        ),
    );
    let env = [
        NO_KEY,
        ("BREVO_USERS_CONFIG", path.as_str()),
        ("BREVO_USERS_PROFILE", "work"),
    ];
    let info = mock.run_env(&["info"], &env).await.ok();
    assert!(
        info.out
            .contains("would come from the profile's api_key_command (sh)")
            && info.out.contains("--check-key"),
        "{info:?}"
    );
    let json = mock.run_env(&["info", "--json"], &env).await.ok().json();
    assert_eq!(
        (json["key_found"].clone(), json["key_checked"].clone()),
        (false.into(), false.into())
    );
    assert!(!marker.exists(), "info ran the key command");

    let checked = mock.run_env(&["info", "--check-key"], &env).await.ok();
    assert!(
        checked
            .out
            .contains("found, from the profile's api_key_command (sh)"),
        "{checked:?}"
    );
    assert!(marker.exists(), "--check-key runs it");
    mock.run_env(&["list"], &env).await.ok();

    let path = config_file(&mock, "[profiles.work]\napi_key_command = true\n");
    let env = [
        NO_KEY,
        ("BREVO_USERS_CONFIG", path.as_str()),
        ("BREVO_USERS_PROFILE", "work"),
    ];
    let run = mock.run_env(&["list"], &env).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.err
            .contains(":2: api_key_command is a program and its arguments")
            && run
                .err
                .contains("(api_key_command = \"pass show brevo/main\")")
            && !run.err.contains("invalid type"),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relative_key_file_is_next_to_the_config_file_and_a_fifo_is_refused() {
    let mock = small().await;
    let folder = mock.home.path().join("team");
    std::fs::create_dir(&folder).unwrap();
    let key = write_file(&folder, "brevo.key", "test\n");
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let path = write_file(
        &folder,
        "config.toml",
        "[profiles.work]\napi_key_file = \"brevo.key\"\n",
    );
    let env = [
        NO_KEY,
        ("BREVO_USERS_CONFIG", path.as_str()),
        ("BREVO_USERS_PROFILE", "work"),
    ];
    // The binary runs in the crate's folder, not in the config's.
    let info = mock.run_env(&["info"], &env).await.ok();
    assert!(
        info.out.contains(&format!("api_key_file ({key})")),
        "{info:?}"
    );
    mock.run_env(&["list"], &env).await.ok();

    std::fs::remove_file(&key).unwrap();
    let c_key = std::ffi::CString::new(key.as_str()).unwrap();
    // SAFETY: a valid, NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_key.as_ptr(), 0o600) }, 0);
    let run = mock.run_env(&["list"], &env).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.err.contains("FIFO (a named pipe), not a regular file"),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_url_with_a_password_is_refused_and_never_printed() {
    let mock = small().await;
    let url = "https://admin:hunter2-pw@api.brevo.com/v3";
    for args in [&["info"][..], &["info", "--json"], &["list"]] {
        let run = mock.run_env(args, &[("BREVO_API_URL", url)]).await;
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            !run.out.contains("hunter2") && !run.err.contains("hunter2"),
            "{run:?}"
        );
        assert!(
            (run.out.clone() + &run.err).contains("user name or password"),
            "{run:?}"
        );
    }
    let path = config_file(&mock, &format!("[profiles.work]\napi_url = \"{url}\"\n"));
    let env = [
        ("BREVO_USERS_CONFIG", path.as_str()),
        ("BREVO_USERS_PROFILE", "work"),
    ];
    let run = mock.run_env(&["info"], &env).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        !run.out.contains("hunter2") && !run.err.contains("hunter2"),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_log_is_private_to_its_owner() {
    let mock = small().await;
    mock.run_env(&["list"], &[("BREVO_USERS_LOG", "debug")])
        .await
        .ok();
    let log = mock
        .home
        .path()
        .join(".local/state/brevo-users/brevo-users.log");
    let mode = |p: &std::path::Path| {
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions())
            & 0o777
    };
    assert_eq!((mode(&log), mode(log.parent().unwrap())), (0o600, 0o700));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_comes_from_the_profile_when_the_environment_has_none() {
    let mock = small().await;
    let key_path = write_file(mock.home.path(), "brevo.key", &format!("{FAKE_KEY}\n"));
    let path = config_file(
        &mock,
        &format!("[profiles.work]\napi_key_file = \"{key_path}\"\n"),
    );
    let env = [
        NO_KEY,
        ("BREVO_USERS_CONFIG", path.as_str()),
        ("BREVO_USERS_PROFILE", "work"),
    ];

    std::fs::set_permissions(
        &key_path,
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let refused = mock.run_env(&["list"], &env).await;
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.err.contains("chmod 600"), "{refused:?}");

    std::fs::set_permissions(
        &key_path,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    mock.run_env(&["list"], &env).await.ok();
    let info = mock.run_env(&["info"], &env).await.ok();
    assert!(
        info.out.contains("from the profile's api_key_file"),
        "{info:?}"
    );

    let command = config_file(
        &mock,
        &format!("[profiles.work]\napi_key_command = [\"cat\", \"{key_path}\"]\n"),
    );
    let env = [
        NO_KEY,
        ("BREVO_USERS_CONFIG", command.as_str()),
        ("BREVO_USERS_PROFILE", "work"),
    ];
    mock.run_env(&["list"], &env).await.ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_never_appears_in_any_output_or_in_the_log() {
    let mock = mock(MockOptions {
        api_key: Some(FAKE_KEY.into()),
        ..MockOptions::default()
    })
    .await;
    let env = [("BREVO_API_KEY", FAKE_KEY), ("BREVO_USERS_LOG", "trace")];
    let mut outputs = Vec::new();
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["show", "ops@acme.test", "--json"],
        &["show", "nobody@acme.test"],
        &["invite", "x@acme.test", "--grant", "contacts=view"],
        &["revoke", "claire.founder@acme.test", "--yes", "--json"],
        &["info"],
        &["info", "--json"],
    ] {
        outputs.push(mock.run_env(args, &env).await);
    }
    // A wrong key must not be echoed either.
    outputs.push(
        mock.run_env(
            &["list"],
            &[("BREVO_API_KEY", "xkeysib-WRONG-key-also-secret")],
        )
        .await,
    );
    for run in &outputs {
        assert!(
            !run.out.contains(FAKE_KEY) && !run.err.contains(FAKE_KEY),
            "{run:?}"
        );
        assert!(
            !run.out.contains("WRONG-key") && !run.err.contains("WRONG-key"),
            "{run:?}"
        );
    }
    let log_path = mock
        .home
        .path()
        .join(".local/state/brevo-users/brevo-users.log");
    let log = std::fs::read_to_string(&log_path).expect("the log was written");
    assert!(
        log.contains("api call") && log.contains("/organization/invited/users"),
        "{log}"
    );
    assert!(!log.contains(FAKE_KEY), "{log}");
}

/// The dashboard, started with no key on a pseudo-terminal, answered at its
/// key prompt with `keys`: its exit code and everything it printed.
fn answer_the_key_prompt(keys: &[u8]) -> (u32, String) {
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    use portable_pty::{CommandBuilder, PtySize, native_pty_system};

    let deadline = Duration::from_secs(30);
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let home = tempfile::tempdir().unwrap();
    let mut command = CommandBuilder::new(BIN);
    command.env_clear();
    command.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command.env("HOME", home.path());
    command.env("TERM", "xterm-256color");
    command.env("NO_COLOR", "1");
    let mut child = pty.slave.spawn_command(command).expect("starts");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("a reader");
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = output.clone();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buffer[..n]);
        }
    });
    let text = || String::from_utf8_lossy(&output.lock().unwrap()).into_owned();
    let start = Instant::now();
    while !text().contains("Brevo API key (not shown)") {
        assert!(start.elapsed() < deadline, "no prompt: {}", text());
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut writer = pty.master.take_writer().expect("a writer");
    writer.write_all(keys).unwrap();
    writer.flush().unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            panic!("the prompt did not end: {}", text());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The last bytes may still be on their way through the pty.
    let start = Instant::now();
    while !text().contains("error:") && start.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    (status.exit_code(), text())
}

#[test]
fn an_empty_key_at_the_prompt_is_an_error_line_and_exit_2_and_ctrl_d_ends_it_like_enter() {
    for keys in [&b"\r"[..], b"\x04"] {
        let (code, output) = answer_the_key_prompt(keys);
        assert_eq!(code, 2, "{keys:?}: {output}");
        assert!(
            output.contains("error: no key was typed at the prompt; nothing was sent"),
            "{keys:?}: {output}"
        );
        assert!(
            !output.contains("Location:") && !output.contains("main.rs"),
            "no crash report: {output}"
        );
    }
}
