//! What an admin meets after `cargo install`: `--version` naming the build,
//! the manual pages, completion scripts that complete profile names, and
//! reference output that ends quietly when the reader stops early.

use std::process::{Command, Stdio};

use super::*;

/// The binary with an empty environment but PATH and a temporary HOME.
fn binary(home: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .stdin(Stdio::null());
    command
}

fn output(mut command: Command) -> Run {
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The short commit of the checkout the tests run in, if they run in one
/// (the same rule as build.rs: the checkout's own top, not a parent's).
fn checkout_commit() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .ok()?;
        output.status.success().then_some(())?;
        Some(String::from_utf8(output.stdout).ok()?.trim().to_owned())
    };
    let top = std::path::PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    (top.canonicalize().ok()? == dir.canonicalize().ok()?).then_some(())?;
    git(&["rev-parse", "--short=7", "HEAD"])
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let home = tempfile::tempdir().unwrap();
    let mut command = binary(home.path());
    command.arg("--version");
    let run = output(command).ok();
    let version = env!("CARGO_PKG_VERSION");
    let expected = match checkout_commit() {
        Some(commit) => format!("brevo-users {version} ({commit})\n"),
        None => format!("brevo-users {version}\n"),
    };
    assert_eq!(run.out, expected, "{run:?}");
}

/// stdout is a pipe whose reader is already gone: every write fails with
/// EPIPE, as in `brevo-users completions zsh | true`.
#[test]
fn completions_and_man_end_quietly_when_the_reader_stops() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["completions", "zsh"][..],
        &["completions", "bash"],
        &["man"],
        &["man", "list"],
    ] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let mut command = binary(home.path());
        command.args(args).stdout(writer);
        let run = output(command);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert!(run.err.is_empty(), "{args:?}: {run:?}");
    }
}

fn roff_text(run: &Run) -> String {
    run.out.replace("\\-", "-")
}

#[test]
fn man_prints_the_page_with_exit_codes_environment_files_and_keys() {
    let home = tempfile::tempdir().unwrap();
    let mut command = binary(home.path());
    command.arg("man");
    let page = roff_text(&output(command).ok());
    assert!(page.contains(".TH brevo-users 1"), "{page}");
    for section in [
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        ".SH \"DASHBOARD KEYS\"",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH FILES",
    ] {
        assert!(page.contains(section), "{section}");
    }
    for name in [
        "BREVO_API_KEY",
        "BREVO_API_URL",
        "BREVO_USERS_PROFILE",
        "BREVO_USERS_CONFIG",
        "BREVO_USERS_LOG",
        "NO_COLOR",
        "~/.config/brevo-users/config.toml",
        "~/.local/state/brevo-users/brevo-users.log",
        "Ctrl-Z",
        "revoke access [",
    ] {
        assert!(page.contains(name), "{name}");
    }

    // The README's exit-code table, row by row, is the page's.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = readme
        .split("**Exit codes**")
        .nth(1)
        .expect("an exit-code table");
    let rows: Vec<(String, String)> = table
        .lines()
        .skip_while(|l| !l.starts_with("| 0 "))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            Some((cells.first()?.to_string(), cells.get(1)?.replace('`', "")))
        })
        .collect();
    assert_eq!(rows.len(), 8, "{rows:?}");
    let status = page
        .split(".SH \"EXIT STATUS\"")
        .nth(1)
        .and_then(|s| s.split(".SH").next())
        .unwrap();
    for (code, meaning) in rows {
        assert!(
            status.contains(&format!(".TP\n\\fB{code}\\fR\n{meaning}\n")),
            "{code} {meaning}\n{status}"
        );
    }
}

#[test]
fn man_dir_writes_a_page_per_command_and_unknown_commands_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("man/man1");
    let mut command = binary(home.path());
    command.arg("man").arg("--dir").arg(&dir);
    let run = output(command).ok();
    assert!(run.err.contains("pages into"), "{run:?}");
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for expected in [
        "brevo-users.1",
        "brevo-users-list.1",
        "brevo-users-mock-server.1",
        "brevo-users-config-init.1",
        "brevo-users-man.1",
    ] {
        assert!(pages.iter().any(|p| p == expected), "{expected}: {pages:?}");
    }
    assert!(!pages.iter().any(|p| p.contains("complete")), "{pages:?}");
    let list = std::fs::read_to_string(dir.join("brevo-users-list.1")).unwrap();
    assert!(list.contains("EXIT STATUS") && list.contains("ENVIRONMENT"));

    let mut command = binary(home.path());
    command.args(["man", "lsit"]);
    let run = output(command);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.err.contains("no command \"lsit\""), "{run:?}");
}

const PROFILES: &str = "default_profile = \"work\"\n\
    [profiles.work]\n\
    [profiles.client-acme]\n\
    read_only = true\n\
    [profiles.client-bolt]\n";

fn home_with_profiles() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config/brevo-users");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), PROFILES).unwrap();
    home
}

#[test]
fn the_hidden_helper_lists_the_profiles_of_the_config_file() {
    let home = home_with_profiles();
    let mut command = binary(home.path());
    command.arg("__complete-profiles");
    let run = output(command).ok();
    assert_eq!(run.out, "client-acme\nclient-bolt\nwork\n", "{run:?}");

    // No file: nothing, quietly; a broken file: nothing, quietly.
    let empty = tempfile::tempdir().unwrap();
    let mut command = binary(empty.path());
    command.arg("__complete-profiles");
    let run = output(command).ok();
    assert_eq!((run.out.as_str(), run.err.as_str()), ("", ""));
    let mut command = binary(home.path());
    command
        .arg("__complete-profiles")
        .env("BREVO_USERS_CONFIG", home.path().join("missing.toml"));
    let run = output(command).ok();
    assert_eq!((run.out.as_str(), run.err.as_str()), ("", ""));

    // Never offered as a command.
    let mut command = binary(home.path());
    command.arg("--help");
    assert!(!output(command).ok().out.contains("complete-profiles"));
}

/// The bash script, sourced in a real bash with `brevo-users` on its PATH,
/// answers `brevo-users --profile cl<TAB>` with the file's profiles.
#[test]
fn bash_completes_profile_names_after_profile() {
    let home = home_with_profiles();
    let bin_dir = home.path().join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    std::os::unix::fs::symlink(BIN, bin_dir.join("brevo-users")).unwrap();
    let mut command = binary(home.path());
    command.args(["completions", "bash"]);
    let script = output(command).ok().out;
    assert!(script.contains("brevo-users __complete-profiles"));
    let script_path = write_file(home.path(), "brevo-users.bash", &script);

    let complete = |words: &str, cword: usize| {
        let probe = format!(
            "source {script_path}\n\
             COMP_WORDS=({words}); COMP_CWORD={cword}\n\
             _brevo__users_with_profiles brevo-users \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
        );
        let path = format!("{}:/usr/bin:/bin", bin_dir.display());
        let output = Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &probe])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", path)
            .output()
            .expect("bash runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert_eq!(
        complete("brevo-users --profile cl", 2),
        "client-acme\nclient-bolt\n"
    );
    assert_eq!(
        complete("brevo-users list --profile ''", 3),
        "client-acme\nclient-bolt\nwork\n"
    );
    assert_eq!(complete("brevo-users --profile = w", 3), "work\n");
    // Everything else is still clap's: options after a command complete.
    assert!(complete("brevo-users list --cs", 2).contains("--csv"));
    assert!(complete("brevo-users li", 1).contains("list"));
}

/// The README's install (`--profile dev` is `--debug`), as a debug build into a temporary root, reusing
/// this build's target directory: after `cargo test` built the binary the
/// install finds it fresh and only copies it (a few seconds). The outer
/// `cargo test` has released the target directory's lock by the time tests
/// run, so the nested cargo does not wait on it; the timeout turns a wait
/// into a failure rather than a hung CI job.
#[test]
fn cargo_install_puts_a_working_brevo_users_in_the_root() {
    let bin = Path::new(BIN);
    let profile_dir = bin.parent().expect("the profile directory");
    let target_dir = profile_dir.parent().expect("the target directory");
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "dev",
        Some(other) => other,
        None => "dev",
    };
    let root = tempfile::tempdir().unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let mut install = assert_cmd::Command::new(cargo);
    install
        .args(["install", "--locked", "--offline", "--profile", profile])
        .arg("--path")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--root")
        .arg(root.path())
        .env("CARGO_TARGET_DIR", target_dir)
        .timeout(Duration::from_secs(600));
    // What cargo set for this test process only: build scripts watch some
    // of these (ring reads CARGO_MANIFEST_DIR), and a changed value would
    // rebuild half the dependencies instead of finding them fresh.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_for_tests = ["CARGO_PKG_", "CARGO_BIN_", "CARGO_MANIFEST_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
            || [
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "OUT_DIR",
            ]
            .contains(&name.as_ref());
        if set_for_tests {
            install.env_remove(name.as_ref());
        }
    }
    let done = install.output().expect("cargo runs");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );

    let installed = root.path().join("bin/brevo-users");
    let home = tempfile::tempdir().unwrap();
    let version = |program: &Path| {
        let mut command = Command::new(program);
        command
            .env_clear()
            .env("HOME", home.path())
            .arg("--version");
        output(command).ok().out
    };
    let expected = version(bin);
    assert!(expected.starts_with("brevo-users "), "{expected}");
    assert_eq!(version(&installed), expected);
}
