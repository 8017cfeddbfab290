//! Drift between two files: who was added, removed, widened or narrowed.

use super::presets;
use crate::access::diff::{diff, json, markdown, text};
use crate::access::file::{AccessFile, parse};

fn file(text: &str) -> AccessFile {
    parse(text, &presets()).expect("valid")
}

fn quarter() -> (AccessFile, AccessFile) {
    let old = file(
        "account = \"ops@acme.test\"\n\
         [users.\"ana@acme.test\"]\npreset = \"viewer\"\n\
         [users.\"bo@acme.test\"]\ngrants.contacts = [\"view\", \"export\"]\n\
         [users.\"gone@acme.test\"]\ngrants.phone = [\"all\"]\n",
    );
    let new = file(
        "account = \"ops@acme.test\"\n\
         [users.\"ana@acme.test\"]\ngrants = { contacts = [\"view\"], push_notifications = [\"view\"], transactional_emails = [\"logs\"] }\n\
         [users.\"bo@acme.test\"]\ngrants.contacts = [\"view\", \"import\"]\n\
         [users.\"new|pipe@acme.test\"]\nall_features = true\n",
    );
    (old, new)
}

#[test]
fn a_preset_spelt_out_is_no_change_and_each_kind_of_change_is_named() {
    let (old, new) = quarter();
    let d = diff(&old, &new, &presets());
    assert_eq!(d.added.len(), 1);
    assert!(d.added[0].all_features);
    assert_eq!(d.removed[0].email, "gone@acme.test");
    assert_eq!(d.changed.len(), 1, "ana's preset equals her grants: {d:#?}");
    let bo = &d.changed[0];
    assert_eq!(
        bo.widened().map(|c| c.added.clone()).collect::<Vec<_>>(),
        vec![vec!["import".to_string()]]
    );
    assert_eq!(
        bo.narrowed().map(|c| c.removed.clone()).collect::<Vec<_>>(),
        vec![vec!["export".to_string()]]
    );
    assert!(diff(&new, &new, &presets()).is_empty());
}

#[test]
fn the_text_report_has_one_line_per_change() {
    let (old, new) = quarter();
    let report = text(&diff(&old, &new, &presets()));
    assert_eq!(
        report,
        "+ new|pipe@acme.test: all features\n\
         - gone@acme.test: removed (had Phone: All)\n\
         ~ bo@acme.test: widened contacts +import; narrowed contacts −export\n\
         1 added, 1 removed, 1 changed\n"
    );
    assert_eq!(text(&diff(&new, &new, &presets())), "No changes.\n");
}

#[test]
fn the_markdown_report_is_what_an_auditor_files() {
    let (old, new) = quarter();
    let report = markdown(&diff(&old, &new, &presets()), "2026-12-02");
    for expected in [
        "# Access review: ops@acme.test\n",
        "- Date: 2026-12-02\n- Users with access: 3\n",
        "| ana@acme.test | Contacts: View; ",
        "| new\\|pipe@acme.test | all features |\n",
        "### Added (1)\n\n- new\\|pipe@acme.test: all features\n",
        "### Removed (1)\n\n- gone@acme.test: had Phone: All\n",
        "### Widened (1)\n\n- bo@acme.test: contacts +import\n",
        "### Narrowed (1)\n\n- bo@acme.test: contacts −export\n",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in:\n{report}"
        );
    }
}

#[test]
fn the_json_report_lists_permissions_per_feature() {
    let (old, new) = quarter();
    let value = json(&diff(&old, &new, &presets()));
    assert_eq!(value["changed"][0]["email"], "bo@acme.test");
    assert_eq!(value["changed"][0]["widened"][0]["feature"], "contacts");
    assert_eq!(
        value["changed"][0]["narrowed"][0]["permissions"][0],
        "export"
    );
    assert_eq!(value["removed"][0]["grants"]["phone"][0], "all");
    assert_eq!(value["added"][0]["all_features"], true);
}
