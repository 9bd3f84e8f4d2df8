//! The clients generated from specs that once broke generated code (tests/fixtures/compile):
//! they compile (the workspace build and clippy -D warnings see to that), and here they are
//! shown to put the documented bytes on the wire and read them back.

use fixture_clients::{decoding, enum_with_null, field_collision, headers_and_methods, names, webhooks};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn properties_with_one_rust_name_keep_their_own_fields_and_wire_names() {
    let wire = json!({"isGlobal": true, "is_global": false, "IsGlobal": "yes"});
    let settings: field_collision::types::Settings = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(settings.is_global, Some(true));
    assert_eq!(settings.is_global_2, Some(false));
    assert_eq!(settings.is_global_3.as_deref(), Some("yes"));
    assert_eq!(serde_json::to_value(&settings).unwrap(), wire, "sent back under the documented names");
}

#[test]
fn null_listed_in_an_enum_decodes_and_the_values_still_do() {
    let item: enum_with_null::types::Item = serde_json::from_value(json!({"status": "inactive"})).unwrap();
    assert_eq!(serde_json::to_value(&item).unwrap(), json!({"status": "inactive"}));
    let item: enum_with_null::types::Item = serde_json::from_value(json!({"status": null})).unwrap();
    assert_eq!(serde_json::to_value(&item).unwrap()["status"], json!(null));
    let added: enum_with_null::types::Item = serde_json::from_value(json!({"status": "archived"})).unwrap();
    assert_eq!(serde_json::to_value(&added).unwrap(), json!({"status": "archived"}), "a value added later is kept");
}

#[test]
fn webhook_payloads_decode_by_name_into_their_types() {
    use webhooks::webhooks::{parse, ParseError, Webhook, NAMES};
    assert_eq!(NAMES, ["order.created", "refund.issued", "refund.failed"]);
    match parse("refund.issued", br#"{"refund_id": "r_1", "amount": 250, "note": null}"#).unwrap() {
        Webhook::RefundIssued(refund) => {
            assert_eq!((refund.refund_id.as_str(), refund.amount), ("r_1", 250));
            assert_eq!(refund.note, None);
        }
        other => panic!("expected a refund, got {other:?}"),
    }
    assert!(
        matches!(parse("order.created", br#"{"id": "o_1"}"#), Ok(Webhook::OrderCreated(order)) if order.id == "o_1")
    );
    assert!(matches!(parse("order.created", br#"{"total": 3}"#), Err(ParseError::Body(_))), "id is required");
    let unknown = parse("order.deleted", b"{}").unwrap_err();
    assert!(unknown.to_string().contains("order.created, refund.issued"), "{unknown}");
}

#[test]
fn an_inline_schema_two_payloads_repeat_is_one_type_under_both_names() {
    use webhooks::webhooks::types::{
        RefundFailedWebhookCustomer, RefundFailedWebhookCustomerTier, RefundIssuedWebhookCustomer,
        RefundIssuedWebhookCustomerTier,
    };
    use webhooks::webhooks::{parse, Webhook};
    // Written once: a value under one name is a value under the other (this compiles only so).
    let same = |customer: RefundIssuedWebhookCustomer| -> RefundFailedWebhookCustomer { customer };
    let tier: RefundIssuedWebhookCustomerTier = RefundFailedWebhookCustomerTier::Pro;
    let customer = json!({"id": "c_1", "tier": "pro"});
    let issued = json!({"refund_id": "r_1", "amount": 250, "customer": customer});
    let Webhook::RefundIssued(issued) = parse("refund.issued", issued.to_string().as_bytes()).unwrap() else {
        panic!("expected refund.issued")
    };
    let from_issued = same(issued.customer.unwrap());
    assert_eq!((from_issued.id.as_str(), from_issued.tier), ("c_1", Some(tier)));
    // Where the copy was nullable (and required nothing), `null` is no customer.
    let failed = json!({"refund_id": "r_1", "reason": "late", "customer": null});
    let Webhook::RefundFailed(failed) = parse("refund.failed", failed.to_string().as_bytes()).unwrap() else {
        panic!("expected refund.failed")
    };
    assert!(failed.customer.is_none());
}

#[tokio::test]
async fn options_and_head_are_sent_with_their_methods() {
    let server = MockServer::start().await;
    let client = headers_and_methods::Client::with_default_base_url().with_base_url(&server.uri());
    Mock::given(method("OPTIONS"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("HEAD"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.things_options().send().await.unwrap().status().as_u16(), 204);
    assert_eq!(client.things_head().send().await.unwrap().status().as_u16(), 200);
}

#[tokio::test]
async fn an_array_header_is_sent_comma_joined_and_a_nullable_one_only_when_set() {
    let server = MockServer::start().await;
    let client = headers_and_methods::Client::with_default_base_url().with_base_url(&server.uri());
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(header("x-trace", "t-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["a"])))
        .expect(1)
        .mount(&server)
        .await;
    let things =
        client.list_things().x_tags(vec!["red".to_string(), "green".to_string()]).x_trace("t-1").send().await.unwrap();
    assert_eq!(things.into_inner(), ["a"]);
    let sent = &server.received_requests().await.unwrap()[0];
    // One header line, the items joined by commas (wiremock's matcher would split it).
    assert_eq!(sent.headers.get_all("x-tags").iter().map(|v| v.to_str().unwrap()).collect::<Vec<_>>(), ["red,green"]);
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "gone"})))
        .mount(&server)
        .await;
    match client.list_things().send().await {
        Err(headers_and_methods::Error::ErrorResponse(error)) => {
            assert_eq!(error.status().as_u16(), 404);
            assert_eq!(error.into_inner().message.as_deref(), Some("gone"));
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
    let requests = server.received_requests().await.unwrap();
    assert!(requests.last().unwrap().headers.get("x-trace").is_none(), "an unset header is not sent");
}

#[test]
fn a_schema_the_spec_repeats_is_one_type_under_both_names() {
    use fixture_clients::headers_and_methods::types::{GetCallResponse, ListThingsResponse};
    use fixture_clients::secrets_and_options::types::{FindAccountsEmail, NewAccountEmail};
    // The query parameter's `maxLength: 40` string and the body field's are one type: a value
    // of one name is a value of the other, and the limit is still checked under either.
    let email: NewAccountEmail = FindAccountsEmail::try_from("ada@example.com").unwrap();
    assert_eq!(email.as_str(), "ada@example.com");
    let long = "a".repeat(41);
    assert!(NewAccountEmail::try_from(long.as_str()).is_err(), "the repeat keeps its limit");
    let listed: ListThingsResponse = serde_json::from_value(json!({"message": "hi", "added": 1})).unwrap();
    let called: GetCallResponse = listed;
    assert_eq!(called.message.as_deref(), Some("hi"));
    assert!(format!("{called:?}").starts_with("GetCallResponse {"), "Debug names the first: {called:?}");
}

#[test]
fn schemas_whose_names_give_one_rust_type_are_two_types() {
    use fixture_clients::compositions::types::{Rates, RatesReaction, UpdatePagesBody, UpdatePagesBodySource};
    let rates: Rates = serde_json::from_value(json!({"fee": 0.5, "overdraft": "12.5", "reaction": "+1"})).unwrap();
    assert_eq!(*rates.fee.unwrap(), 0.5, "OBRate1_0 is a number");
    assert_eq!(rates.overdraft.unwrap().as_str(), "12.5", "OB_Rate1_0 is a string with a pattern");
    assert_eq!(rates.reaction, Some(RatesReaction::plus1));
    // The source is one of a string enum or an object; which of cname and source is sent is
    // no longer checked before sending, and neither is required.
    let body: UpdatePagesBody = serde_json::from_value(json!({"source": {"branch": "main"}})).unwrap();
    assert!(matches!(body.source, Some(UpdatePagesBodySource::Branch(ref b)) if b == "main"));
    let body: UpdatePagesBody = serde_json::from_value(json!({"source": "gh-pages"})).unwrap();
    assert!(matches!(body.source, Some(UpdatePagesBodySource::GhPages)));
    assert_eq!(serde_json::to_value(UpdatePagesBody::default()).unwrap(), json!({}));
}

#[test]
fn a_type_that_holds_itself_leaves_an_absent_field_out() {
    use fixture_clients::compositions::types::{Team, TeamLinks};
    let read = json!({"display_name": "core", "links": {"avatar": "a.png", "members": "m"}, "parent": {"display_name": "all"}});
    let team: Team = serde_json::from_value(read.clone()).unwrap();
    // `links` merges `account_links` and `team_links` into one `TeamLinks`, emitted once.
    let links: &TeamLinks = team.links.as_ref().unwrap();
    assert_eq!((links.avatar.as_deref(), links.members.as_deref()), (Some("a.png"), Some("m")));
    // The parent's own `parent` is left out, not sent as `null` (a validating server refuses it).
    assert_eq!(serde_json::to_value(&team).unwrap(), read);
}

#[tokio::test]
async fn deep_object_parameters_are_sent_as_bracketed_keys() {
    let server = MockServer::start().await;
    let client = fixture_clients::deep_object::Client::with_default_base_url().with_base_url(&server.uri());
    Mock::given(method("GET"))
        .and(path("/addresses"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let metadata: std::collections::HashMap<String, String> = [("plan".to_string(), "pro".to_string())].into();
    let filter = json!({"created": {"gt": "2024-01-01"}, "ids": [1, 2], "gone": null}).as_object().unwrap().clone();
    client.list_addresses().metadata(metadata).filter(filter).limit(5).send().await.unwrap();
    let sent = &server.received_requests().await.unwrap()[0];
    let query: Vec<(String, String)> = sent.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let expected = [
        ("filter[created][gt]", "2024-01-01"),
        ("filter[ids][]", "1"),
        ("filter[ids][]", "2"),
        ("limit", "5"),
        ("metadata[plan]", "pro"),
    ];
    assert_eq!(query, expected.map(|(k, v)| (k.to_string(), v.to_string())), "{}", sent.url);
}

/// An API laid out per tag (files and features, `tag_features = true`) calls and decodes as
/// one in a single file does: every part is included where its items were.
#[tokio::test]
async fn a_client_split_by_tag_sends_and_decodes_every_operation() {
    use fixture_clients::tagged::{types, Client};
    let server = MockServer::start().await;
    let client = Client::with_default_base_url().with_base_url(&server.uri());
    let pet = json!({"id": 7, "name": "Rex", "tag": {"text": "dog"}});
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [pet]})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(wiremock::matchers::body_json(json!({"name": "Rex", "label": {"text": "dog"}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(pet.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/store/orders/o-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "o-1", "pet": pet})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "up"})))
        .mount(&server)
        .await;

    let listed = client.list_pets().send().await.unwrap().into_inner();
    assert_eq!(listed.items[0].name, "Rex");
    // The body's builder (a type the client sends) builds nested values too.
    let created = client
        .create_pet()
        .body(types::NewPet::builder().name("Rex").label(types::NewLabel::builder().text("dog")))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((created.id, created.tag.and_then(|t| t.text).as_deref()), (7, Some("dog")));
    let order = client.get_order().order_id("o-1").send().await.unwrap().into_inner();
    assert_eq!((order.id.as_str(), order.pet.name.as_str()), ("o-1", "Rex"));
    let health = client.health().send().await.unwrap().into_inner();
    assert_eq!(health.status.as_deref(), Some("up"));
}

/// The same fields, attributes and documented names as the generated `decoding::types::Reading`,
/// decoded by serde's derive: what the generated `Deserialize` must agree with.
#[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
struct DerivedReading {
    id: String,
    note: Option<String>,
    sensor: DerivedSensor,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(deserialize_with = "Option::deserialize")]
    taken_at: Option<String>,
    #[serde(rename = "type")]
    type_: Option<String>,
    state: Option<DerivedState>,
}

/// The generated string enum as serde derives it: known names, and any other kept.
#[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
enum DerivedState {
    #[serde(rename = "on")]
    On,
    #[serde(rename = "off")]
    Off,
    #[serde(rename = "not-set")]
    NotSet,
    #[serde(untagged)]
    Unknown(String),
}

#[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
struct DerivedSensor {
    serial: i64,
}

#[test]
fn generated_deserialize_agrees_with_serdes_derive_on_absent_null_unknown_and_wrong_values() {
    let cases = [
        json!({"id": "r1", "taken_at": null, "sensor": {"serial": 7}}),
        json!({"id": "r1", "taken_at": "2026-11-24", "sensor": {"serial": 7}, "note": "n", "tags": ["a"], "type": "t"}),
        json!({"id": "r1", "taken_at": null, "sensor": {"serial": 7}, "note": null, "added_later": {"x": 1}}),
        json!({"taken_at": null, "sensor": {"serial": 7}}),
        json!({"id": "r1", "sensor": {"serial": 7}}),
        json!({"id": "r1", "taken_at": null, "sensor": {}}),
        json!({"id": 5, "taken_at": null, "sensor": {"serial": 7}}),
        json!({"id": "r1", "taken_at": null, "sensor": {"serial": "7"}}),
        json!({"id": "r1", "taken_at": null, "sensor": {"serial": 7}, "tags": null}),
        json!({"id": "r1", "taken_at": null, "sensor": {"serial": 7}, "state": "not-set"}),
        json!({"id": "r1", "taken_at": null, "sensor": {"serial": 7}, "state": "added-later"}),
        json!({"id": "r1", "taken_at": null, "sensor": {"serial": 7}, "state": 5}),
        json!(["r1", null, {"serial": 7}]),
        json!("reading"),
    ];
    for case in cases {
        let derived = serde_json::from_value::<DerivedReading>(case.clone());
        let generated = serde_json::from_value::<decoding::types::Reading>(case.clone());
        match (&derived, &generated) {
            (Ok(derived), Ok(generated)) => {
                let (derived_json, generated_json) =
                    (serde_json::to_value(derived).unwrap(), serde_json::to_value(generated).unwrap());
                assert_eq!(derived_json["id"], generated_json["id"]);
                // The enum reads and writes back the same string, known or not.
                assert_eq!(derived_json["state"], generated_json["state"], "{case}");
                assert_eq!(generated_json["state"], case.get("state").cloned().unwrap_or(json!(null)), "{case}");
                assert_eq!(
                    (&derived.note, &derived.tags, &derived.taken_at, &derived.type_, derived.sensor.serial),
                    (&generated.note, &generated.tags, &generated.taken_at, &generated.type_, generated.sensor.serial),
                    "{case}"
                );
            }
            // Not a string where a string enum is: the derive's untagged fallback says no
            // variant matched; the generated one says what it expected.
            (Err(_), Err(generated)) if case["state"].is_number() => {
                assert_eq!(generated.to_string(), "invalid type: integer `5`, expected a string", "{case}")
            }
            (Err(derived), Err(generated)) if case.is_object() => {
                assert_eq!(derived.to_string(), generated.to_string(), "{case}")
            }
            // serde's derive also reads a struct from an array; no API sends one, and the
            // generated impl refuses it as it refuses any other non-object.
            (_, Err(generated)) if case.is_array() => {
                assert!(generated.to_string().contains("expected struct Reading"), "{generated}")
            }
            (Err(_), Err(generated)) => {
                assert!(generated.to_string().contains("expected struct Reading"), "{generated}")
            }
            _ => panic!("{case}: derived {derived:?}, generated {generated:?}"),
        }
    }
}

#[test]
fn names_given_twice_by_the_generator_are_told_apart() {
    // Two operationIds of one Rust name: two methods, two builders.
    let client = names::Client::with_default_base_url().with_base_url("http://127.0.0.1:1");
    let _first: names::builder::CreateCustomer<'_> = client.create_customer();
    let _second: names::builder::CreateCustomer2<'_> = client.create_customer_2();
    // The inline `id` object is not the component `CustomerId`.
    let customer: names::types::Customer =
        serde_json::from_value(json!({"id": {"value": "c_1"}, "x-trace": "t_1"})).unwrap();
    assert_eq!(customer.id.and_then(|id| id.value).as_deref(), Some("c_1"));
    assert_eq!(customer.x_trace.map(|t| t.0).as_deref(), Some("t_1"), "x-trace is a property");
    // A closed allOf member no longer makes a type without values.
    let relationships: names::types::Relationships = serde_json::from_value(json!({"account": "a_1"})).unwrap();
    assert_eq!(serde_json::to_value(&relationships).unwrap(), json!({"account": "a_1"}));
}

#[tokio::test]
async fn parameters_named_like_the_generated_locals_are_each_sent_as_documented() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/c%201"))
        .and(query_param("url", "https://x.example/?a=1"))
        .and(query_param("request", "7"))
        .and(query_param("response", "full"))
        .and(header("header_map", "h"))
        .and(header("value", "v"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("cus_1")))
        .expect(1)
        .mount(&server)
        .await;
    let client = names::Client::new(&server.uri());
    let found = client
        .search()
        .client("c 1")
        .url("https://x.example/?a=1")
        .request(7)
        .response("full")
        .header_map("h")
        .value("v")
        .send()
        .await
        .unwrap();
    assert_eq!(found.into_inner().as_str(), "cus_1");
}
