//! The committed generated files must be what the specs produce: the same check as
//! `cargo xtask regenerate --check`, so `cargo test` catches drift too.

use std::fs;
use std::path::{Path, PathBuf};

use codegen_tools::output::{self, FileStatus};
use codegen_tools::workspace::{generate_from_pages, regenerate, regenerate_into, sync, Generated, SyncMode};
use pipeline_tests::{copy_tree, fixtures, repository_root};

fn assert_in_sync(out: &Path, generated: &Generated, command: &str) {
    let changes = sync(out, generated, SyncMode::Check).unwrap();
    if !changes.is_empty() {
        let diffs: Vec<String> = changes
            .iter()
            .map(|(path, status)| {
                format!("{status:?} {}\n{}", path.display(), output::diff(out, &generated.files, path))
            })
            .collect();
        panic!("{} differs from its sources; run `{command}` and commit.\n{}", out.display(), diffs.join("\n"));
    }
}

#[test]
fn the_committed_client_matches_the_specs() {
    let root = repository_root();
    let generated = regenerate(&root.join("specs"), Path::new("specs"), "generated-client").unwrap();
    assert_in_sync(&root.join("generated-client"), &generated, "cargo xtask regenerate");
}

#[test]
fn the_committed_fixture_clients_match_their_specs() {
    let root = repository_root();
    let specs = Path::new("tests/fixtures/compile");
    let generated = regenerate(&root.join(specs), specs, "fixture-clients").unwrap();
    assert_in_sync(&root.join("tests/fixture-clients"), &generated, "cargo xtask regenerate");
}

fn acme_pages() -> Vec<PathBuf> {
    ["list-items", "create-item", "warehouses"]
        .iter()
        .map(|p| fixtures().join("acme").join(format!("{p}.page.md")))
        .map(|p| p.strip_prefix(repository_root()).unwrap().to_path_buf())
        .collect()
}

#[test]
fn the_committed_sample_crate_matches_its_pages() {
    let root = repository_root();
    let generated = generate_from_pages("acme-client", &root, &acme_pages(), true, None).unwrap();
    assert_in_sync(
        &root.join("tests/acme-client"),
        &generated,
        "cargo xtask generate --name acme-client --out tests/acme-client tests/fixtures/acme/list-items.page.md tests/fixtures/acme/create-item.page.md tests/fixtures/acme/warehouses.page.md",
    );
}

#[test]
fn a_changed_limit_in_a_page_fails_the_check_with_a_diff_naming_the_field() {
    let root = repository_root();
    let temp = tempfile::tempdir().unwrap();
    let specs = temp.path().join("specs");
    copy_tree(&root.join("specs"), &specs);
    let page = specs.join("supermetrics/create-login-link.page.md");
    let text = fs::read_to_string(&page).unwrap();
    // The first `"maxLength": "50"` of the page is the request body's `ds_id`.
    fs::write(&page, text.replacen("\"maxLength\": \"50\"", "\"maxLength\": \"60\"", 1)).unwrap();

    let out = root.join("generated-client");
    let (generated, changes) =
        regenerate_into(&specs, Path::new("specs"), &out, "generated-client", SyncMode::Check).unwrap();

    let changed: Vec<&Path> = changes
        .iter()
        .map(|(p, s)| {
            assert_eq!(*s, FileStatus::Updated);
            p.as_path()
        })
        .collect();
    assert!(changed.contains(&Path::new("openapi/supermetrics.yaml")), "{changed:?}");
    assert!(changed.contains(&Path::new("src/supermetrics/management.rs")), "{changed:?}");
    let diff = output::diff(&out, &generated.files, Path::new("openapi/supermetrics.yaml"));
    // Indentation is YAML's business; compare the words of each diff line.
    let lines: Vec<String> = diff.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    let removed = lines.iter().position(|l| l == "- maxLength: 50").expect(&diff);
    assert_eq!(lines[removed + 1], "+ maxLength: 60", "{diff}");
    assert!(diff.contains("ds_id:"), "the diff's context names the field:\n{diff}");
}
