//! Every example the normalized specs document must work with the generated client:
//! each response example (every status, errors included) is served from a local HTTP server and
//! must decode into the operation's type with the example's values; each request example must
//! deserialize into the body type and serialize back to the same JSON. The test prints how many
//! it checked; an example it cannot check fails it, and the one documented inconsistency is
//! listed by name and must keep failing until the vendor fixes it.

use std::collections::BTreeMap;
use std::fs;
use std::future::Future;
use std::pin::Pin;

use generated_client::runtime::RetryPolicy;
use generated_client::runtime::{Error, ResponseValue};
use generated_client::{deck, supermetrics};
use pipeline_tests::repository_root;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

type Outcome = Result<(u16, Value), String>;
type Call = fn(String) -> Pin<Box<dyn Future<Output = Outcome>>>;
type RoundTrip = fn(&Value) -> Result<Value, String>;

fn settle<T: Serialize, E: Serialize + std::fmt::Debug>(result: Result<ResponseValue<T>, Error<E>>) -> Outcome {
    match result {
        Ok(value) => Ok((value.status().as_u16(), serde_json::to_value(value.into_inner()).unwrap())),
        Err(Error::ErrorResponse(value)) => {
            Ok((value.status().as_u16(), serde_json::to_value(value.into_inner()).unwrap()))
        }
        Err(other) => Err(other.to_string()),
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(example: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(example.clone()).map_err(|e| e.to_string())?;
    Ok(serde_json::to_value(typed).unwrap())
}

/// How to call each operation with valid inputs, by API and operationId.
fn callers() -> BTreeMap<(&'static str, &'static str), Call> {
    use supermetrics::{connector_builder as cb, dts, enterprise as ent, management as mgmt};
    let mut calls: BTreeMap<(&str, &str), Call> = BTreeMap::new();
    calls.insert(("supermetrics", "createLoginLink"), |url| {
        Box::pin(async move {
            let client = mgmt::Client::with_bearer_token("t").with_base_url(&url).with_retry(RetryPolicy::disabled());
            settle(
                client.create_login_link().body(mgmt::types::CreateLoginLinkBody::builder().ds_id("GAWA")).send().await,
            )
        })
    });
    calls.insert(("supermetrics", "createDataSourceConnection"), |url| {
        Box::pin(async move {
            let client = dts::Client::with_bearer_token("t").with_base_url(&url).with_retry(RetryPolicy::disabled());
            let body = dts::types::CreateDataSourceConnectionRequest::builder()
                .data_source_id("ADM")
                .destination_type("DWH_SNOWFLAKE");
            settle(
                client
                    .create_data_source_connection()
                    .team_id(std::num::NonZeroU64::new(12345).unwrap())
                    .body(body)
                    .send()
                    .await,
            )
        })
    });
    calls.insert(("supermetrics", "createConnectorSecret"), |url| {
        Box::pin(async move {
            let client = cb::Client::with_bearer_token("t").with_base_url(&url).with_retry(RetryPolicy::disabled());
            let body = cb::types::CreateConnectorSecretRequest::builder().secret_name("client_id").secret_value("v");
            settle(
                client
                    .create_connector_secret()
                    .team_id(std::num::NonZeroU64::new(936506).unwrap())
                    .connector_identifier("T3S70")
                    .body(body)
                    .send()
                    .await,
            )
        })
    });
    calls.insert(("supermetrics", "listApiKeys"), |url| {
        Box::pin(async move {
            let client = ent::Client::with_bearer_token("t").with_base_url(&url).with_retry(RetryPolicy::disabled());
            settle(client.list_api_keys().send().await)
        })
    });
    calls.insert(("supermetrics", "getApiKey"), |url| {
        Box::pin(async move {
            let client = ent::Client::with_bearer_token("t").with_base_url(&url).with_retry(RetryPolicy::disabled());
            settle(client.get_api_key().api_key_id("apk_2").send().await)
        })
    });
    calls.insert(("supermetrics", "addApiKey"), |url| {
        Box::pin(async move {
            let client = ent::Client::with_bearer_token("t").with_base_url(&url).with_retry(RetryPolicy::disabled());
            let body = ent::types::AddApiKeyRequest::builder().key_type(ent::types::AddApiKeyRequestKeyType::User);
            settle(client.add_api_key().body(body).send().await)
        })
    });
    calls.insert(("supermetrics", "updateApiKey"), |url| {
        Box::pin(async move {
            let client = ent::Client::with_bearer_token("t").with_base_url(&url).with_retry(RetryPolicy::disabled());
            settle(
                client
                    .update_api_key()
                    .api_key_id("apk_3")
                    .body(ent::types::UpdateApiKeyRequest::builder())
                    .send()
                    .await,
            )
        })
    });
    calls.insert(("deck", "post_link_token_create"), |url| {
        Box::pin(async move {
            let client = deck::Client::with_client_id_and_secret("i", "s")
                .with_base_url(&url)
                .with_retry(RetryPolicy::disabled());
            settle(client.post_link_token_create().body(deck::types::LinkTokenCreateRequest::builder()).send().await)
        })
    });
    calls
}

/// The request body type of each operation that has one, as a JSON round trip.
fn request_bodies() -> BTreeMap<(&'static str, &'static str), RoundTrip> {
    use supermetrics::{connector_builder as cb, dts, enterprise as ent, management as mgmt};
    let mut bodies: BTreeMap<(&str, &str), RoundTrip> = BTreeMap::new();
    bodies.insert(("supermetrics", "createLoginLink"), round_trip::<mgmt::types::CreateLoginLinkBody>);
    bodies.insert(
        ("supermetrics", "createDataSourceConnection"),
        round_trip::<dts::types::CreateDataSourceConnectionRequest>,
    );
    bodies.insert(("supermetrics", "createConnectorSecret"), round_trip::<cb::types::CreateConnectorSecretRequest>);
    bodies.insert(("supermetrics", "addApiKey"), round_trip::<ent::types::AddApiKeyRequest>);
    bodies.insert(("supermetrics", "updateApiKey"), round_trip::<ent::types::UpdateApiKeyRequest>);
    bodies.insert(("deck", "post_link_token_create"), round_trip::<deck::types::LinkTokenCreateRequest>);
    bodies
}

/// Request examples the vendor documents inconsistently, each with why. They must keep failing.
const KNOWN_INVALID_REQUEST_EXAMPLES: [(&str, &str, &str); 1] =
    [("supermetrics", "addApiKey", "page 003's example omits key_type, which the same page marks Required")];

/// An example found in a spec.
struct Example {
    api: String,
    operation: String,
    status: Option<u16>,
    name: String,
    value: Value,
}

fn resolve<'a>(value: &'a Value, root: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(target) => root.pointer(target).unwrap_or(value),
        None => value,
    }
}

fn media_examples(media: &Value, root: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    if let Some(example) = media.get("example") {
        found.push(("example".to_string(), example.clone()));
    }
    for (name, example) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
        if let Some(value) = resolve(example, root).get("value") {
            found.push((name.clone(), value.clone()));
        }
    }
    found
}

fn examples() -> (Vec<Example>, Vec<Example>) {
    let mut responses = Vec::new();
    let mut requests = Vec::new();
    for api in ["supermetrics", "deck"] {
        let text = fs::read_to_string(repository_root().join(format!("generated-client/openapi/{api}.yaml"))).unwrap();
        let root: Value = serde_yaml_ng::from_str(&text).unwrap();
        for (_, item) in root["paths"].as_object().unwrap() {
            for (_, operation) in
                item.as_object().unwrap().iter().filter(|(k, _)| codegen::model::walk::is_operation_key(k))
            {
                let id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or("post_link_token_create")
                    .to_string();
                let body = operation.get("requestBody").map(|b| resolve(b, &root));
                if let Some(media) = body.and_then(|b| b.pointer("/content/application~1json")) {
                    for (name, value) in media_examples(media, &root) {
                        requests.push(Example { api: api.into(), operation: id.clone(), status: None, name, value });
                    }
                }
                for (status, response) in operation["responses"].as_object().unwrap() {
                    let response = resolve(response, &root);
                    let Some(media) = response.pointer("/content/application~1json") else { continue };
                    for (name, value) in media_examples(media, &root) {
                        let status = Some(
                            status.parse().unwrap_or_else(|_| panic!("{api} {id}: status {status} is not a number")),
                        );
                        responses.push(Example { api: api.into(), operation: id.clone(), status, name, value });
                    }
                }
            }
        }
    }
    (responses, requests)
}

/// Whether every value the example gives is in `decoded` (a `null` may be left out).
fn holds(example: &Value, decoded: &Value) -> bool {
    match (example, decoded) {
        (Value::Object(expected), Value::Object(actual)) => {
            expected.iter().all(|(k, v)| actual.get(k).map_or(v.is_null(), |a| holds(v, a)))
        }
        (Value::Array(expected), Value::Array(actual)) => {
            expected.len() == actual.len() && expected.iter().zip(actual).all(|(e, a)| holds(e, a))
        }
        // Date-times and UUIDs decode to values that serialize back in one spelling
        // (`Z` for `+00:00`, lower-case hex): compare the values.
        (Value::String(e), Value::String(a)) => e == a || same_instant(e, a) || same_uuid(e, a),
        (e, a) => e == a,
    }
}

fn same_uuid(a: &str, b: &str) -> bool {
    matches!((uuid::Uuid::parse_str(a), uuid::Uuid::parse_str(b)), (Ok(a), Ok(b)) if a == b)
}

fn same_instant(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[tokio::test]
async fn every_documented_response_example_decodes() {
    let (responses, _) = examples();
    let callers = callers();
    let mut failures = Vec::new();
    for example in &responses {
        let key = (example.api.as_str(), example.operation.as_str());
        let Some(call) = callers.get(&key) else {
            failures.push(format!("{key:?}: no caller for this operation; add one to callers()"));
            continue;
        };
        let server = MockServer::start().await;
        let status = example.status.unwrap();
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).set_body_json(&example.value))
            .mount(&server)
            .await;
        match call(server.uri()).await {
            Ok((got, decoded)) if got == status && holds(&example.value, &decoded) => {}
            Ok((got, decoded)) => failures.push(format!("{key:?} {status} {}: got {got} {decoded}", example.name)),
            Err(error) => failures.push(format!("{key:?} {status} {}: {error}", example.name)),
        }
    }
    println!("checked {} documented response examples", responses.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(responses.len() >= 30, "found only {} response examples", responses.len());
}

#[test]
fn every_documented_request_example_round_trips() {
    let (_, requests) = examples();
    let bodies = request_bodies();
    let mut failures = Vec::new();
    let mut checked = 0;
    for example in &requests {
        let key = (example.api.as_str(), example.operation.as_str());
        let Some(round_trip) = bodies.get(&key) else {
            failures.push(format!("{key:?}: no body type listed in request_bodies()"));
            continue;
        };
        let known = KNOWN_INVALID_REQUEST_EXAMPLES.iter().find(|(api, op, _)| (*api, *op) == key);
        match (round_trip(&example.value), known) {
            (Ok(back), None) if back == example.value => checked += 1,
            (Ok(back), None) => failures.push(format!("{key:?}: {} serializes back as {back}", example.value)),
            (Err(error), None) => failures.push(format!("{key:?}: {error}")),
            (Err(error), Some((_, _, why))) => println!("known inconsistency {key:?}: {why} ({error})"),
            (Ok(_), Some(_)) => {
                failures.push(format!("{key:?} now round-trips: remove it from KNOWN_INVALID_REQUEST_EXAMPLES"))
            }
        }
    }
    println!(
        "checked {checked} documented request examples, {} known inconsistent",
        KNOWN_INVALID_REQUEST_EXAMPLES.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked + KNOWN_INVALID_REQUEST_EXAMPLES.len(), requests.len());
}
