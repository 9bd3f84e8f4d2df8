//! Webhook signatures against each scheme's published test vector: valid, tampered, expired,
//! and a rotated secret.

use std::time::{Duration, UNIX_EPOCH};

use codegen_runtime::webhook::{verify_at, SignatureError, SignatureScheme, TOLERANCE};

fn headers(pairs: &[(&'static str, &str)]) -> http::HeaderMap {
    pairs.iter().map(|(name, value)| (http::HeaderName::from_static(name), value.parse().unwrap())).collect()
}

/// The Standard Webhooks specification's test vector.
const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const STANDARD_BODY: &[u8] = br#"{"test": 2432232314}"#;
const STANDARD_AT: u64 = 1_614_265_330;

fn standard_headers(signature: &str) -> http::HeaderMap {
    headers(&[
        ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("webhook-timestamp", "1614265330"),
        ("webhook-signature", signature),
    ])
}

#[test]
fn standard_webhooks_vector_verifies_and_tampering_expiry_and_rotation_behave() {
    let scheme = SignatureScheme::StandardWebhooks;
    let at = |seconds| UNIX_EPOCH + Duration::from_secs(seconds);
    let valid = standard_headers("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assert_eq!(verify_at(scheme, &valid, STANDARD_BODY, &[STANDARD_SECRET], at(STANDARD_AT), TOLERANCE), Ok(()));
    // Several signatures in the header, one of them valid.
    let listed = standard_headers(
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
    assert_eq!(verify_at(scheme, &listed, STANDARD_BODY, &[STANDARD_SECRET], at(STANDARD_AT), TOLERANCE), Ok(()));
    let tampered = br#"{"test": 2432232315}"#;
    assert_eq!(
        verify_at(scheme, &valid, tampered, &[STANDARD_SECRET], at(STANDARD_AT), TOLERANCE),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_at(scheme, &valid, STANDARD_BODY, &[STANDARD_SECRET], at(STANDARD_AT + 301), TOLERANCE),
        Err(SignatureError::Expired { off_by: 301 })
    );
    let rotated = ["whsec_bmV3IHNlY3JldCBvZiB0aGUgcm90YXRpb24=", STANDARD_SECRET];
    assert_eq!(verify_at(scheme, &valid, STANDARD_BODY, &rotated, at(STANDARD_AT), TOLERANCE), Ok(()));
    assert_eq!(
        verify_at(scheme, &valid, STANDARD_BODY, &rotated[..1], at(STANDARD_AT), TOLERANCE),
        Err(SignatureError::Mismatch)
    );
    let unsigned = headers(&[("webhook-id", "msg_1")]);
    assert_eq!(
        verify_at(scheme, &unsigned, STANDARD_BODY, &[STANDARD_SECRET], at(STANDARD_AT), TOLERANCE),
        Err(SignatureError::Missing("webhook-timestamp"))
    );
}

#[test]
fn githubs_documented_vector_verifies_and_a_tampered_body_does_not() {
    // GitHub's documentation: secret "It's a Secret to Everybody", payload "Hello, World!".
    let signed =
        headers(&[("x-hub-signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]);
    let secret = "It's a Secret to Everybody";
    let now = std::time::SystemTime::now();
    assert_eq!(verify_at(SignatureScheme::GitHub, &signed, b"Hello, World!", &[secret], now, TOLERANCE), Ok(()));
    assert_eq!(
        verify_at(SignatureScheme::GitHub, &signed, b"Hello, World?", &[secret], now, TOLERANCE),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_at(SignatureScheme::GitHub, &signed, b"Hello, World!", &["another"], now, TOLERANCE),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn stripe_signatures_verify_within_the_tolerance() {
    // Computed independently (Python's hmac): HMAC-SHA256("whsec_test_secret", "1492774577.{body}").
    let body = br#"{"id":"evt_test"}"#;
    let signed = headers(&[(
        "stripe-signature",
        "t=1492774577,v1=22f7d74836ddad3284a2b80853dd2fe731655c1bfddcff3c3666a500cf3abd80,v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39",
    )]);
    let at = |seconds| UNIX_EPOCH + Duration::from_secs(seconds);
    let scheme = SignatureScheme::Stripe;
    assert_eq!(verify_at(scheme, &signed, body, &["whsec_test_secret"], at(1_492_774_600), TOLERANCE), Ok(()));
    assert_eq!(
        verify_at(scheme, &signed, br#"{"id":"evt_other"}"#, &["whsec_test_secret"], at(1_492_774_600), TOLERANCE),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_at(scheme, &signed, body, &["whsec_test_secret"], at(1_492_774_577 + 3600), TOLERANCE),
        Err(SignatureError::Expired { off_by: 3600 })
    );
}
