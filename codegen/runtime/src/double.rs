//! An in-process test double for code that uses a generated client (feature `test-double`):
//! canned answers per operation, in sequence, and the requests it was sent, without a socket.
//!
//! ```ignore
//! let double = Arc::new(TestDouble::new());
//! double.answer("get_pet", 503, &()).answer("get_pet", 200, &Pet { id: 7, name: "Rex".into() });
//! let client = Client::with_test_double(double.clone());
//! let pet = client.get_pet().id(7).send().await?; // retried after the 503
//! assert_eq!(double.requests_to("get_pet").len(), 2);
//! ```
//!
//! The client runs as against a server (credentials, retries, status decoding), only the network
//! is replaced: a canned timeout or connection failure is the error a real one would be, and
//! is retried like one.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use super::transport::Failure;

/// What one canned answer is.
#[derive(Clone, Debug)]
enum Canned {
    Answer { status: u16, content_type: Option<String>, body: Vec<u8>, headers: Vec<(String, String)> },
    Timeout,
    ConnectionFailure,
}

/// A request the double received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The operation's method name (`get_pet`).
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The URL, query included.
    pub url: String,
    /// The headers, in order, names lowercase (credentials included: it is a test).
    pub headers: Vec<(String, String)>,
    /// The body, when it was bytes (not a stream).
    pub body: Option<Vec<u8>>,
}

impl RecordedRequest {
    /// The value of header `name`, if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it was JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(self.body.as_deref()?).ok()
    }
}

/// Canned answers per operation, given in the order they are to be used, and every request
/// received. The last answer of an operation is used again for every further call.
#[derive(Debug, Default)]
pub struct TestDouble {
    answers: Mutex<BTreeMap<String, VecDeque<Canned>>>,
    requests: Mutex<Vec<RecordedRequest>>,
}

impl TestDouble {
    /// A double with no answers yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&self, operation: &str, canned: Canned) -> &Self {
        if let Ok(mut answers) = self.answers.lock() {
            answers.entry(operation.to_string()).or_default().push_back(canned);
        }
        self
    }

    /// The next answer to `operation` (its method name): `status` with `body` as JSON (a
    /// generated type, or `serde_json::json!`; `&()` for an empty body).
    pub fn answer(&self, operation: &str, status: u16, body: &impl serde::Serialize) -> &Self {
        let body = serde_json::to_vec(body).unwrap_or_default();
        let (content_type, body) = match body.as_slice() {
            b"null" => (None, Vec::new()),
            _ => (Some("application/json".to_string()), body),
        };
        self.push(operation, Canned::Answer { status, content_type, body, headers: Vec::new() })
    }

    /// The next answer to `operation`: `status` with `body` as `content_type` and `headers`.
    pub fn answer_with(
        &self,
        operation: &str,
        status: u16,
        content_type: &str,
        body: impl Into<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> &Self {
        let headers = headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        let canned =
            Canned::Answer { status, content_type: Some(content_type.to_string()), body: body.into(), headers };
        self.push(operation, canned)
    }

    /// The next call of `operation` times out.
    pub fn time_out(&self, operation: &str) -> &Self {
        self.push(operation, Canned::Timeout)
    }

    /// The next call of `operation` cannot connect.
    pub fn fail_to_connect(&self, operation: &str) -> &Self {
        self.push(operation, Canned::ConnectionFailure)
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The requests `operation` received, in order.
    pub fn requests_to(&self, operation: &str) -> Vec<RecordedRequest> {
        self.requests().into_iter().filter(|r| r.operation == operation).collect()
    }

    /// Records `request` and gives the next answer to `operation`.
    pub(super) fn answer_to(&self, operation: &str, request: reqwest::Request) -> Result<reqwest::Response, Failure> {
        let recorded = RecordedRequest {
            operation: operation.to_string(),
            method: request.method().to_string(),
            url: request.url().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect(),
            body: request.body().and_then(|b| b.as_bytes()).map(<[u8]>::to_vec),
        };
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(recorded);
        }
        let canned = self.answers.lock().ok().and_then(|mut answers| {
            let queue = answers.get_mut(operation)?;
            if queue.len() > 1 {
                queue.pop_front()
            } else {
                queue.front().cloned()
            }
        });
        match canned {
            None => Err(Failure::Other(format!(
                "{operation}: the test double has no answer for it; give one with `TestDouble::answer`"
            ))),
            Some(Canned::Timeout) => Err(failed_body(std::io::ErrorKind::TimedOut, "the test double timed out")),
            Some(Canned::ConnectionFailure) => {
                Err(failed_body(std::io::ErrorKind::ConnectionRefused, "the test double refused the connection"))
            }
            Some(Canned::Answer { status, content_type, body, headers }) => {
                let mut answer = http::Response::builder().status(status);
                if let Some(content_type) = content_type {
                    answer = answer.header(http::header::CONTENT_TYPE, content_type);
                }
                for (name, value) in headers {
                    answer = answer.header(name, value);
                }
                let answer = reqwest::ResponseBuilderExt::url(answer, request.url().clone())
                    .body(reqwest::Body::from(body))
                    .map_err(|error| Failure::Other(format!("{operation}: the test double's answer: {error}")))?;
                Ok(reqwest::Response::from(answer))
            }
        }
    }
}

/// A `reqwest::Error` caused by an I/O error of `kind`, as a failed connection gives, made
/// without one: the error of reading a body that fails so.
fn failed_body(kind: std::io::ErrorKind, message: &'static str) -> Failure {
    let failing = futures_util::stream::once(async move { Err::<bytes::Bytes, _>(std::io::Error::new(kind, message)) });
    let response = reqwest::Response::from(http::Response::new(reqwest::Body::wrap_stream(failing)));
    let error = futures_util::FutureExt::now_or_never(response.bytes());
    match error {
        Some(Err(error)) => Failure::Http(error),
        _ => Failure::Other(message.to_string()),
    }
}
