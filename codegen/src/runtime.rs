//! The runtime every generated crate carries in `src/runtime.rs`: credentials, retries and
//! typed access to response headers.
//!
//! It is API-independent code, emitted once per crate with `quote` so that a crate written by
//! `cargo xtask generate` stands alone. What is API-specific (which operation needs which
//! scheme, which servers exist, which headers are documented) is emitted per module by
//! [`crate::generate`] from the spec.

use proc_macro2::TokenStream;
use quote::quote;

/// The boundary of every `multipart/form-data` body the runtime's `Multipart` builds: fixed, so
/// that the Content-Type an operation sends can be written into the client beside it (see
/// `lower::bodies`). `Multipart::finish` refuses a part that contains it.
pub const MULTIPART_BOUNDARY: &str = "codegen-form-boundary-6b1f0e4d9a2c57e3";

/// The module's source tokens.
pub fn tokens() -> TokenStream {
    let boundary = MULTIPART_BOUNDARY;
    quote! {
        #![doc = "Credentials, retries and response headers, shared by every client of this crate."]

        use std::collections::BTreeMap;
        use std::fmt;
        use std::time::Duration;

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

        /// The credentials a client sends. Each operation sends those of the first of its
        /// documented security requirements that can be met in full; an operation that documents
        /// none is sent without credentials.
        #[derive(Clone, Debug, Default)]
        pub struct Credentials {
            bearer: Option<Secret>,
            basic: Option<(String, Secret)>,
            api_keys: BTreeMap<String, Secret>,
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

            fn value_for(&self, kind: SchemeKind) -> Option<String> {
                match kind {
                    SchemeKind::Bearer => self.bearer.as_ref().map(|t| format!("Bearer {}", t.expose())),
                    SchemeKind::Basic => self.basic.as_ref().map(|(user, password)| {
                        format!("Basic {}", base64(&format!("{user}:{}", password.expose())))
                    }),
                    SchemeKind::Header(name) | SchemeKind::Query(name) | SchemeKind::Cookie(name) => {
                        self.api_keys.get(&name.to_ascii_lowercase()).map(|k| k.expose().to_string())
                    }
                }
            }

            /// Adds the credentials of the first requirement that can be met in full.
            ///
            /// # Errors
            /// Names the schemes the operation needs (never a credential) when none can be met.
            pub fn apply(
                &self,
                requirements: &[&[Scheme]],
                request: &mut reqwest::Request,
            ) -> Result<(), String> {
                if requirements.is_empty() {
                    return Ok(());
                }
                for requirement in requirements {
                    let values: Option<Vec<(Scheme, String)>> =
                        requirement.iter().map(|s| Some((*s, self.value_for(s.kind)?))).collect();
                    let Some(values) = values else { continue };
                    for (scheme, value) in values {
                        add_credential(request, scheme.kind, &value)?;
                    }
                    return Ok(());
                }
                let needed: Vec<String> = requirements
                    .iter()
                    .map(|r| r.iter().map(describe).collect::<Vec<_>>().join(" + "))
                    .collect();
                Err(format!("this operation needs credentials: {}", needed.join(", or ")))
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
            let header = |name: &str, value: &str| -> Result<(reqwest::header::HeaderName, reqwest::header::HeaderValue), String> {
                let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
                let mut value = reqwest::header::HeaderValue::from_str(value)
                    .map_err(|_| "a credential contains characters a header cannot carry".to_string())?;
                value.set_sensitive(true);
                Ok((name, value))
            };
            match kind {
                SchemeKind::Bearer | SchemeKind::Basic => {
                    let (name, value) = header("authorization", value)?;
                    request.headers_mut().insert(name, value);
                }
                SchemeKind::Header(name) => {
                    let (name, value) = header(name, value)?;
                    request.headers_mut().insert(name, value);
                }
                SchemeKind::Query(name) => {
                    request.url_mut().query_pairs_mut().append_pair(name, value);
                }
                SchemeKind::Cookie(name) => {
                    let (cookie, value) = header("cookie", &format!("{name}={value}"))?;
                    request.headers_mut().append(cookie, value);
                }
            }
            Ok(())
        }

        fn base64(input: &str) -> String {
            const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let bytes = input.as_bytes();
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

        /// When and how often a request is sent again.
        ///
        /// 429 and 503 responses are retried, waiting what `Retry-After` says (capped) or an
        /// exponential backoff with jitter. Connection failures are retried only for idempotent
        /// methods: a POST whose connection dropped may have been processed, so it is never
        /// sent twice. Every retry emits a `tracing` warning.
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

            fn backoff(&self, retry: u32) -> Duration {
                let exponential = self.base_delay.saturating_mul(1u32 << retry.min(16)).min(self.max_delay);
                // Full jitter: a random point between half and all of the backoff.
                let half = exponential / 2;
                half + half.mul_f64(fastrand::f64())
            }
        }

        fn is_idempotent(method: &reqwest::Method) -> bool {
            matches!(*method, reqwest::Method::GET | reqwest::Method::HEAD | reqwest::Method::PUT
                | reqwest::Method::DELETE | reqwest::Method::OPTIONS | reqwest::Method::TRACE)
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
                    Ok(response) if matches!(response.status().as_u16(), 429 | 503) => {
                        match retry_after(response) {
                            Some(asked) if asked > policy.max_retry_after => return outcome,
                            Some(asked) => asked,
                            None => policy.backoff(attempt),
                        }
                    }
                    Err(error) if is_idempotent(next.method()) && (error.is_connect() || error.is_timeout() || error.is_request()) => {
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

        /// A response body read whole, kept beside the response it came with.
        #[derive(Clone, Debug)]
        struct BufferedBody(bytes::Bytes);

        /// How much of a body errors show.
        const EXCERPT_BYTES: usize = 512;

        fn rebuild(
            status: reqwest::StatusCode,
            version: reqwest::Version,
            headers: &reqwest::header::HeaderMap,
            url: &reqwest::Url,
            body: bytes::Bytes,
        ) -> reqwest::Response {
            use reqwest::ResponseBuilderExt as _;
            let mut builder = http::Response::builder().status(status).version(version).url(url.clone());
            if let Some(map) = builder.headers_mut() {
                *map = headers.clone();
            }
            let mut response = builder.body(body.clone()).expect("parts taken from a valid response");
            response.extensions_mut().insert(BufferedBody(body));
            reqwest::Response::from(response)
        }

        /// Reads the body of a response whose status the operation documents with a JSON body,
        /// or does not document at all, so that a body that does not decode can be reported
        /// with its status and headers. Other responses (streams) are passed on untouched. For
        /// a status documented without a body beside others with one (`empty_as_null`), an
        /// empty body is read as `null`: the operation's type is optional for exactly that.
        ///
        /// # Errors
        /// When reading the body fails.
        pub async fn buffer(
            response: reqwest::Response,
            json_statuses: &[u16],
            documented: &[u16],
            empty_as_null: &[u16],
        ) -> reqwest::Result<reqwest::Response> {
            let status = response.status().as_u16();
            if !json_statuses.contains(&status) && documented.contains(&status) {
                return Ok(response);
            }
            let (code, version, headers, url) = (response.status(), response.version(), response.headers().clone(), response.url().clone());
            let mut body = response.bytes().await?;
            if empty_as_null.contains(&status) && body.iter().all(u8::is_ascii_whitespace) {
                body = bytes::Bytes::from_static(b"null");
            }
            Ok(rebuild(code, version, &headers, &url, body))
        }

        /// Puts back the documented names of parameters the generated code sends under another
        /// one (two of an operation's parameters were one Rust name): `(sent, documented,
        /// header)`. Only the query keys are touched, never the values.
        pub fn restore_wire_names(request: &mut reqwest::Request, names: &[(&str, &str, bool)]) {
            for (sent, documented, header) in names {
                if *header {
                    let value = request.headers_mut().remove(*sent);
                    if let (Some(value), Ok(name)) = (value, reqwest::header::HeaderName::from_bytes(documented.as_bytes())) {
                        request.headers_mut().append(name, value);
                    }
                    continue;
                }
                let Some(query) = request.url().query() else { continue };
                // The key as the generated code encodes it (serde_urlencoded, as reqwest's `query`).
                let encoded = serde_urlencoded::to_string([(documented, "")]).unwrap_or_default();
                let documented = encoded.trim_end_matches('=');
                let rewritten: Vec<String> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some((key, value)) if key == *sent => format!("{documented}={value}"),
                        None if pair == *sent => documented.to_string(),
                        _ => pair.to_string(),
                    })
                    .collect();
                let rewritten = rewritten.join("&");
                request.url_mut().set_query(Some(&rewritten));
            }
        }

        /// For a status documented with a JSON body, a body that is not JSON (empty, HTML, cut
        /// short): the response again, whole, to report as unexpected with its status and headers.
        pub fn undecodable(response: &reqwest::Response, json_statuses: &[u16]) -> Option<reqwest::Response> {
            if !json_statuses.contains(&response.status().as_u16()) {
                return None;
            }
            let BufferedBody(body) = response.extensions().get::<BufferedBody>()?;
            if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
                return None;
            }
            Some(rebuild(response.status(), response.version(), response.headers(), response.url(), body.clone()))
        }

        /// The start of a response body the client read whole, as text, for error messages.
        pub trait BodyExcerpt {
            /// Up to 512 bytes of the body (lossily decoded), or `None` for a streamed body.
            fn body_excerpt(&self) -> Option<String>;
        }

        impl BodyExcerpt for reqwest::Response {
            fn body_excerpt(&self) -> Option<String> {
                let BufferedBody(body) = self.extensions().get::<BufferedBody>()?;
                let end = body.len().min(EXCERPT_BYTES);
                let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
                if body.len() > end {
                    text.push('…');
                }
                Some(text)
            }
        }

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

        /// Typed access to the response headers APIs commonly document, on success and on error.
        pub trait ResponseHeaders {
            /// The response's headers.
            fn header_map(&self) -> &reqwest::header::HeaderMap;

            /// A header's value as text.
            fn header_str(&self, name: &str) -> Option<&str> {
                self.header_map().get(name)?.to_str().ok()
            }

            /// `X-RateLimit-Limit`: requests allowed in the window.
            fn rate_limit_limit(&self) -> Option<u64> {
                self.header_str("x-ratelimit-limit")?.trim().parse().ok()
            }

            /// `X-RateLimit-Remaining`: requests left in the window.
            fn rate_limit_remaining(&self) -> Option<u64> {
                self.header_str("x-ratelimit-remaining")?.trim().parse().ok()
            }

            /// `Retry-After` in seconds, as a duration.
            fn retry_after(&self) -> Option<Duration> {
                self.header_str("retry-after")?.trim().parse().ok().map(Duration::from_secs)
            }

            /// `Location`: where a created resource is.
            fn location(&self) -> Option<&str> {
                self.header_str("location")
            }
        }

        impl<T> ResponseHeaders for progenitor_client::ResponseValue<T> {
            fn header_map(&self) -> &reqwest::header::HeaderMap {
                self.headers()
            }
        }

        /// A `multipart/form-data` body, for the operations the documentation gives one (their
        /// method takes the bytes `finish` returns; the client sends them with this boundary).
        ///
        /// ```ignore
        /// let form = Multipart::new().text("title", "Q3").file("file", "q3.pdf", "application/pdf", bytes).finish()?;
        /// client.upload().body(form).send().await?;
        /// ```
        #[derive(Clone, Debug, Default)]
        pub struct Multipart {
            body: Vec<u8>,
            /// Whether a part's contents hold the boundary.
            holds_boundary: bool,
        }

        impl Multipart {
            /// The boundary between parts; the client's Content-Type names it.
            pub const BOUNDARY: &'static str = #boundary;

            /// An empty form.
            pub fn new() -> Self {
                Self::default()
            }

            /// Adds a text field.
            pub fn text(self, name: &str, value: impl AsRef<str>) -> Self {
                self.part(name, None, None, value.as_ref().as_bytes())
            }

            /// Adds a file: its field name, file name, media type and contents.
            pub fn file(self, name: &str, file_name: &str, content_type: &str, contents: impl AsRef<[u8]>) -> Self {
                self.part(name, Some(file_name), Some(content_type), contents.as_ref())
            }

            fn part(mut self, name: &str, file_name: Option<&str>, content_type: Option<&str>, contents: &[u8]) -> Self {
                // Quotes and line breaks in names are percent-escaped, as browsers do.
                let quoted = |text: &str| text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
                let mut head = format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", Self::BOUNDARY, quoted(name));
                if let Some(file_name) = file_name {
                    head.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
                }
                if let Some(content_type) = content_type {
                    head.push_str(&format!("\r\nContent-Type: {}", quoted(content_type)));
                }
                head.push_str("\r\n\r\n");
                let boundary = Self::BOUNDARY.as_bytes();
                self.holds_boundary |= contents.windows(boundary.len()).any(|w| w == boundary);
                self.body.extend_from_slice(head.as_bytes());
                self.body.extend_from_slice(contents);
                self.body.extend_from_slice(b"\r\n");
                self
            }

            /// The body's bytes, or an error when a part contains the boundary (which would cut
            /// it short on the server).
            pub fn finish(mut self) -> Result<Vec<u8>, String> {
                if self.holds_boundary {
                    return Err(format!("a part of the form contains its boundary `{}`", Self::BOUNDARY));
                }
                self.body.extend_from_slice(format!("--{}--\r\n", Self::BOUNDARY).as_bytes());
                Ok(self.body)
            }
        }

        /// A query parameter in `style: deepObject`, sent as `name[key]=value` pairs: nested
        /// objects as `name[a][b]`, arrays as the repeated `name[key][]`, null values left out.
        /// The generated methods send such parameters through it (progenitor has no such style).
        pub struct DeepObject<'a, T> {
            name: &'a str,
            value: &'a T,
        }

        impl<'a, T> DeepObject<'a, T> {
            /// The parameter `name` with its `value`.
            pub fn new(name: &'a str, value: &'a T) -> Self {
                Self { name, value }
            }
        }

        impl<T: serde::Serialize> serde::Serialize for DeepObject<'_, T> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let value = serde_json::to_value(self.value).map_err(serde::ser::Error::custom)?;
                let mut pairs = Vec::new();
                deep_object_pairs(self.name.to_string(), &value, &mut pairs);
                serializer.collect_seq(pairs)
            }
        }

        fn deep_object_pairs(key: String, value: &serde_json::Value, pairs: &mut Vec<(String, String)>) {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::Object(map) => {
                    for (name, inner) in map {
                        deep_object_pairs(format!("{key}[{name}]"), inner, pairs);
                    }
                }
                serde_json::Value::Array(items) => {
                    for item in items {
                        deep_object_pairs(format!("{key}[]"), item, pairs);
                    }
                }
                serde_json::Value::String(text) => pairs.push((key, text.clone())),
                other => pairs.push((key, other.to_string())),
            }
        }

        impl ResponseHeaders for reqwest::Response {
            fn header_map(&self) -> &reqwest::header::HeaderMap {
                self.headers()
            }
        }
    }
}
