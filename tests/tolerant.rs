//! A client that survives the vendor's next release and sends only what the spec documents,
//! checked against HTTP servers on loopback.

use fixture_clients::lowered_closed_object_opened as closed;
use generated_client::deck;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_field_the_vendor_adds_to_a_response_is_ignored_not_fatal() {
    // Deck documents `additionalProperties: false` on the token response.
    let server = MockServer::start().await;
    let client = deck::Client::with_client_id_and_secret("id", "secret").with_base_url(&server.uri());
    let body = json!({"link_token": "link-sandbox-1", "expires_at": "2027-01-01T00:00:00Z"});
    Mock::given(method("POST"))
        .and(path("/link/token/create"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let token = client.post_link_token_create().body(deck::types::LinkTokenCreateRequest::builder()).send().await;
    assert_eq!(token.unwrap().into_inner().link_token.to_string(), "link-sandbox-1");
}

#[tokio::test]
async fn requests_carry_no_undocumented_api_version_and_name_the_crate_as_user_agent() {
    let server = MockServer::start().await;
    let client = deck::Client::with_client_id_and_secret("id", "secret").with_base_url(&server.uri());
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"link_token": "t"})))
        .mount(&server)
        .await;
    client.post_link_token_create().body(deck::types::LinkTokenCreateRequest::builder()).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let headers = &requests[0].headers;
    assert!(headers.get("api-version").is_none(), "{headers:?}");
    let user_agent = headers.get("user-agent").unwrap().to_str().unwrap();
    assert_eq!(user_agent, generated_client::runtime::USER_AGENT);
    assert!(user_agent.starts_with("generated-client/0."), "{user_agent}");
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "x", "added_later": [1, 2]})))
        .mount(&server)
        .await;
    let client = closed::Client::with_default_base_url().with_base_url(&server.uri());
    let item = client.get_item().id(r"a\b/c [d]").send().await.unwrap().into_inner();
    assert_eq!(item.id, "x", "the unknown field is ignored");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/items/a%5Cb%2Fc%20%5Bd%5D");
}

#[test]
fn closed_objects_stay_closed_where_they_tell_variants_apart() {
    let circle: Result<closed::types::Circle, _> = serde_json::from_value(json!({"radius": 1.0, "side": 2.0}));
    assert!(circle.is_err(), "a variant of `Shape` still refuses another variant's fields");
    let shape: closed::types::Shape = serde_json::from_value(json!({"side": 2.0})).unwrap();
    assert!(matches!(shape, closed::types::Shape::Object { .. }), "{shape:?}");
}

#[tokio::test]
async fn struct_valued_query_parameters_are_sent_as_their_documented_style() {
    use fixture_clients::lowered_struct_parameter_as_map as letters;
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = letters::Client::with_default_base_url().with_base_url(&server.uri());
    let sort_by = json!({"date_created": "asc"}).as_object().cloned().unwrap();
    let created = json!({"gt": "2026-01-01"}).as_object().cloned().unwrap();
    client.list_letters().sort_by(sort_by).created(created).limit(5).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let mut pairs: Vec<(String, String)> = requests[0].url.query_pairs().into_owned().collect();
    pairs.sort();
    let expected = [("created[gt]", "2026-01-01"), ("date_created", "asc"), ("limit", "5")];
    assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())), "form: key=value; deepObject: name[key]");
}

#[tokio::test]
async fn a_204_documented_with_a_body_and_a_head_response_succeed_without_one() {
    use fixture_clients::lowered_bodiless_response_emptied as items;
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("HEAD")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = items::Client::with_default_base_url().with_base_url(&server.uri());
    let deleted = client.delete_item().id("a").send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    let exists = client.item_exists().id("a").send().await.unwrap();
    assert_eq!(exists.status(), 200);
}

/// The login link documents a 403 `{error, message}` whose fields are all optional and a 500
/// `{meta, error}`: chosen by shape, any 500 or 422 body used to decode as the 403's type.
#[tokio::test]
async fn login_link_errors_are_decoded_by_status_not_by_shape() {
    use generated_client::runtime::BodyExcerpt;
    use generated_client::supermetrics::management::{errors::CreateLoginLinkError, types, Client, Error};
    let server = MockServer::start().await;
    let respond = |status: u16, body: serde_json::Value| ResponseTemplate::new(status).set_body_json(body);
    for (status, body) in [
        (403, json!({"error": "LINK_LIMIT_EXCEEDED", "message": "no more"})),
        (500, json!({"meta": {"request_id": "r1"}, "error": {"code": "INTERNAL", "message": "boom"}})),
        (422, json!({})),
        (500, json!({"message": "an undocumented 500 body"})),
    ] {
        Mock::given(method("POST")).respond_with(respond(status, body)).up_to_n_times(1).mount(&server).await;
    }
    let client = Client::with_bearer_token("t").with_base_url(&server.uri());
    let body = || types::CreateLoginLinkBody::builder().ds_id("GAWA");
    let forbidden = client.create_login_link().body(body()).send().await.unwrap_err();
    let Error::ErrorResponse(forbidden) = forbidden else { panic!("{forbidden:?}") };
    assert!(
        matches!(forbidden.into_inner(), CreateLoginLinkError::Forbidden(limit) if limit.message.as_deref().map(|m| m.to_string()) == Some("no more".into()))
    );

    let server_error = client.create_login_link().body(body()).send().await.unwrap_err();
    let Error::ErrorResponse(server_error) = server_error else { panic!("{server_error:?}") };
    assert_eq!(server_error.status(), 500);
    assert!(
        matches!(server_error.into_inner(), CreateLoginLinkError::InternalServerError(e) if e.meta.request_id.to_string() == "r1")
    );

    // Bodies that are not what their status documents: never another status's type, but the
    // response (status, headers, body) and where decoding failed.
    for (status, path) in [(422, "."), (500, ".")] {
        let error = client.create_login_link().body(body()).send().await.unwrap_err();
        let Error::UnexpectedResponse(response) = &error else { panic!("{error:?}") };
        assert_eq!(response.status(), status);
        let failure = response.decode_failure().expect("why it did not decode");
        assert_eq!(failure.path, path);
        assert!(failure.message.contains("missing field"), "{failure}");
        assert!(!error.to_string().contains("undocumented"), "the body is not printed: {error}");
    }
}

#[tokio::test]
async fn a_success_body_that_does_not_decode_keeps_status_headers_path_and_an_excerpt() {
    use generated_client::runtime::BodyExcerpt;
    let server = MockServer::start().await;
    let body = json!({"link_token": 42, "padding": "x".repeat(2000)});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).insert_header("x-request-id", "req-7").set_body_json(body))
        .mount(&server)
        .await;
    let client = deck::Client::with_client_id_and_secret("id", "secret").with_base_url(&server.uri());
    let error = client.post_link_token_create().body(deck::types::LinkTokenCreateRequest::builder()).send().await;
    let Err(deck::Error::UnexpectedResponse(response)) = &error else { panic!("{error:?}") };
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "req-7");
    let failure = response.decode_failure().unwrap();
    assert_eq!(failure.path, "link_token");
    assert!(failure.message.contains("invalid type: integer `42`"), "{failure}");
    let excerpt = response.body_excerpt().unwrap();
    assert!(excerpt.len() < 600 && excerpt.starts_with(r#"{"link_token":42"#), "bounded: {} bytes", excerpt.len());
}

#[tokio::test]
async fn limits_are_checked_when_a_value_is_built_never_when_it_is_decoded() {
    use generated_client::supermetrics::management::{types, Client};
    // `request_id` is documented with `maxLength: 64`; the vendor sends 100 characters.
    let long = "x".repeat(100);
    let server = MockServer::start().await;
    let body = json!({"meta": {"request_id": long}, "data": {"link_id": "lnk_1"}});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(body)).mount(&server).await;
    let client = Client::with_bearer_token("t").with_base_url(&server.uri());
    let created = client.create_login_link().body(types::CreateLoginLinkBody::builder().ds_id("GAWA")).send().await;
    let meta = created.expect("a longer id the vendor sends is kept").into_inner().meta.unwrap();
    assert_eq!(meta.request_id.len(), 100);
    let built = long.parse::<types::RequestId>().unwrap_err().to_string();
    assert_eq!(built, "longer than 64 characters", "building one to send still checks");
}

#[tokio::test]
async fn an_error_code_the_vendor_adds_later_keeps_the_call_typed_and_its_status() {
    let server = MockServer::start().await;
    let body = json!({"error_code": "QUOTA_RESET_PENDING", "error_category": "RATE_LIMIT", "error_message": "later"});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(400).set_body_json(body)).mount(&server).await;
    let client = deck::Client::with_client_id_and_secret("id", "secret").with_base_url(&server.uri());
    let error = client.post_link_token_create().body(deck::types::LinkTokenCreateRequest::builder()).send().await;
    let Err(deck::Error::ErrorResponse(error)) = error else { panic!("{error:?}") };
    assert_eq!(error.status(), 400);
    let code = error.into_inner().error_code.unwrap();
    assert_eq!(code, deck::types::ErrorCodeEnum::Unknown("QUOTA_RESET_PENDING".into()));
    assert_eq!((code.as_str(), code.to_string().as_str()), ("QUOTA_RESET_PENDING", "QUOTA_RESET_PENDING"));
    assert_eq!(deck::types::ErrorCodeEnum::Forbidden.as_str(), "FORBIDDEN");
    assert!("QUOTA_RESET_PENDING".parse::<deck::types::ErrorCodeEnum>().is_err(), "building from text still checks");
}

/// Supermetrics' add-API-key request documents `is_enabled` with `default: true`.
#[tokio::test]
async fn a_documented_default_is_not_sent_unless_the_caller_sets_the_field() {
    use generated_client::supermetrics::enterprise::{types, Client};
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(json!({}))).mount(&server).await;
    let client = Client::with_bearer_token("t").with_base_url(&server.uri());
    let body = || types::AddApiKeyRequest::builder().key_type(types::AddApiKeyRequestKeyType::User);
    let _ = client.add_api_key().body(body()).send().await;
    let _ = client.add_api_key().body(body().is_enabled(false)).send().await;
    let sent: Vec<serde_json::Value> =
        server.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert_eq!(sent[0], json!({"key_type": "user"}), "nothing the caller did not set");
    assert_eq!(sent[1]["is_enabled"], false);
}

#[tokio::test]
async fn form_bodies_send_arrays_as_repeated_keys_and_objects_as_bracketed_keys() {
    use fixture_clients::form_body::{types, Client};
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = Client::with_default_base_url().with_base_url(&server.uri());
    let address =
        types::CreateCustomerBodyAddress::builder().city("Oslo".to_string()).lines(vec!["a".into(), "b c".into()]);
    let address = types::CreateCustomerBodyAddress::try_from(address).unwrap();
    let body = types::CreateCustomerBody::builder().name("Ada").tags(vec!["x".into(), "y".into()]).address(address);
    client.create_customer().body(body).send().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers["content-type"], "application/x-www-form-urlencoded");
    let form = reqwest::Url::parse(&format!("http://form/?{}", String::from_utf8_lossy(&request.body))).unwrap();
    let mut pairs: Vec<(String, String)> = form.query_pairs().into_owned().collect();
    pairs.sort();
    let expected = [
        ("address[city]", "Oslo"),
        ("address[lines][]", "a"),
        ("address[lines][]", "b c"),
        ("name", "Ada"),
        ("tags", "x"),
        ("tags", "y"),
    ];
    assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())));
}

/// Supermetrics' update-API-key request: `behalf_of_user_id` is optional and `nullable`, and
/// "use null to remove previously saved value".
#[tokio::test]
async fn an_optional_nullable_field_is_left_out_sent_as_null_or_sent_as_a_value() {
    use generated_client::supermetrics::enterprise::{types, Client};
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let client = Client::with_bearer_token("t").with_base_url(&server.uri());
    let update = |body: types::builder::UpdateApiKeyRequest| client.update_api_key().api_key_id("k7").body(body).send();
    let _ = update(types::UpdateApiKeyRequest::builder().description("rotated")).await;
    let _ = update(types::UpdateApiKeyRequest::builder().set_behalf_of_user_id(Some(None))).await;
    let _ = update(types::UpdateApiKeyRequest::builder().behalf_of_user_id("u1")).await;
    let sent: Vec<serde_json::Value> =
        server.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert_eq!(sent[0], json!({"description": "rotated"}), "left out");
    assert_eq!(sent[1], json!({"behalf_of_user_id": null}), "null, to remove the saved value");
    assert_eq!(sent[2], json!({"behalf_of_user_id": "u1"}));
    let read: types::UpdateApiKeyRequest = serde_json::from_value(json!({"behalf_of_user_id": null})).unwrap();
    assert_eq!(read.behalf_of_user_id, Some(None), "and read back the same way");
}

#[tokio::test]
async fn delimited_array_parameters_are_sent_as_one_joined_value() {
    use fixture_clients::lowered_delimited_array_joined::Client;
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = Client::with_default_base_url().with_base_url(&server.uri());
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    client
        .list_items()
        .ids(strings(&["a", "b"]))
        .tags(strings(&["x y", "z"]))
        .kinds(vec![1, 2])
        .colors(strings(&["red", "blue"]))
        .sizes(strings(&["s", "m"]))
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let mut pairs: Vec<(String, String)> = requests[0].url.query_pairs().into_owned().collect();
    pairs.sort();
    let expected = [
        ("colors", "blue"),
        ("colors", "red"),
        ("ids", "a|b"),
        ("kinds", "1,2"),
        ("sizes", "m"),
        ("sizes", "s"),
        ("tags", "x y z"),
    ];
    assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())));
}

#[tokio::test]
async fn ranges_and_default_decode_their_own_types_and_a_specific_status_comes_first() {
    use fixture_clients::lowered_errors_by_status::{errors::GetRangesError, Client, Error};
    let server = MockServer::start().await;
    for (status, body) in [
        (404, json!({"code": "NOT_FOUND"})),
        (418, json!({"error": "LIMIT", "message": "teapot"})),
        (500, json!({"fault": "down"})),
    ] {
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let client = Client::with_default_base_url().with_base_url(&server.uri());
    let mut variants = Vec::new();
    for _ in 0..3 {
        match client.get_ranges().send().await {
            Err(Error::ErrorResponse(error)) => variants.push((error.status().as_u16(), error.into_inner())),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(&variants[0], (404, GetRangesError::NotFound(e)) if e.code == "NOT_FOUND"), "{variants:?}");
    assert!(matches!(&variants[1], (418, GetRangesError::ClientError(e)) if e.message.as_deref() == Some("teapot")));
    // `default` beside a success and a documented `4XX` means the server errors: `5XX`.
    assert!(matches!(&variants[2], (500, GetRangesError::ServerError(e)) if e.fault.as_deref() == Some("down")));
}

#[tokio::test]
async fn json_numbers_decode_to_the_exact_float_they_print() {
    // serde_json's default parsing is off by one ULP for some 17-digit numbers; generated crates
    // turn on `float_roundtrip`. Many values through the client's own types, one on the wire.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        f64::from_bits(state >> 2) // positive, finite, every exponent
    };
    for _ in 0..20_000 {
        let radius = next();
        let circle: closed::types::Circle = serde_json::from_str(&format!(r#"{{"radius": {radius:?}}}"#)).unwrap();
        assert_eq!(circle.radius.to_bits(), radius.to_bits(), "{radius:?}");
    }
    let server = MockServer::start().await;
    let radius = 2.638_344_616_030_823e-256_f64;
    let body = format!(r#"{{"id": "c", "shape": {{"radius": {radius:?}}}}}"#);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = closed::Client::with_default_base_url().with_base_url(&server.uri());
    let item = client.get_item().id("c").send().await.unwrap().into_inner();
    let Some(closed::types::Shape::Circle(circle)) = item.shape else { panic!("{item:?}") };
    assert_eq!(circle.radius.to_bits(), radius.to_bits());
}

#[test]
fn unions_of_scalars_and_known_values_or_any_string_decode_every_documented_shape() {
    use fixture_clients::compositions::types::{Rates, RatesLanguage};
    let rates: Rates = serde_json::from_value(json!({
        "language": "de_ch",
        "attributes": {"seats": 9, "plan": "pro", "renews": "2027-01-01T00:00:00Z", "teams": ["a", "b"]}
    }))
    .expect("a string, an integer, a date and a list are each one of the alternatives");
    assert_eq!(rates.language, Some(RatesLanguage::Unknown("de_ch".into())), "a language the spec does not list");
    assert_eq!(serde_json::to_value(&rates.attributes["seats"]).unwrap(), json!(9));
    let known: Rates = serde_json::from_value(json!({"language": "fr"})).unwrap();
    assert_eq!(known.language.map(|l| l.to_string()).as_deref(), Some("fr"));
}
