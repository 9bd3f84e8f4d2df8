//! The five seed pages, end to end: per API, the normalized spec and the quirk report are
//! snapshotted, and the facts a user relies on are asserted. (The generated code is not
//! snapshotted here: it is `generated-client/`, which the drift test compares byte for byte.)

use std::path::Path;
use std::sync::OnceLock;

use codegen::pipeline::BuiltApi;
use codegen::report::Rule;
use codegen_tools::workspace::{regenerate, Generated};
use pipeline_tests::{repository_root, yaml};
use serde_json::json;

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        regenerate(&repository_root().join("specs"), Path::new("specs"), "generated-client")
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

fn api(name: &str) -> &'static BuiltApi {
    generated().apis.iter().find(|a| a.name == name).unwrap()
}

#[test]
fn normalized_specs_and_quirk_reports_snapshots() {
    for api in &generated().apis {
        insta::assert_snapshot!(format!("{}_normalized", api.name), yaml(&api.normalized()));
        insta::assert_snapshot!(format!("{}_quirks", api.name), yaml(&api.report));
    }
}

#[test]
fn every_documented_operation_is_a_method() {
    let methods = |api: &BuiltApi| -> Vec<String> {
        api.modules
            .iter()
            .flat_map(|m| {
                m.source
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("pub fn ")?.split('(').next().map(str::to_owned))
                    .filter(|name| {
                        name != "new"
                            && name != "new_with_client"
                            && name != "with_default_base_url"
                            && name != "builder"
                    })
                    .map(move |name| format!("{}::{name}", m.module.as_deref().unwrap_or("-")))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let mut supermetrics = methods(api("supermetrics"));
    supermetrics.retain(|m| !m.contains("::body") && !m.contains("::send"));
    assert!(supermetrics.contains(&"management::create_login_link".to_string()), "{supermetrics:?}");
    for expected in [
        "management::create_login_link",
        "dts::create_data_source_connection",
        "connector_builder::create_connector_secret",
        "enterprise::list_api_keys",
        "enterprise::get_api_key",
        "enterprise::add_api_key",
        "enterprise::update_api_key",
    ] {
        assert!(supermetrics.iter().any(|m| m == expected), "{expected} missing from {supermetrics:?}");
    }
    assert_eq!(api("supermetrics").operations(), 7);
    assert_eq!(api("deck").operations(), 1);
    assert!(methods(api("deck")).iter().any(|m| m == "-::post_link_token_create"));
}

#[test]
fn each_operation_calls_its_documented_host_by_default() {
    let urls: Vec<(Option<&str>, &str)> =
        api("supermetrics").modules.iter().map(|m| (m.module.as_deref(), m.base_url.as_str())).collect();
    assert_eq!(
        urls,
        [
            (Some("management"), "https://api.supermetrics.com/v2"),
            (Some("dts"), "https://dts-api.supermetrics.com/v1"),
            (Some("connector_builder"), "https://api.supermetrics.com"),
            (Some("enterprise"), "https://api.supermetrics.com/enterprise/v2"),
        ]
    );
    assert_eq!(generated_client::supermetrics::dts::DEFAULT_BASE_URL, "https://dts-api.supermetrics.com/v1");
    assert_eq!(generated_client::deck::DEFAULT_BASE_URL, "https://live.deck.co/api/v1");
}

#[test]
fn the_seed_quirks_are_fixed_and_recorded() {
    let report = &api("supermetrics").report;
    let find = |pointer_end: &str, rule: Rule| {
        report
            .changes
            .iter()
            .find(|c| c.rule == rule && c.pointer.ends_with(pointer_end))
            .unwrap_or_else(|| panic!("no {rule:?} change at …{pointer_end}"))
    };
    let required = find("/paths/~1ds~1login~1link/post/requestBody/required", Rule::StringTypedBoolean);
    assert_eq!((required.before.clone(), required.after.clone()), (Some(json!("true")), Some(json!(true))));
    let clamp = find("/DwhTeamIdPathParam/schema/maximum", Rule::IntegerBoundClamped);
    assert_eq!(clamp.after, Some(json!(i64::MAX)));
    let normalized = &api("supermetrics").normalized();
    assert_eq!(normalized.pointer("/components/schemas/LoginLink/properties/login_id/nullable"), Some(&json!(true)));
    assert_eq!(normalized.pointer("/components/schemas/Meta/additionalProperties"), Some(&json!(false)));
    assert_eq!(normalized.pointer("/components/headers/Retry-After/schema/example"), Some(&json!(3600)));
    // The overlay: expiry_time takes relative strings, so it is no longer a date-time.
    let expiry = normalized
        .pointer("/paths/~1ds~1login~1link/post/requestBody/content/application~1json/schema/properties/expiry_time")
        .unwrap();
    assert!(expiry.get("format").is_none(), "{expiry}");
    assert_eq!(report.changes.iter().filter(|c| c.rule == Rule::OverlayAction).count(), 2);
    // 001's ErrorResponse/Error differ from 000's: kept apart, and 001's references follow.
    assert!(normalized.pointer("/components/schemas/DtsErrorResponse").is_some());
    assert_eq!(
        normalized.pointer("/components/schemas/DtsErrorResponse/properties/error/$ref"),
        Some(&json!("#/components/schemas/DtsError"))
    );
}

#[test]
fn deck_names_are_short_and_the_body_is_json() {
    let deck = api("deck");
    let source = &deck.modules[0].source;
    assert!(source.contains("pub struct LinkTokenCreateRequest"));
    assert!(!source.contains("Datadeck"), "long .NET names are gone");
    let rules = deck.report.counts_by_rule();
    assert_eq!(rules.get(&Rule::OperationIdSynthesized), Some(&1));
    // Three bodies and responses reduced to JSON, and the encrypted answer kept beside one.
    assert_eq!(rules.get(&Rule::MediaTypeChosen), Some(&4));
    assert!(source.contains("pub async fn send_json_encrypted("), "the encrypted answer stays reachable");
}

mod generated_types {
    use generated_client::supermetrics::management::errors::CreateLoginLinkError;
    use generated_client::supermetrics::management::types::{CreateLoginLinkBody, ErrorResponse, LinkLimitExceeded};

    #[test]
    fn each_error_status_of_the_login_link_holds_its_own_documented_type() {
        let limit: LinkLimitExceeded =
            serde_json::from_str(r#"{"error": "LINK_LIMIT_EXCEEDED", "message": "Too many links"}"#).unwrap();
        let forbidden = CreateLoginLinkError::Forbidden(limit);
        let json = serde_json::to_value(&forbidden).unwrap();
        assert_eq!(json["error"], "LINK_LIMIT_EXCEEDED", "an error serializes as the body it holds: {json}");
        let common: ErrorResponse = serde_json::from_str(
            r#"{"meta": {"request_id": "BXaEFVtjc7TXaJxgZhmFgSUD9edqq_CN"}, "error": {"code": "UNAUTHORIZED", "message": "Authentication is required."}}"#,
        )
        .unwrap();
        let unauthorized = CreateLoginLinkError::Unauthorized(common);
        assert_eq!(serde_json::to_value(&unauthorized).unwrap()["error"]["code"], "UNAUTHORIZED");
    }

    #[test]
    fn expiry_time_accepts_a_relative_time_string() {
        let body: CreateLoginLinkBody =
            serde_json::from_str(r#"{"ds_id": "GAWA", "expiry_time": "10 hours"}"#).unwrap();
        assert_eq!(serde_json::to_value(&body).unwrap()["expiry_time"], "10 hours");
    }

    #[test]
    fn documented_limits_are_enforced_when_a_value_is_built() {
        let built = |ds_id: &str| CreateLoginLinkBody::try_from(CreateLoginLinkBody::builder().ds_id(ds_id));
        assert!(built(&"A".repeat(51)).is_err(), "maxLength 50");
        assert!(built("not valid!").is_err(), "pattern");
        assert!(built("GAWA").is_ok());
        let decoded = serde_json::from_str::<CreateLoginLinkBody>(r#"{"ds_id": "not valid!"}"#);
        assert!(decoded.is_ok(), "decoding keeps what was sent: limits are for what we send");
    }
}
