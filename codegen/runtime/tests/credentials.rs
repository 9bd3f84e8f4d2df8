//! Credentials: where each scheme puts its value, which requirement is met, and that a secret
//! never shows in `Debug` or in an error.

use codegen_runtime::{basic_auth_value, Credentials, Scheme, SchemeKind, Secret};

const BEARER: Scheme = Scheme { name: "bearerAuth", kind: SchemeKind::Bearer };
const HEADER_KEY: Scheme = Scheme { name: "apiKey", kind: SchemeKind::Header("X-Api-Key") };
const QUERY_KEY: Scheme = Scheme { name: "queryKey", kind: SchemeKind::Query("api_key") };
const COOKIE_KEY: Scheme = Scheme { name: "session", kind: SchemeKind::Cookie("sid") };
const BASIC: Scheme = Scheme { name: "basic", kind: SchemeKind::Basic };

fn request() -> reqwest::Request {
    reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/items?page=2".parse().unwrap())
}

#[test]
fn basic_auth_is_base64_of_user_colon_password() {
    // RFC 7617 §2's example, and the three padding lengths.
    assert_eq!(basic_auth_value("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assert_eq!(basic_auth_value("a", ""), "Basic YTo=");
    assert_eq!(basic_auth_value("ab", ""), "Basic YWI6");
    assert_eq!(basic_auth_value("", ""), "Basic Og==");
}

#[test]
fn the_first_requirement_met_in_full_is_sent() {
    let credentials = Credentials::none().with_api_key("x-api-key", "k-123");
    let mut request = request();
    // The first alternative needs a bearer token too, which is missing: the second is used.
    credentials.apply(&[&[BEARER, HEADER_KEY], &[HEADER_KEY]], &mut request, None).unwrap();
    assert_eq!(request.headers()["x-api-key"], "k-123");
    assert!(request.headers()["x-api-key"].is_sensitive());
    assert!(request.headers().get("authorization").is_none());
}

#[test]
fn each_kind_goes_where_its_scheme_says() {
    let credentials = Credentials::none()
        .with_bearer_token("t")
        .with_basic_auth("u", "p")
        .with_api_key("api_key", "q")
        .with_api_key("sid", "c");
    let mut request = request();
    credentials.apply(&[&[QUERY_KEY, COOKIE_KEY, BEARER]], &mut request, None).unwrap();
    assert_eq!(request.url().query(), Some("page=2&api_key=q"));
    assert_eq!(request.headers()["cookie"], "sid=c");
    assert_eq!(request.headers()["authorization"], "Bearer t");

    let mut request = self::request();
    credentials.apply(&[&[BASIC]], &mut request, None).unwrap();
    assert_eq!(request.headers()["authorization"], "Basic dTpw");
}

#[test]
fn a_query_key_replaces_a_parameter_of_the_same_name_instead_of_repeating_it() {
    let credentials = Credentials::none().with_api_key("api_key", "secret");
    let mut request =
        reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/items?api_key=typed&page=2".parse().unwrap());
    credentials.apply(&[&[QUERY_KEY]], &mut request, None).unwrap();
    assert_eq!(request.url().query(), Some("page=2&api_key=secret"));
}

#[test]
fn an_operation_without_requirements_sends_nothing() {
    let mut request = request();
    Credentials::none().with_bearer_token("t").apply(&[], &mut request, None).unwrap();
    assert!(request.headers().is_empty());
}

#[test]
fn a_requirement_that_cannot_be_met_names_the_schemes_not_the_secrets() {
    let credentials = Credentials::none().with_bearer_token("very-secret");
    let error = credentials.apply(&[&[HEADER_KEY], &[QUERY_KEY, COOKIE_KEY]], &mut request(), None).unwrap_err();
    assert_eq!(
        error,
        "this operation needs credentials: the API key header X-Api-Key (apiKey), or \
         the API key query parameter api_key (queryKey) + the API key cookie sid (session)"
    );
}

#[test]
fn debug_never_shows_a_secret() {
    let credentials = Credentials::none().with_bearer_token("very-secret").with_basic_auth("me", "pa55");
    let shown = format!("{credentials:?} {:?}", Secret::new("x-secret"));
    assert!(!shown.contains("very-secret") && !shown.contains("pa55") && !shown.contains("x-secret"), "{shown}");
    assert!(shown.contains("me"), "the user name is not a secret: {shown}");
}

#[test]
fn optional_security_sends_what_the_client_has_and_nothing_when_it_has_none_of_it() {
    let credentials = Credentials::none().with_api_key("x-api-key", "k-123");
    // `{}` listed first: the key is still sent, since the client has it.
    let mut keyed = request();
    credentials.apply(&[&[], &[HEADER_KEY]], &mut keyed, None).unwrap();
    assert_eq!(keyed.headers()["x-api-key"], "k-123");
    // The client has only another kind: the optional operation goes without.
    let mut bare = request();
    Credentials::none().with_bearer_token("t").apply(&[&[], &[HEADER_KEY]], &mut bare, None).unwrap();
    assert!(bare.headers().get("x-api-key").is_none() && bare.headers().get("authorization").is_none());
}

#[derive(Debug)]
struct Vault(std::sync::atomic::AtomicUsize);

impl codegen_runtime::TokenProvider for Vault {
    fn token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Secret, String>> + Send + 'a>> {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move { Ok(Secret::new(format!("vault-{n}-{}", scopes.join("+")))) })
    }
}

#[tokio::test]
async fn a_token_provider_is_asked_for_each_call_with_the_operations_scopes() {
    use codegen_runtime::{pre, ClientConfig, Operation};
    static READ: Operation = Operation { id: "read", security: &[&[BEARER]], scopes: &["a", "b"], ..Operation::NONE };
    let config = ClientConfig::default().with_credentials(Credentials::none().with_token_provider(Vault(0.into())));
    for expected in ["Bearer vault-0-a+b", "Bearer vault-1-a+b"] {
        let mut sent = request();
        let token = pre::<()>(&config, &READ, &mut sent).await.unwrap();
        assert_eq!(sent.headers()["authorization"], expected);
        assert!(token.is_some(), "the token used is returned, to invalidate after a 401");
    }
    // A fixed bearer token overrides the provider.
    let fixed = ClientConfig::default()
        .with_credentials(Credentials::none().with_token_provider(Vault(0.into())).with_bearer_token("fixed"));
    let mut sent = request();
    assert!(pre::<()>(&fixed, &READ, &mut sent).await.unwrap().is_none());
    assert_eq!(sent.headers()["authorization"], "Bearer fixed");
}
