//! The corpus runner puts each spec in one category, and no panic escapes it.

use std::fs;
use std::path::Path;

use codegen_tools::corpus::{message_shape, run};
use pipeline_tests::fixtures;

#[test]
fn each_spec_lands_in_its_category() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        path
    };
    let ok = fixtures().join("lower/server-partition.yaml");
    // A path template the generator cannot read (`/search/{q`): that operation is left out at
    // generation, the rest of the spec is generated.
    let bad_path = write(
        "bad-path.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'200': {description: ok}}\n  /search/{q:\n    get:\n      operationId: search\n      responses: {'200': {description: ok}}\n",
    );
    let files = vec![
        ok,
        bad_path,
        fixtures().join("errors/swagger12.json"),
        fixtures().join("errors/unfixable-values.yaml"),
        fixtures().join("errors/not-openapi.yaml"),
        write("broken.json", "{\"openapi\": \"3.0.0\", "),
    ];
    let results = run(&files, Path::new("/"), 2, std::time::Duration::from_secs(60), |_, _| {});
    let categories: Vec<&str> = results.iter().map(|r| r.category).collect();
    // An invalid operation costs only itself (not-openapi.yaml's one operation is left out), and
    // a keyword no rule can read only itself (unfixable-values.yaml's client is generated).
    assert_eq!(categories, ["ok", "partial", "extract", "ok", "partial", "extract"]);
    let partial = &results[1];
    assert_eq!((partial.operations_generated, partial.operations_total), (1, 2));
    assert!(partial.skipped[0].contains("GET /search/{q"), "{:?}", partial.skipped);
    assert_eq!(message_shape(&partial.skipped[0]), "invalid operation path unterminated parameter");
    let summary = codegen_tools::corpus::summarize(&results);
    assert_eq!((summary.specs, summary.with_client, summary.generated), (6, 4, 5));
    let left_out = &results[4];
    assert_eq!((left_out.operations_generated, left_out.operations_total), (0, 1), "counted, not dropped");
    assert!(
        left_out.skipped[0].starts_with("/paths/~1x/get left out of the client: the operation is invalid"),
        "{:?}",
        left_out.skipped
    );
    assert_eq!(results[2].operations_total, 0, "a version this tool does not read");
    assert_eq!(summary.reasons.iter().find(|(k, _)| k.0 == "skipped operation").map(|(_, n)| *n), Some(1));
}

/// Corpus notes are the generate stage's warnings that name no operation, so every warning
/// the generate stage raises must say it came from there.
#[test]
fn warnings_of_the_generate_stage_name_it() {
    // A path template the generator cannot read: the operation is left out at generation.
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /search/{q:\n    get:\n      operationId: search\n      responses: {'200': {description: ok}}\n";
    let page = codegen::pipeline::PageInput {
        id: "spec".into(),
        file: "spec.yaml".into(),
        text: text.into(),
        ..Default::default()
    };
    let input = codegen::pipeline::ApiInput {
        name: "spec".into(),
        module_names: Default::default(),
        pages: vec![page],
        strict: false,
        tag_layout: Default::default(),
    };
    let api = codegen::pipeline::build_api(&input).unwrap();
    let found: Vec<(Option<&str>, Option<&str>)> =
        api.warnings.iter().map(|d| (d.pointer.as_deref(), d.stage)).collect();
    assert_eq!(found, [(Some("/paths/~1search~1{q/get"), Some("generate"))]);
}
