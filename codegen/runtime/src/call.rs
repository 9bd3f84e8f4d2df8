//! One call of an operation, start to end ([`call`]): every generated `send` builds its request
//! and hands it here with its operation's [`Operation`].

use super::Error;
use tracing::Instrument;

use super::config::ClientConfig;
use super::credentials::{Scheme, Secret};
use super::transport::Failure;

/// What the runtime needs to know about one operation, from the API's documentation. A
/// generated module holds one static per operation, behind the operation's feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The operation's method name, as spans and errors name it.
    pub id: &'static str,
    /// The documented security requirements: alternatives, each a set of schemes sent together.
    pub security: &'static [&'static [Scheme]],
    /// Statuses documented with a JSON body.
    pub json_statuses: &'static [u16],
    /// Every numeric status documented.
    pub documented_statuses: &'static [u16],
    /// Statuses documented without a body beside successes with one: an empty body reads as
    /// `null`, which the operation's optional type stands for.
    pub empty_as_null: &'static [u16],
    /// Parameters that carry a credential or look like one (lowercase): their values are
    /// redacted from every URL and header an error prints.
    pub secret_names: &'static [&'static str],
    /// The header the API documents for idempotency keys (`Idempotency-Key`), if any.
    pub idempotency_header: Option<&'static str>,
    /// The OAuth2 scopes its security requirements name, asked of a token provider.
    pub scopes: &'static [&'static str],
    /// Its path template (`/pets/{id}`), the `url.template` of its span.
    pub template: &'static str,
}

impl Operation {
    /// An operation that documents nothing: no credentials, no statuses, names as generated.
    pub const NONE: Operation = Operation {
        id: "",
        security: &[],
        json_statuses: &[],
        documented_statuses: &[],
        empty_as_null: &[],
        secret_names: &[],
        idempotency_header: None,
        scopes: &[],
        template: "",
    };
}

/// What every operation's request goes through, in order, once it is built (its parameters
/// checked, its URL, headers and body as documented), inside the call's span (`span`):
/// 1. [`pre`]: the client's `User-Agent`, the credentials the operation needs (a token
///    provider's token asked for), the call's own options (headers, query parameters,
///    idempotency key);
/// 2. [`exec`]: sent through the transport (the caller's middleware, or a test double),
///    retried as the client's policy says within its time limits, the body read whole when it
///    may need reporting, secrets redacted from what an error can print; a 401 to a provider's
///    token is sent once more with a fresh one;
/// 3. [`post`]: a documented JSON status whose body is not JSON is an unexpected response.
///
/// The caller then decodes the response by its status.
///
/// # Errors
/// What each step fails with, as described there; a connection error of the last attempt is
/// `Error::CommunicationError`.
#[allow(clippy::result_large_err)]
pub async fn call<E>(
    client: &reqwest::Client,
    config: &ClientConfig,
    operation: &Operation,
    request: reqwest::Request,
) -> Result<reqwest::Response, Error<E>> {
    let span = span(operation, &request);
    async move {
        let spare = config.credentials.wants_token(operation.security).then(|| request.try_clone()).flatten();
        let mut request = request;
        let token = pre(config, operation, &mut request).await?;
        let mut result = exec(client, config, operation, request).await;
        let refused = matches!(&result, Ok(response) if response.status() == reqwest::StatusCode::UNAUTHORIZED);
        if let (true, Some(token), Some(mut again), Some(provider)) =
            (refused, token, spare, config.credentials.provider())
        {
            provider.invalidate(&token);
            pre(config, operation, &mut again).await?;
            result = exec(client, config, operation, again).await;
        }
        record_outcome(&result);
        post(&result, operation)?;
        result.map_err(Failure::into_error)
    }
    .instrument(span)
    .await
}

/// The span of one call, with OpenTelemetry's HTTP client attributes (the status and the
/// resend count recorded as they become known); no value that could carry a secret: the
/// template, not the URL. Without a subscriber it costs a check of a static.
fn span(operation: &Operation, request: &reqwest::Request) -> tracing::Span {
    let method = request.method().as_str();
    let url = request.url();
    tracing::info_span!(
        "http.client.request",
        otel.name = %format_args!("{method} {}", operation.template),
        otel.kind = "client",
        http.request.method = method,
        url.template = operation.template,
        server.address = url.host_str().unwrap_or_default(),
        server.port = url.port_or_known_default(),
        operation.id = operation.id,
        http.response.status_code = tracing::field::Empty,
        http.request.resend_count = tracing::field::Empty,
        error.type = tracing::field::Empty,
    )
}

/// The call's status, or why it failed, on its span.
fn record_outcome(result: &Result<reqwest::Response, Failure>) {
    let span = tracing::Span::current();
    match result {
        Ok(response) => {
            span.record("http.response.status_code", response.status().as_u16());
            if !response.status().is_success() {
                span.record("error.type", response.status().as_str());
            }
        }
        Err(Failure::Http(error)) if error.is_timeout() => {
            span.record("error.type", "timeout");
        }
        Err(_) => {
            span.record("error.type", "_OTHER");
        }
    }
}

/// [`call`] for an operation whose answer streams (events, JSON lines, bytes): sent and
/// retried as any call until the answer's head arrives, within the call's time limits; a
/// success's body is then handed on unread and without a deadline (the stream's idle timeout
/// applies, [`ClientConfig::stream_idle`]); an error's body is read and checked as [`call`]
/// does.
///
/// # Errors
/// As [`call`]; the time limits passing before the head arrives is `Error::Custom` saying so.
#[allow(clippy::result_large_err)]
pub async fn call_stream<E>(
    client: &reqwest::Client,
    config: &ClientConfig,
    operation: &Operation,
    mut request: reqwest::Request,
) -> Result<reqwest::Response, Error<E>> {
    /// Longer than any stream: the `reqwest::Client`'s own total timeout must not cut one.
    const STREAM_LIFETIME: std::time::Duration = std::time::Duration::from_secs(365 * 24 * 3600);
    let span = span(operation, &request);
    async move {
        pre(config, operation, &mut request).await?;
        *request.timeout_mut() = Some(STREAM_LIFETIME);
        let secret_names = secret_names(config, operation);
        let untimed = super::retry::Timeouts { attempt: None, operation: None };
        let sending = super::retry::execute(client, config, request, &untimed, operation.id);
        let limit = config.timeouts.operation.or(config.timeouts.attempt);
        let sent = match limit {
            Some(limit) => tokio::time::timeout(limit, sending)
                .await
                .map_err(|_| Error::Custom(format!("{}: no answer within {} s", operation.id, limit.as_secs_f32())))?,
            None => sending.await,
        };
        let response = sent.map_err(|failure| redacted(failure, &secret_names).into_error())?;
        let response = super::redact::response(response, &secret_names);
        if response.status().is_success() {
            tracing::Span::current().record("http.response.status_code", response.status().as_u16());
            return Ok(response);
        }
        let result = super::response::buffer(
            response,
            operation.json_statuses,
            operation.documented_statuses,
            operation.empty_as_null,
        )
        .await
        .map_err(|error| Failure::Http(super::redact::error(error, &secret_names)));
        record_outcome(&result);
        post(&result, operation)?;
        result.map_err(Failure::into_error)
    }
    .instrument(span)
    .await
}

/// Before sending: the client's `User-Agent`, the credentials of the operation's first security
/// requirement that can be met (the token provider asked for a token when a bearer scheme may
/// need one), then the call's own headers, query parameters and idempotency key
/// ([`super::RequestOptions`]). The generated request already carries the documented names,
/// media types and `Accept`. Returns the provider's token, when one was used.
///
/// # Errors
/// `InvalidRequest` naming the schemes the operation needs when the client's credentials meet
/// none (and the operation's security is not optional), why the token provider gave no token,
/// or the option header that is not a valid header.
// The error type is progenitor-client's, which every `send` returns.
#[allow(clippy::result_large_err)]
pub async fn pre<E>(
    config: &ClientConfig,
    operation: &Operation,
    request: &mut reqwest::Request,
) -> Result<Option<Secret>, Error<E>> {
    if let Some(value) = config.user_agent.as_deref().and_then(|v| reqwest::header::HeaderValue::from_str(v).ok()) {
        request.headers_mut().insert(reqwest::header::USER_AGENT, value);
    }
    let token = match config.credentials.provider().filter(|_| config.credentials.wants_token(operation.security)) {
        Some(provider) => Some(
            provider
                .token(operation.scopes)
                .await
                .map_err(|message| Error::InvalidRequest(format!("{}: no token: {message}", operation.id)))?,
        ),
        None => None,
    };
    config
        .credentials
        .apply(operation.security, request, token.as_ref())
        .map_err(|message| Error::InvalidRequest(format!("{}: {message}", operation.id)))?;
    apply_options(config, operation, request)
        .map_err(|message| Error::InvalidRequest(format!("{}: {message}", operation.id)))?;
    Ok(token)
}

/// The header an idempotency key goes in when the API documents none.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

fn apply_options(config: &ClientConfig, operation: &Operation, request: &mut reqwest::Request) -> Result<(), String> {
    use reqwest::header::{HeaderName, HeaderValue};
    for (name, value) in &config.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("`{name}` is not a header name"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| format!("the value of header `{name}` is not a valid header value"))?;
        request.headers_mut().insert(name, value);
    }
    if !config.query.is_empty() {
        request.url_mut().query_pairs_mut().extend_pairs(&config.query);
    }
    let header = operation.idempotency_header.unwrap_or(IDEMPOTENCY_KEY);
    let header = HeaderName::from_bytes(header.as_bytes()).map_err(|_| format!("`{header}` is not a header name"))?;
    if request.headers().contains_key(&header) {
        return Ok(());
    }
    let key = match (&config.idempotency_key, operation.idempotency_header) {
        (Some(key), _) => key.clone(),
        // A documented idempotency header on a method that is not idempotent: a fresh key per
        // call, the same for each of its retries (the request is cloned after this).
        (None, Some(_)) if !super::retry::is_idempotent(request.method()) => random_key(),
        (None, _) => return Ok(()),
    };
    let value =
        HeaderValue::from_str(&key).map_err(|_| "the idempotency key is not a valid header value".to_string())?;
    request.headers_mut().insert(header, value);
    Ok(())
}

/// A random version 4 UUID, as text. Idempotency keys must be unique, not secret: `fastrand`,
/// seeded per thread from the OS's randomness, is enough.
fn random_key() -> String {
    let bits = (fastrand::u128(..) & !(0xf000 << 64) & !(0xc000 << 48)) | (0x4000 << 64) | (0x8000 << 48);
    let hex = format!("{bits:032x}");
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// The names whose values are redacted from what an error of `operation` prints: its secret
/// parameters and the credentials' own.
fn secret_names<'a>(config: &'a ClientConfig, operation: &'a Operation) -> Vec<&'a str> {
    let mut names: Vec<&str> = operation.secret_names.to_vec();
    names.extend(config.credentials.parameter_names());
    names
}

/// A failure with the secrets redacted from the URL it prints.
fn redacted(failure: Failure, secret_names: &[&str]) -> Failure {
    match failure {
        Failure::Http(error) => Failure::Http(super::redact::error(error, secret_names)),
        other => other,
    }
}

/// Sending: retried as the client's policy says, then the body read whole when it may need
/// reporting (see [`super::buffer`]).
///
/// # Errors
/// The failure of the last attempt, or a failure to read the body.
pub async fn exec(
    client: &reqwest::Client,
    config: &ClientConfig,
    operation: &Operation,
    request: reqwest::Request,
) -> Result<reqwest::Response, Failure> {
    let secret_names = secret_names(config, operation);
    let response = super::retry::execute(client, config, request, &config.timeouts, operation.id)
        .await
        .map_err(|failure| redacted(failure, &secret_names))?;
    let response = super::redact::response(response, &secret_names);
    super::response::buffer(response, operation.json_statuses, operation.documented_statuses, operation.empty_as_null)
        .await
        .map_err(|error| Failure::Http(super::redact::error(error, &secret_names)))
}

/// After receiving: a documented JSON status whose body is not JSON becomes an unexpected
/// response (status, headers and body) instead of a payload error without them.
///
/// # Errors
/// `UnexpectedResponse` with the whole response, as described.
// The error type is progenitor-client's, which every `send` returns.
#[allow(clippy::result_large_err)]
pub fn post<E>(result: &Result<reqwest::Response, Failure>, operation: &Operation) -> Result<(), Error<E>> {
    match result.as_ref().ok().and_then(|r| super::response::undecodable(r, operation.json_statuses)) {
        Some(response) => Err(Error::UnexpectedResponse(response)),
        None => Ok(()),
    }
}
