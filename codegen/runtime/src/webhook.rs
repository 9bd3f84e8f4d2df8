//! Verifying a webhook's signature before trusting its payload (feature `webhooks`), for the
//! schemes in wide use:
//! - [`SignatureScheme::StandardWebhooks`]: the Standard Webhooks specification (also Svix's):
//!   `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,<base64>`, several
//!   separated by spaces) headers, HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the
//!   base64 secret after its `whsec_` prefix; `svix-*` headers are read too.
//! - [`SignatureScheme::Stripe`]: `Stripe-Signature: t=<timestamp>,v1=<hex>`, HMAC-SHA256 of
//!   `{timestamp}.{body}` keyed with the secret as given.
//! - [`SignatureScheme::GitHub`]: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the body.
//!
//! Comparisons take constant time. A timestamp further than the tolerance from now, either
//! way, is refused (a replayed delivery). Several secrets may be given while one is rotated: a
//! signature by any of them is accepted. OpenAPI has no standard way to say which scheme an
//! API uses; the generated `webhooks::verify_and_parse` uses the one the spec's
//! `x-codegen-webhook-signature` names.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use hmac::{Mac, SimpleHmac};
use sha2::Sha256;

/// How old (or how far in the future) a signed timestamp may be: five minutes, as the
/// Standard Webhooks specification and Stripe recommend.
pub const TOLERANCE: Duration = Duration::from_secs(300);

/// A way of signing webhooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureScheme {
    /// The Standard Webhooks specification (Svix and others).
    StandardWebhooks,
    /// Stripe's `Stripe-Signature`.
    Stripe,
    /// GitHub's `X-Hub-Signature-256`.
    GitHub,
}

/// Why a webhook's signature was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// A header the scheme needs is missing.
    Missing(&'static str),
    /// A header or secret is not in the scheme's format.
    Malformed(String),
    /// The signed timestamp is further from now than the tolerance.
    Expired {
        /// How far it is from now, in seconds.
        off_by: u64,
    },
    /// No signature matches the body with any of the secrets.
    Mismatch,
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing(header) => write!(f, "the `{header}` header is missing: is this a webhook of this API?"),
            Self::Malformed(what) => write!(f, "{what}"),
            Self::Expired { off_by } => {
                write!(f, "the signed timestamp is {off_by} s from now: a replay, or a clock to fix")
            }
            Self::Mismatch => f.write_str(
                "no signature matches the body: check the secret, and that the body is passed exactly as received",
            ),
        }
    }
}

impl std::error::Error for SignatureError {}

/// Checks that `body`, received with `headers`, is signed with one of `secrets` as `scheme`
/// says, its timestamp within [`TOLERANCE`] of now.
///
/// # Errors
/// Why it is not, as [`SignatureError`] says.
pub fn verify(
    scheme: SignatureScheme,
    headers: &http::HeaderMap,
    body: &[u8],
    secrets: &[&str],
) -> Result<(), SignatureError> {
    verify_at(scheme, headers, body, secrets, SystemTime::now(), TOLERANCE)
}

/// [`verify`] at the time `now` with the tolerance `tolerance`.
///
/// # Errors
/// As [`verify`].
pub fn verify_at(
    scheme: SignatureScheme,
    headers: &http::HeaderMap,
    body: &[u8],
    secrets: &[&str],
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), SignatureError> {
    let header = |names: &[&'static str]| -> Result<&str, SignatureError> {
        let found = names.iter().find_map(|name| headers.get(*name));
        let value = found.ok_or(SignatureError::Missing(names[0]))?;
        value.to_str().map_err(|_| SignatureError::Malformed(format!("the `{}` header is not text", names[0])))
    };
    let fresh = |timestamp: &str| -> Result<(), SignatureError> {
        let seconds: u64 = timestamp.trim().parse().map_err(|_| {
            SignatureError::Malformed(format!("the timestamp `{timestamp}` is not a number of seconds"))
        })?;
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let off_by = now.abs_diff(seconds);
        if off_by > tolerance.as_secs() {
            return Err(SignatureError::Expired { off_by });
        }
        Ok(())
    };
    match scheme {
        SignatureScheme::StandardWebhooks => {
            let id = header(&["webhook-id", "svix-id"])?;
            let timestamp = header(&["webhook-timestamp", "svix-timestamp"])?;
            let signatures = header(&["webhook-signature", "svix-signature"])?;
            fresh(timestamp)?;
            let signed = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body].concat();
            let keys: Vec<Vec<u8>> = secrets.iter().map(|s| standard_key(s)).collect::<Result<_, _>>()?;
            let candidates: Vec<Vec<u8>> = signatures
                .split(' ')
                .filter_map(|s| s.strip_prefix("v1,"))
                .filter_map(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
                .collect();
            matches_any(&keys, &signed, &candidates)
        }
        SignatureScheme::Stripe => {
            let value = header(&["stripe-signature"])?;
            let pairs = value.split(',').filter_map(|pair| pair.trim().split_once('='));
            let mut timestamp = None;
            let mut candidates = Vec::new();
            for (key, value) in pairs {
                match key {
                    "t" => timestamp = Some(value),
                    "v1" => candidates.extend(hex(value)),
                    _ => {}
                }
            }
            let timestamp = timestamp
                .ok_or_else(|| SignatureError::Malformed("the `stripe-signature` header has no `t=`".into()))?;
            fresh(timestamp)?;
            let signed = [timestamp.as_bytes(), b".", body].concat();
            let keys: Vec<Vec<u8>> = secrets.iter().map(|s| s.as_bytes().to_vec()).collect();
            matches_any(&keys, &signed, &candidates)
        }
        SignatureScheme::GitHub => {
            let value = header(&["x-hub-signature-256"])?;
            let candidates: Vec<Vec<u8>> = value.strip_prefix("sha256=").and_then(hex).into_iter().collect();
            let keys: Vec<Vec<u8>> = secrets.iter().map(|s| s.as_bytes().to_vec()).collect();
            matches_any(&keys, body, &candidates)
        }
    }
}

/// The key of a Standard Webhooks secret: the base64 after its `whsec_` prefix.
fn standard_key(secret: &str) -> Result<Vec<u8>, SignatureError> {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| SignatureError::Malformed("the secret is not `whsec_` followed by base64".into()))
}

/// Lowercase or uppercase hex as bytes.
fn hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// Whether any candidate is the HMAC-SHA256 of `signed` under any key (constant-time each).
fn matches_any(keys: &[Vec<u8>], signed: &[u8], candidates: &[Vec<u8>]) -> Result<(), SignatureError> {
    if keys.is_empty() {
        return Err(SignatureError::Malformed("no secret given".into()));
    }
    for key in keys {
        let Ok(mut mac) = SimpleHmac::<Sha256>::new_from_slice(key) else { continue };
        mac.update(signed);
        if candidates.iter().any(|candidate| mac.clone().verify_slice(candidate).is_ok()) {
            return Ok(());
        }
    }
    Err(SignatureError::Mismatch)
}
