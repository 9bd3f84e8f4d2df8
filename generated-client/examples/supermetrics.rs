//! Creates a Supermetrics login link, a DTS connection, an API key and a connector secret.
//!
//! ```sh
//! SUPERMETRICS_TOKEN=... cargo run -p generated-client --example supermetrics
//! ```
//! Set `SUPERMETRICS_BASE_URL` to send every call to one other server (a mock, a proxy).

use std::num::NonZeroU64;

use std::time::Duration;

use generated_client::runtime::{RequestOptions, ResponseHeaders};
use generated_client::supermetrics::{self, connector_builder, dts, enterprise, management};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SUPERMETRICS_TOKEN")?;
    let base = std::env::var("SUPERMETRICS_BASE_URL").ok();
    let at = |default: &str| base.clone().unwrap_or_else(|| default.to_string());

    // One entry point holds the token; each server's client is reached from it.
    let supermetrics = supermetrics::Client::with_bearer_token(&token);

    // Management API (api.supermetrics.com/v2): a login link within 10 s, and its rate-limit headers.
    let management = supermetrics.management().with_base_url(&at(management::DEFAULT_BASE_URL));
    let body = management::types::CreateLoginLinkBody::builder().ds_id("GAWA").expiry_time("10 hours");
    let within_10_s = management.with_options(RequestOptions::new().timeout(Duration::from_secs(10)));
    match within_10_s.create_login_link().body(body).send().await {
        Ok(link) => println!("login link {:?}, {:?} requests left", link.data.as_ref().and_then(|d| d.login_url.clone()), link.rate_limit_remaining()),
        Err(management::Error::ErrorResponse(error)) => match error.into_inner() {
            management::errors::CreateLoginLinkError::Forbidden(limit) => println!("link limit: {:?}", limit.message),
            other => println!("error {}", serde_json::to_string(&other)?),
        },
        Err(other) => return Err(other.into()),
    }

    // Data Warehouse transfers (dts-api.supermetrics.com/v1, the path-level server).
    let dts = supermetrics.dts().with_base_url(&at(dts::DEFAULT_BASE_URL));
    let connection = dts
        .create_data_source_connection()
        .team_id(NonZeroU64::new(12345).expect("non-zero"))
        .body(dts::types::CreateDataSourceConnectionRequest::builder().data_source_id("ADM").destination_type("DWH_SNOWFLAKE"))
        .send()
        .await?;
    println!("connection {}", connection.data.connection_id);

    // Enterprise API (api.supermetrics.com/enterprise/v2): add a key, then list them.
    let enterprise = supermetrics.enterprise().with_base_url(&at(enterprise::DEFAULT_BASE_URL));
    enterprise
        .add_api_key()
        .body(enterprise::types::AddApiKeyRequest::builder().key_type(enterprise::types::AddApiKeyRequestKeyType::Query))
        .send()
        .await?;
    let keys = enterprise.list_api_keys().send().await?;
    println!("{} API keys", keys.data.len());

    // Connector Builder (api.supermetrics.com): store a secret.
    let builder = supermetrics.connector_builder().with_base_url(&at(connector_builder::DEFAULT_BASE_URL));
    let secrets = builder
        .create_connector_secret()
        .team_id(NonZeroU64::new(936506).expect("non-zero"))
        .connector_identifier("T3S70")
        .body(connector_builder::types::CreateConnectorSecretRequest::builder().secret_name("client_id").secret_value("my-super-secret-value"))
        .send()
        .await?;
    println!("{:?} secrets", secrets.count);
    Ok(())
}
