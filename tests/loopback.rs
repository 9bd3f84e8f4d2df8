//! Every operation of every API, called through the generated client against an HTTP server on
//! loopback (wiremock): the request must have the documented method, path and body, and the
//! documented responses must decode into their types.

use generated_client::{deck, supermetrics};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const META: &str = "BXaEFVtjc7TXaJxgZhmFgSUD9edqq_CN";

#[tokio::test]
async fn management_create_login_link_sends_the_body_and_decodes_201_and_both_403_shapes() {
    let server = MockServer::start().await;
    let client = supermetrics::management::Client::with_bearer_token("otok-123").with_base_url(&server.uri());
    use supermetrics::management::types::{CreateLoginLinkBody, CreateLoginLinkBodyExpiryTime};
    // Optional constrained strings are `Option<Newtype>` in typify's builders: parse, then wrap.
    let expiry: CreateLoginLinkBodyExpiryTime = "10 hours".parse().unwrap();
    let body = CreateLoginLinkBody::builder().ds_id("GAWA").expiry_time(expiry);
    Mock::given(method("POST"))
        .and(path("/ds/login/link"))
        .and(header("content-type", "application/json"))
        .and(header("authorization", "Bearer otok-123"))
        .and(body_json(json!({"ds_id": "GAWA", "expiry_time": "10 hours"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "meta": {"request_id": META},
            "data": {"link_id": "lnk_1", "status_code": "OPEN", "ds_id": "GAWA", "login_id": null}
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let created = client.create_login_link().body(body.clone()).send().await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let link = created.into_inner().data.unwrap();
    assert_eq!(link.link_id.as_deref().map(|s| s.to_string()), Some("lnk_1".to_string()));

    Mock::given(method("POST"))
        .and(path("/ds/login/link"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({"error": "LINK_LIMIT_EXCEEDED", "message": "Too many"})),
        )
        .mount(&server)
        .await;
    match client.create_login_link().body(body).send().await {
        Err(supermetrics::management::Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 403);
            assert!(matches!(
                response.into_inner(),
                supermetrics::management::errors::CreateLoginLinkError::Forbidden(_)
            ));
        }
        other => panic!("expected the typed 403, got {other:?}"),
    }
}

#[tokio::test]
async fn dts_create_connection_uses_the_team_path_and_decodes_null_urls() {
    let server = MockServer::start().await;
    let client = supermetrics::dts::Client::with_bearer_token("t").with_base_url(&server.uri());
    Mock::given(method("POST"))
        .and(path("/teams/12345/data-source-connections"))
        .and(body_json(json!({"data_source_id": "ADM", "destination_type": "DWH_SNOWFLAKE"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "meta": {"request_id": "019461A0-0000-7000-8000-000000000000"},
            "data": {"connection_id": "019461A0-0000-7000-8000-000000000001", "login_url": null, "connect_url": null}
        })))
        .mount(&server)
        .await;
    let response = client
        .create_data_source_connection()
        .team_id(std::num::NonZeroU64::new(12345).unwrap())
        .body(
            supermetrics::dts::types::CreateDataSourceConnectionRequest::builder()
                .data_source_id("ADM")
                .destination_type("DWH_SNOWFLAKE"),
        )
        .send()
        .await
        .unwrap();
    let data = response.into_inner().data;
    assert_eq!(data.connection_id.to_string(), "019461a0-0000-7000-8000-000000000001");
    assert!(data.login_url.is_none());
}

#[tokio::test]
async fn connector_builder_create_secret_decodes_the_secret_list() {
    let server = MockServer::start().await;
    let client = supermetrics::connector_builder::Client::with_api_key_auth("api_key_abc").with_base_url(&server.uri());
    Mock::given(method("POST"))
        .and(path("/v1/teams/936506/connector_builder/connectors/T3S70/secrets"))
        .and(header("authorization", "api_key_abc"))
        .and(body_json(json!({"secret_name": "client_id", "secret_value": "my-super-secret-value"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "count": 1, "secrets": [{"secret_placeholder": "sec_a23f23d26", "secret_name": "client_id"}]
        })))
        .mount(&server)
        .await;
    let list = client
        .create_connector_secret()
        .team_id(std::num::NonZeroU64::new(936506).unwrap())
        .connector_identifier("T3S70")
        .body(
            supermetrics::connector_builder::types::CreateConnectorSecretRequest::builder()
                .secret_name("client_id")
                .secret_value("my-super-secret-value"),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(list.count, Some(1));
    assert_eq!(list.secrets.len(), 1);
}

#[tokio::test]
async fn enterprise_list_get_add_and_update_api_keys() {
    let server = MockServer::start().await;
    let client = supermetrics::enterprise::Client::with_bearer_token("access").with_base_url(&server.uri());
    let key = json!({"@type": "api_key", "api_key_id": "apk_2", "key_type": "none", "key_value": null,
                     "scope_names": ["team_lists_write"], "is_enabled": true, "behalf_of_user_info": null});
    let envelope = json!({"meta": {"request_id": "WnjTGeKqOXTnkZQMbZCfVMdmswv2wAzx"}, "data": key});
    Mock::given(method("GET"))
        .and(path("/api_keys"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"meta": {"request_id": "r"}, "data": [key]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api_key/apk_2"))
        .and(query_param("show_key_value", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope.clone()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api_key"))
        .and(body_json(json!({"key_type": "user", "scope_names": ["team_lists_read", "team_lists_write"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api_key/apk_2"))
        .and(body_json(json!({"is_enabled": false})))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope.clone()))
        .mount(&server)
        .await;

    let listed = client.list_api_keys().send().await.unwrap().into_inner();
    assert_eq!(listed.data.len(), 1);
    let got = client.get_api_key().api_key_id("apk_2").show_key_value(true).send().await.unwrap().into_inner();
    assert_eq!(got.data.unwrap().api_key_id.as_deref(), Some("apk_2"));
    use supermetrics::enterprise::types::{
        AddApiKeyRequest, AddApiKeyRequestKeyType, AddApiKeyRequestScopeNames, ScopeName, UpdateApiKeyRequest,
    };
    client
        .add_api_key()
        .body(
            AddApiKeyRequest::builder().key_type(AddApiKeyRequestKeyType::User).scope_names(
                AddApiKeyRequestScopeNames::Array(vec![ScopeName::TeamListsRead, ScopeName::TeamListsWrite]),
            ),
        )
        .send()
        .await
        .unwrap();
    client
        .update_api_key()
        .api_key_id("apk_2")
        .body(UpdateApiKeyRequest::builder().is_enabled(false))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn deck_link_token_create_posts_json_and_decodes_the_token() {
    let server = MockServer::start().await;
    let client = deck::Client::with_client_id_and_secret("client-1", "secret-2").with_base_url(&server.uri());
    Mock::given(method("POST"))
        .and(path("/link/token/create"))
        .and(header("content-type", "application/json"))
        // Both keys of the one security requirement, each in its own header.
        .and(header("x-deck-client-id", "client-1"))
        .and(header("x-deck-secret", "secret-2"))
        .and(body_json(json!({"language": "EN"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"link_token": "link-sandbox-123"})))
        .mount(&server)
        .await;
    let token = client
        .post_link_token_create()
        .body(deck::types::LinkTokenCreateRequest::builder().language(deck::types::LanguageEnum::En))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(token.link_token.to_string(), "link-sandbox-123");
}
