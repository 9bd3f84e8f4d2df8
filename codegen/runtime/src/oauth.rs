//! OAuth2 client credentials (RFC 6749 §4.4), the flow of server-to-server APIs: a token
//! fetched from the token endpoint with the client's id and secret, cached until shortly
//! before it expires, fetched again after the server refuses it (401), and fetched once for
//! any number of concurrent calls.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use super::credentials::{basic_auth_value, Secret, TokenProvider};

/// How long before its expiry a cached token is replaced, so that it does not expire in flight.
const EARLY: Duration = Duration::from_secs(30);

/// How long a token endpoint may take to answer.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// A [`TokenProvider`] for the OAuth2 client credentials grant.
///
/// The secret is sent as HTTP Basic authentication (RFC 6749 §2.3.1, each part form-encoded
/// first); [`Self::secret_in_body`] sends it as form fields instead, for servers that only read
/// those. `Debug` never shows the secret or a token.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    secret_in_body: bool,
    scopes: Vec<String>,
    http: Result<reqwest::Client, String>,
    /// Tokens by the scopes they were asked for: one lock, held while fetching, so concurrent
    /// calls wait for one fetch instead of making their own.
    cache: tokio::sync::Mutex<BTreeMap<String, Cached>>,
}

/// A token and when it stops being used.
struct Cached {
    token: Secret,
    until: Option<Instant>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// Client credentials for the token endpoint `token_url`.
    pub fn new(token_url: impl Into<String>, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(TOKEN_TIMEOUT)
            .build()
            .map_err(|error| format!("no HTTP client for the token endpoint: {error}"));
        Self {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            secret_in_body: false,
            scopes: Vec::new(),
            http,
            cache: tokio::sync::Mutex::new(BTreeMap::new()),
        }
    }

    /// Sends the id and secret as the form fields `client_id` and `client_secret` instead of
    /// HTTP Basic authentication.
    pub fn secret_in_body(mut self) -> Self {
        self.secret_in_body = true;
        self
    }

    /// Scopes asked for with every token, beside those each operation documents.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// The `scope` value for an operation needing `scopes`: this client's and the operation's,
    /// sorted, each once.
    fn scope(&self, scopes: &[&str]) -> String {
        let mut all: Vec<&str> = self.scopes.iter().map(String::as_str).chain(scopes.iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        all.join(" ")
    }

    async fn fetch(&self, scope: &str) -> Result<Cached, String> {
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            form.push(("scope", scope));
        }
        if self.secret_in_body {
            form.push(("client_id", &self.client_id));
            form.push(("client_secret", self.client_secret.expose()));
        }
        let body = serde_urlencoded::to_string(&form).map_err(|error| error.to_string())?;
        let mut request = http
            .post(&self.token_url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body);
        if !self.secret_in_body {
            let encode = |part: &str| serde_urlencoded::to_string([("", part)]).unwrap_or_default()[1..].to_string();
            let mut value = reqwest::header::HeaderValue::from_str(&basic_auth_value(
                &encode(&self.client_id),
                &encode(self.client_secret.expose()),
            ))
            .map_err(|_| "the client id or secret cannot be sent in a header".to_string())?;
            value.set_sensitive(true);
            request = request.header(reqwest::header::AUTHORIZATION, value);
        }
        let fetched = Instant::now();
        let response = request
            .send()
            .await
            .map_err(|error| format!("the token endpoint {} could not be reached: {error}", self.token_url))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let answer: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        if !status.is_success() {
            let error = answer.get("error").and_then(|e| e.as_str()).unwrap_or("no `error` given");
            let description = answer.get("error_description").and_then(|e| e.as_str()).unwrap_or_default();
            return Err(format!(
                "the token endpoint {} answered {status}: {error}{}{description}",
                self.token_url,
                if description.is_empty() { "" } else { ": " }
            ));
        }
        let token = answer
            .get("access_token")
            .and_then(|t| t.as_str())
            .ok_or_else(|| format!("the token endpoint {} answered without an `access_token`", self.token_url))?;
        // `expires_in` in seconds; some servers send it as a string.
        let expires_in = answer.get("expires_in").and_then(|e| e.as_u64().or_else(|| e.as_str()?.parse().ok()));
        let until = expires_in.map(|seconds| fetched + Duration::from_secs(seconds).saturating_sub(EARLY));
        Ok(Cached { token: Secret::new(token), until })
    }
}

impl TokenProvider for ClientCredentials {
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> Pin<Box<dyn Future<Output = Result<Secret, String>> + Send + 'a>> {
        Box::pin(async move {
            let scope = self.scope(scopes);
            let mut cache = self.cache.lock().await;
            if let Some(cached) = cache.get(&scope).filter(|c| c.until.is_none_or(|until| Instant::now() < until)) {
                return Ok(cached.token.clone());
            }
            let fresh = self.fetch(&scope).await?;
            let token = fresh.token.clone();
            cache.insert(scope, fresh);
            Ok(token)
        })
    }

    fn invalidate(&self, token: &Secret) {
        // Never waits: a fetch under way holds the lock and replaces the token anyway.
        if let Ok(mut cache) = self.cache.try_lock() {
            cache.retain(|_, cached| cached.token != *token);
        }
    }
}
