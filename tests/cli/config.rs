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

    let info = mock
        .run_env(&["info", "--json"], &[NO_KEY])
        .await
        .ok()
        .json();
    assert_eq!(info["config_state"], "read");
    assert_eq!(info["profile"], "main");
    assert_eq!(
        info["key_found"], false,
        "the example's `pass` is not installed here"
    );
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
    mock.run_env(&["invite", "helper@acme.test", "--preset", "support"], &env)
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

    let path = config_file(&mock, "[profiles.work]\nread_onyl = true\n");
    let run = mock
        .run_env(&["list"], &[("BREVO_USERS_CONFIG", path.as_str())])
        .await
        .ok();
    assert!(
        run.err
            .contains(&format!("{path}:2: unknown key \"read_onyl\"")),
        "{run:?}"
    );
    assert!(run.err.contains("did you mean \"read_only\""), "{run:?}");
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
