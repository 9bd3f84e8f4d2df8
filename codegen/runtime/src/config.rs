//! What every client of a generated crate carries beside its `reqwest::Client`.

use super::credentials::Credentials;
use super::retry::RetryPolicy;

/// What every client of this crate carries: credentials and a retry policy.
#[derive(Clone, Debug, Default)]
pub struct ClientConfig {
    /// Sent with each operation as its security requirements say.
    pub credentials: Credentials,
    /// How failed requests are retried.
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// Sets the credentials.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}
