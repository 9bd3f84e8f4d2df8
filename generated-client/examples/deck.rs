//! Creates a Deck SDK link token in the sandbox, sending both API-key headers.
//!
//! ```sh
//! DECK_CLIENT_ID=... DECK_SECRET=... cargo run -p generated-client --example deck
//! ```

use generated_client::deck::{servers, types, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::var("DECK_BASE_URL").unwrap_or_else(|_| servers::SANDBOX.to_string());
    let client = Client::with_client_id_and_secret(std::env::var("DECK_CLIENT_ID")?, std::env::var("DECK_SECRET")?)
        .with_base_url(&base_url);
    let token = client
        .post_link_token_create()
        .body(types::LinkTokenCreateRequest::builder().language(types::LanguageEnum::En))
        .send()
        .await?;
    println!("link token: {}", *token.link_token);
    Ok(())
}
