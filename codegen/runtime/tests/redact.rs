//! Credentials never reach what an error prints: transport errors, unexpected responses and
//! the headers a server sets.

use codegen_runtime::redact::{self, REDACTED};
use codegen_runtime::{exec, ClientConfig, Credentials, Operation, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

static SIGNED: Operation = Operation { id: "download", secret_names: &["signature"], ..Operation::NONE };

#[test]
fn a_url_loses_its_password_and_secret_query_values_and_keeps_the_rest() {
    let url: reqwest::Url =
        "https://user:hunter2@api.test/v1/items?limit=5&API_KEY=s3cr3t&signature=abc".parse().unwrap();
    let redacted = redact::url(&url, &["api_key", "signature"]).unwrap().to_string();
    assert_eq!(
        redacted,
        format!("https://user:{REDACTED}@api.test/v1/items?limit=5&API_KEY={REDACTED}&signature={REDACTED}")
    );
    assert_eq!(redact::url(&"https://api.test/v1?limit=5".parse().unwrap(), &["api_key"]), None, "nothing to redact");
}

#[tokio::test]
async fn a_transport_error_prints_no_query_key() {
    // Nothing listens on port 9 of loopback: the connection is refused.
    let config = ClientConfig::default()
        .with_credentials(Credentials::none().with_api_key("api_key", "s3cr3t"))
        .with_retry(RetryPolicy::disabled());
    let request = reqwest::Request::new(
        reqwest::Method::GET,
        "http://127.0.0.1:9/items?api_key=s3cr3t&signature=x9".parse().unwrap(),
    );
    let error = exec(&reqwest::Client::new(), &config, &SIGNED, request).await.unwrap_err();
    let printed = format!("{error} {error:?}");
    assert!(matches!(&error, codegen_runtime::Failure::Http(e) if e.is_connect()), "{printed}");
    assert!(!printed.contains("s3cr3t") && !printed.contains("x9"), "{printed}");
    assert!(printed.contains("api_key=REDACTED"), "the parameter is still named: {printed}");
}

#[tokio::test]
async fn a_response_prints_no_query_key_nor_the_cookie_the_server_sets() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(418)
                .insert_header("set-cookie", "session=c00k1e")
                .insert_header("x-request-id", "r-1")
                .set_body_string("{}"),
        )
        .mount(&server)
        .await;
    let config = ClientConfig::default().with_credentials(Credentials::none().with_api_key("api_key", "s3cr3t"));
    let url = format!("{}/items?api_key=s3cr3t", server.uri());
    let request = reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap());
    let response = exec(&reqwest::Client::new(), &config, &SIGNED, request).await.unwrap();
    let printed = format!("{response:?}");
    assert!(!printed.contains("s3cr3t") && !printed.contains("c00k1e"), "{printed}");
    assert!(printed.contains("r-1"), "other headers stay readable: {printed}");
    assert_eq!(response.headers()["set-cookie"], "session=c00k1e", "the value is still there to read");
    assert_eq!(response.text().await.unwrap(), "{}", "the body is untouched");
}
