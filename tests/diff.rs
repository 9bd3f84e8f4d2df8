//! The semantic diff: one fixture pair per kind of change with its expected classification,
//! and end to end: a seed page changed upstream, fetched from loopback, regenerated and diffed.

use std::fs;
use std::path::Path;
use std::time::Duration;

use codegen_tools::diff::{diff_specs, render, Impact};
use codegen_tools::fetch::{fetch, FetchOptions, PageOutcome};
use codegen_tools::workspace::{diff, regenerate, DiffBase};
use pipeline_tests::{copy_tree, fixtures, repository_root};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn every_kind_of_change_is_classified_as_expected() {
    let mut checked = 0;
    for entry in fs::read_dir(fixtures().join("diff")).unwrap() {
        let file = entry.unwrap().path();
        let case: Value = serde_yaml_ng::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
        let mut expected: Vec<(String, String)> = case["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["rule"].as_str().unwrap().to_string(), e["impact"].as_str().unwrap().to_string()))
            .collect();
        let mut found: Vec<(String, String)> = diff_specs("pets", &case["old"], &case["new"])
            .iter()
            .map(|c| (c.rule.to_string(), serde_json::to_value(c.impact).unwrap().as_str().unwrap().to_string()))
            .collect();
        expected.sort();
        found.sort();
        assert_eq!(found, expected, "{}", file.display());
        checked += 1;
    }
    assert_eq!(checked, 34);
}

/// Serves `page` (changed by `edit`) where the manifest's source for it points, fetches every
/// page into a copy of specs/, and diffs the regenerated API against the committed normalized spec.
async fn fetch_edit_and_diff(
    page: &str,
    route: &str,
    edit: impl Fn(String) -> String,
) -> (tempfile::TempDir, Vec<codegen_tools::diff::ApiChange>) {
    let server = MockServer::start().await;
    let specs = tempfile::tempdir().unwrap();
    copy_tree(&repository_root().join("specs"), specs.path());
    let manifest = fs::read_to_string(specs.path().join("manifest.toml")).unwrap();
    fs::write(
        specs.path().join("manifest.toml"),
        manifest.replace("https://docs.supermetrics.com", &format!("{}/sm", server.uri())),
    )
    .unwrap();
    let original = fs::read_to_string(repository_root().join("specs").join(page)).unwrap();
    Mock::given(method("GET"))
        .and(path(route.to_string()))
        .respond_with(ResponseTemplate::new(200).set_body_string(edit(original)))
        .mount(&server)
        .await;

    let dir = specs.path().to_path_buf();
    let options = FetchOptions { timeout: Duration::from_secs(5), attempts: 1, backoff: Duration::from_millis(1) };
    let results = tokio::task::spawn_blocking(move || fetch(&dir, &["supermetrics".to_string()], &options))
        .await
        .unwrap()
        .unwrap();
    let changed: Vec<_> =
        results.iter().filter(|r| matches!(r.outcome, PageOutcome::Changed { .. })).map(|r| r.page.clone()).collect();
    assert_eq!(changed, [Path::new(page)], "only the served page changed; others failed (404) and kept their copy");

    let generated = regenerate(specs.path(), Path::new("specs"), "generated-client").unwrap();
    let base = DiffBase::File(repository_root().join("generated-client/openapi/supermetrics.yaml"));
    let (changes, _) = diff(&base, &generated).unwrap();
    (specs, changes)
}

#[tokio::test]
async fn a_required_field_added_upstream_is_reported_as_exactly_one_breaking_change() {
    let (_specs, changes) = fetch_edit_and_diff(
        "supermetrics/create-login-link.page.md",
        "/sm/api-reference/data-source-login-links/create-login-link.md",
        |page| {
            page.replacen("\"required\": [\n                  \"ds_id\"\n                ],", "\"required\": [\n                  \"ds_id\",\n                  \"team_id\"\n                ],", 1)
                .replacen("\"properties\": {\n                  \"ds_id\": {", "\"properties\": {\n                  \"team_id\": {\"type\": \"integer\"},\n                  \"ds_id\": {", 1)
        },
    )
    .await;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let change = &changes[0];
    assert_eq!((change.rule, change.impact), ("new-required-request-property", Impact::Breaking));
    assert_eq!(change.operation.as_deref(), Some("POST /ds/login/link"));
    assert_eq!(change.location, "request body: team_id");
    insta::assert_snapshot!(render::markdown(&changes, &[]));
}

#[tokio::test]
async fn an_enum_value_removed_from_a_response_is_reported_as_exactly_one_breaking_change() {
    let (_specs, changes) = fetch_edit_and_diff(
        "supermetrics/create-login-link.page.md",
        "/sm/api-reference/data-source-login-links/create-login-link.md",
        |page| page.replacen("\"CLOSED\",\n              \"EXPIRED\"", "\"CLOSED\"", 1),
    )
    .await;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!((changes[0].rule, changes[0].impact), ("response-property-enum-value-removed", Impact::Breaking));
    assert_eq!(changes[0].location, "response 201: data.status_code");
    assert_eq!(changes[0].before, Some(Value::String("EXPIRED".into())));
}

#[tokio::test]
async fn an_enum_value_added_to_a_response_is_non_breaking_since_the_client_keeps_unknown_values() {
    let (_specs, changes) = fetch_edit_and_diff(
        "supermetrics/create-login-link.page.md",
        "/sm/api-reference/data-source-login-links/create-login-link.md",
        |page| {
            page.replacen(
                "\"CLOSED\",\n              \"EXPIRED\"",
                "\"CLOSED\",\n              \"EXPIRED\",\n              \"REVOKED\"",
                1,
            )
        },
    )
    .await;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!((changes[0].rule, changes[0].impact), ("response-property-enum-value-added", Impact::NonBreaking));
    assert_eq!(changes[0].after, Some(Value::String("REVOKED".into())));
}

#[tokio::test]
async fn an_optional_field_added_upstream_is_one_non_breaking_change() {
    let (_specs, changes) = fetch_edit_and_diff(
        "supermetrics/create-data-source-connection.page.md",
        "/sm/api-reference/data-source-connections/create-data-source-connection.md",
        |page| {
            let edited = page.replacen(
                "\"properties\": {\n          \"data_source_id\": {",
                "\"properties\": {\n          \"label\": {\"type\": \"string\", \"maxLength\": \"100\"},\n          \"data_source_id\": {",
                1,
            );
            assert_ne!(edited, page, "the edit must apply to the page");
            edited
        },
    )
    .await;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!((changes[0].rule, changes[0].impact), ("new-optional-request-property", Impact::NonBreaking));
    assert_eq!(changes[0].operation.as_deref(), Some("POST /teams/{team_id}/data-source-connections"));
    insta::assert_snapshot!(render::text(&changes, &[]));
}

#[test]
fn the_public_api_diff_names_items_added_removed_and_changed() {
    use codegen_tools::diff::rust_api::{diff as items_diff, public_items, ItemChangeKind};
    let old = "pub mod types { pub struct Body { pub name: String } pub enum Kind { A, B } }\npub fn gone() {}\npub struct Client;\nimpl Client { pub fn call(&self, a: u32) {} fn private(&self) {} }";
    let new = "pub mod types { pub struct Body { pub name: String, pub age: u8 } pub enum Kind { A, B } }\npub struct Client;\nimpl Client { pub fn call(&self, a: u64) {} pub fn added(&self) {} }";
    let items = |source: &str| public_items([(Path::new("src/api.rs"), source)]);
    let changes: Vec<(ItemChangeKind, String)> =
        items_diff(&items(old), &items(new)).into_iter().map(|c| (c.kind, c.path)).collect();
    // Ordered by kind (added, removed, changed), then path.
    let expected = [
        (ItemChangeKind::Added, "api::Client::added"),
        (ItemChangeKind::Removed, "api::gone"),
        (ItemChangeKind::Changed, "api::Client::call"),
        (ItemChangeKind::Changed, "api::types::Body"),
    ];
    assert_eq!(changes, expected.map(|(k, p)| (k, p.to_string())));
}
