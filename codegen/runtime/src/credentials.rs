//! Credentials and the security schemes that say where each one goes.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A credential. Its `Debug` never shows the value, so clients can be logged safely.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for building a request.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where a security scheme puts its credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in the named header.
    Header(&'static str),
    /// An API key in the named query parameter.
    Query(&'static str),
    /// An API key in the named cookie.
    Cookie(&'static str),
}

/// A security scheme a spec declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scheme {
    /// The scheme's name in the spec.
    pub name: &'static str,
    /// Where its credential goes.
    pub kind: SchemeKind,
}

/// Gives the bearer token of each call: an OAuth2 flow ([`super::ClientCredentials`]), a vault,
/// a token another part of the program refreshes. The client asks for a token before each
/// call that needs one, and once more after the server refuses it with 401.
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// A token for an operation that needs `scopes` (its OAuth2 scopes; empty when it names
    /// none).
    ///
    /// # Errors
    /// Why no token could be had (the call fails with it, before anything is sent).
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> Pin<Box<dyn Future<Output = Result<Secret, String>> + Send + 'a>>;

    /// Forgets `token`, which the server refused: the next [`Self::token`] gets a fresh one.
    fn invalidate(&self, token: &Secret) {
        let _ = token;
    }
}

/// The credentials a client sends. Each operation sends those of the first of its documented
/// security requirements that can be met in full. When none can be met, an operation whose
/// security is optional (it lists `{}`) and a client without any credentials send none (the
/// server decides); an operation that documents none is sent without credentials.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    bearer: Option<Secret>,
    basic: Option<(String, Secret)>,
    api_keys: BTreeMap<String, Secret>,
    provider: Option<Arc<dyn TokenProvider>>,
}

impl Credentials {
    /// No credentials.
    pub fn none() -> Self {
        Self::default()
    }

    /// A bearer token, for every `http`/`bearer` scheme.
    pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(Secret::new(token));
        self
    }

    /// A user name and password, for every `http`/`basic` scheme.
    pub fn with_basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic = Some((user.into(), Secret::new(password)));
        self
    }

    /// An API key, by the header, query parameter or cookie name the spec gives it
    /// (`x-deck-client-id`), not by the scheme's name.
    pub fn with_api_key(mut self, parameter: impl Into<String>, key: impl Into<String>) -> Self {
        self.api_keys.insert(parameter.into().to_ascii_lowercase(), Secret::new(key));
        self
    }

    /// A token provider, asked for the bearer token of each call that needs one (when no fixed
    /// bearer token is set).
    pub fn with_token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// OAuth2 client credentials (RFC 6749 §4.4): tokens fetched from `token_url` with this
    /// client id and secret, cached and refreshed ([`super::ClientCredentials`]).
    pub fn with_client_credentials(
        self,
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.with_token_provider(super::ClientCredentials::new(token_url, client_id, client_secret))
    }

    /// The token provider, when one is set and no fixed bearer token overrides it.
    pub(super) fn provider(&self) -> Option<&Arc<dyn TokenProvider>> {
        self.provider.as_ref().filter(|_| self.bearer.is_none())
    }

    /// Whether there are no credentials at all.
    fn is_empty(&self) -> bool {
        self.bearer.is_none() && self.basic.is_none() && self.api_keys.is_empty() && self.provider.is_none()
    }

    /// The header, query parameter and cookie names the API keys go in (lowercase): the
    /// runtime redacts their values from what errors print.
    pub fn parameter_names(&self) -> impl Iterator<Item = &str> {
        self.api_keys.keys().map(String::as_str)
    }

    fn value_for(&self, kind: SchemeKind, token: Option<&Secret>) -> Option<String> {
        match kind {
            SchemeKind::Bearer => self.bearer.as_ref().or(token).map(|t| format!("Bearer {}", t.expose())),
            SchemeKind::Basic => self.basic.as_ref().map(|(user, password)| basic_auth_value(user, password.expose())),
            SchemeKind::Header(name) | SchemeKind::Query(name) | SchemeKind::Cookie(name) => {
                self.api_keys.get(&name.to_ascii_lowercase()).map(|k| k.expose().to_string())
            }
        }
    }

    /// Adds the credentials of the first requirement that can be met in full, `token` (from the
    /// provider) standing for a bearer token.
    ///
    /// # Errors
    /// Names the schemes the operation needs (never a credential) when the client has
    /// credentials but none that meet a requirement, and the operation's security is not
    /// optional.
    pub fn apply(
        &self,
        requirements: &[&[Scheme]],
        request: &mut reqwest::Request,
        token: Option<&Secret>,
    ) -> Result<(), String> {
        for requirement in requirements.iter().filter(|r| !r.is_empty()) {
            let values: Option<Vec<(Scheme, String)>> =
                requirement.iter().map(|s| Some((*s, self.value_for(s.kind, token)?))).collect();
            let Some(values) = values else { continue };
            for (scheme, value) in values {
                add_credential(request, scheme.kind, &value)?;
            }
            return Ok(());
        }
        let optional = requirements.is_empty() || requirements.iter().any(|r| r.is_empty());
        if optional || self.is_empty() {
            return Ok(());
        }
        let needed: Vec<String> =
            requirements.iter().map(|r| r.iter().map(describe).collect::<Vec<_>>().join(" + ")).collect();
        Err(format!("this operation needs credentials: {}", needed.join(", or ")))
    }

    /// Whether a call of an operation with these requirements may need the provider's token: a
    /// bearer scheme is in one of them and no fixed token is set.
    pub(super) fn wants_token(&self, requirements: &[&[Scheme]]) -> bool {
        self.provider().is_some() && requirements.iter().flat_map(|r| r.iter()).any(|s| s.kind == SchemeKind::Bearer)
    }
}

fn describe(scheme: &Scheme) -> String {
    match scheme.kind {
        SchemeKind::Bearer => format!("a bearer token ({})", scheme.name),
        SchemeKind::Basic => format!("a user name and password ({})", scheme.name),
        SchemeKind::Header(n) => format!("the API key header {n} ({})", scheme.name),
        SchemeKind::Query(n) => format!("the API key query parameter {n} ({})", scheme.name),
        SchemeKind::Cookie(n) => format!("the API key cookie {n} ({})", scheme.name),
    }
}

fn add_credential(request: &mut reqwest::Request, kind: SchemeKind, value: &str) -> Result<(), String> {
    match kind {
        SchemeKind::Bearer | SchemeKind::Basic => {
            let (name, value) = sensitive_header("authorization", value)?;
            request.headers_mut().insert(name, value);
        }
        SchemeKind::Header(name) => {
            let (name, value) = sensitive_header(name, value)?;
            request.headers_mut().insert(name, value);
        }
        SchemeKind::Query(name) => {
            // Like a header, the credential replaces a parameter of the same name the operation
            // also declares (`client_id` as a scheme and a parameter): sent twice, the server
            // reads a list where it expects one value.
            let kept: Vec<(String, String)> =
                request.url().query_pairs().filter(|(key, _)| key != name).map(|(k, v)| (k.into(), v.into())).collect();
            let mut pairs = request.url_mut().query_pairs_mut();
            pairs.clear().extend_pairs(kept).append_pair(name, value);
        }
        SchemeKind::Cookie(name) => {
            let (cookie, value) = sensitive_header("cookie", &format!("{name}={value}"))?;
            request.headers_mut().append(cookie, value);
        }
    }
    Ok(())
}

/// A header marked sensitive, so that HTTP tooling that logs headers leaves its value out.
fn sensitive_header(
    name: &str,
    value: &str,
) -> Result<(reqwest::header::HeaderName, reqwest::header::HeaderValue), String> {
    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
    let mut value = reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| "a credential contains characters a header cannot carry".to_string())?;
    value.set_sensitive(true);
    Ok((name, value))
}

/// The `Authorization` value of HTTP basic authentication: `Basic base64(user:password)`.
pub fn basic_auth_value(user: &str, password: &str) -> String {
    format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
}

/// Standard base64 with padding (RFC 4648 §4); a dependency for twenty lines is not worth it.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
