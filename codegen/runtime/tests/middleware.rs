//! The middleware seam: a `reqwest_middleware::Middleware` sees each attempt's final request,
//! credentials included, and its response.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use codegen_runtime::{call, ClientConfig, Credentials, Operation, RetryPolicy, Scheme, SchemeKind};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BEARER: Scheme = Scheme { name: "bearer", kind: SchemeKind::Bearer };
static LIST: Operation = Operation { id: "list", security: &[&[BEARER]], template: "/items", ..Operation::NONE };

/// Counts attempts, adds a header, and notes whether it saw the credentials.
struct Counting {
    attempts: Arc<AtomicUsize>,
    saw_credentials: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for Counting {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let attempt = self.attempts.fetch_add(1, Ordering::SeqCst) + 1;
        if request.headers().contains_key("authorization") {
            self.saw_credentials.fetch_add(1, Ordering::SeqCst);
        }
        request.headers_mut().insert("x-attempt", attempt.to_string().parse().unwrap());
        next.run(request, extensions).await
    }
}

#[tokio::test]
async fn a_middleware_sees_every_attempt_after_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .and(header("x-attempt", "1"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .and(header("x-attempt", "2"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let (attempts, saw_credentials) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let config = ClientConfig::default()
        .with_credentials(Credentials::none().with_bearer_token("t"))
        .with_retry(RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() })
        .with_middleware(Counting { attempts: attempts.clone(), saw_credentials: saw_credentials.clone() });
    let request = reqwest::Request::new(reqwest::Method::GET, format!("{}/items", server.uri()).parse().unwrap());
    let response = call::<()>(&reqwest::Client::new(), &config, &LIST, request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(attempts.load(Ordering::SeqCst), 2, "the retry went through the middleware too");
    assert_eq!(saw_credentials.load(Ordering::SeqCst), 2);
}
