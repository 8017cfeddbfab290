//! The shape of the code, checked like behaviour: no two files under `src/`
//! lean on each other (directly or around a loop), the core imports nothing
//! above it, views import nothing from `update`, and no code file grows past
//! 400 lines. A newcomer can then read any file knowing only what it names.
//!
//! The reader is deliberately simple: it follows `use` statements and inline
//! `crate::`/`super::`/`self::` paths, resolving re-exports of `mod.rs`
//! files, and ignores comments. It does not need to understand all of Rust,
//! only the way this repository writes paths.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Files that may be longer: tests, and data tables kept in a file of their own.
const LONG_FILES_ALLOWED: &[&str] = &[];
const MAX_LINES: usize = 400;

struct Source {
    /// Module path: `["tui", "update", "changes"]`.
    module: Vec<String>,
    /// Path relative to `src/`.
    file: String,
    /// The code with comments removed.
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .into_owned();
            // The binary is its own crate: it names the library as `brevo_users::`.
            if relative == "main.rs" {
                return None;
            }
            let text = fs::read_to_string(&path).ok()?;
            Some(Source {
                module: module_of(&relative),
                file: relative,
                code: without_test_modules(&without_comments(&text)),
            })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_of(relative: &str) -> Vec<String> {
    let trimmed = relative.trim_end_matches(".rs");
    let mut parts: Vec<String> = trimmed.split('/').map(str::to_owned).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_block = 0usize;
    for line in text.lines() {
        let mut rest = line;
        let mut kept = String::new();
        while !rest.is_empty() {
            if in_block > 0 {
                match rest.find("*/") {
                    Some(end) => {
                        in_block -= 1;
                        rest = &rest[end + 2..];
                    }
                    None => rest = "",
                }
            } else if let Some(start) = rest.find("/*").filter(|s| !rest[..*s].contains("//")) {
                kept.push_str(&rest[..start]);
                in_block += 1;
                rest = &rest[start + 2..];
            } else {
                let end = rest.find("//").unwrap_or(rest.len());
                kept.push_str(&rest[..end]);
                rest = "";
            }
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// Inline `#[cfg(test)] mod tests { … }` blocks are dropped: their
/// `super::` is the file itself, and tests are not part of the shape.
fn without_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        let after = &rest[at + "#[cfg(test)]".len()..];
        let declared = after.trim_start();
        let declared = declared
            .strip_prefix("pub(crate) ")
            .or_else(|| declared.strip_prefix("pub "))
            .unwrap_or(declared);
        let is_inline_mod = declared.starts_with("mod ")
            && after
                .find('{')
                .is_some_and(|b| after.find(';').is_none_or(|s| b < s));
        out.push_str(&rest[..at]);
        if !is_inline_mod {
            out.push_str("#[cfg(test)]");
            rest = after;
            continue;
        }
        let open = after.find('{').unwrap_or(0);
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Every path a file names: the leaves of its `use` trees and its inline
/// `crate::`/`super::`/`self::` paths, as segment lists.
fn named_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut statement: Option<String> = None;
    for line in code.lines() {
        let trimmed = line.trim();
        if statement.is_none() {
            let tree = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
                .iter()
                .find_map(|start| trimmed.strip_prefix(start));
            statement = tree.map(str::to_owned);
        } else if let Some(open) = statement.as_mut() {
            open.push_str(trimmed);
        }
        if let Some(tree) = statement.take_if(|s| s.contains(';')) {
            let tree = tree.split(';').next().unwrap_or_default();
            expand(tree, &[], &mut paths);
        }
    }
    // Inline paths anywhere (use statements included: harmless duplicates).
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(start) {
            let at = from + found;
            from = at + start.len();
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let segments: Vec<String> = code[at..]
                .split("::")
                .map(|s| {
                    s.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .take_while(|s| !s.is_empty())
                .collect();
            if segments.len() > 1 {
                paths.push(segments);
            }
        }
    }
    paths
}

fn expand(tree: &str, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = segments(&tree[..open]);
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut base = prefix.to_vec();
        base.extend(head);
        for part in split_top_level(inner) {
            expand(part, &base, out);
        }
        return;
    }
    let tree = tree.split(" as ").next().unwrap_or(tree);
    let mut path = prefix.to_vec();
    path.extend(segments(tree));
    if path.last().is_some_and(|s| s == "self") {
        path.pop();
    }
    if !path.is_empty() {
        out.push(path);
    }
}

fn segments(text: &str) -> Vec<String> {
    text.split("::")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn split_top_level(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
}

struct Tree {
    files: BTreeMap<Vec<String>, usize>,
    sources: Vec<Source>,
}

impl Tree {
    fn new() -> Self {
        let sources = sources();
        let files = sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.module.clone(), i))
            .collect();
        Self { files, sources }
    }

    /// The file a path names, from the file `from`; `None` for paths
    /// outside the crate (std, other crates) and for the file itself.
    fn resolve(&self, from: usize, path: &[String], depth: usize) -> Option<usize> {
        if depth > 8 {
            return None;
        }
        let mut module = self.sources[from].module.clone();
        let mut rest = path;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                module.clear();
                rest = &rest[1..];
            }
            Some("super") => {
                while rest.first().is_some_and(|s| s == "super") {
                    module.pop();
                    rest = &rest[1..];
                }
            }
            Some("self") => rest = &rest[1..],
            // A path starting with a name: a child module, or another crate.
            Some(name) => {
                let mut child = module.clone();
                child.push(name.to_owned());
                if !self.files.contains_key(&child) {
                    return None;
                }
            }
            None => return None,
        }
        // Walk down as far as modules go.
        while let Some(next) = rest.first() {
            let mut deeper = module.clone();
            deeper.push(next.clone());
            if self.files.contains_key(&deeper) {
                module = deeper;
                rest = &rest[1..];
            } else {
                break;
            }
        }
        let target = *self.files.get(&module)?;
        // An item of a `mod.rs` (or lib.rs) may be a re-export: follow it.
        if let Some(item) = rest.first()
            && let Some(reexport) = self.reexport(target, item)
        {
            return self.resolve(target, &reexport, depth + 1);
        }
        Some(target)
    }

    fn reexport(&self, file: usize, item: &str) -> Option<Vec<String>> {
        let code = &self.sources[file].code;
        let mut paths = Vec::new();
        for line in code.split(';') {
            let trimmed = line.trim();
            if let Some(tree) = trimmed
                .strip_prefix("pub use ")
                .or_else(|| trimmed.strip_prefix("pub(crate) use "))
            {
                expand(tree, &[], &mut paths);
            }
        }
        paths
            .into_iter()
            .find(|p| p.last().is_some_and(|l| l == item))
    }

    fn edges(&self) -> BTreeMap<usize, BTreeSet<usize>> {
        let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for (i, source) in self.sources.iter().enumerate() {
            let set = edges.entry(i).or_default();
            for path in named_paths(&source.code) {
                if let Some(target) = self.resolve(i, &path, 0)
                    && target != i
                {
                    set.insert(target);
                }
            }
        }
        edges
    }
}

/// Strongly connected groups of more than one file: every loop of imports.
fn loops(edges: &BTreeMap<usize, BTreeSet<usize>>, count: usize) -> Vec<Vec<usize>> {
    // Reachability by repeated search is plenty for a few hundred files.
    let reach = |start: usize| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &next in edges.get(&node).into_iter().flatten() {
                if seen.insert(next) {
                    stack.push(next);
                }
            }
        }
        seen
    };
    let reachable: Vec<BTreeSet<usize>> = (0..count).map(reach).collect();
    let mut grouped = BTreeSet::new();
    let mut groups = Vec::new();
    for a in 0..count {
        if grouped.contains(&a) || !reachable[a].contains(&a) {
            continue;
        }
        let group: Vec<usize> = (0..count)
            .filter(|&b| reachable[a].contains(&b) && reachable[b].contains(&a))
            .collect();
        grouped.extend(group.iter().copied());
        groups.push(group);
    }
    groups
}

#[test]
fn no_two_files_import_each_other() {
    let tree = Tree::new();
    let edges = tree.edges();
    let groups = loops(&edges, tree.sources.len());
    let described: Vec<String> = groups
        .iter()
        .map(|group| {
            let names: Vec<&str> = group
                .iter()
                .map(|&i| tree.sources[i].file.as_str())
                .collect();
            // Each edge inside the loop, so the one to cut is easy to find.
            let mut inside = Vec::new();
            for &a in group {
                for &b in group {
                    if edges[&a].contains(&b) {
                        let (from, to) = (&tree.sources[a].file, &tree.sources[b].file);
                        inside.push(format!("    {from} → {to}"));
                    }
                }
            }
            format!("{}\n{}", names.join(" ↔ "), inside.join("\n"))
        })
        .collect();
    assert!(
        described.is_empty(),
        "files that import each other (directly or around a loop):\n{}",
        described.join("\n")
    );
}

fn imports_between(
    tree: &Tree,
    from: impl Fn(&str) -> bool,
    to: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut found = Vec::new();
    for (i, targets) in tree.edges() {
        let file = &tree.sources[i].file;
        if !from(file) {
            continue;
        }
        for t in targets {
            let target = &tree.sources[t].file;
            if to(target) {
                found.push(format!("{file} → {target}"));
            }
        }
    }
    found
}

#[test]
fn the_core_imports_nothing_above_it() {
    let tree = Tree::new();
    let above = [
        "tui/",
        "commands/",
        "mock/",
        "config/",
        "cli.rs",
        "connect.rs",
        "logging.rs",
    ];
    let found = imports_between(
        &tree,
        |f| f.starts_with("brevo/"),
        |t| above.iter().any(|a| t.starts_with(a)),
    );
    assert!(
        found.is_empty(),
        "the core reaches above itself:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_mock_does_not_import_the_faces() {
    let tree = Tree::new();
    let faces = ["tui/", "commands/", "config/", "cli.rs", "connect.rs"];
    let found = imports_between(
        &tree,
        |f| f.starts_with("mock/"),
        |t| faces.iter().any(|a| t.starts_with(a)),
    );
    assert!(
        found.is_empty(),
        "the mock reaches into a face:\n{}",
        found.join("\n")
    );
}

#[test]
fn views_only_draw_from_state() {
    let tree = Tree::new();
    let found = imports_between(
        &tree,
        |f| f.starts_with("tui/view/"),
        |t| t.starts_with("tui/update/"),
    );
    assert!(
        found.is_empty(),
        "views import from update:\n{}",
        found.join("\n")
    );
}

fn is_test_only(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    name == "tests.rs" || name.ends_with("_tests.rs") || file.contains("/tests/")
}

#[test]
fn no_code_file_over_400_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut long = Vec::new();
    for path in files {
        let relative = path
            .strip_prefix(&root)
            .map(|p| p.to_string_lossy().into_owned());
        let Ok(relative) = relative else { continue };
        if is_test_only(&relative) || LONG_FILES_ALLOWED.contains(&relative.as_str()) {
            continue;
        }
        let lines = fs::read_to_string(&path)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines > MAX_LINES {
            long.push(format!("{relative}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "code files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// The reader itself: a loop it cannot see would make the tests above pass
/// for the wrong reason.
#[test]
fn the_reader_sees_use_trees_and_inline_paths() {
    let code = "use super::{a, b::{C, d::E}};\npub use crate::x::Y as Z;\nfn f() { crate::brevo::sanitize::sanitize(s); }\n";
    let paths = named_paths(code);
    let has = |p: &[&str]| {
        paths
            .iter()
            .any(|q| q.iter().map(String::as_str).eq(p.iter().copied()))
    };
    assert!(has(&["super", "a"]));
    assert!(has(&["super", "b", "C"]));
    assert!(has(&["super", "b", "d", "E"]));
    assert!(has(&["crate", "x", "Y"]));
    assert!(has(&["crate", "brevo", "sanitize", "sanitize"]));
    let groups = loops(
        &BTreeMap::from([
            (0, BTreeSet::from([1])),
            (1, BTreeSet::from([2])),
            (2, BTreeSet::from([0])),
            (3, BTreeSet::from([0])),
        ]),
        4,
    );
    assert_eq!(groups, vec![vec![0, 1, 2]]);
}
