//! What every client of a generated crate carries beside its `reqwest::Client`.

use std::time::Duration;

use super::credentials::Credentials;
use super::retry::{RetryPolicy, Timeouts};

/// The `User-Agent` sent unless the caller sets another: the generated crate's name and version,
/// so the vendor can tell which client version a request came from.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// What every client of this crate carries: credentials, a retry policy, time limits and a
/// `User-Agent`.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Sent with each operation as its security requirements say.
    pub credentials: Credentials,
    /// How failed requests are retried.
    pub retry: RetryPolicy,
    /// How long an attempt, and an operation with its retries, may take.
    pub timeouts: Timeouts,
    /// The `User-Agent` header of every request; `None` leaves it to the `reqwest::Client`
    /// (for one built with its own `user_agent`).
    pub user_agent: Option<String>,
    /// Headers added to every request (after the operation's own, which they replace).
    pub headers: Vec<(String, String)>,
    /// Query parameters added to every request.
    pub query: Vec<(String, String)>,
    /// The `Idempotency-Key` of the next call (see [`RequestOptions::idempotency_key`]).
    pub idempotency_key: Option<String>,
    /// How long a streamed answer (events, JSON lines) may stay silent before it fails; the
    /// call's time limits bound only the wait for its head.
    pub stream_idle: Duration,
    /// The caller's middleware, run for each attempt (feature `middleware`).
    #[cfg(feature = "middleware")]
    pub middleware: super::transport::Layers,
    /// The test double answering instead of the network (feature `test-double`).
    #[cfg(feature = "test-double")]
    pub test_double: Option<std::sync::Arc<super::TestDouble>>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            credentials: Credentials::default(),
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
            user_agent: Some(USER_AGENT.into()),
            headers: Vec::new(),
            query: Vec::new(),
            idempotency_key: None,
            stream_idle: super::stream::IDLE_TIMEOUT,
            #[cfg(feature = "middleware")]
            middleware: super::transport::Layers::default(),
            #[cfg(feature = "test-double")]
            test_double: None,
        }
    }
}

impl ClientConfig {
    /// Sets the `User-Agent` (`None`: the `reqwest::Client`'s own, if it has one).
    pub fn with_user_agent(mut self, user_agent: Option<String>) -> Self {
        self.user_agent = user_agent;
        self
    }

    /// Sets the credentials.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Sets the time limits per attempt and per operation.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Adds a header to every request (a token the documentation does not declare, a tenant
    /// id); it replaces a header of the same name the operation sets.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a middleware, run for each attempt after the ones added before it: it sees the
    /// final request (credentials included) and the response (feature `middleware`).
    #[cfg(feature = "middleware")]
    pub fn with_middleware(mut self, middleware: impl reqwest_middleware::Middleware) -> Self {
        self.middleware.0.push(std::sync::Arc::new(middleware));
        self
    }

    /// Answers every request from `double` instead of the network (feature `test-double`).
    #[cfg(feature = "test-double")]
    pub fn with_test_double(mut self, double: std::sync::Arc<super::TestDouble>) -> Self {
        self.test_double = Some(double);
        self
    }

    /// This configuration with `options` applied on top.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        let RequestOptions { timeouts, retry, headers, query, idempotency_key, stream_idle } = options;
        self.stream_idle = stream_idle.unwrap_or(self.stream_idle);
        self.timeouts = timeouts.unwrap_or(self.timeouts);
        self.retry = retry.unwrap_or(self.retry);
        self.headers.extend(headers);
        self.query.extend(query);
        self.idempotency_key = idempotency_key.or(self.idempotency_key);
        self
    }
}

/// Settings for one call, applied with the generated `Client::with_options`, which returns a
/// cheap copy of the client for that call:
///
/// ```ignore
/// client
///     .with_options(RequestOptions::new().timeout(Duration::from_secs(2)).idempotency_key("order-42"))
///     .create_order()
///     .body(order)
///     .send()
///     .await?;
/// ```
///
/// Anything left unset is the client's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    timeouts: Option<Timeouts>,
    retry: Option<RetryPolicy>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    idempotency_key: Option<String>,
    stream_idle: Option<Duration>,
}

impl RequestOptions {
    /// The client's settings, unchanged.
    pub fn new() -> Self {
        Self::default()
    }

    /// The whole call, retries and waits included, must end within `limit`; so must each
    /// attempt.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeouts = Some(Timeouts { attempt: Some(limit), operation: Some(limit) });
        self
    }

    /// Time limits per attempt and for the whole call.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Another retry policy for the call ([`RetryPolicy::disabled`]: sent once).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// A header sent with the call (a correlation id, a header the documentation omits). A
    /// name or value a header cannot carry makes the call fail with `InvalidRequest` before
    /// anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A query parameter sent with the call.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The `Idempotency-Key` of the call (in the header the API documents for it, if it names
    /// one), sent again unchanged with each retry. The server then does the work once however
    /// often the request arrives, so a POST is retried after a dropped connection too. An
    /// operation that documents an idempotency header gets a random key when none is given.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// How long a streamed answer (server-sent events, JSON lines) may stay silent before it
    /// fails with an error item (default 5 minutes). A stream has no other time limit.
    pub fn stream_idle(mut self, limit: Duration) -> Self {
        self.stream_idle = Some(limit);
        self
    }
}
