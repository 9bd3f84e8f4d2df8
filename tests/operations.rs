//! The shape canary: the generate stage drives typify itself and post-processes its output, so
//! a typify or progenitor upgrade must fail here, by name, rather than silently change a client.
//!
//! - The `types` module typify gives us is the one progenitor 0.15 generates for the same
//!   document, on every fixture (the names and order of `add_type_with_name` are progenitor's).
//! - Every named pass over typify's output fires on the fixtures: a pass whose pattern no
//!   longer matches typify's output stops firing, and is named.

use std::fs;

use codegen::generate::item_fixes::canary::{passes_fired, Pass};
use codegen::lower::lower;
use codegen::normalize::normalize;
use pipeline_tests::{fixtures, load, repository_root};

/// The documents progenitor is given for every lowering and compile fixture.
fn documents() -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for dir in ["lower", "compile"] {
        let mut paths: Vec<_> = fs::read_dir(fixtures().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.to_string_lossy().ends_with(".overlay.yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let mut document = load(&path);
            let normalized = normalize(&mut document);
            assert!(!normalized.problems.has_errors(), "{}: {}", path.display(), normalized.problems);
            for group in lower(&document, &Default::default()).groups {
                let (_, mut clean) = codegen::plan::plan(&group);
                without_streams(&mut clean);
                out.push((format!("{} {:?}", path.display(), group.module), clean));
            }
        }
    }
    out
}

/// `document` without the streamed media types of its responses: their item types are ours
/// (`<Operation>Event`), progenitor reads no streams.
fn without_streams(document: &mut serde_json::Value) {
    let paths = document.get_mut("paths").and_then(|p| p.as_object_mut()).into_iter().flatten();
    for (_, item) in paths {
        for (_, operation) in item.as_object_mut().into_iter().flatten() {
            let responses = operation.get_mut("responses").and_then(|r| r.as_object_mut()).into_iter().flatten();
            for (_, response) in responses {
                if let Some(content) = response.get_mut("content").and_then(|c| c.as_object_mut()) {
                    content.retain(|media, _| codegen::model::streams::stream_kind(media).is_none());
                }
            }
        }
    }
}

/// The contents of progenitor's `pub mod types { … }`.
fn progenitors_types(spec: &openapiv3::OpenAPI) -> String {
    let mut generator = progenitor_impl::Generator::new(&codegen::generate::settings());
    let tokens: Vec<proc_macro2::TokenTree> = generator.generate_tokens(spec).unwrap().into_iter().collect();
    let at = tokens
        .windows(3)
        .position(|w| w[0].to_string() == "mod" && w[1].to_string() == "types")
        .expect("progenitor's output has a types module");
    match &tokens[at + 2] {
        proc_macro2::TokenTree::Group(group) => group.stream().to_string(),
        other => panic!("`mod types` is followed by {other}"),
    }
}

#[test]
fn the_types_typify_gives_us_are_the_ones_progenitor_generates() {
    let documents = documents();
    assert!(documents.len() >= 30, "{} documents", documents.len());
    let mut compared = 0;
    for (name, document) in documents {
        let spec: openapiv3::OpenAPI = serde_json::from_value(document).unwrap();
        let ours = codegen::generate::operations::typed::resolve(&spec).unwrap();
        assert_eq!(ours.space.to_stream().to_string(), progenitors_types(&spec), "{name}");
        compared += ours.operations.len();
    }
    assert!(compared >= 50, "{compared} operations compared");
}

#[test]
fn every_pass_over_typifys_output_fires_on_the_fixtures() {
    let shown = repository_root();
    for (dir, package) in [("tests/fixtures/compile", "fixture-clients"), ("specs", "generated-client")] {
        codegen_tools::workspace::regenerate(&repository_root().join(dir), &shown, package).unwrap();
    }
    let fired = passes_fired();
    let silent: Vec<Pass> = Pass::ALL.into_iter().filter(|pass| !fired.contains(pass)).collect();
    assert!(silent.is_empty(), "passes that no longer fire on typify's output: {silent:?}");
}
