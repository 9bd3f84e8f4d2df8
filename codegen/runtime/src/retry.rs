//! Sending a request again when the server asks for it or the connection failed, within a
//! time limit per attempt and for the whole operation.

use std::time::{Duration, Instant, SystemTime};

use super::transport::Failure;

/// How long one attempt, and the whole operation with its retries and waits, may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Each attempt, from connecting to the end of the body's headers (the request's own
    /// timeout, which overrides the `reqwest::Client`'s). `None`: the client's.
    pub attempt: Option<Duration>,
    /// The operation: all attempts and the waits between them. A retry that would not start
    /// before it ends is not made. `None`: no limit beyond the attempts'.
    pub operation: Option<Duration>,
}

impl Default for Timeouts {
    /// 30 s per attempt, 90 s for the operation.
    fn default() -> Self {
        Self { attempt: Some(Duration::from_secs(30)), operation: Some(Duration::from_secs(90)) }
    }
}

/// When and how often a request is sent again.
///
/// 429 and 503 responses are retried for every method (the server did not act on the
/// request), 408, 502 and 504 and connection failures or timeouts only when the request may be
/// replayed: an idempotent method, or one carrying an `Idempotency-Key`. A POST whose
/// connection dropped may have been processed, so it is never sent twice. The wait is what
/// `Retry-After` says, in seconds or as an HTTP date (capped), or an exponential backoff with
/// jitter. Every retry emits a `tracing` warning.
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

pub(super) fn is_idempotent(method: &reqwest::Method) -> bool {
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

/// Whether the request may be sent twice without doing its work twice: an idempotent method,
/// or an idempotency key (`Idempotency-Key`, or the variant an API documents, such as
/// `X-Idempotency-Key`).
fn replayable(request: &reqwest::Request) -> bool {
    is_idempotent(request.method()) || request.headers().keys().any(|name| name.as_str().contains("idempotency"))
}

/// `Retry-After` as a wait: delay-seconds, or an HTTP date (a date already past is no wait).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// Sends `request` through the client's transport (`transport::send`), retrying as
/// `config.retry` says, within `timeouts`. Each attempt is an event of the call's span, and
/// the span's `http.request.resend_count` counts the retries.
///
/// # Errors
/// The last connection error or timeout, once retries are spent, the operation's time is up,
/// or the request may not be replayed.
pub async fn execute(
    client: &reqwest::Client,
    config: &super::ClientConfig,
    request: reqwest::Request,
    timeouts: &Timeouts,
    operation_id: &str,
) -> Result<reqwest::Response, Failure> {
    let policy = &config.retry;
    let started = Instant::now();
    let left = |now: Instant| timeouts.operation.map(|limit| limit.saturating_sub(now - started));
    let mut attempt = 0;
    let mut current = request;
    loop {
        let limit = match (timeouts.attempt, left(Instant::now())) {
            (Some(attempt), Some(left)) => Some(attempt.min(left)),
            (attempt, left) => attempt.or(left),
        };
        if let Some(limit) = limit {
            *current.timeout_mut() = Some(limit);
        }
        // A streaming body cannot be cloned: such a request is sent once.
        let spare = if attempt < policy.max_retries { current.try_clone() } else { None };
        let outcome = super::transport::send(client, config, operation_id, current).await;
        tracing::debug!(
            attempt,
            http.response.status_code = outcome.as_ref().ok().map(|r| r.status().as_u16()),
            error = outcome.as_ref().err().map(|e| e.to_string()),
            "attempt"
        );
        let Some(next) = spare else { return outcome };
        let wait = match &outcome {
            Ok(response) => match response.status().as_u16() {
                429 | 503 => match retry_after(response.headers()) {
                    Some(asked) if asked > policy.max_retry_after => return outcome,
                    Some(asked) => asked,
                    None => policy.backoff(attempt),
                },
                408 | 502 | 504 if replayable(&next) => policy.backoff(attempt),
                _ => return outcome,
            },
            Err(failure) if replayable(&next) && failure.is_transient() => policy.backoff(attempt),
            Err(_) => return outcome,
        };
        // No retry that could not start before the operation's time is up.
        if left(Instant::now()).is_some_and(|left| wait >= left) {
            return outcome;
        }
        attempt += 1;
        tracing::Span::current().record("http.request.resend_count", attempt);
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
