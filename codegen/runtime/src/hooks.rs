//! The bodies of the `ClientHooks` every generated client implements: each generated module
//! passes its table of [`Operation`]s, and the glue it emits is one call per hook.

use progenitor_client::Error;

use super::config::ClientConfig;
use super::credentials::Scheme;

/// What the runtime needs to know about one operation, from the API's documentation. Each
/// generated module holds a table of them sorted by `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The method's name, which progenitor reports as `OperationInfo::operation_id`.
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
    /// The media type a body passed as text is really sent with (progenitor sends text as
    /// `text/plain`).
    pub content_type: Option<&'static str>,
    /// Parameters sent under another name than their Rust one because two were one Rust name:
    /// (name the generated code sends, documented name, whether it is a header).
    pub wire_names: &'static [(&'static str, &'static str, bool)],
}

impl Operation {
    /// An operation that documents nothing: no credentials, no statuses, names as generated.
    pub const NONE: Operation = Operation {
        id: "",
        security: &[],
        json_statuses: &[],
        documented_statuses: &[],
        empty_as_null: &[],
        content_type: None,
        wire_names: &[],
    };

    /// The operation named `id` in `table` (sorted by id), or [`Operation::NONE`].
    pub fn find(table: &'static [Operation], id: &str) -> &'static Operation {
        match table.binary_search_by(|operation| operation.id.cmp(id)) {
            Ok(index) => &table[index],
            Err(_) => &Operation::NONE,
        }
    }
}

/// Before sending: documented parameter names restored, the body's documented media type,
/// and the credentials of the operation's first security requirement that can be met.
///
/// # Errors
/// `InvalidRequest` naming the schemes the operation needs when no credentials meet them.
// The error type is the one progenitor's `ClientHooks` returns; it is not ours to shrink.
#[allow(clippy::result_large_err)]
pub fn pre<E>(config: &ClientConfig, operation: &Operation, request: &mut reqwest::Request) -> Result<(), Error<E>> {
    super::wire::restore_wire_names(request, operation.wire_names);
    if let Some(value) = config.user_agent.as_deref().and_then(|v| reqwest::header::HeaderValue::from_str(v).ok()) {
        request.headers_mut().insert(reqwest::header::USER_AGENT, value);
    }
    if let Some(media_type) = operation.content_type {
        request
            .headers_mut()
            .insert(reqwest::header::CONTENT_TYPE, reqwest::header::HeaderValue::from_static(media_type));
    }
    config
        .credentials
        .apply(operation.security, request)
        .map_err(|message| Error::InvalidRequest(format!("{}: {message}", operation.id)))
}

/// Sending: retried as the client's policy says, then the body read whole when it may need
/// reporting (see [`super::buffer`]).
///
/// # Errors
/// The connection error of the last attempt, or a failure to read the body.
pub async fn exec(
    client: &reqwest::Client,
    config: &ClientConfig,
    operation: &Operation,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    let response = super::retry::execute(client, request, &config.retry, &config.timeouts, operation.id).await?;
    super::response::buffer(response, operation.json_statuses, operation.documented_statuses, operation.empty_as_null)
        .await
}

/// After receiving: a documented JSON status whose body is not JSON becomes an unexpected
/// response (status, headers and body) instead of a payload error without them.
///
/// # Errors
/// `UnexpectedResponse` with the whole response, as described.
// The error type is the one progenitor's `ClientHooks` returns; it is not ours to shrink.
#[allow(clippy::result_large_err)]
pub fn post<E>(result: &reqwest::Result<reqwest::Response>, operation: &Operation) -> Result<(), Error<E>> {
    match result.as_ref().ok().and_then(|r| super::response::undecodable(r, operation.json_statuses)) {
        Some(response) => Err(Error::UnexpectedResponse(response)),
        None => Ok(()),
    }
}
