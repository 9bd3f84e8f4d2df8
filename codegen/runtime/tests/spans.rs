//! Tracing: one span per call with OpenTelemetry's HTTP client attributes, one event per
//! attempt, no secret in any of them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codegen_runtime::{call, ClientConfig, Credentials, Operation, RetryPolicy, Scheme, SchemeKind};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: Scheme = Scheme { name: "key", kind: SchemeKind::Query("api_key") };
static GET_PET: Operation = Operation { id: "get_pet", security: &[&[KEY]], template: "/pets/{id}", ..Operation::NONE };

type Fields = BTreeMap<String, String>;

/// Every closed span's name and fields, and every event's fields.
#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<Vec<(String, Fields)>>>,
    events: Arc<Mutex<Vec<Fields>>>,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Capture {
    fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, id: &tracing::span::Id, ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        attrs.record(&mut Collect(&mut fields));
        ctx.span(id).unwrap().extensions_mut().insert(fields);
    }
    fn on_record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>, ctx: Context<'_, S>) {
        let span = ctx.span(id).unwrap();
        let mut extensions = span.extensions_mut();
        values.record(&mut Collect(extensions.get_mut::<Fields>().unwrap()));
    }
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::new();
        event.record(&mut Collect(&mut fields));
        self.events.lock().unwrap().push(fields);
    }
    fn on_close(&self, id: tracing::span::Id, ctx: Context<'_, S>) {
        let span = ctx.span(&id).unwrap();
        let fields = span.extensions().get::<Fields>().cloned().unwrap_or_default();
        self.spans.lock().unwrap().push((span.name().to_string(), fields));
    }
}

#[tokio::test]
async fn a_call_is_one_span_with_http_client_attributes_and_an_event_per_attempt() {
    let server = MockServer::start().await;
    Mock::given(path("/pets/7")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/pets/7")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let config = ClientConfig::default()
        .with_credentials(Credentials::none().with_api_key("api_key", "s3cr3t"))
        .with_retry(RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() });
    let request = reqwest::Request::new(reqwest::Method::GET, format!("{}/pets/7", server.uri()).parse().unwrap());
    let response = call::<()>(&reqwest::Client::new(), &config, &GET_PET, request).await.unwrap();
    assert_eq!(response.status(), 404);
    let spans = capture.spans.lock().unwrap().clone();
    let calls: Vec<&Fields> = spans.iter().filter(|(name, _)| name == "http.client.request").map(|(_, f)| f).collect();
    assert_eq!(calls.len(), 1, "{spans:?}");
    let span = calls[0];
    let port = server.address().port().to_string();
    let expected = [
        ("otel.name", "GET /pets/{id}"),
        ("otel.kind", "client"),
        ("http.request.method", "GET"),
        ("url.template", "/pets/{id}"),
        ("server.address", "127.0.0.1"),
        ("server.port", port.as_str()),
        ("operation.id", "get_pet"),
        ("http.response.status_code", "404"),
        ("http.request.resend_count", "1"),
        ("error.type", "404"),
    ];
    for (name, value) in expected {
        assert_eq!(span.get(name).map(String::as_str), Some(value), "{name} in {span:?}");
    }
    let events = capture.events.lock().unwrap().clone();
    let attempts = events.iter().filter(|e| e.get("message").is_some_and(|m| m == "attempt"));
    let statuses: Vec<&str> = attempts.filter_map(|e| e.get("http.response.status_code")).map(String::as_str).collect();
    assert_eq!(statuses, ["503", "404"], "one event per attempt");
    let everything = format!("{spans:?} {:?}", capture.events.lock().unwrap());
    assert!(!everything.contains("s3cr3t"), "no secret in any span or event: {everything}");
}
