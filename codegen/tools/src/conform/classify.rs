//! What each operation's calls say: accepted by Prism or not, decoded or not, and when not,
//! whose fault it is. Every class is listed here; nothing is skipped silently.

use serde::Serialize;
use serde_json::Value;

use super::harness::PlannedCall;

/// Why an operation did not conform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Accepted and decoded in every mode.
    Ok,
    /// The client sent what the spec forbids, or could not decode what the spec allows.
    ClientBug,
    /// The spec contradicts itself (a documented example its own schema refuses).
    SpecDefect,
    /// Prism cannot mock what the spec says ([`MOCK_LIMITATIONS`]).
    MockLimitation,
    /// The harness could not build the call (no value the setter's type takes, a form body).
    NotCovered,
}

/// What Prism's `--errors` body says when the response it would send breaks the spec.
const RESPONSE_VIOLATION: &str = r#""location":["response""#;

/// Prism behaviours that are not the client's fault: a reason containing the text is a known
/// limitation of the mock server.
pub const MOCK_LIMITATIONS: &[(&str, &str)] = &[
    // With `--errors`, Prism checks its own random responses too, and its faker does not know
    // every format it validates (`format: url`): the response it refuses is one it made.
    (RESPONSE_VIOLATION, "Prism's random response breaks the spec it mocks"),
    // Prism answers 500 when it cannot build a response body (a schema it cannot sample).
    ("NO_RESPONSE_DEFINED", "the operation documents no response Prism can build"),
    ("UNKNOWN_ERROR", "Prism failed internally while building the response"),
];

/// One operation's record (`--json`: one line each).
#[derive(Clone, Debug, Serialize)]
pub struct OperationResult {
    /// The API.
    pub api: String,
    /// The operation's method name.
    pub operation: String,
    /// Prism accepted the request (static mode).
    pub accepted: bool,
    /// The documented example of the response decoded.
    pub decoded_static: bool,
    /// Every random schema-valid response decoded (`None`: no dynamic pass ran).
    pub decoded_dynamic: Option<bool>,
    /// The class.
    pub class: Class,
    /// Why, when the class is not `ok`: Prism's or the client's message.
    pub reason: String,
}

/// Classifies one operation from its static line and its dynamic lines.
pub fn classify(
    api: String,
    call: &PlannedCall,
    static_line: Option<&Value>,
    dynamic: Option<&[Value]>,
) -> OperationResult {
    let mut result = OperationResult {
        api,
        operation: call.operation.clone(),
        accepted: false,
        decoded_static: false,
        decoded_dynamic: None,
        class: Class::Ok,
        reason: String::new(),
    };
    if let Some(why) = &call.not_covered {
        result.class = Class::NotCovered;
        result.reason = why.clone();
        return result;
    }
    let Some(line) = static_line else {
        result.class = Class::NotCovered;
        result.reason = "the harness printed nothing for it".into();
        return result;
    };
    if let Some(why) = line.get("sample_refused").and_then(Value::as_str) {
        result.class = Class::NotCovered;
        result.reason = why.to_string();
        return result;
    }
    let status = line.get("status").and_then(Value::as_u64);
    result.accepted = status.is_some_and(|s| s < 400);
    result.decoded_static = decoded(line);
    let dynamic_failure = dynamic.and_then(|lines| lines.iter().find(|l| !decoded(l)));
    result.decoded_dynamic = dynamic.map(|_| dynamic_failure.is_none());
    let failure = if !result.accepted || !result.decoded_static { Some(line) } else { dynamic_failure };
    if let Some(failure) = failure {
        let message = failure.get("message").and_then(Value::as_str).unwrap_or_default();
        let status = failure.get("status").and_then(Value::as_u64);
        let mode = if std::ptr::eq(failure, line) { "static" } else { "dynamic" };
        let status = status.map_or("no response".into(), |s| format!("status {s}"));
        result.reason = format!("{mode}, {status}: {}", excerpt(message));
        result.class = if mode == "static" && message.contains(RESPONSE_VIOLATION) {
            // Static mode answers with the documented example: Prism found it breaks its schema.
            Class::SpecDefect
        } else if MOCK_LIMITATIONS.iter().any(|(text, _)| message.contains(text)) {
            Class::MockLimitation
        } else {
            Class::ClientBug
        };
    }
    result
}

fn decoded(line: &Value) -> bool {
    line.get("decoded") == Some(&Value::Bool(true))
}

fn excerpt(message: &str) -> String {
    const LIMIT: usize = 600;
    let mut text: String = message.chars().take(LIMIT).collect();
    if message.chars().count() > LIMIT {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call() -> PlannedCall {
        PlannedCall { operation: "list_pets".into(), not_covered: None }
    }

    #[test]
    fn a_refused_request_is_a_client_bug_with_prisms_reason() {
        let line = json!({"operation": "list_pets", "status": 422, "decoded": false, "message": "request.query must have required property 'limit'"});
        let result = classify("pets".into(), &call(), Some(&line), None);
        assert_eq!((result.accepted, result.class), (false, Class::ClientBug));
        assert!(result.reason.contains("required property 'limit'"), "{}", result.reason);
    }

    #[test]
    fn a_dynamic_failure_after_a_static_success_is_reported_and_a_mock_limit_is_named() {
        let ok = json!({"operation": "list_pets", "status": 200, "decoded": true, "message": ""});
        let bad = json!({"operation": "list_pets", "status": 200, "decoded": false, "message": "invalid type: null"});
        let result = classify("pets".into(), &call(), Some(&ok), Some(&[ok.clone(), bad]));
        assert_eq!((result.accepted, result.decoded_static, result.decoded_dynamic), (true, true, Some(false)));
        assert_eq!(result.class, Class::ClientBug);
        let limited = json!({"operation": "list_pets", "status": 500, "decoded": false, "message": "https://stoplight.io/prism/errors#NO_RESPONSE_DEFINED"});
        assert_eq!(classify("pets".into(), &call(), Some(&limited), None).class, Class::MockLimitation);
        let own = json!({"operation": "list_pets", "status": 500, "decoded": false, "message": r#"{"validation":[{"location":["response","body","url"],"code":"format"}]}"#});
        assert_eq!(
            classify("pets".into(), &call(), Some(&ok), Some(std::slice::from_ref(&own))).class,
            Class::MockLimitation
        );
        assert_eq!(
            classify("pets".into(), &call(), Some(&own), None).class,
            Class::SpecDefect,
            "the documented example"
        );
    }

    #[test]
    fn a_call_the_harness_could_not_build_is_not_covered_never_ok() {
        let planned = PlannedCall { operation: "upload".into(), not_covered: Some("a multipart form body".into()) };
        let result = classify("pets".into(), &planned, None, None);
        assert_eq!(result.class, Class::NotCovered);
        let refused = json!({"operation": "upload", "sample_refused": "does not fit"});
        assert_eq!(classify("pets".into(), &call(), Some(&refused), None).class, Class::NotCovered);
    }
}
