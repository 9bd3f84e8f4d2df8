//! Which parameters and properties carry a secret, so that the generated client never prints
//! their values: the runtime redacts them from URLs and headers in errors, and the generated
//! types and builders leave them out of `Debug`.
//!
//! A spec says so with `writeOnly` or `format: password`; more often only the name tells
//! (`api_key`, `client_secret`, `X-Auth-Token`). A name is read as words, so that `keyword`
//! or `monkey` is not a key, and a word that describes a secret rather than being one
//! (`token_type`, `next_page_token`, `password_expires_at`) clears it: redacting a value that
//! was not secret only makes a `Debug` less useful, but hiding every pagination token would
//! make them useless.

use heck::ToSnakeCase;
use serde_json::Value;

/// Words that make a name a secret on their own.
const SECRET_WORDS: [&str; 12] = [
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "signature",
    "authorization",
    "cookie",
    "otp",
];

/// Words that make `key` a secret when they come before it (`api_key`, `private_key`).
const KEY_QUALIFIERS: [&str; 5] = ["api", "access", "private", "secret", "auth"];

/// Words that say the name is about a secret, not the secret itself.
const DESCRIBING_WORDS: [&str; 16] = [
    "page",
    "next",
    "previous",
    "prev",
    "continuation",
    "cursor",
    "sync",
    "type",
    "count",
    "expires",
    "expiry",
    "expiration",
    "url",
    "uri",
    "hint",
    "required",
];

/// Whether a parameter or property named `name` looks like it carries a credential.
pub fn looks_secret(name: &str) -> bool {
    let snake = name.to_snake_case();
    let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
    let secret = words.iter().any(|w| SECRET_WORDS.contains(w))
        || words.windows(2).any(|pair| KEY_QUALIFIERS.contains(&pair[0]) && pair[1] == "key");
    secret && !words.iter().any(|w| DESCRIBING_WORDS.contains(w))
}

/// Whether the property or parameter `name` with `schema` holds a secret: the spec says so
/// (`writeOnly`, `format: password`) or the name looks like a credential.
pub fn is_sensitive(name: &str, schema: Option<&Value>) -> bool {
    let said = schema.is_some_and(|s| {
        s.get("writeOnly") == Some(&Value::Bool(true)) || s.get("format").and_then(Value::as_str) == Some("password")
    });
    said || looks_secret(name)
}

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn names_are_read_as_words() {
        for secret in [
            "api_key",
            "apiKey",
            "X-API-Key",
            "client_secret",
            "password",
            "refresh_token",
            "X-Auth-Token",
            "private_key",
            "Authorization",
        ] {
            assert!(looks_secret(secret), "{secret}");
        }
        for plain in [
            "keyword",
            "key",
            "monkey",
            "sort_key",
            "token_type",
            "next_page_token",
            "password_expires_at",
            "tokenizer",
            "author",
        ] {
            assert!(!looks_secret(plain), "{plain}");
        }
    }
}
