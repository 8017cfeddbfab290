use std::path::{Path, PathBuf};

use super::*;
use crate::brevo::presets;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

fn parse(text: &str) -> Result<Config, Located> {
    Config::parse(
        text,
        Path::new("config.toml"),
        &env_of(&[("HOME", "/home/admin")]),
    )
}

#[test]
fn the_shipped_example_works_as_written_and_needs_no_key_source() {
    let config = parse(EXAMPLE).expect("example parses");
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
    assert_eq!(config.default_profile.as_deref(), Some("main"));
    let main = &config.profiles["main"];
    assert_eq!((&main.api_key_command, &main.api_key_file), (&None, &None));
    assert!(!main.read_only);
    assert!(
        presets::find(&main.presets, "support").is_some(),
        "own preset added"
    );
    assert!(
        presets::find(&main.presets, "viewer").is_some(),
        "built-ins kept"
    );
    assert_eq!(config.profiles.len(), 1, "the other examples are comments");
}

/// `# key = value` and `# [table]` lines, uncommented: every example the
/// file shows in a comment must also be right.
fn uncommented(text: &str) -> String {
    text.lines()
        .map(|line| {
            let rest = line.strip_prefix("# ").unwrap_or(line);
            let is_table = rest.starts_with('[') && rest.ends_with(']') && !rest.contains(' ');
            let is_value = rest.split_once(" = ").is_some_and(|(key, _)| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            });
            if line.starts_with("# ") && (is_table || is_value) {
                rest.to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_example_in_the_shipped_comments_is_valid_too() {
    let text = uncommented(EXAMPLE);
    let config = Config::parse(
        &text,
        Path::new("/home/admin/.config/brevo-users/config.toml"),
        &env_of(&[("HOME", "/home/admin")]),
    )
    .unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
    assert_eq!(config.keys.len(), 2);
    assert_eq!(config.log_level.as_deref(), Some("info"));
    let main = &config.profiles["main"];
    assert_eq!(
        main.api_key_command.as_deref(),
        Some(&["pass".to_owned(), "show".into(), "brevo/main".into()][..])
    );
    assert_eq!(
        main.api_key_file,
        Some(PathBuf::from("/home/admin/.config/brevo-users/main.key")),
        "relative to the file's folder"
    );
    let staging = &config.profiles["staging"];
    assert!(staging.read_only);
    assert_eq!(
        staging.api_key_command.as_deref(),
        Some(
            &[
                "op".to_owned(),
                "read".into(),
                "op://Work/Brevo staging/credential".into()
            ][..]
        )
    );
}

#[test]
fn api_key_command_takes_a_string_split_into_words_or_a_list() {
    let config = parse(
        "[profiles.a]\napi_key_command = \"op read 'op://Work/Brevo key/credential'\"\n\
         [profiles.b]\napi_key_command = [\"pass\", \"show\", \"brevo/main\"]\n",
    )
    .unwrap();
    assert_eq!(
        config.profiles["a"].api_key_command.as_deref(),
        Some(
            &[
                "op".to_owned(),
                "read".into(),
                "op://Work/Brevo key/credential".into()
            ][..]
        )
    );
    assert_eq!(
        config.profiles["b"].api_key_command.as_ref().map(Vec::len),
        Some(3)
    );
    let error = parse("[profiles.a]\n\napi_key_command = 42\n").unwrap_err();
    assert_eq!(error.line, Some(3), "{error}");
    assert!(
        error
            .message
            .contains("api_key_command = \"pass show brevo/main\"")
            && error
                .message
                .contains("api_key_command = [\"pass\", \"show\", \"brevo/main\"]")
            && !error.message.contains("invalid type"),
        "{error}"
    );
}

#[test]
fn a_relative_key_file_is_taken_from_the_config_files_folder() {
    let text = "[profiles.a]\napi_key_file = \"keys/a.key\"\n[profiles.b]\napi_key_file = \"~/b.key\"\n\
                [profiles.c]\napi_key_file = \"/etc/c.key\"\n";
    let config = Config::parse(
        text,
        Path::new("/srv/team/brevo.toml"),
        &env_of(&[("HOME", "/home/admin")]),
    )
    .unwrap();
    let file = |name: &str| config.profiles[name].api_key_file.clone().unwrap();
    assert_eq!(file("a"), PathBuf::from("/srv/team/keys/a.key"));
    assert_eq!(file("b"), PathBuf::from("/home/admin/b.key"));
    assert_eq!(file("c"), PathBuf::from("/etc/c.key"));
}

#[test]
fn an_api_url_with_a_user_or_password_is_an_error_that_does_not_show_it() {
    let error =
        parse("[profiles.a]\napi_url = \"https://admin:hunter2@api.brevo.com/v3\"\n").unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(error.message.contains("user name or password"), "{error}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

#[cfg(unix)]
#[test]
fn a_config_file_others_can_change_is_refused_and_a_private_one_read() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("c.toml");
    std::fs::write(&path, "theme = \"mono\"\n").unwrap();
    let env = env_of(&[("BREVO_USERS_CONFIG", path.to_str().unwrap())]);
    for mode in [0o664, 0o646, 0o666] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let error = Config::load(&env).unwrap_err();
        assert!(
            error.message.contains("group or others") && error.message.contains("chmod go-w"),
            "{mode:o}: {error}"
        );
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(Config::load(&env).unwrap().theme, ThemeName::Mono);
}

#[cfg(unix)]
#[test]
fn a_fifo_as_config_file_is_refused_at_once() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("c.toml");
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid, NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let env = env_of(&[("BREVO_USERS_CONFIG", path.to_str().unwrap())]);
    let (done, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(Config::load(&env).map(|_| ()).map_err(|e| e.to_string()));
    });
    let error = answer
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("answered without waiting for a writer")
        .unwrap_err();
    assert!(error.contains("FIFO"), "{error}");
}

#[test]
fn a_partial_file_keeps_the_defaults() {
    let config = parse("theme = \"mono\"\n").unwrap();
    assert_eq!(config.theme, ThemeName::Mono);
    assert!(config.profiles.is_empty() && config.keys.is_empty());
}

#[test]
fn bad_values_are_errors_with_file_and_line() {
    let cases = [
        ("theme = \"neon\"\n", 1, "theme \"neon\""),
        ("[profiles.a]\nread_only = \"yes\"\n", 2, ""),
        (
            "default_profile = \"nope\"\n[profiles.a]\n",
            1,
            "profile \"nope\" is not defined (defined: a)",
        ),
        (
            "[profiles.a]\napi_url = \"http://api.brevo.com\"\n",
            2,
            "plain http",
        ),
        (
            "[profiles.a.presets.x]\ngrants = { contacts = [\"send\"] }\n",
            1,
            "does not apply to contacts",
        ),
        ("[profiles.a]\napi_key_command = []\n", 2, "needs a program"),
        ("log_level = \"loud\"\n", 1, "log_level"),
    ];
    for (text, line, needle) in cases {
        let error = parse(text).expect_err(text);
        assert_eq!(error.line, Some(line), "{text}: {error}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("config.toml:{line}: ")),
            "{error}"
        );
        assert!(error.message.contains(needle), "{text}: {error}");
    }
}

#[test]
fn key_bindings_keep_their_lines_for_the_keymap_to_judge() {
    let config = parse("\n[keys]\nrevoke = \"D\"\n").unwrap();
    assert_eq!(
        config.keys,
        vec![KeyBinding {
            command: "revoke".into(),
            key: "D".into(),
            line: Some(3)
        }]
    );
}

#[test]
fn the_profile_flag_beats_the_environment_which_beats_the_file() {
    let config =
        parse("default_profile = \"a\"\n[profiles.a]\n[profiles.b]\n[profiles.c]\n").unwrap();
    let env = env_of(&[("BREVO_USERS_PROFILE", "b")]);
    assert_eq!(
        config
            .select_profile(Some("c"), &env)
            .unwrap()
            .map(|p| p.name.as_str()),
        Some("c")
    );
    assert_eq!(
        config
            .select_profile(None, &env)
            .unwrap()
            .map(|p| p.name.as_str()),
        Some("b")
    );
    assert_eq!(
        config
            .select_profile(None, &env_of(&[]))
            .unwrap()
            .map(|p| p.name.as_str()),
        Some("a")
    );
    assert!(
        config
            .select_profile(Some("z"), &env)
            .unwrap_err()
            .contains("defined: a, b, c")
    );
    assert!(
        Config::default()
            .select_profile(None, &env_of(&[]))
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_missing_file_is_no_error_unless_named_explicitly() {
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().to_str().unwrap();
    assert!(
        Config::load(&env_of(&[("HOME", home_path)]))
            .unwrap()
            .path
            .is_none()
    );
    let named = format!("{home_path}/missing.toml");
    let error = Config::load(&env_of(&[
        ("HOME", home_path),
        ("BREVO_USERS_CONFIG", &named),
    ]))
    .unwrap_err();
    assert!(error.to_string().contains("cannot be read"), "{error}");
}

#[cfg(unix)]
#[test]
fn init_writes_a_private_file_in_a_private_folder_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let env = env_of(&[("HOME", home.path().to_str().unwrap())]);
    let path = init(&env).expect("written");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert!(Config::load(&env).is_ok());
}

#[test]
fn init_writes_the_example_once_and_never_overwrites() {
    let home = tempfile::tempdir().unwrap();
    let env = env_of(&[("HOME", home.path().to_str().unwrap())]);
    let path = init(&env).expect("written");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), EXAMPLE);
    std::fs::write(&path, "theme = \"mono\"\n").unwrap();
    assert!(init(&env).unwrap_err().contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "theme = \"mono\"\n"
    );
    assert_eq!(Config::load(&env).unwrap().theme, ThemeName::Mono);
}
