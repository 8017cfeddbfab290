use super::*;

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
fn the_shipped_example_parses_without_warnings() {
    let config = parse(EXAMPLE).expect("example parses");
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
    assert_eq!(config.default_profile.as_deref(), Some("main"));
    let main = &config.profiles["main"];
    assert_eq!(
        main.api_key_command.as_deref(),
        Some(&["pass".to_owned(), "show".into(), "brevo/main".into()][..])
    );
    assert!(
        presets::find(&main.presets, "support").is_some(),
        "own preset added"
    );
    assert!(
        presets::find(&main.presets, "viewer").is_some(),
        "built-ins kept"
    );
    let staging = &config.profiles["staging"];
    assert!(staging.read_only);
    assert_eq!(
        staging.api_key_file,
        Some(PathBuf::from("/home/admin/.config/brevo-users/staging.key"))
    );
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
