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
