//! What every client of a generated crate carries beside its `reqwest::Client`.

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
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            credentials: Credentials::default(),
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
            user_agent: Some(USER_AGENT.into()),
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
}
