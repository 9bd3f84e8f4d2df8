//! OAuth2 client credentials against a loopback token endpoint: one fetch for many calls, a
//! token fetched again when it expires or the server refuses it, the token endpoint's error.

use std::sync::Arc;

use codegen_runtime::{call, ClientConfig, Credentials, Operation, RetryPolicy, Scheme, SchemeKind};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const OAUTH: Scheme = Scheme { name: "oauth", kind: SchemeKind::Bearer };
static LIST: Operation = Operation {
    id: "list_items",
    security: &[&[OAUTH]],
    scopes: &["items:read"],
    template: "/items",
    ..Operation::NONE
};

fn token(value: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(serde_json::json!({"access_token": value, "token_type": "Bearer", "expires_in": expires_in}))
}

fn config(server: &MockServer) -> ClientConfig {
    let credentials = Credentials::none().with_client_credentials(format!("{}/token", server.uri()), "app", "s3cr3t&+");
    ClientConfig::default().with_credentials(credentials).with_retry(RetryPolicy::disabled())
}

async fn list(client: &reqwest::Client, config: &ClientConfig, server: &MockServer) -> u16 {
    let request = reqwest::Request::new(reqwest::Method::GET, format!("{}/items", server.uri()).parse().unwrap());
    call::<()>(client, config, &LIST, request).await.map(|r| r.status().as_u16()).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn fifty_concurrent_calls_fetch_one_token_sent_as_rfc_6749_says() {
    let server = MockServer::start().await;
    // RFC 6749 §2.3.1: id and secret form-encoded, then Basic: base64("app:s3cr3t%26%2B").
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(header("authorization", "Basic YXBwOnMzY3IzdCUyNiUyQg=="))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials&scope=items%3Aread"))
        .respond_with(token("t1", 3600).set_delay(std::time::Duration::from_millis(100)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(50)
        .mount(&server)
        .await;
    let (client, config) = (reqwest::Client::new(), Arc::new(config(&server)));
    let calls = (0..50).map(|_| {
        let (client, config, server) = (client.clone(), config.clone(), &server);
        async move { list(&client, &config, server).await }
    });
    let statuses = futures_util::future::join_all(calls).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}

#[tokio::test]
async fn a_refused_token_is_fetched_again_once_and_an_expired_one_before_use() {
    let server = MockServer::start().await;
    Mock::given(path("/token")).respond_with(token("old", 3600)).up_to_n_times(1).expect(1).mount(&server).await;
    Mock::given(path("/token")).respond_with(token("new", 0)).expect(2).mount(&server).await;
    Mock::given(path("/items"))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let (client, config) = (reqwest::Client::new(), config(&server));
    assert_eq!(list(&client, &config, &server).await, 200, "refused, then sent with a fresh token");
    // `new` expires at once (0 s, less the 30 s margin): the next call fetches again.
    assert_eq!(list(&client, &config, &server).await, 200);
}

#[tokio::test]
async fn the_token_endpoints_error_fails_the_call_before_sending_and_prints_no_secret() {
    let server = MockServer::start().await;
    let refusal = serde_json::json!({"error": "invalid_client", "error_description": "unknown client"});
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(401).set_body_json(refusal)).mount(&server).await;
    Mock::given(path("/items")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let config = config(&server);
    let request = reqwest::Request::new(reqwest::Method::GET, format!("{}/items", server.uri()).parse().unwrap());
    let error = call::<()>(&reqwest::Client::new(), &config, &LIST, request).await.unwrap_err();
    let printed = format!("{error} {error:?} {config:?}");
    assert!(printed.contains("401 Unauthorized: invalid_client: unknown client"), "{printed}");
    assert!(!printed.contains("s3cr3t"), "{printed}");
}
