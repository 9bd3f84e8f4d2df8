//! House rules a reviewer should not have to check by eye: every quirk rule is exercised by a
//! fixture, generated files say so, no placeholder reaches `main`, and the pipeline's stages
//! import only the stages before them (so there is no import cycle).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pipeline_tests::repository_root;

/// Every file under `dir` with extension `ext`, sorted.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The source without comment lines and without its `#[cfg(test)]` module (which may import
/// anything).
fn code_of(source: &str) -> String {
    let source = source.split("#[cfg(test)]\nmod tests").next().unwrap_or(source);
    source.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// `report::Rule`'s variants with their report names (kebab-case unless renamed), read from
/// the enum's source so a new rule cannot be forgotten here.
fn rules() -> Vec<(String, String)> {
    let source = read(&repository_root().join("codegen/src/report.rs"));
    let body = source.split("pub enum Rule {").nth(1).unwrap().split("\n}\n").next().unwrap();
    let mut renamed = None;
    let mut out = Vec::new();
    for line in body.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("#[serde(rename = \"") {
            renamed = rest.split('"').next().map(str::to_string);
        } else if let Some(variant) = line.strip_suffix(',').filter(|v| v.starts_with(char::is_uppercase)) {
            let kebab = variant.chars().enumerate().fold(String::new(), |mut out, (i, c)| {
                if c.is_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
                out
            });
            out.push((variant.to_string(), renamed.take().unwrap_or(kebab)));
        }
    }
    out
}

#[test]
fn every_quirk_rule_is_exercised_by_a_fixture() {
    let root = repository_root();
    let rules = rules();
    assert!(rules.len() > 40, "the Rule enum was not read: {rules:?}");
    // Reports and snapshots record a rule as `rule: name`; tests assert on `Rule::Variant`.
    let mut evidence = String::new();
    for dir in
        ["tests/snapshots", "generated-client/openapi", "tests/fixture-clients/openapi", "tests/acme-client/openapi"]
    {
        for ext in ["snap", "yaml"] {
            files(&root.join(dir), ext).iter().for_each(|f| evidence.push_str(&read(f)));
        }
    }
    for test in files(&root.join("tests"), "rs").iter().filter(|f| !f.components().any(|c| c.as_os_str() == "src")) {
        evidence.push_str(&read(test));
    }
    let unexercised: Vec<&str> = rules
        .iter()
        .filter(|(variant, name)| {
            !evidence.contains(&format!("rule: {name}\n")) && !evidence.contains(&format!("Rule::{variant}"))
        })
        .map(|(_, name)| name.as_str())
        .collect();
    assert!(unexercised.is_empty(), "rules no fixture or test exercises: {unexercised:?}");
}

/// Rules that take more than one file to show (pages, or a page and its overlay), with the
/// folder whose files show them.
const SHOWN_TOGETHER: &[(&str, &str)] = &[
    ("component-deduplicated", "tests/fixtures/merge"),
    ("component-renamed", "tests/fixtures/merge"),
    ("servers-moved-to-paths", "tests/fixtures/merge"),
    ("page-field-ignored", "tests/fixtures/merge"),
    ("overlay-action", "specs/supermetrics"),
];

#[test]
fn every_quirk_rule_has_a_fixture_named_after_it() {
    let root = repository_root();
    let mut named = std::collections::BTreeSet::new();
    let mut folders = vec![root.join("tests/fixtures")];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            named.insert(name.split('.').next().unwrap_or_default().to_string());
            if path.is_dir() {
                folders.push(path);
            }
        }
    }
    let mut missing = Vec::new();
    for (_, rule) in rules() {
        match SHOWN_TOGETHER.iter().find(|(shown, _)| *shown == rule) {
            Some((_, folder)) => assert!(root.join(folder).is_dir(), "{rule}: {folder} is gone"),
            None if !named.contains(&rule) => missing.push(rule),
            None => {}
        }
    }
    assert!(missing.is_empty(), "rules without a fixture named after them under tests/fixtures: {missing:?}");
}

#[test]
fn generated_files_say_they_are_generated() {
    let root = repository_root();
    let rust_header = codegen::generate::RUST_HEADER;
    let hash_header = codegen::generate::crate_files::HASH_HEADER;
    for krate in ["generated-client", "tests/fixture-clients", "tests/acme-client"] {
        let dir = root.join(krate);
        let rust = files(&dir.join("src"), "rs");
        assert!(rust.len() > 3, "{krate} has no sources");
        for file in rust {
            assert!(read(&file).starts_with(rust_header), "{} lacks the generated-file header", file.display());
        }
        let mut other = files(&dir.join("openapi"), "yaml");
        other.extend([dir.join("Cargo.toml"), dir.join("rustfmt.toml")]);
        for file in other {
            assert!(read(&file).starts_with(hash_header), "{} lacks the generated-file header", file.display());
        }
    }
}

#[test]
fn no_placeholder_reaches_main() {
    let root = repository_root();
    let mut found = Vec::new();
    for dir in ["codegen/src", "codegen/tools/src", "codegen/runtime/src", "xtask/src"] {
        for file in files(&root.join(dir), "rs") {
            let source = read(&file);
            // A file copied from an upstream crate keeps its placeholders, so an upgrade stays a
            // diff against the upstream's file; its panics are caught as the upstream's were.
            if source.lines().take(8).any(|line| line.starts_with("// Copied unchanged")) {
                continue;
            }
            let code = code_of(&source);
            for placeholder in ["todo!(", "unimplemented!(", "dbg!("] {
                if code.contains(placeholder) {
                    found.push(format!("{} uses {placeholder}", file.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// The pipeline's modules in data-flow order: each may import only those before it.
const LAYERS: [&str; 15] = [
    "model",
    "diagnostics",
    "report",
    "timing",
    "parallel",
    "extract",
    "bundle",
    "normalize",
    "overlay",
    "validate",
    "merge",
    "lower",
    "plan",
    "generate",
    "pipeline",
];

/// The top-level module a file of `codegen/src` belongs to (`7-lower/names.rs` → `lower`).
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    let first = first.trim_end_matches(".rs");
    first.split_once('-').map_or(first, |(_, name)| name).to_string()
}

#[test]
fn stages_import_only_the_stages_before_them() {
    let src = repository_root().join("codegen/src");
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files(&src, "rs") {
        let relative = file.strip_prefix(&src).unwrap();
        let module = module_of(relative);
        if module == "lib" {
            continue;
        }
        assert!(
            LAYERS.contains(&module.as_str()),
            "codegen/src/{} is in no layer: add it to LAYERS",
            relative.display()
        );
        let code = code_of(&read(&file));
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + 7..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if LAYERS.contains(&name.as_str()) && name != module {
                imports.entry(module.clone()).or_default().insert(name);
            }
        }
    }
    let layer = |name: &str| LAYERS.iter().position(|l| *l == name).unwrap();
    let backwards: Vec<String> = imports
        .iter()
        .flat_map(|(from, to)| to.iter().map(move |to| (from, to)))
        .filter(|(from, to)| layer(to) > layer(from))
        .map(|(from, to)| format!("{from} imports {to}, a later stage"))
        .collect();
    assert!(backwards.is_empty(), "{backwards:#?}\nimports: {imports:#?}");
    assert!(imports["generate"].contains("plan") && imports["pipeline"].contains("generate"), "the graph was not read");
}
