//! Sending a request again when the server asks for it or the connection failed.

use std::time::Duration;

/// When and how often a request is sent again.
///
/// 429 and 503 responses are retried, waiting what `Retry-After` says (capped) or an
/// exponential backoff with jitter. Connection failures are retried only for idempotent
/// methods: a POST whose connection dropped may have been processed, so it is never sent
/// twice. Every retry emits a `tracing` warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it.
    pub base_delay: Duration,
    /// The longest backoff.
    pub max_delay: Duration,
    /// The longest wait a server's `Retry-After` can ask for; longer gives up.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn disabled() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// The wait before retry number `retry` (0 for the first) when the server did not say:
    /// `base_delay` doubled per retry up to `max_delay`, then a random point between half and
    /// all of it ("full jitter" keeps many clients from retrying in step).
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponential = self.base_delay.saturating_mul(1u32 << retry.min(16)).min(self.max_delay);
        let half = exponential / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

fn is_idempotent(method: &reqwest::Method) -> bool {
    matches!(
        *method,
        reqwest::Method::GET
            | reqwest::Method::HEAD
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::OPTIONS
            | reqwest::Method::TRACE
    )
}

fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Sends `request` with `client`, retrying as `policy` says.
///
/// # Errors
/// The last connection error, once retries are spent or the request may not be replayed.
pub async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
    policy: &RetryPolicy,
    operation_id: &str,
) -> reqwest::Result<reqwest::Response> {
    let mut attempt = 0;
    let mut current = request;
    loop {
        // A streaming body cannot be cloned: such a request is sent once.
        let spare = if attempt < policy.max_retries { current.try_clone() } else { None };
        let outcome = client.execute(current).await;
        let Some(next) = spare else { return outcome };
        let wait = match &outcome {
            Ok(response) if matches!(response.status().as_u16(), 429 | 503) => match retry_after(response) {
                Some(asked) if asked > policy.max_retry_after => return outcome,
                Some(asked) => asked,
                None => policy.backoff(attempt),
            },
            Err(error)
                if is_idempotent(next.method()) && (error.is_connect() || error.is_timeout() || error.is_request()) =>
            {
                policy.backoff(attempt)
            }
            _ => return outcome,
        };
        attempt += 1;
        tracing::warn!(
            operation_id,
            attempt,
            wait_ms = wait.as_millis() as u64,
            status = outcome.as_ref().ok().map(|r| r.status().as_u16()),
            "retrying request"
        );
        tokio::time::sleep(wait).await;
        current = next;
    }
}
