//! The test double: canned answers in sequence, recorded requests, injected timeouts and
//! connection failures retried like real ones, all without a socket.

use std::sync::Arc;
use std::time::Duration;

use codegen_runtime::{call, ClientConfig, Credentials, Operation, RetryPolicy, Scheme, SchemeKind, TestDouble};

const KEY: Scheme = Scheme { name: "key", kind: SchemeKind::Header("x-key") };
static GET_PET: Operation =
    Operation { id: "get_pet", security: &[&[KEY]], json_statuses: &[200], template: "/pets/{id}", ..Operation::NONE };

fn config(double: &Arc<TestDouble>) -> ClientConfig {
    let retry = RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() };
    ClientConfig::default()
        .with_credentials(Credentials::none().with_api_key("x-key", "k"))
        .with_retry(retry)
        .with_test_double(double.clone())
}

async fn get(config: &ClientConfig) -> Result<reqwest::Response, codegen_runtime::Error<()>> {
    // Nothing listens there: an answer can only come from the double.
    let request = reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1:9/pets/7".parse().unwrap());
    call::<()>(&reqwest::Client::new(), config, &GET_PET, request).await
}

#[tokio::test]
async fn a_sequence_drives_retries_and_every_request_is_recorded() {
    let double = Arc::new(TestDouble::new());
    double.time_out("get_pet").fail_to_connect("get_pet").answer("get_pet", 503, &()).answer(
        "get_pet",
        200,
        &serde_json::json!({"id": 7, "name": "Rex"}),
    );
    let response = get(&config(&double)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["name"], "Rex");
    let requests = double.requests_to("get_pet");
    assert_eq!(requests.len(), 4, "a timeout, a refused connection and a 503 are each retried");
    assert_eq!(requests[0].url, "http://127.0.0.1:9/pets/7");
    assert_eq!(requests[3].header("x-key"), Some("k"), "credentials are applied as for a server");
    // The last answer stays.
    assert_eq!(get(&config(&double)).await.unwrap().status(), 200);
}

#[tokio::test]
async fn an_injected_timeout_is_the_error_a_real_one_is() {
    let double = Arc::new(TestDouble::new());
    double.time_out("get_pet");
    let config = config(&double).with_retry(RetryPolicy::disabled());
    match get(&config).await {
        Err(codegen_runtime::Error::CommunicationError(error)) => assert!(error.is_timeout(), "{error}"),
        other => panic!("expected a timeout, got {:?}", other.map(|r| r.status())),
    }
}

#[tokio::test]
async fn an_operation_without_an_answer_says_how_to_give_one() {
    let double = Arc::new(TestDouble::new());
    let error = get(&config(&double)).await.unwrap_err();
    assert!(error.to_string().contains("get_pet: the test double has no answer for it"), "{error}");
}
