//! `fetch` against documentation served on loopback: unchanged pages are not rewritten, changed
//! ones are, a hand-written spec is flagged for review, and a failing page keeps its copy.

use std::fs;
use std::time::Duration;

use codegen_tools::fetch::{fetch, FetchOptions, PageOutcome};
use pipeline_tests::{copy_tree, repository_root};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A copy of `specs/` whose manifest points every page at `server` (by the page's own path).
pub fn specs_served_by(server: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    copy_tree(&repository_root().join("specs"), temp.path());
    let manifest = fs::read_to_string(temp.path().join("manifest.toml")).unwrap();
    let local = manifest
        .replace("https://docs.supermetrics.com", &format!("{server}/sm"))
        .replace("https://docs.deck.co", &format!("{server}/deck"));
    fs::write(temp.path().join("manifest.toml"), local).unwrap();
    temp
}

#[tokio::test]
async fn fetch_reports_unchanged_changed_review_and_failed_pages() {
    let server = MockServer::start().await;
    let specs = specs_served_by(&server.uri());
    let page = |p: &str| fs::read(repository_root().join("specs").join(p)).unwrap();
    let mut changed_login = String::from_utf8(page("supermetrics/create-login-link.page.md")).unwrap();
    changed_login = changed_login.replacen("\"maxLength\": \"50\"", "\"maxLength\": \"60\"", 1);
    let serve = |route: &str, template: ResponseTemplate| {
        Mock::given(method("GET")).and(path(route.to_string())).respond_with(template)
    };
    serve(
        "/sm/api-reference/data-source-login-links/create-login-link.md",
        ResponseTemplate::new(200).set_body_string(changed_login.clone()),
    )
    .mount(&server)
    .await;
    serve(
        "/sm/api-reference/data-source-connections/create-data-source-connection.md",
        ResponseTemplate::new(200).set_body_bytes(page("supermetrics/create-data-source-connection.page.md")),
    )
    .mount(&server)
    .await;
    serve(
        "/sm/api-reference/connector-secrets/create-connector-secret.md",
        ResponseTemplate::new(200).set_body_string("Create connector secret\n\nNow with a new field.\n"),
    )
    .mount(&server)
    .await;
    serve("/sm/docs/manage-api-keys.md", ResponseTemplate::new(503)).mount(&server).await;
    serve("/deck/api-reference/auth-sdk/create-an-sdk-token.md", ResponseTemplate::new(404)).mount(&server).await;
    let before_unchanged = fs::metadata(specs.path().join("supermetrics/create-data-source-connection.page.md"))
        .unwrap()
        .modified()
        .unwrap();

    let dir = specs.path().to_path_buf();
    let options = FetchOptions { timeout: Duration::from_secs(5), attempts: 2, backoff: Duration::from_millis(10) };
    let results = tokio::task::spawn_blocking(move || fetch(&dir, &[], &options)).await.unwrap().unwrap();

    let outcome =
        |file: &str| results.iter().find(|r| r.page.to_str() == Some(file)).map(|r| r.outcome.clone()).unwrap();
    match outcome("supermetrics/create-login-link.page.md") {
        PageOutcome::Changed { summary, review: None } => assert!(summary.starts_with("+1 -1 lines"), "{summary}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(fs::read_to_string(specs.path().join("supermetrics/create-login-link.page.md")).unwrap(), changed_login);
    assert_eq!(outcome("supermetrics/create-data-source-connection.page.md"), PageOutcome::Unchanged);
    let after_unchanged = fs::metadata(specs.path().join("supermetrics/create-data-source-connection.page.md"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before_unchanged, after_unchanged, "an unchanged page is not rewritten");
    match outcome("supermetrics/create-connector-secret.page.txt") {
        PageOutcome::Changed { summary, review: Some(spec) } => {
            assert_eq!(spec.to_str(), Some("supermetrics/create-connector-secret.openapi.yaml"));
            assert!(summary.contains("needs review"), "{summary}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        outcome("supermetrics/manage-api-keys.page.txt"),
        PageOutcome::Failed("the server answered 503 Service Unavailable (after 2 attempts)".into())
    );
    assert_eq!(
        outcome("deck/create-sdk-token.page.md"),
        PageOutcome::Failed("the server answered 404 Not Found".into()),
        "a 404 is not retried"
    );
    assert_eq!(
        fs::read(specs.path().join("deck/create-sdk-token.page.md")).unwrap(),
        page("deck/create-sdk-token.page.md"),
        "a failed page keeps its copy"
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.iter().filter(|r| r.url.path().ends_with("manage-api-keys.md")).count(), 2, "503 retried once");
}
