//! Contract tests: every operation of every API, called through the generated client against
//! Prism serving the API's normalized spec on loopback. Prism checks each request against the
//! spec (path, parameters, body, security headers) and answers from it; a request it rejects
//! comes back as a 4xx and fails the test. Prism is installed by `tests/prism/install.sh`, which
//! this test runs itself, so `cargo test` needs nothing set up by hand.

use std::num::NonZeroU64;
use std::path::Path;
use std::process::Command;

use codegen_tools::conform::Prism;

use generated_client::runtime::{Credentials, RetryPolicy};
use generated_client::{deck, supermetrics};
use pipeline_tests::repository_root;

fn install_prism() -> std::path::PathBuf {
    let dir = repository_root().join("tests/prism");
    let status = Command::new("bash").arg(dir.join("install.sh")).status().expect("bash runs tests/prism/install.sh");
    assert!(status.success(), "tests/prism/install.sh failed: Prism is needed for the contract tests");
    dir.join("node_modules/.bin/prism")
}

/// Prism on a committed normalized spec, its log in `target/`.
fn start_prism(prism: &Path, spec: &str) -> Prism {
    let root = repository_root();
    let log = root.join("target").join(format!("contract-{spec}.prism.log"));
    std::fs::create_dir_all(root.join("target")).unwrap();
    Prism::start(prism, &root.join("generated-client/openapi").join(spec), None, &log).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn every_operation_of_every_api_passes_prisms_validation() {
    let prism = install_prism();
    let mut operations = 0;

    let server = start_prism(&prism, "supermetrics.yaml");
    let url = server.url.as_str();
    let retry = RetryPolicy::disabled;

    use supermetrics::{connector_builder as cb, dts, enterprise as ent, management as mgmt};
    let management = mgmt::Client::with_bearer_token("token").with_base_url(url).with_retry(retry());
    let body =
        mgmt::types::CreateLoginLinkBody::builder().ds_id("GAWA").expiry_time("10 hours").description("marketing");
    let link = management.create_login_link().body(body).send().await.expect("createLoginLink");
    assert_eq!(link.status().as_u16(), 201);
    assert!(link.into_inner().meta.is_some());
    operations += 1;

    let dts_client = dts::Client::with_bearer_token("token").with_base_url(url).with_retry(retry());
    let connection = dts_client
        .create_data_source_connection()
        .team_id(NonZeroU64::new(12345).unwrap())
        .body(
            dts::types::CreateDataSourceConnectionRequest::builder()
                .data_source_id("ADM")
                .destination_type("DWH_SNOWFLAKE"),
        )
        .send()
        .await
        .expect("createDataSourceConnection");
    assert_eq!(
        connection.into_inner().data.connection_id.to_string(),
        "019461a0-0000-7000-8000-000000000001",
        "the documented example"
    );
    operations += 1;

    let connector = cb::Client::with_bearer_token("token").with_base_url(url).with_retry(retry());
    let secrets = connector
        .create_connector_secret()
        .team_id(NonZeroU64::new(936506).unwrap())
        .connector_identifier("T3S70")
        .body(
            cb::types::CreateConnectorSecretRequest::builder()
                .secret_name("client_id")
                .secret_value("my-super-secret-value"),
        )
        .send()
        .await
        .expect("createConnectorSecret");
    assert_eq!(secrets.status().as_u16(), 201);
    operations += 1;

    let enterprise = ent::Client::with_bearer_token("access").with_base_url(url).with_retry(retry());
    let listed = enterprise.list_api_keys().send().await.expect("listApiKeys").into_inner();
    assert_eq!(listed.data.len(), 2, "the documented example lists two keys");
    let got = enterprise.get_api_key().api_key_id("apk_2").show_key_value(true).send().await.expect("getApiKey");
    assert_eq!(got.into_inner().data.and_then(|d| d.api_key_id).as_deref(), Some("apk_2"));
    let added = enterprise
        .add_api_key()
        .body(
            ent::types::AddApiKeyRequest::builder()
                .key_type(ent::types::AddApiKeyRequestKeyType::User)
                .description("My new API key")
                .allow_ips(ent::types::AddApiKeyRequestAllowIps::String("127.0.0.1".into())),
        )
        .send()
        .await
        .expect("addApiKey");
    assert_eq!(added.status().as_u16(), 200);
    let updated = enterprise
        .update_api_key()
        .api_key_id("apk_3")
        .body(ent::types::UpdateApiKeyRequest::builder().description("Old disabled API key").is_enabled(false))
        .send()
        .await
        .expect("updateApiKey");
    assert_eq!(updated.status().as_u16(), 200);
    operations += 4;

    // A client without credentials sends without them and the server decides: Prism enforces
    // the documented security and refuses.
    let anonymous = ent::Client::with_credentials(Credentials::none()).with_base_url(url).with_retry(retry());
    let refused = anonymous.list_api_keys().send().await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(401), "refused by the server: {refused}");
    drop(server);

    let server = start_prism(&prism, "deck.yaml");
    let deck_client =
        deck::Client::with_client_id_and_secret("client-id", "secret").with_base_url(&server.url).with_retry(retry());
    let token = deck_client
        .post_link_token_create()
        .body(deck::types::LinkTokenCreateRequest::builder().language(deck::types::LanguageEnum::Es))
        .send()
        .await
        .expect("post_link_token_create");
    assert_eq!(token.status().as_u16(), 200);
    operations += 1;

    println!("prism accepted {operations} operations across 2 APIs");
    assert_eq!(operations, 8);
}

#[tokio::test]
async fn an_invalid_request_per_api_is_caught_client_side_naming_the_field() {
    // No server at all: the error must come before anything is sent.
    let nowhere = "http://127.0.0.1:9";
    let management = supermetrics::management::Client::with_bearer_token("t").with_base_url(nowhere);
    let error = management
        .create_login_link()
        .body(supermetrics::management::types::CreateLoginLinkBody::builder().ds_id("has spaces"))
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("for ds_id: doesn't match pattern"), "{error}");
    // Deck's body documents no limits a value could break, and its enums are Rust enums; the
    // client-side check it does have is the pair of API keys its security requirement needs.
    let deck_client =
        deck::Client::with_credentials(Credentials::none().with_api_key("x-deck-secret", "s")).with_base_url(nowhere);
    let error = deck_client
        .post_link_token_create()
        .body(deck::types::LinkTokenCreateRequest::builder())
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("x-deck-client-id"), "{error}");
}
