//! What a person editing the file sees when it is wrong: every error with
//! its line (and column), one sentence, and the nearest valid name.

use super::presets;
use crate::access::file::{Desired, FileError, parse};

fn errors(text: &str) -> Vec<FileError> {
    parse(text, &presets()).expect_err("the file is refused")
}

fn one(text: &str) -> FileError {
    let mut all = errors(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

#[test]
fn the_issue_example_reads_sorted_with_its_lines() {
    let text = r#"# access.toml — the users of account ops@acme.test
account = "ops@acme.test"
[users."deputy@acme.test"]
all_features = true
[users."ana.garcia@acme.test"]
preset = "Viewer"
[users."bo.lindqvist@acme.test"]
grants = { contacts = ["view", "import"], email_campaigns = ["create_edit_delete"] }
"#;
    let file = parse(text, &presets()).expect("accepted");
    assert_eq!(file.account.as_deref(), Some("ops@acme.test"));
    let emails: Vec<(&str, usize)> = file
        .users
        .iter()
        .map(|e| (e.email.as_str(), e.line))
        .collect();
    assert_eq!(
        emails,
        vec![
            ("ana.garcia@acme.test", 5),
            ("bo.lindqvist@acme.test", 7),
            ("deputy@acme.test", 3)
        ]
    );
    assert_eq!(file.users[0].desired, Desired::Preset("viewer".into()));
    assert_eq!(file.users[2].desired, Desired::AllFeatures);
    let Desired::Grants(grants) = &file.users[1].desired else {
        panic!("grants expected");
    };
    assert!(grants.contains("contacts", "import"));
    assert_eq!(grants.len(), 3);
}

#[test]
fn an_unknown_top_level_key_names_the_nearest_one() {
    let error = one("acount = \"ops@acme.test\"\n");
    assert_eq!((error.line, error.column), (1, 1));
    assert_eq!(error.suggestion.as_deref(), Some("account"));
    assert_eq!(
        error.located("access.toml"),
        "access.toml:1:1: unknown key \"acount\": the file holds account and [users.\"…\"] tables (did you mean \"account\"?)"
    );
}

#[test]
fn an_unknown_user_key_is_an_error_with_a_guess() {
    let error = one("[users.\"a@acme.test\"]\npreset = \"viewer\"\nal_features = true\n");
    assert_eq!(error.line, 3);
    assert_eq!(error.suggestion.as_deref(), Some("all_features"));
    assert!(
        error.message.contains("unknown key \"al_features\""),
        "{error}"
    );
}

#[test]
fn a_misspelt_feature_is_located_to_the_column() {
    let error = one("[users.\"a@acme.test\"]\ngrants = { contact = [\"view\"] }\n");
    assert_eq!((error.line, error.column), (2, 12));
    assert_eq!(error.message, "unknown feature \"contact\"");
    assert_eq!(error.suggestion.as_deref(), Some("contacts"));
}

#[test]
fn a_misspelt_permission_gets_the_features_nearest_one() {
    let error = one("[users.\"a@acme.test\"]\ngrants.contacts = [\"view\", \"imprt\"]\n");
    assert_eq!((error.line, error.column), (2, 28));
    assert_eq!(error.message, "unknown permission \"imprt\" for contacts");
    assert_eq!(error.suggestion.as_deref(), Some("import"));
}

#[test]
fn a_permission_of_another_feature_does_not_fit() {
    let error = one("[users.\"a@acme.test\"]\ngrants.contacts = [\"send_schedule_suspend\"]\n");
    assert_eq!(error.line, 2);
    assert!(
        error
            .message
            .starts_with("\"send_schedule_suspend\" does not apply to contacts (it takes: view,"),
        "{error}"
    );
}

#[test]
fn two_of_preset_grants_and_all_features_are_refused_at_the_users_line() {
    let error = one(
        "account = \"o@acme.test\"\n\n[users.\"a@acme.test\"]\npreset = \"viewer\"\nall_features = true\n",
    );
    assert_eq!(error.line, 3);
    assert!(error.message.contains("more than one of"), "{error}");
    let error = one("[users.\"a@acme.test\"]\n");
    assert!(error.message.contains("gives none of"), "{error}");
}

#[test]
fn an_unknown_preset_suggests_the_nearest() {
    let error = one("[users.\"a@acme.test\"]\npreset = \"viewr\"\n");
    assert_eq!((error.line, error.column), (2, 10));
    assert_eq!(error.suggestion.as_deref(), Some("viewer"));
}

#[test]
fn every_error_is_reported_in_line_order() {
    let all = errors(
        "[users.\"b@acme.test\"]\ngrants.phone = [\"al\"]\n[users.\"a@acme.test\"]\nprest = \"viewer\"\n",
    );
    let lines: Vec<usize> = all.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4], "{all:#?}");
}

#[test]
fn a_syntax_error_has_its_line() {
    let error = one("account = \"o@acme.test\"\n[users.\"a@acme.test\"\npreset = \"viewer\"\n");
    assert_eq!(error.line, 2, "{error}");
}

#[test]
fn the_same_email_twice_is_refused_whatever_its_case() {
    let error = one(
        "[users.\"a@acme.test\"]\npreset = \"viewer\"\n[users.\"A@Acme.test\"]\npreset = \"viewer\"\n",
    );
    assert_eq!(error.line, 3);
    assert!(error.message.contains("also on line 1"), "{error}");
}

#[test]
fn values_brevo_sent_are_accepted_only_under_unrecognised() {
    let file = parse(
        "[users.\"a@acme.test\"]\ngrants = {}\nunrecognised.meetings = [\"all\"]\nunrecognised.contacts = [\"teleport\"]\n",
        &presets(),
    )
    .expect("accepted");
    assert!(file.users[0].unrecognised.contains("meetings", "all"));
    assert_eq!(file.users[0].desired, Desired::Grants(Default::default()));
    let error = one("[users.\"a@acme.test\"]\ngrants = {}\nunrecognised.contacts = [\"view\"]\n");
    assert_eq!(error.line, 3);
    assert!(error.message.contains("write it under grants"), "{error}");
    let error = one("[users.\"a@acme.test\"]\ngrants.meetings = [\"all\"]\n");
    assert_eq!(error.message, "unknown feature \"meetings\"");
}

#[test]
fn none_alone_means_no_access_and_aliases_are_normalised() {
    let file = parse(
        "[users.\"a@acme.test\"]\ngrants = { phone = [\"none\"], companies = [\"manage_other_companies\"] }\n",
        &presets(),
    )
    .expect("accepted");
    let Desired::Grants(grants) = &file.users[0].desired else {
        panic!("grants expected");
    };
    assert!(grants.get("phone").is_none());
    assert!(grants.contains("companies", "manage_others_companies"));
    let error = one("[users.\"a@acme.test\"]\ngrants.phone = [\"none\", \"all\"]\n");
    assert!(error.message.contains("\"none\" with other"), "{error}");
}
