//! Keeping credentials out of everything an error prints.
//!
//! A transport error's `Display` and `Debug` name the request URL, and an unexpected
//! response's `Debug` its URL and headers. An API key sent in the query string, a password in
//! the URL's user info, or a session cookie the server sets would then reach logs. Every URL
//! the client reports has those values replaced by [`REDACTED`], and every response header
//! that can carry a credential is marked sensitive (its `Debug` prints `Sensitive`).
//!
//! Which names carry a credential is decided where the spec is read: the generator lists, per
//! operation, its parameters that are credentials or look like one (`Operation::secret_names`),
//! and the client adds the query parameters its own API keys go in.

/// What a redacted value is replaced with.
pub const REDACTED: &str = "REDACTED";

/// Response headers that carry credentials whatever the API.
const CREDENTIAL_HEADERS: [&str; 4] = ["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// `url` without credentials: the user info's password and the value of every query parameter
/// named in `secret_names` (lowercase) replaced by [`REDACTED`]. `None` when there was nothing
/// to redact.
pub fn url(url: &reqwest::Url, secret_names: &[&str]) -> Option<reqwest::Url> {
    let secret_query = url.query_pairs().any(|(name, _)| is_secret(&name, secret_names));
    if url.password().is_none() && !secret_query {
        return None;
    }
    let mut redacted = url.clone();
    if redacted.password().is_some() {
        // Only URLs that cannot carry user info refuse this, and they had none.
        let _ = redacted.set_password(Some(REDACTED));
    }
    if secret_query {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if is_secret(&name, secret_names) { REDACTED.into() } else { value.into_owned() };
                (name.into_owned(), value)
            })
            .collect();
        redacted.query_pairs_mut().clear().extend_pairs(pairs);
    }
    Some(redacted)
}

fn is_secret(name: &str, secret_names: &[&str]) -> bool {
    secret_names.iter().any(|secret| secret.eq_ignore_ascii_case(name))
}

/// A transport error whose URL carries no credential.
pub fn error(mut error: reqwest::Error, secret_names: &[&str]) -> reqwest::Error {
    if let Some(redacted) = error.url().and_then(|u| url(u, secret_names)) {
        if let Some(url) = error.url_mut() {
            *url = redacted;
        }
    }
    error
}

/// A response whose URL carries no credential and whose credential-carrying headers (the
/// usual ones and any named in `secret_names`) are marked sensitive. The body, streamed or
/// not, is passed on untouched.
pub fn response(response: reqwest::Response, secret_names: &[&str]) -> reqwest::Response {
    let redacted_url = url(response.url(), secret_names);
    let marks_headers =
        response.headers().iter().any(|(name, value)| !value.is_sensitive() && carries_credential(name, secret_names));
    if redacted_url.is_none() && !marks_headers {
        return response;
    }
    let url = redacted_url.unwrap_or_else(|| response.url().clone());
    let (mut parts, body) = http::Response::from(response).into_parts();
    for (name, value) in parts.headers.iter_mut() {
        if carries_credential(name, secret_names) {
            value.set_sensitive(true);
        }
    }
    // The URL travels as an extension only `ResponseBuilderExt::url` can set.
    use reqwest::ResponseBuilderExt as _;
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

fn carries_credential(name: &reqwest::header::HeaderName, secret_names: &[&str]) -> bool {
    CREDENTIAL_HEADERS.contains(&name.as_str()) || is_secret(name.as_str(), secret_names)
}

/// What a generated type's or builder's `Debug` prints in place of a field that holds a
/// secret (`writeOnly`, `format: password`, or a name such as `api_key`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}
