//! Bad input of every kind: a clear error naming file, pointer and line, and no file touched.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::pipeline::{build_api, ApiInput, PageInput};
use codegen_tools::workspace::{regenerate_into, SyncMode};
use pipeline_tests::{copy_tree, fixtures, repository_root, shown};

fn build_page(path: &Path) -> codegen::Result<codegen::pipeline::BuiltApi> {
    let page = PageInput {
        id: "page".into(),
        file: shown(path),
        text: fs::read_to_string(path).unwrap(),
        overlay: None,
        other_files: codegen_tools::workspace::files_on_disk(&repository_root(), Path::new("")),
    };
    build_api(&ApiInput {
        name: "api".into(),
        module_names: Default::default(),
        pages: vec![page],
        strict: true,
        tag_layout: Default::default(),
    })
}

#[test]
fn error_snapshots() {
    insta::glob!("fixtures/errors/*", |path| {
        let problems = build_page(path).expect_err("bad input must fail");
        insta::assert_snapshot!(problems.to_string());
    });
}

fn first_problem(name: &str) -> codegen::Diagnostic {
    let problems = build_page(&fixtures().join("errors").join(name)).unwrap_err();
    let first = problems.iter().next().unwrap().clone();
    first
}

#[test]
fn malformed_json_names_the_page_line() {
    let d = first_problem("malformed-json.page.md");
    assert_eq!(d.line, Some(10), "{d}");
    assert!(d.message.starts_with("malformed JSON"), "{d}");
    assert_eq!(d.file.unwrap(), Path::new("tests/fixtures/errors/malformed-json.page.md"));
}

#[test]
fn malformed_yaml_names_the_page_line() {
    let d = first_problem("malformed-yaml.page.md");
    assert!(d.message.starts_with("malformed YAML"), "{d}");
    assert!(matches!(d.line, Some(11..=13)), "{d}");
}

#[test]
fn a_page_without_spec_says_how_to_add_one() {
    let d = first_problem("no-spec.page.md");
    assert_eq!(d.message, "no OpenAPI document found in this page");
    assert!(d.help.unwrap().contains("spec = "));
}

#[test]
fn unsupported_versions_are_named_before_parsing() {
    assert_eq!(first_problem("swagger12.json").message, "unknown Swagger version \"1.2\"");
    assert_eq!(first_problem("openapi4.yaml").message, "unknown OpenAPI version \"4.0.0\"");
}

#[test]
fn a_dangling_reference_and_a_missing_file_name_where_they_are_written() {
    let problems = build_page(&fixtures().join("errors/dangling-ref.yaml")).unwrap_err();
    let found: Vec<_> = problems.iter().map(|d| (d.file.clone().unwrap(), d.pointer.clone().unwrap())).collect();
    assert_eq!(
        found,
        [(PathBuf::from("tests/fixtures/errors/dangling-ref.yaml"), "/paths/~1x/get/responses/404".to_string())]
    );
    assert!(problems.iter().next().unwrap().message.contains("cannot read `tests/fixtures/errors/other.yaml`"));
    let mut document =
        codegen::extract::parse_value(&fs::read_to_string(fixtures().join("errors/dangling-ref.yaml")).unwrap())
            .unwrap();
    document["paths"]["/x"]["get"]["responses"].as_object_mut().unwrap().remove("404");
    let strict = codegen::normalize::normalize(&mut document);
    let pointers: Vec<_> = strict.problems.iter().map(|d| d.pointer.clone().unwrap()).collect();
    assert_eq!(pointers, ["/paths/~1x/get/responses/200/content/application~1json/schema/$ref"]);
}

#[test]
fn every_unfixable_value_is_reported_in_one_run() {
    let problems = build_page(&fixtures().join("errors/unfixable-values.yaml")).unwrap_err();
    let pointers: Vec<_> = problems.iter().map(|d| d.pointer.clone().unwrap()).collect();
    assert_eq!(
        pointers,
        [
            "/paths/~1x/get/parameters/0/required",
            "/components/schemas/Name/nullable",
            "/components/schemas/Name/maxLength",
            "/components/schemas/Obj/required",
            "/components/schemas/Level/enum/1",
        ]
    );
}

#[test]
fn a_value_openapi_does_not_allow_is_located_by_pointer() {
    let d = first_problem("not-openapi.yaml");
    assert_eq!(d.pointer.as_deref(), Some("/paths/~1x/get/parameters/0"), "{d}");
}

fn snapshot_of_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push((path.strip_prefix(root).unwrap().display().to_string(), fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn bad_input_leaves_the_generated_files_untouched() {
    let temp = tempfile::tempdir().unwrap();
    let specs = temp.path().join("specs");
    let out = temp.path().join("generated-client");
    copy_tree(&repository_root().join("specs"), &specs);
    copy_tree(&repository_root().join("generated-client"), &out);
    let page = specs.join("supermetrics/create-login-link.page.md");
    let broken = fs::read_to_string(&page).unwrap().replace("\"maxLength\": \"50\"", "\"maxLength\": \"fifty\"");
    fs::write(&page, broken).unwrap();
    let before = snapshot_of_tree(&out);

    let problems = regenerate_into(&specs, Path::new("specs"), &out, "generated-client", SyncMode::Write).unwrap_err();

    assert!(problems.to_string().contains("`maxLength` must be a non-negative integer, found \"fifty\""), "{problems}");
    assert_eq!(snapshot_of_tree(&out), before, "no file was written");
}

#[test]
fn an_overlay_action_that_matches_nothing_fails_the_run() {
    let page_path = repository_root().join("specs/supermetrics/create-login-link.page.md");
    let overlay = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/ds/login/link'].post.requestBody.content['application/json'].schema.properties.renamed_upstream\n    description: the field this fix was written for\n    remove: true\n  - target: $.info\n    update: {x-no-description: true}\n";
    let page = PageInput {
        id: "page".into(),
        file: shown(&page_path),
        text: fs::read_to_string(&page_path).unwrap(),
        overlay: Some(("specs/supermetrics/stale.overlay.yaml".into(), overlay.into())),
        other_files: Default::default(),
    };
    let problems = build_api(&ApiInput {
        name: "api".into(),
        module_names: Default::default(),
        pages: vec![page],
        strict: true,
        tag_layout: Default::default(),
    })
    .unwrap_err();
    insta::assert_snapshot!(problems.to_string());
    let messages: Vec<_> = problems.iter().map(|d| (d.pointer.clone().unwrap(), d.message.clone())).collect();
    assert!(messages[0].1.ends_with("matches nothing: the upstream page may have changed"), "{messages:?}");
    assert_eq!(messages[0].0, "/actions/0");
    assert_eq!(messages[1], ("/actions/1".to_string(), "overlay action has no description".to_string()));
}

#[test]
fn a_reference_that_leaves_the_specs_folder_is_refused_without_reading_it() {
    let d = first_problem("escaping-ref.yaml");
    assert!(d.message.contains("../../../outside/responses.yaml"), "{d}");
    assert_eq!(d.pointer.as_deref(), Some("/paths/~1x/get/responses/200"), "{d}");
    assert!(d.help.unwrap().contains("copy the file under that folder"));
}
