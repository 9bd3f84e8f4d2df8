//! Options for one call: headers, query parameters, time limits, retries and idempotency keys.

use std::time::Duration;

use futures_util::FutureExt;

use codegen_runtime::{exec, pre, ClientConfig, Operation, RequestOptions, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

static CREATE: Operation = Operation { id: "create", idempotency_header: Some("X-Idempotency-Key"), ..Operation::NONE };
static UPDATE: Operation = Operation { id: "update", ..Operation::NONE };

fn request(verb: reqwest::Method, url: &str) -> reqwest::Request {
    reqwest::Request::new(verb, url.parse().unwrap())
}

#[test]
fn headers_and_query_parameters_of_the_call_are_added() {
    let config = ClientConfig::default()
        .with_options(RequestOptions::new().header("x-correlation-id", "c-7").query("debug", "true"));
    let mut sent = request(reqwest::Method::GET, "http://127.0.0.1/items?limit=2");
    pre::<()>(&config, &UPDATE, &mut sent).now_or_never().expect("nothing to wait for").unwrap();
    assert_eq!(sent.headers()["x-correlation-id"], "c-7");
    assert_eq!(sent.url().query(), Some("limit=2&debug=true"));

    let bad = ClientConfig::default().with_options(RequestOptions::new().header("bad name", "v"));
    let error = pre::<()>(&bad, &UPDATE, &mut request(reqwest::Method::GET, "http://127.0.0.1/"))
        .now_or_never()
        .expect("nothing to wait for")
        .unwrap_err();
    assert!(error.to_string().contains("update: `bad name` is not a header name"), "{error}");
}

#[test]
fn a_documented_idempotency_header_gets_a_fresh_key_per_call_unless_one_is_given() {
    let key = |config: &ClientConfig, verb: reqwest::Method| {
        let mut sent = request(verb, "http://127.0.0.1/orders");
        pre::<()>(config, &CREATE, &mut sent).now_or_never().expect("nothing to wait for").unwrap();
        sent.headers().get("x-idempotency-key").map(|v| v.to_str().unwrap().to_string())
    };
    let config = ClientConfig::default();
    let (first, second) = (key(&config, reqwest::Method::POST).unwrap(), key(&config, reqwest::Method::POST).unwrap());
    assert_ne!(first, second, "one key per call");
    assert_eq!((first.len(), &first[14..15]), (36, "4"), "a version 4 UUID: {first}");
    assert_eq!(key(&config, reqwest::Method::PUT), None, "an idempotent method needs none");

    let given = config.clone().with_options(RequestOptions::new().idempotency_key("order-42"));
    assert_eq!(key(&given, reqwest::Method::POST).as_deref(), Some("order-42"));

    let mut undocumented = request(reqwest::Method::POST, "http://127.0.0.1/orders");
    pre::<()>(&config, &UPDATE, &mut undocumented).now_or_never().expect("nothing to wait for").unwrap();
    assert!(undocumented.headers().get("idempotency-key").is_none(), "not sent unless documented or given");
    pre::<()>(&given, &UPDATE, &mut undocumented).now_or_never().expect("nothing to wait for").unwrap();
    assert_eq!(undocumented.headers()["idempotency-key"], "order-42", "a given key goes in the usual header");
}

#[tokio::test]
async fn the_idempotency_key_is_the_same_on_every_retry_and_makes_a_post_retryable() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).up_to_n_times(2).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
    let quick = RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() };
    let config = ClientConfig::default().with_options(RequestOptions::new().retry(quick));
    let mut sent = request(reqwest::Method::POST, &format!("{}/orders", server.uri()));
    pre::<()>(&config, &CREATE, &mut sent).now_or_never().expect("nothing to wait for").unwrap();
    let response = exec(&reqwest::Client::new(), &config, &CREATE, sent).await.unwrap();
    assert_eq!(response.status(), 201);
    let keys: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["x-idempotency-key"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 3, "two 502s retried, since the POST carries a key");
    assert!(keys.iter().all(|k| k == &keys[0]), "{keys:?}");
}

#[tokio::test]
async fn a_call_with_its_own_timeout_gives_up_in_time_while_the_client_keeps_its_own() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(1500)))
        .mount(&server)
        .await;
    let client = ClientConfig::default();
    let call = client.clone().with_options(RequestOptions::new().timeout(Duration::from_millis(300)));
    let started = std::time::Instant::now();
    let error =
        exec(&reqwest::Client::new(), &call, &UPDATE, request(reqwest::Method::GET, &server.uri())).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_millis(1400), "{:?}", started.elapsed());
    assert_eq!(client.timeouts.operation, Some(Duration::from_secs(90)), "the client's own limit is unchanged");
    let slow = exec(&reqwest::Client::new(), &client, &UPDATE, request(reqwest::Method::GET, &server.uri())).await;
    assert_eq!(slow.unwrap().status(), 200, "without the option the slow answer arrives");
}
