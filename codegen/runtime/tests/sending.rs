//! Sending through the hooks against a loopback server: retries, credentials, bodies read
//! whole, undecodable JSON reported with its status.

use std::time::Duration;

use codegen_runtime::{
    exec, post, pre, retry_after, BodyExcerpt, ClientConfig, Credentials, Operation, RetryPolicy, Scheme, SchemeKind,
    Timeouts,
};
use futures_util::FutureExt;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: Scheme = Scheme { name: "key", kind: SchemeKind::Header("x-key") };

/// As a generated client describes its operations: one static each.
static CREATE_ITEM: Operation = Operation {
    id: "create_item",
    security: &[&[KEY]],
    json_statuses: &[201],
    documented_statuses: &[201],
    ..Operation::NONE
};

static GET_ITEM: Operation = Operation {
    id: "get_item",
    json_statuses: &[200, 204],
    documented_statuses: &[200, 204],
    empty_as_null: &[204],
    ..Operation::NONE
};

fn quick_retries() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2), ..RetryPolicy::default() }
}

#[test]
fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
    let policy = RetryPolicy {
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(300),
        ..RetryPolicy::default()
    };
    for (retry, full) in [(0, 100), (1, 200), (2, 300), (9, 300)] {
        let wait = policy.backoff(retry);
        assert!(
            wait >= Duration::from_millis(full / 2) && wait <= Duration::from_millis(full),
            "retry {retry}: {wait:?}"
        );
    }
}

#[tokio::test]
async fn pre_sets_credentials_and_leaves_the_generated_media_types() {
    let config = ClientConfig::default().with_credentials(Credentials::none().with_api_key("x-key", "s3"));
    let mut request = reqwest::Request::new(reqwest::Method::POST, "http://127.0.0.1/".parse().unwrap());
    pre::<()>(&config, &CREATE_ITEM, &mut request).now_or_never().expect("nothing to wait for").unwrap();
    assert_eq!(request.headers()["x-key"], "s3");
    request.headers_mut().insert("content-type", "application/xml".parse().unwrap());
    request.headers_mut().insert("accept", "application/vnd.acme+json".parse().unwrap());
    pre::<()>(&config, &GET_ITEM, &mut request).now_or_never().expect("nothing to wait for").unwrap();
    assert_eq!(request.headers()["content-type"], "application/xml", "what the generated request says stays");
    assert_eq!(request.headers()["accept"], "application/vnd.acme+json");

    // Credentials that meet no requirement are refused; none at all leave it to the server.
    let other = ClientConfig::default().with_credentials(Credentials::none().with_bearer_token("t"));
    let error = pre::<()>(&other, &CREATE_ITEM, &mut request).now_or_never().expect("nothing to wait for").unwrap_err();
    assert!(error.to_string().contains("create_item: this operation needs credentials"), "{error}");
    let mut bare = reqwest::Request::new(reqwest::Method::POST, "http://127.0.0.1/".parse().unwrap());
    pre::<()>(&ClientConfig::default(), &CREATE_ITEM, &mut bare).now_or_never().expect("nothing to wait for").unwrap();
    assert!(bare.headers().get("x-key").is_none(), "sent without credentials");
}

#[test]
fn requests_name_the_crate_as_user_agent_unless_the_caller_says_otherwise() {
    let mut request = reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/".parse().unwrap());
    pre::<()>(&ClientConfig::default(), &GET_ITEM, &mut request).now_or_never().expect("nothing to wait for").unwrap();
    let sent = request.headers()["user-agent"].to_str().unwrap().to_string();
    assert_eq!(sent, format!("codegen-runtime/{}", env!("CARGO_PKG_VERSION")));

    let mut request = reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/".parse().unwrap());
    let mine = ClientConfig::default().with_user_agent(Some("my-app/2".into()));
    pre::<()>(&mine, &GET_ITEM, &mut request).now_or_never().expect("nothing to wait for").unwrap();
    assert_eq!(request.headers()["user-agent"], "my-app/2");

    let mut request = reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/".parse().unwrap());
    pre::<()>(&ClientConfig::default().with_user_agent(None), &GET_ITEM, &mut request)
        .now_or_never()
        .expect("nothing to wait for")
        .unwrap();
    assert!(request.headers().get("user-agent").is_none(), "left to the reqwest client");
}

#[tokio::test]
async fn a_503_is_retried_until_the_server_answers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/busy"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/busy"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let config = ClientConfig::default().with_retry(quick_retries());
    let request = reqwest::Request::new(reqwest::Method::GET, format!("{}/busy", server.uri()).parse().unwrap());
    let response = exec(&reqwest::Client::new(), &config, &GET_ITEM, request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_gives_up_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let config = ClientConfig::default().with_retry(quick_retries());
    let request = reqwest::Request::new(reqwest::Method::GET, server.uri().parse().unwrap());
    let response = exec(&reqwest::Client::new(), &config, &Operation::NONE, request).await.unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_empty_documented_body_reads_as_null_and_bad_json_is_unexpected() {
    let server = MockServer::start().await;
    Mock::given(path("/missing")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(path("/broken"))
        .and(header("accept", "*/*"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>"))
        .mount(&server)
        .await;
    let client = reqwest::Client::new();
    let config = ClientConfig::default();
    let get_item = &GET_ITEM;

    let request = reqwest::Request::new(reqwest::Method::GET, format!("{}/missing", server.uri()).parse().unwrap());
    let response = exec(&client, &config, get_item, request).await.unwrap();
    assert_eq!(response.body_excerpt().as_deref(), Some("null"));

    let mut request = reqwest::Request::new(reqwest::Method::GET, format!("{}/broken", server.uri()).parse().unwrap());
    request.headers_mut().insert("accept", "*/*".parse().unwrap());
    let response = exec(&client, &config, get_item, request).await;
    match post::<()>(&response, get_item) {
        Err(codegen_runtime::Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status(), 200);
            assert_eq!(response.text().await.unwrap(), "<html>");
        }
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("retry-after", "7".parse().unwrap());
    assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
    let in_a_minute = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(60));
    headers.insert("retry-after", in_a_minute.parse().unwrap());
    let wait = retry_after(&headers).unwrap();
    assert!(wait > Duration::from_secs(55) && wait <= Duration::from_secs(60), "{wait:?}");
    headers.insert("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
    assert_eq!(retry_after(&headers), Some(Duration::ZERO), "a date already past");
    headers.insert("retry-after", "soon".parse().unwrap());
    assert_eq!(retry_after(&headers), None);
}

#[tokio::test]
async fn gateway_errors_are_retried_only_when_the_request_may_be_replayed() {
    for (verb, key, status, sent) in [
        (reqwest::Method::GET, None, 502, 3),
        (reqwest::Method::GET, None, 504, 3),
        (reqwest::Method::PUT, None, 408, 3),
        (reqwest::Method::POST, None, 502, 1),
        (reqwest::Method::POST, Some("k-1"), 502, 3),
    ] {
        let server = MockServer::start().await;
        Mock::given(method(verb.as_str()))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method(verb.as_str())).respond_with(ResponseTemplate::new(200)).mount(&server).await;
        let mut request = reqwest::Request::new(verb.clone(), server.uri().parse().unwrap());
        if let Some(key) = key {
            request.headers_mut().insert("idempotency-key", key.parse().unwrap());
        }
        let config = ClientConfig::default().with_retry(quick_retries());
        let response = exec(&reqwest::Client::new(), &config, &Operation::NONE, request).await.unwrap();
        let received = server.received_requests().await.unwrap().len();
        assert_eq!(received, sent, "{verb} {status} with key {key:?}");
        assert_eq!(response.status().as_u16(), if sent == 3 { 200 } else { status });
    }
}

#[tokio::test]
async fn a_stalled_server_is_given_up_on_per_attempt_and_per_operation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let timeouts = Timeouts { attempt: Some(Duration::from_millis(200)), operation: Some(Duration::from_millis(450)) };
    let config = ClientConfig::default().with_retry(quick_retries()).with_timeouts(timeouts);
    let started = std::time::Instant::now();
    let request = reqwest::Request::new(reqwest::Method::GET, server.uri().parse().unwrap());
    let error = exec(&reqwest::Client::new(), &config, &Operation::NONE, request).await.unwrap_err();
    let took = started.elapsed();
    assert!(error.is_timeout(), "{error}");
    let attempts = server.received_requests().await.unwrap().len();
    // Three retries are allowed (four attempts); the operation's 450 ms leaves room for three.
    assert!((2..=3).contains(&attempts), "{attempts} attempts: retried, then stopped by the operation's limit");
    assert!(took < Duration::from_secs(2), "well before one 5 s response: {took:?}");
}
