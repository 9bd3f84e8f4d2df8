//! What each operation's calls say: accepted by Prism or not, decoded or not, and when not,
//! whose fault it is. Every class is listed here; nothing is skipped silently.

use serde::Serialize;
use serde_json::Value;

use codegen::model::pointer;

use super::harness::{PlannedCall, UNDOCUMENTED};

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

/// How Prism locates what it finds wrong with a request: in its `--errors` body
/// (`"location":["body",...]`) and in its `sl-violations` header (`["request","body",...]`).
const REQUEST_VIOLATIONS: &[&str] = &[
    r#""location":["body""#,
    r#""location":["query""#,
    r#""location":["path""#,
    r#""location":["header""#,
    r#""location":["request""#,
    "errors#NOT_ACCEPTABLE",
    "errors#UNPROCESSABLE_ENTITY",
];

/// Prism behaviours that are not the client's fault: a reason containing the text is a known
/// limitation of the mock server.
pub const MOCK_LIMITATIONS: &[(&str, &str)] = &[
    // With `--errors`, Prism checks its own responses too, and makes up the headers it has no
    // example for without their patterns.
    (r#""location":["response","header""#, "Prism's made-up response header breaks the spec it mocks"),
    // Prism answers 500 when it cannot build a response body (a schema it cannot sample).
    ("NO_RESPONSE_DEFINED", "the operation documents no response Prism can build"),
    ("errors#UNKNOWN", "Prism failed internally while building the response"),
    // A `*/*` response with a JSON schema: Prism will not serialize an object as "any type".
    ("NO_COMPLEX_OBJECT_TEXT", "Prism cannot serve a JSON schema documented under a wildcard media type"),
];

/// The key [`made_up_answer_defect`]'s finding is kept under in a line.
pub const MADE_UP_ANSWER_DEFECT: &str = "made_up_answer_defect";

/// Prism reads a `text/plain` request body as a string and validates it against the body's
/// schema, so a text body whose schema is not a string is refused whatever it holds (booleans
/// and numbers are served as the strings spelling them, `serve::scalar_text_bodies_as_strings`;
/// an object or an array cannot be).
const TEXT_BODY_TYPED: &str = r#""location":["body"],"severity":"Error","code":"type""#;

/// Prism's random integers ignore `format` (`uint8`, `int32`, ...), so in dynamic mode it sends
/// values the client's integer type cannot hold (serde: "invalid value: integer `-3`, expected
/// u64", "integer `41570282`, expected u8"). A documented example that does this is the spec's
/// defect instead.
fn out_of_format_range(message: &str) -> bool {
    const TYPES: [&str; 8] = ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"];
    message.contains("invalid value: integer `") && TYPES.iter().any(|t| message.contains(&format!("expected {t}")))
}

/// The bound Prism (json-schema-faker) uses for `format: float`, printed from a double: just
/// outside f32's range, so the client's `f32` refuses it ("number out of range"). Prism sends it
/// in static answers without examples and in random ones; no server printing a float32 does.
const PRISM_FLOAT_BOUND: &str = "3.402823669209385e+38";

fn prism_float_bound(message: &str) -> bool {
    message.contains("number out of range") && message.contains(PRISM_FLOAT_BOUND)
}

/// Where an answer Prism made up for an operation breaks the schema Prism serves for it: its
/// faker follows keywords that do not fit the declared type (a `pattern` on an object makes it
/// write a string) and stops filling required fields at its depth limit; with no documented
/// example, its static answer is built from the schema the same way. Such an answer not
/// decoding says nothing about the client. `None` when the body agrees, is not JSON or has no
/// schema.
pub fn made_up_answer_defect(served: &Value, operation_pointer: &str, line: &Value) -> Option<String> {
    let status = line.get("status").and_then(Value::as_u64)?.to_string();
    let body: Value = serde_json::from_str(line.get("body").and_then(Value::as_str)?).ok()?;
    let responses = served.pointer(operation_pointer)?.get("responses")?.as_object()?;
    let range = format!("{}XX", &status[..1]);
    let response = [status.as_str(), range.as_str(), "default"].iter().find_map(|key| responses.get(*key))?;
    let content = pointer::resolve(response, served).get("content")?.as_object()?;
    let schema = content.iter().find(|(media, _)| media.contains("json")).and_then(|(_, m)| m.get("schema"))?;
    let (at, why) = codegen::normalize::examples::contradiction(&body, schema, served)?;
    Some(format!("Prism's made-up {status} answer breaks the schema it serves, at `{at}`: {why}"))
}

/// Another path of the operation's method (at `operation_pointer`, `/paths/~1a~1{id}/get`)
/// whose template matches the same URLs: `/Contacts/{ContactNumber}` beside
/// `/Contacts/{ContactID}`. Prism routes a call to whichever it finds first and checks it
/// against that operation's parameters, so a refused request says nothing about the client.
pub fn route_twin(operation_pointer: &str, document: &Value) -> Option<String> {
    let (path, method) = operation_pointer.strip_prefix("/paths/")?.rsplit_once('/')?;
    let path = pointer::unescape(path);
    let shape = |template: &str| -> Vec<String> {
        let segment = |s: &str| if s.starts_with('{') && s.ends_with('}') { "{}".to_string() } else { s.to_string() };
        template.trim_end_matches('/').split('/').map(segment).collect()
    };
    let wanted = shape(&path);
    let paths = document.get("paths")?.as_object()?;
    paths
        .iter()
        .find(|(other, item)| **other != path && item.get(method).is_some() && shape(other) == wanted)
        .map(|(other, _)| other.clone())
}

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
    if let Some(why) = line.get("prism_crashed").and_then(Value::as_str) {
        // The request was made; Prism fell over answering it (its bug, not the client's).
        result.class = Class::MockLimitation;
        result.reason = format!("Prism crashed answering this call (it was restarted for the next): {why}");
        return result;
    }
    if let Some(why) = line.get("prism_stopped").and_then(Value::as_str) {
        result.class = Class::NotCovered;
        result.reason = format!("Prism stopped before answering: {why}");
        return result;
    }
    let as_promised = |line: &Value| decoded(line) || returned_whole(line, call);
    result.accepted = accepted(line);
    result.decoded_static = as_promised(line);
    let dynamic_failure = dynamic.and_then(|lines| lines.iter().find(|l| !as_promised(l)));
    result.decoded_dynamic = dynamic.map(|_| dynamic_failure.is_none());
    // The failure that keeps the operation from the goal (accepted, and decoded in dynamic
    // mode) names its class: a refused request, else a random response that did not decode,
    // else the documented example that did not.
    let failure =
        if !result.accepted { Some(line) } else { dynamic_failure.or((!result.decoded_static).then_some(line)) };
    if let Some(failure) = failure {
        let message = text_of(failure);
        let status = failure.get("status").and_then(Value::as_u64);
        let mode = if std::ptr::eq(failure, line) { "static" } else { "dynamic" };
        let status = status.map_or("no response".into(), |s| format!("status {s}"));
        result.reason = format!("{mode}, {status}: {}", excerpt(&message));
        let request_refused = mode == "static" && !result.accepted;
        // A static answer is made up only when no documented example contradicts the schema
        // (one that does is the spec's defect, below).
        let made_up = failure.get(MADE_UP_ANSWER_DEFECT).and_then(Value::as_str);
        if let Some(why) = made_up.filter(|_| mode == "dynamic" || call.example_defects.is_empty()) {
            result.reason = format!("{why}; {}", result.reason);
            result.class = Class::MockLimitation;
            return result;
        }
        result.class = if MOCK_LIMITATIONS.iter().any(|(text, _)| message.contains(text))
            || prism_float_bound(&message)
            || (call.text_body && message.contains(TEXT_BODY_TYPED))
            || (mode == "dynamic" && (out_of_format_range(&message) || message.contains(RESPONSE_VIOLATION)))
            || failure.get("prism_stopped").is_some()
            || failure.get("prism_crashed").is_some()
        {
            Class::MockLimitation
        } else if let Some(twin) = call.route_twin.as_ref().filter(|_| request_refused) {
            result.reason =
                format!("Prism may route this call to `{twin}`, which matches the same URLs; {}", result.reason);
            Class::MockLimitation
        } else if !request_refused && (message.contains(RESPONSE_VIOLATION) || out_of_format_range(&message)) {
            // Static mode answers with the documented example: Prism found it breaks its schema.
            Class::SpecDefect
        } else if mode == "static" && result.accepted && !call.example_defects.is_empty() {
            // Prism does not check every example it serves; the client's decoder did.
            result.reason = format!("{}; {}", call.example_defects.join("; "), result.reason);
            Class::SpecDefect
        } else {
            Class::ClientBug
        };
    }
    result
}

/// Prism accepted the request: no violation located in it, and an answer that is a success
/// or Prism's refusal of its own response.
fn accepted(line: &Value) -> bool {
    let text = text_of(line);
    let status = line.get("status").and_then(Value::as_u64);
    let refused = REQUEST_VIOLATIONS.iter().any(|located| text.contains(located));
    !refused && status.is_some_and(|s| s < 400 || text.contains(RESPONSE_VIOLATION))
}

/// The message and Prism's violations of a line, as one text to search.
fn text_of(line: &Value) -> String {
    let message = line.get("message").and_then(Value::as_str).unwrap_or_default();
    let violations = line.get("violations").and_then(Value::as_str).unwrap_or_default();
    format!("{message} {violations}")
}

/// A documented redirect that reached the caller whole, as the unexpected response with its
/// status (the harness writes [`UNDOCUMENTED`]` 302: ...`): the client follows the
/// redirects it can and returns the others so, which is what it promises for them.
fn returned_whole(line: &Value, call: &PlannedCall) -> bool {
    let Some(status) = line.get("status").and_then(Value::as_u64) else { return false };
    let message = line.get("message").and_then(Value::as_str).unwrap_or_default();
    let documented = call.redirects.iter().any(|r| *r == status.to_string() || r.eq_ignore_ascii_case("3XX"));
    documented && message.starts_with(&format!("{UNDOCUMENTED} {status}:"))
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
        PlannedCall {
            operation: "list_pets".into(),
            not_covered: None,
            text_body: false,
            example_defects: Vec::new(),
            pointer: "/paths/~1pets/get".into(),
            route_twin: None,
            redirects: Vec::new(),
        }
    }

    #[test]
    fn a_documented_redirect_returned_whole_is_what_the_client_promises() {
        let redirect = json!({"operation": "list_pets", "status": 302, "decoded": false, "message": "undocumented response 302: "});
        let documented = PlannedCall { redirects: vec!["302".into()], ..call() };
        let result = classify("pets".into(), &documented, Some(&redirect), Some(std::slice::from_ref(&redirect)));
        assert_eq!((result.accepted, result.decoded_static, result.decoded_dynamic), (true, true, Some(true)));
        assert_eq!(result.class, Class::Ok);
        let undocumented = classify("pets".into(), &call(), Some(&redirect), None);
        assert_eq!((undocumented.decoded_static, undocumented.class), (false, Class::ClientBug));
        let other = json!({"operation": "list_pets", "status": 301, "decoded": false, "message": "undocumented response 301: "});
        assert!(!classify("pets".into(), &documented, Some(&other), None).decoded_static, "another redirect");
    }

    #[test]
    fn a_refused_call_to_a_path_another_template_also_matches_is_prisms_routing() {
        let document = json!({"paths": {
            "/Contacts/{ContactID}": {"get": {}},
            "/Contacts/{ContactNumber}": {"get": {}},
            "/Contacts/{ContactID}/History": {"get": {}},
            "/Journals/{JournalID}": {"get": {}},
            "/Journals/{JournalNumber}": {"put": {}}
        }});
        let twin = route_twin("/paths/~1Contacts~1{ContactNumber}/get", &document);
        assert_eq!(twin.as_deref(), Some("/Contacts/{ContactID}"));
        assert_eq!(route_twin("/paths/~1Contacts~1{ContactID}~1History/get", &document), None);
        assert_eq!(route_twin("/paths/~1Journals~1{JournalID}/get", &document), None, "the other is a PUT");

        let line = json!({"operation": "list_pets", "status": 422, "decoded": false, "message": "request.path must match format \"uuid\""});
        let routed = PlannedCall { route_twin: twin, ..call() };
        let result = classify("pets".into(), &routed, Some(&line), None);
        assert_eq!((result.accepted, result.class), (false, Class::MockLimitation));
        assert!(result.reason.contains("/Contacts/{ContactID}"), "{}", result.reason);
        let result = classify("pets".into(), &call(), Some(&line), None);
        assert_eq!(result.class, Class::ClientBug, "without a twin, a refused request is the client's");
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
    fn a_typed_text_body_prism_refuses_is_its_limit_but_a_typed_json_body_is_ours() {
        let refused = json!({"operation": "put_flag", "status": 422, "decoded": false,
            "message": r#"{"validation":[{"location":["body"],"severity":"Error","code":"type","message":"Request body must be boolean"}]}"#});
        let text = PlannedCall { text_body: true, ..call() };
        assert_eq!(classify("api".into(), &text, Some(&refused), None).class, Class::MockLimitation);
        assert_eq!(classify("api".into(), &call(), Some(&refused), None).class, Class::ClientBug);
    }

    #[test]
    fn a_random_integer_outside_its_format_is_prisms_limit_in_dynamic_mode_only() {
        let ok = json!({"operation": "list_pets", "status": 200, "decoded": true, "message": ""});
        let negative = json!({"operation": "list_pets", "status": 200, "decoded": false,
            "message": "the response body does not decode: at Size: invalid value: integer `-7`, expected u64"});
        let dynamic = classify("api".into(), &call(), Some(&ok), Some(std::slice::from_ref(&negative)));
        assert_eq!(dynamic.class, Class::MockLimitation);
        let too_large = json!({"operation": "list_pets", "status": 200, "decoded": false,
            "message": "the body of 200 does not decode at `usage.percent`: invalid value: integer `41570282`, expected u8"});
        let dynamic = classify("api".into(), &call(), Some(&ok), Some(std::slice::from_ref(&too_large)));
        assert_eq!(dynamic.class, Class::MockLimitation);
        let wrong_type = json!({"operation": "list_pets", "status": 200, "decoded": false,
            "message": "the body of 200 does not decode at `size`: invalid type: string \"7\", expected u8"});
        let dynamic = classify("api".into(), &call(), Some(&ok), Some(std::slice::from_ref(&wrong_type)));
        assert_eq!(dynamic.class, Class::ClientBug, "only a value out of the format's range");
        assert_eq!(
            classify("api".into(), &call(), Some(&negative), None).class,
            Class::SpecDefect,
            "the documented example is negative"
        );
    }

    #[test]
    fn a_request_prism_passed_is_accepted_even_when_its_example_response_is_refused() {
        let example_refused = json!({"operation": "list_pets", "status": 500, "decoded": false,
            "message": r#"undocumented response 500: {"validation":[{"location":["response","body"],"code":"required"}]}"#});
        let result = classify("api".into(), &call(), Some(&example_refused), None);
        assert_eq!((result.accepted, result.class), (true, Class::SpecDefect));
        let made_up_header = json!({"operation": "list_pets", "status": 500, "decoded": false, "message": "",
            "violations": r#"[{"location":["response","header","x-request-id"],"code":"pattern"}]"#});
        assert_eq!(classify("api".into(), &call(), Some(&made_up_header), None).class, Class::MockLimitation);
        let refused_with_documented_400 = json!({"operation": "list_pets", "status": 400, "decoded": false, "message": "",
            "violations": r#"[{"location":["request","query","limit"],"code":"type"}]"#});
        let result = classify("api".into(), &call(), Some(&refused_with_documented_400), None);
        assert_eq!((result.accepted, result.class), (false, Class::ClientBug));
        let crashed = json!({"operation": "list_pets", "status": null, "decoded": false, "message": "error sending request",
            "prism_stopped": "TypeError: Cannot read properties of null"});
        let result = classify("api".into(), &call(), Some(&crashed), None);
        assert_eq!(result.class, Class::NotCovered);
        assert!(result.reason.contains("Prism stopped"), "{}", result.reason);
        let culprit = json!({"operation": "list_pets", "status": null, "decoded": false, "message": "error sending request",
            "prism_crashed": "TypeError: Cannot read properties of null"});
        let result = classify("api".into(), &call(), Some(&culprit), None);
        assert_eq!(result.class, Class::MockLimitation);
        assert!(result.reason.contains("TypeError"), "{}", result.reason);
    }

    #[test]
    fn an_undecodable_example_its_schema_refuses_is_the_specs_defect() {
        let line = json!({"operation": "get_pet", "status": 200, "decoded": false,
            "message": "the body of 200 does not decode at `tags`: invalid type: string, expected a sequence"});
        assert_eq!(classify("api".into(), &call(), Some(&line), None).class, Class::ClientBug);
        let documented = PlannedCall {
            example_defects: vec!["the 200 example at `/tags`: \"a\" is not of type array".into()],
            ..call()
        };
        let result = classify("api".into(), &documented, Some(&line), None);
        assert_eq!(result.class, Class::SpecDefect);
        assert!(result.reason.starts_with("the 200 example at `/tags`"), "{}", result.reason);
    }

    #[test]
    fn a_call_the_harness_could_not_build_is_not_covered_never_ok() {
        let planned =
            PlannedCall { operation: "upload".into(), not_covered: Some("a multipart form body".into()), ..call() };
        let result = classify("pets".into(), &planned, None, None);
        assert_eq!(result.class, Class::NotCovered);
        let refused = json!({"operation": "upload", "sample_refused": "does not fit"});
        assert_eq!(classify("pets".into(), &call(), Some(&refused), None).class, Class::NotCovered);
    }

    #[test]
    fn an_answer_prism_made_up_that_breaks_its_own_schema_is_the_mocks_limitation() {
        let served = json!({
            "paths": {"/pets": {"get": {"responses": {"2XX": {"$ref": "#/components/responses/Pets"}}}}},
            "components": {
                "responses": {"Pets": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
                "schemas": {"Pet": {"type": "object", "properties": {"metadata": {"type": "object", "pattern": "[^\"]*"}}}}
            }
        });
        let broken = json!({"operation": "list_pets", "status": 200, "decoded": false,
            "message": "the body of 200 does not decode at `metadata`: invalid type: string, expected a map",
            "body": r#"{"metadata": "x"}"#});
        let why = made_up_answer_defect(&served, "/paths/~1pets/get", &broken).expect("a string is not an object");
        assert!(why.contains("at `/metadata`"), "{why}");
        let agreeing = json!({"status": 200, "decoded": false, "body": r#"{"metadata": {}}"#});
        assert_eq!(made_up_answer_defect(&served, "/paths/~1pets/get", &agreeing), None);
        assert_eq!(made_up_answer_defect(&served, "/paths/~1pets/get", &json!({"status": 404, "body": "{}"})), None);

        let static_line = json!({"operation": "list_pets", "status": 200, "decoded": true});
        let mut dynamic = broken.clone();
        dynamic[MADE_UP_ANSWER_DEFECT] = why.clone().into();
        let result = classify("api".into(), &call(), Some(&static_line), Some(&[dynamic]));
        assert_eq!(result.class, Class::MockLimitation);
        assert_eq!(result.decoded_dynamic, Some(false), "the answer still did not decode");
        let result = classify("api".into(), &call(), Some(&static_line), Some(std::slice::from_ref(&broken)));
        assert_eq!(result.class, Class::ClientBug, "an answer its schema allows that does not decode is the client's");
        let mut made_up_static = broken.clone();
        made_up_static[MADE_UP_ANSWER_DEFECT] = why.clone().into();
        assert_eq!(classify("api".into(), &call(), Some(&made_up_static), None).class, Class::MockLimitation);
        let documented =
            PlannedCall { example_defects: vec!["the 200 example at `/metadata`: a string".into()], ..call() };
        let result = classify("api".into(), &documented, Some(&made_up_static), None);
        assert_eq!(result.class, Class::SpecDefect, "a documented example that breaks its schema is the spec's");
    }

    #[test]
    fn prisms_float_bound_outside_f32_is_its_limitation_in_both_modes() {
        let bound = json!({"operation": "list_pets", "status": 200, "decoded": false,
            "message": "the body of 200 does not decode at `results[0].score`: number out of range at line 1 column 77: {\"score\":-3.402823669209385e+38}"});
        assert_eq!(classify("api".into(), &call(), Some(&bound), None).class, Class::MockLimitation);
        let ok = json!({"operation": "list_pets", "status": 200, "decoded": true});
        let dynamic = classify("api".into(), &call(), Some(&ok), Some(std::slice::from_ref(&bound)));
        assert_eq!(dynamic.class, Class::MockLimitation);
        let other = json!({"operation": "list_pets", "status": 200, "decoded": false,
            "message": "the body of 200 does not decode at `score`: number out of range: {\"score\":1e400}"});
        assert_eq!(classify("api".into(), &call(), Some(&other), None).class, Class::ClientBug);
    }
}
