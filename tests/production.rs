//! A generated client in production: OAuth2 client credentials with each operation's scopes,
//! optional credentials, default headers, a middleware, a span per call, the in-process test
//! double, and webhook signatures verified before parsing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixture_clients::production::{self, types::Pet};
use fixture_clients::runtime::{ClientConfig, Credentials, RetryPolicy, TestDouble};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn pet(id: i64, name: &str) -> Pet {
    Pet { id, name: name.into(), client_urls: Vec::new() }
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() }
}

#[tokio::test]
async fn client_credentials_ask_for_each_operations_scopes_and_a_client_without_credentials_sends_none() {
    let server = MockServer::start().await;
    let token = |value: &str| {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": value, "expires_in": 3600}))
    };
    Mock::given(path("/oauth/token"))
        .and(body_string_contains("scope=pets%3Aread"))
        .respond_with(token("r"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token"))
        .and(body_string_contains("scope=pets%3Awrite"))
        .respond_with(token("w"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(header("authorization", "Bearer r"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{"id": 1, "name": "Rex"}])))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(header("authorization", "Bearer w"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": 2, "name": "Tom"})))
        .mount(&server)
        .await;
    let credentials =
        Credentials::none().with_client_credentials(format!("{}/oauth/token", server.uri()), "app", "secret");
    let client = production::Client::with_credentials(credentials).with_base_url(&server.uri());
    assert_eq!(client.list_pets().send().await.unwrap().into_inner()[0].name, "Rex");
    // `tagIDs` is `tag_ids` in Rust, `tagIDs` on the wire.
    let listed = client.list_pets().limit(5).tag_ids(vec!["a".to_string(), "b".to_string()]).send().await.unwrap();
    assert_eq!(listed.len(), 1, "the read token is cached");
    let received = server.received_requests().await.unwrap();
    assert!(
        received.iter().any(|r| r.url.query() == Some("limit=5&tagIDs=a%2Cb")),
        "{:?}",
        received.iter().map(|r| r.url.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(client.create_pet().body(pet(2, "Tom")).send().await.unwrap().id, 2, "a write token for writing");

    // No credentials at all, and a header the spec does not declare: sent as they are.
    let anonymous = MockServer::start().await;
    Mock::given(path("/pets/7"))
        .and(header("x-tenant", "acme"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 7, "name": "Ada"})))
        .mount(&anonymous)
        .await;
    let client = production::Client::new(&anonymous.uri()).with_header("x-tenant", "acme");
    assert_eq!(client.get_pet().id(7).send().await.unwrap().name, "Ada");
    let received = anonymous.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none(), "no credentials were sent");
}

#[tokio::test]
async fn the_test_double_answers_typed_values_in_sequence_and_records_each_request() {
    let double = Arc::new(TestDouble::new());
    double.answer("get_pet", 503, &()).answer("get_pet", 200, &pet(7, "Rex")).answer(
        "create_pet",
        409,
        &production::types::Problem { message: Some("taken".into()) },
    );
    let client = production::Client::with_test_double(double.clone()).with_retry(fast_retries());
    let got = client.get_pet().id(7).send().await.unwrap();
    let got = got.into_inner();
    assert_eq!((got.id, got.name.as_str()), (7, "Rex"));
    let asked = double.requests_to("get_pet");
    assert_eq!(asked.len(), 2, "the 503 was retried");
    assert_eq!(asked[1].url, "https://api.example.com/v1/pets/7");
    match client.create_pet().body(pet(8, "Tom")).send().await {
        Err(fixture_clients::runtime::Error::ErrorResponse(problem)) => {
            assert_eq!(problem.status(), 409);
            assert_eq!(problem.into_inner().message.as_deref(), Some("taken"));
        }
        other => panic!("expected the typed 409, got {:?}", other.map(|p| p.into_inner())),
    }
    assert_eq!(double.requests_to("create_pet")[0].json(), Some(serde_json::json!({"id": 8, "name": "Tom"})));
    // `clientURLs` is the field `client_urls`, read and sent under its documented name.
    let with_urls: Pet =
        serde_json::from_value(serde_json::json!({"id": 1, "name": "a", "clientURLs": ["u"]})).unwrap();
    assert_eq!(with_urls.client_urls, ["u"]);
    assert_eq!(serde_json::to_value(&with_urls).unwrap()["clientURLs"], serde_json::json!(["u"]));
}

/// Counts attempts and stamps each with its number.
struct Stamp(Arc<AtomicUsize>);

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for Stamp {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let attempt = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        request.headers_mut().insert("x-attempt", attempt.into());
        next.run(request, extensions).await
    }
}

#[tokio::test]
async fn a_middleware_runs_for_every_attempt_of_a_generated_call() {
    let server = MockServer::start().await;
    Mock::given(path("/health"))
        .and(header("x-attempt", "1"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    Mock::given(path("/health"))
        .and(header("x-attempt", "2"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let attempts = Arc::new(AtomicUsize::new(0));
    let client = production::Client::with_config(&server.uri(), ClientConfig::default().with_retry(fast_retries()))
        .with_middleware(Stamp(attempts.clone()));
    assert_eq!(client.health().send().await.unwrap().status(), 204);
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

/// Every span created, with the thread that created it: one global subscriber for the whole
/// binary (a scoped one races with the other tests' threads over tracing's interest cache).
fn spans_of_this_thread() -> Vec<String> {
    use tracing_subscriber::layer::SubscriberExt;
    type Seen = Arc<Mutex<Vec<(std::thread::ThreadId, String)>>>;
    struct Names(Seen);
    struct Visitor<'a>(&'a mut Vec<String>);
    impl tracing::field::Visit for Visitor<'_> {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
            self.0.push(format!("{}={value:?}", field.name()));
        }
        fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
            self.0.push(format!("{}={value}", field.name()));
        }
    }
    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Names {
        fn on_new_span(
            &self,
            attrs: &tracing::span::Attributes<'_>,
            _: &tracing::span::Id,
            _: tracing_subscriber::layer::Context<'_, S>,
        ) {
            let mut fields = vec![attrs.metadata().name().to_string()];
            attrs.record(&mut Visitor(&mut fields));
            self.0.lock().unwrap().push((std::thread::current().id(), fields.join(" ")));
        }
    }
    static SEEN: std::sync::OnceLock<Seen> = std::sync::OnceLock::new();
    let seen = SEEN.get_or_init(|| {
        let seen = Seen::default();
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Names(seen.clone())));
        seen
    });
    let me = std::thread::current().id();
    seen.lock().unwrap().iter().filter(|(thread, _)| *thread == me).map(|(_, span)| span.clone()).collect()
}

#[tokio::test]
async fn each_call_is_a_span_named_by_its_template() {
    assert!(spans_of_this_thread().is_empty());
    let double = Arc::new(TestDouble::new());
    double.answer("get_pet", 200, &pet(7, "Rex"));
    production::Client::with_test_double(double).get_pet().id(7).send().await.unwrap();
    let spans = spans_of_this_thread();
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert!(spans[0].starts_with("http.client.request otel.name=GET /pets/{id}"), "{spans:?}");
    assert!(spans[0].contains("url.template=/pets/{id}") && spans[0].contains("operation.id=get_pet"), "{spans:?}");
}

#[test]
fn a_signed_webhook_is_verified_then_parsed_and_a_forged_one_is_refused() {
    use base64::Engine;
    use fixture_clients::webhooks::webhooks::{verify_and_parse, VerifyError, Webhook};
    use hmac::Mac;
    let key = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let secret = format!("whsec_{key}");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
    let body = br#"{"id": "o_1"}"#;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&engine.decode(key).unwrap()).unwrap();
    mac.update(format!("msg_1.{now}.").as_bytes());
    mac.update(body);
    let signature = format!("v1,{}", engine.encode(mac.finalize().into_bytes()));
    let mut headers = http::HeaderMap::new();
    headers.insert("webhook-id", "msg_1".parse().unwrap());
    headers.insert("webhook-timestamp", now.parse().unwrap());
    headers.insert("webhook-signature", signature.parse().unwrap());
    match verify_and_parse("order.created", &headers, body, &[&secret]) {
        Ok(Webhook::OrderCreated(order)) => assert_eq!(order.id, "o_1"),
        other => panic!("expected the order, got {other:?}"),
    }
    let forged = verify_and_parse("order.created", &headers, br#"{"id": "o_2"}"#, &[&secret]).unwrap_err();
    assert!(matches!(forged, VerifyError::Signature(_)), "{forged}");
}

#[tokio::test]
async fn an_undocumented_2xx_reads_as_the_one_documented_success_and_a_body_that_does_not_decode_stays_unexpected() {
    use fixture_clients::runtime::BodyExcerpt;
    let server = MockServer::start().await;
    // The spec documents 201; this server answers 200, as servers do.
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 3, "name": "Kit"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(202).set_body_string("queued"))
        .mount(&server)
        .await;
    let client = production::Client::new(&server.uri());
    let created = client.create_pet().body(pet(3, "Kit")).send().await.unwrap();
    assert_eq!((created.status().as_u16(), created.into_inner().id), (200, 3), "its status is kept");
    match client.create_pet().body(pet(3, "Kit")).send().await {
        Err(fixture_clients::runtime::Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status(), 202);
            assert!(response.decode_failure().is_some(), "and it says why");
        }
        other => panic!("expected the 202 whole, got {:?}", other.map(|r| r.status())),
    }
}

#[tokio::test]
async fn an_error_body_with_none_of_its_fields_keeps_the_servers_message_and_a_non_json_body_says_why() {
    use fixture_clients::runtime::BodyExcerpt;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(409).set_body_json(serde_json::json!({"detail": "name taken"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let client = production::Client::new(&server.uri());
    match client.create_pet().body(pet(1, "a")).send().await {
        Err(fixture_clients::runtime::Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status(), 409);
            assert!(response.body_excerpt().unwrap().contains("name taken"), "the message is not lost");
        }
        other => panic!("expected the 409 whole, got {:?}", other.map(|r| r.status())),
    }
    match client.get_pet().id(1).send().await {
        Err(fixture_clients::runtime::Error::UnexpectedResponse(response)) => {
            let failure = response.decode_failure().expect("decode_failure says why");
            assert_eq!(failure.path, ".");
            assert!(response.body_excerpt().unwrap().contains("maintenance"));
        }
        other => panic!("expected the page whole, got {:?}", other.map(|r| r.status())),
    }
}
