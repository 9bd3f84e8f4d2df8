//! What a caller controls per call, and what the client never prints, checked through a
//! generated client against HTTP servers on loopback.

use std::time::Duration;

use fixture_clients::runtime::{RequestOptions, RetryPolicy};
use fixture_clients::secrets_and_options as accounts;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k3y-s3cr3t";

fn new_account() -> accounts::types::builder::NewAccount {
    accounts::types::NewAccount::builder()
        .email("a@example.com")
        .password("hunter2")
        .recovery_code(Some("rc-42".into()))
}

fn quick() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() }
}

#[tokio::test]
async fn a_post_documenting_an_idempotency_key_gets_one_reused_on_each_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).up_to_n_times(2).mount(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "acc_1"})))
        .mount(&server)
        .await;
    let client = accounts::Client::with_query_key(KEY).with_base_url(&server.uri()).with_retry(quick());
    let created = client.create_account().body(new_account()).send().await.unwrap();
    assert_eq!(created.into_inner().id, "acc_1");
    let requests = server.received_requests().await.unwrap();
    let keys: Vec<&str> = requests.iter().map(|r| r.headers["idempotency-key"].to_str().unwrap()).collect();
    assert_eq!(keys.len(), 3, "the 502s are retried because the POST carries a key");
    assert!(keys.iter().all(|k| *k == keys[0]) && keys[0].len() == 36, "{keys:?}");

    let again = client.with_options(RequestOptions::new().idempotency_key("signup-7"));
    again.create_account().body(new_account()).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[3].headers["idempotency-key"], "signup-7", "the caller's key wins");
}

#[tokio::test]
async fn one_call_gets_its_own_time_limit_headers_and_query_while_the_client_keeps_its_own() {
    let server = MockServer::start().await;
    Mock::given(path("/accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_millis(800)))
        .mount(&server)
        .await;
    let client = accounts::Client::with_query_key(KEY).with_base_url(&server.uri());
    let hurried = client.with_options(
        RequestOptions::new().timeout(Duration::from_millis(200)).header("x-correlation-id", "c-1").query("trace", "1"),
    );
    let error = hurried.find_accounts().session_token("t").send().await.unwrap_err();
    assert!(matches!(&error, progenitor_client::Error::CommunicationError(e) if e.is_timeout()), "{error}");
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers["x-correlation-id"], "c-1");
    assert!(sent.url.query().unwrap().contains("trace=1"), "{}", sent.url);

    let patient = client.find_accounts().session_token("t").send().await.unwrap();
    assert!(patient.into_inner().is_empty(), "the client itself still waits 30 s per attempt");
    let sent = &server.received_requests().await.unwrap()[1];
    assert!(sent.headers.get("x-correlation-id").is_none() && !sent.url.query().unwrap().contains("trace"));
}

#[tokio::test]
async fn no_error_prints_the_query_key_or_a_secret_parameter() {
    // Nothing listens on loopback port 9: a transport error naming the request URL.
    let client =
        accounts::Client::with_query_key(KEY).with_base_url("http://127.0.0.1:9").with_retry(RetryPolicy::disabled());
    let error = client.find_accounts().session_token("sess-s3cr3t").send().await.unwrap_err();
    let printed = format!("{error} | {error:?} | {error:#}");
    assert!(printed.contains("api_key=REDACTED"), "{printed}");
    assert!(!printed.contains(KEY) && !printed.contains("sess-s3cr3t"), "{printed}");

    // An undocumented status: the whole response comes back as `UnexpectedResponse`.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(418).insert_header("set-cookie", "sid=c00k1e").set_body_string("teapot"))
        .mount(&server)
        .await;
    let client = accounts::Client::with_query_key(KEY).with_base_url(&server.uri());
    let error = client.find_accounts().session_token("sess-s3cr3t").send().await.unwrap_err();
    let printed = format!("{error} | {error:?}");
    assert!(matches!(error, progenitor_client::Error::UnexpectedResponse(_)), "{printed}");
    for secret in [KEY, "sess-s3cr3t", "c00k1e", "teapot"] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
}

#[test]
fn debug_of_types_and_builders_leaves_secret_fields_out() {
    let account: accounts::types::NewAccount = new_account().try_into().unwrap();
    let builder = new_account();
    let client = accounts::Client::with_query_key(KEY);
    let request = client.find_accounts().session_token("sess-s3cr3t").email("a@example.com");
    for printed in [format!("{account:?}"), format!("{builder:?}"), format!("{request:?}"), format!("{client:?}")] {
        for secret in ["hunter2", "rc-42", "sess-s3cr3t", KEY] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(printed.contains("a@example.com") || printed.contains("Client"), "the rest stays readable: {printed}");
    }
    assert!(format!("{account:?}").contains("password: REDACTED"), "{account:?}");
}
