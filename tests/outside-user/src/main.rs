//! Everything a Supermetrics and Deck user does first, a few lines each.
//!
//! `SUPERMETRICS_TOKEN`, `DECK_CLIENT_ID` and `DECK_SECRET` hold the credentials; `BASE_URL`, when
//! set, sends every call to one server (a mock) instead of the documented hosts.

use std::num::NonZeroU64;

use std::time::Duration;

use generated_client::runtime::{RequestOptions, ResponseHeaders};
use generated_client::supermetrics::{self, connector_builder, dts, enterprise, management};
use generated_client::deck;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    let token = std::env::var("SUPERMETRICS_TOKEN")?;
    let base = std::env::var("BASE_URL").ok();
    let at = |documented: &str| base.clone().unwrap_or_else(|| documented.to_string());

    // One entry point with the bearer token; each server's client comes from it.
    let supermetrics = supermetrics::Client::with_bearer_token(&token);

    // A login link within 5 s; rate-limit headers and the typed 403.
    let client = supermetrics.management().with_base_url(&at(management::DEFAULT_BASE_URL));
    match client.with_options(RequestOptions::new().timeout(Duration::from_secs(5))).create_login_link().body(management::types::CreateLoginLinkBody::builder().ds_id("GAWA")).send().await {
        Ok(link) => println!("link {:?}; {:?} of {:?} requests left", link.data, link.rate_limit_remaining(), link.rate_limit_limit()),
        Err(management::Error::ErrorResponse(e)) if e.status().as_u16() == 403 => println!("403: {:?}", e.into_inner()),
        Err(e) => return Err(e.into()),
    }

    // A DTS connection: this client calls dts-api.supermetrics.com by default.
    let dts = supermetrics.dts().with_base_url(&at(dts::DEFAULT_BASE_URL));
    let body = dts::types::CreateDataSourceConnectionRequest::builder().data_source_id("ADM").destination_type("DWH_SNOWFLAKE");
    let created = dts.create_data_source_connection().team_id(NonZeroU64::new(12345).unwrap()).body(body).send().await?;
    println!("connection {}", created.data.connection_id);

    // Add an API key, then list them.
    let keys = supermetrics.enterprise().with_base_url(&at(enterprise::DEFAULT_BASE_URL));
    let new_key = enterprise::types::AddApiKeyRequest::builder().key_type(enterprise::types::AddApiKeyRequestKeyType::User);
    keys.add_api_key().body(new_key).send().await?;
    println!("{} keys", keys.list_api_keys().send().await?.data.len());

    // A connector secret.
    let connectors = connector_builder::Client::with_bearer_token(&token).with_base_url(&at(connector_builder::DEFAULT_BASE_URL));
    let secret = connector_builder::types::CreateConnectorSecretRequest::builder().secret_name("client_id").secret_value("s3cr3t");
    let list = connectors.create_connector_secret().team_id(NonZeroU64::new(936506).unwrap()).connector_identifier("T3S70").body(secret).send().await?;
    println!("{:?} secrets", list.count);

    // A Deck link token: both API-key headers in the same request.
    let deck = deck::Client::with_client_id_and_secret(std::env::var("DECK_CLIENT_ID")?, std::env::var("DECK_SECRET")?)
        .with_base_url(&at(deck::DEFAULT_BASE_URL));
    let link = deck.post_link_token_create().body(deck::types::LinkTokenCreateRequest::builder()).send().await?;
    println!("deck link token {}", *link.link_token);
    Ok(())
}
