//! The generated clients' runtime against servers on loopback: credentials (and their
//! redaction), servers, typed headers, and retries.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use generated_client::runtime::{Credentials, ResponseHeaders, RetryPolicy};
use generated_client::{deck, supermetrics};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn login_body() -> supermetrics::management::types::CreateLoginLinkBody {
    supermetrics::management::types::CreateLoginLinkBody::builder().ds_id("GAWA").try_into().unwrap()
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201)
        .insert_header("X-RateLimit-Limit", "5000")
        .insert_header("X-RateLimit-Remaining", "4999")
        .insert_header("Location", "https://api.supermetrics.com/v2/ds/login/link/lnk_1")
        .set_body_json(
            json!({"meta": {"request_id": "BXaEFVtjc7TXaJxgZhmFgSUD9edqq_CN"}, "data": {"link_id": "lnk_1"}}),
        )
}

#[test]
fn credentials_never_appear_in_debug_output() {
    let client = supermetrics::management::Client::with_bearer_token("super-secret-token");
    let shown = format!("{client:?}");
    assert!(!shown.contains("super-secret-token"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    let deck = deck::Client::with_client_id_and_secret("id-value", "secret-value");
    let shown = format!("{deck:?}");
    assert!(!shown.contains("secret-value") && !shown.contains("id-value"), "{shown}");
}

#[test]
fn each_module_defaults_to_its_documented_server_and_deck_names_its_sandbox() {
    assert_eq!(supermetrics::dts::DEFAULT_BASE_URL, "https://dts-api.supermetrics.com/v1");
    assert_eq!(supermetrics::connector_builder::DEFAULT_BASE_URL, "https://api.supermetrics.com");
    assert_eq!(supermetrics::enterprise::DEFAULT_BASE_URL, "https://api.supermetrics.com/enterprise/v2");
    assert_eq!(deck::DEFAULT_BASE_URL, deck::servers::LIVE);
    assert_eq!(deck::servers::SANDBOX, "https://sandbox.deck.co/api/v1");
}

#[tokio::test]
async fn a_missing_credential_is_a_client_side_error_naming_the_scheme() {
    let server = MockServer::start().await;
    let client = deck::Client::with_credentials(Credentials::none().with_api_key("x-deck-client-id", "only-one"))
        .with_base_url(&server.uri());
    let error =
        client.post_link_token_create().body(deck::types::LinkTokenCreateRequest::builder()).send().await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("x-deck-client-id") && message.contains("x-deck-secret"), "{message}");
    assert!(!message.contains("only-one"), "{message}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn documented_headers_are_typed_on_success_and_on_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/ds/login/link"))
        .respond_with(created())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/ds/login/link"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("X-RateLimit-Limit", "5000")
                .insert_header("X-RateLimit-Remaining", "0")
                .set_body_json(json!({"error": "LINK_LIMIT_EXCEEDED", "message": "no more"})),
        )
        .mount(&server)
        .await;
    let client = supermetrics::management::Client::with_bearer_token("t").with_base_url(&server.uri());
    let ok = client.create_login_link().body(login_body()).send().await.unwrap();
    assert_eq!((ok.rate_limit_limit(), ok.rate_limit_remaining()), (Some(5000), Some(4999)));
    assert_eq!(ok.location(), Some("https://api.supermetrics.com/v2/ds/login/link/lnk_1"));
    match client.create_login_link().body(login_body()).send().await.unwrap_err() {
        supermetrics::management::Error::ErrorResponse(forbidden) => {
            assert_eq!(forbidden.rate_limit_remaining(), Some(0));
            let supermetrics::management::errors::CreateLoginLinkError::Forbidden(body) = forbidden.into_inner() else {
                panic!("the 403 shape")
            };
            assert_eq!(body.message.as_deref().map(|m| m.to_string()), Some("no more".to_string()));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_429_is_retried_after_its_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/ds/login/link"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1").set_body_json(json!({})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/ds/login/link")).respond_with(created()).mount(&server).await;
    let client = supermetrics::management::Client::with_bearer_token("t").with_base_url(&server.uri());
    let started = Instant::now();
    let response = client.create_login_link().body(login_body()).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert!(started.elapsed() >= Duration::from_millis(950), "waited {:?}", started.elapsed());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let bodies: Vec<&[u8]> = requests.iter().map(|r: &Request| r.body.as_slice()).collect();
    assert_eq!(bodies[0], bodies[1], "the retry sends the same body");
}

#[tokio::test]
async fn retries_stop_at_the_cap_and_return_the_last_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/api_keys")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let policy = RetryPolicy { max_retries: 2, base_delay: Duration::from_millis(10), ..RetryPolicy::default() };
    let client =
        supermetrics::enterprise::Client::with_bearer_token("t").with_base_url(&server.uri()).with_retry(policy);
    let error = client.list_api_keys().send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "one attempt and two retries");

    let too_long = ResponseTemplate::new(429).insert_header("Retry-After", "3600");
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/api_keys")).respond_with(too_long).mount(&server).await;
    let client = supermetrics::enterprise::Client::with_bearer_token("t").with_base_url(&server.uri());
    let started = Instant::now();
    assert!(client.list_api_keys().send().await.is_err());
    assert!(started.elapsed() < Duration::from_secs(5), "a Retry-After beyond the cap gives up at once");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/api_keys")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = supermetrics::enterprise::Client::with_bearer_token("t")
        .with_base_url(&server.uri())
        .with_retry(RetryPolicy::disabled());
    assert!(client.list_api_keys().send().await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "retries can be turned off");
}

/// A server that reads each request and drops the connection without answering.
fn dropping_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(10) {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let _ = stream.read(&mut buffer);
            let _ = stream.write_all(b"");
            drop(stream);
        }
    });
    (address, connections)
}

#[tokio::test]
async fn a_post_is_never_replayed_after_a_dropped_connection_but_a_get_is() {
    let fast = RetryPolicy { max_retries: 2, base_delay: Duration::from_millis(10), ..RetryPolicy::default() };

    let (address, connections) = dropping_server();
    let client =
        supermetrics::management::Client::with_bearer_token("t").with_base_url(&address).with_retry(fast.clone());
    assert!(client.create_login_link().body(login_body()).send().await.is_err());
    assert_eq!(connections.load(Ordering::SeqCst), 1, "POST sent once");

    let (address, connections) = dropping_server();
    let client = supermetrics::enterprise::Client::with_bearer_token("t").with_base_url(&address).with_retry(fast);
    assert!(client.list_api_keys().send().await.is_err());
    assert_eq!(connections.load(Ordering::SeqCst), 3, "GET retried twice");
}

#[tokio::test]
async fn documented_limits_are_checked_before_sending_and_name_the_field() {
    let server = MockServer::start().await;
    let client = supermetrics::management::Client::with_bearer_token("t").with_base_url(&server.uri());
    let too_long = "A".repeat(51);
    let error = client
        .create_login_link()
        .body(supermetrics::management::types::CreateLoginLinkBody::builder().ds_id(too_long.as_str()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Invalid Request: conversion to `CreateLoginLinkBody` for body failed: error converting supplied value for ds_id: longer than 50 characters"
    );
    let connector = supermetrics::connector_builder::Client::with_bearer_token("t").with_base_url(&server.uri());
    let error = connector
        .create_connector_secret()
        .team_id(std::num::NonZeroU64::new(1).unwrap())
        .connector_identifier("not valid!")
        .body(
            supermetrics::connector_builder::types::CreateConnectorSecretRequest::builder()
                .secret_name("a")
                .secret_value("b"),
        )
        .send()
        .await
        .unwrap_err();
    // progenitor 0.15's builder drops typify's reason for parameters (`map_err(|_| ...)`); the
    // generator puts it back, so the rule is named as for bodies.
    assert_eq!(
        error.to_string(),
        "Invalid Request: conversion to `CreateConnectorSecretConnectorIdentifier` for connector_identifier failed: doesn't match pattern \"^[A-Za-z0-9_-]+$\""
    );
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing invalid was sent");
}

#[tokio::test]
async fn undocumented_statuses_and_bad_bodies_carry_status_headers_and_an_excerpt() {
    use generated_client::runtime::BodyExcerpt;
    use supermetrics::management::Error;
    let server = MockServer::start().await;
    let client = supermetrics::management::Client::with_bearer_token("t")
        .with_base_url(&server.uri())
        .with_retry(RetryPolicy::disabled());
    let long_page = format!("<html>{}</html>", "x".repeat(2000));
    let cases = [
        (418, "text/plain", "I'm a teapot".to_string()),
        (201, "application/json", String::new()),
        (201, "text/html", "<html>maintenance</html>".to_string()),
        (401, "application/json", "{\"meta\": ".to_string()),
        (500, "text/html", long_page.clone()),
    ];
    for (status, content_type, body) in cases {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("content-type", content_type)
                    .insert_header("X-RateLimit-Remaining", "7")
                    .set_body_string(body.clone()),
            )
            .mount(&server)
            .await;
        match client.create_login_link().body(login_body()).send().await.unwrap_err() {
            Error::UnexpectedResponse(response) => {
                assert_eq!(response.status().as_u16(), status);
                assert_eq!(response.rate_limit_remaining(), Some(7), "{status}: headers are kept");
                let excerpt = response.body_excerpt().expect("the body was read");
                if body.len() <= 512 {
                    assert_eq!(excerpt, body);
                } else {
                    assert_eq!(excerpt.chars().count(), 513, "bounded: 512 bytes and an ellipsis");
                    assert!(excerpt.ends_with('…'));
                }
                assert_eq!(response.text().await.unwrap(), body, "{status}: the whole body is still there");
            }
            other => panic!("{status}: {other:?}"),
        }
    }
}

#[test]
fn query_and_cookie_api_keys_go_where_the_scheme_says() {
    use generated_client::runtime::{Scheme, SchemeKind};
    let query = Scheme { name: "Key", kind: SchemeKind::Query("api_key") };
    let cookie = Scheme { name: "Session", kind: SchemeKind::Cookie("sid") };
    let credentials = Credentials::none().with_api_key("api_key", "k 1").with_api_key("sid", "abc");
    let mut request = reqwest::Request::new(reqwest::Method::GET, "https://example.test/x?a=1".parse().unwrap());
    credentials.apply(&[&[query, cookie]], &mut request, None).unwrap();
    assert_eq!(request.url().query(), Some("a=1&api_key=k+1"));
    assert_eq!(request.headers()["cookie"], "sid=abc");
    assert!(request.headers()["cookie"].is_sensitive());
    // Credentials that meet no requirement are refused before anything is sent ...
    let mut other = reqwest::Request::new(reqwest::Method::GET, "https://example.test/x".parse().unwrap());
    let error = Credentials::none().with_bearer_token("t").apply(&[&[query]], &mut other, None).unwrap_err();
    assert_eq!(error, "this operation needs credentials: the API key query parameter api_key (Key)");
    // ... while a client without any sends without them: the server decides (auth off).
    let mut anonymous = reqwest::Request::new(reqwest::Method::GET, "https://example.test/x".parse().unwrap());
    Credentials::none().apply(&[&[query]], &mut anonymous, None).unwrap();
    assert_eq!(anonymous.url().query(), None);
}

/// Collects what a tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_retry_is_a_tracing_warning() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/api_keys")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let policy = RetryPolicy { max_retries: 2, base_delay: Duration::from_millis(5), ..RetryPolicy::default() };
    let client =
        supermetrics::enterprise::Client::with_bearer_token("t").with_base_url(&server.uri()).with_retry(policy);
    assert!(client.list_api_keys().send().await.is_err());
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let retries: Vec<&str> = log.lines().filter(|l| l.contains("retrying request")).collect();
    assert_eq!(retries.len(), 2, "{log}");
    assert!(
        retries[0].contains("WARN")
            && retries[0].contains("operation_id=\"list_api_keys\"")
            && retries[0].contains("status=503"),
        "{}",
        retries[0]
    );
}

#[tokio::test]
async fn a_bodiless_success_beside_a_typed_one_decodes_as_none_with_its_status() {
    use acme_client::acme_client::logistics_acme_v2 as logistics;
    let server = MockServer::start().await;
    let id = "0c0a6f0e-6f3a-4d4e-9f57-3a8f9e3f1a11";
    let route = format!("/warehouses/{id}");
    Mock::given(method("DELETE"))
        .and(path(route.clone()))
        .respond_with(ResponseTemplate::new(204))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(route.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": id, "name": "Espoo", "active": false})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"title": "down"})))
        .mount(&server)
        .await;
    let client = logistics::Client::with_api_key("key")
        .with_base_url(&server.uri())
        .with_retry(acme_client::runtime::RetryPolicy::disabled());
    let uuid: uuid::Uuid = id.parse().unwrap();

    let gone = client.delete_warehouses_by_warehouse_id().warehouse_id(uuid).send().await.unwrap();
    assert_eq!(gone.status().as_u16(), 204);
    assert!(gone.into_inner().0.is_none(), "no content decodes as None");

    let closed = client.delete_warehouses_by_warehouse_id().warehouse_id(uuid).send().await.unwrap();
    assert_eq!(closed.status().as_u16(), 200);
    assert_eq!(closed.into_inner().0.and_then(|w| w.name), Some("Espoo".to_string()));

    match client.delete_warehouses_by_warehouse_id().warehouse_id(uuid).send().await.unwrap_err() {
        logistics::Error::ErrorResponse(problem) => {
            assert_eq!(problem.status().as_u16(), 503, "the old `default` answers every error status");
            assert_eq!(problem.into_inner().title.as_deref(), Some("down"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_xml_body_passed_as_text_is_sent_with_its_real_content_type() {
    use acme_client::acme_client::api_acme_v1 as items;
    use wiremock::matchers::{body_string, header};
    let server = MockServer::start().await;
    let feed = "<items><item sku=\"AB-12\"/></items>";
    Mock::given(method("POST"))
        .and(path("/items/import"))
        .and(header("content-type", "application/xml"))
        .and(header("x-acme-key", "key"))
        .and(body_string(feed))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let client = items::Client::with_api_key("key").with_base_url(&server.uri());
    let accepted = client.post_items_import().body(feed.to_string()).send().await.unwrap();
    assert_eq!(accepted.status().as_u16(), 202);
}

#[tokio::test]
async fn a_parameter_renamed_for_rust_is_sent_under_its_documented_name() {
    // `category` and `category[]` are both `category` in Rust; the second became `category_2`.
    use acme_client::acme_client::api_acme_v1 as items;
    use wiremock::matchers::{query_param, query_param_is_missing};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(query_param("category", "tools"))
        .and(query_param("category[]", "saws"))
        .and(query_param_is_missing("category_2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = items::Client::with_api_key("key").with_base_url(&server.uri());
    let listed = client.get_items().category("tools").category_2(vec!["saws".to_string()]).send().await.unwrap();
    assert!(listed.items.is_empty());
    let requests = server.received_requests().await.unwrap();
    let query = requests[0].url.query().unwrap();
    assert!(query.contains("category%5B%5D=saws"), "{query}");
}

#[tokio::test]
async fn a_multipart_body_built_with_the_runtime_is_sent_with_its_boundary() {
    use acme_client::acme_client::api_acme_v1 as items;
    use acme_client::runtime::Multipart;
    use wiremock::matchers::header;
    let server = MockServer::start().await;
    let content_type = format!("multipart/form-data; boundary={}", Multipart::BOUNDARY);
    Mock::given(method("POST"))
        .and(path("/items/photos"))
        .and(header("content-type", content_type.as_str()))
        .and(header("x-acme-key", "key"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let photo: &[u8] = &[0x89, b'P', b'N', b'G', 0, 1, 2];
    let form = Multipart::new()
        .text("caption", "Front \"left\"")
        .file("photo", "ab-12.png", "image/png", photo)
        .finish()
        .unwrap();
    let client = items::Client::with_api_key("key").with_base_url(&server.uri());
    let stored = client.post_items_photos().body(form).send().await.unwrap();
    assert_eq!(stored.status().as_u16(), 204);

    // The body reads as two parts between the boundary lines, the file's bytes untouched.
    let body = server.received_requests().await.unwrap()[0].body.clone();
    let delimiter = format!("--{}", Multipart::BOUNDARY);
    let text = String::from_utf8_lossy(&body);
    let parts: Vec<&str> = text.split(delimiter.as_str()).collect();
    assert_eq!(parts.len(), 4, "{text}");
    assert_eq!(parts[0], "");
    assert!(
        parts[1].starts_with("\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nFront \"left\"\r\n"),
        "{}",
        parts[1]
    );
    assert!(parts[2].starts_with(
        "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"ab-12.png\"\r\nContent-Type: image/png\r\n\r\n"
    ));
    assert!(body.windows(photo.len()).any(|w| w == photo));
    assert_eq!(parts[3], "--\r\n");
}

#[test]
fn a_multipart_part_holding_the_boundary_is_refused() {
    use acme_client::runtime::Multipart;
    let inside = format!("text --{} more", Multipart::BOUNDARY);
    let error = Multipart::new().text("note", inside).finish().unwrap_err();
    assert!(error.contains("contains its boundary"), "{error}");
    assert!(Multipart::new().text("note", "plain").finish().is_ok());
}

/// A caller runs calls on a multi-threaded runtime (`tokio::spawn`): every `send` future is
/// `Send`, its hooks, retries and status arms included (they run in the client module's
/// `exchange` and the runtime's decoders). Checked when this test builds: a future that is not
/// `Send` does not compile here.
#[test]
fn send_futures_can_move_to_another_thread() {
    fn movable<F: std::future::Future + Send>(future: F) -> F {
        future
    }
    let management = supermetrics::management::Client::with_bearer_token("token");
    let link = movable(management.create_login_link().body(login_body()).send());
    let deck = deck::Client::with_client_id_and_secret("id", "secret");
    let token = movable(deck.post_link_token_create().send());
    drop((link, token));
    let builder = supermetrics::connector_builder::Client::with_bearer_token("token");
    drop(movable(builder.create_connector_secret().send()));
}
