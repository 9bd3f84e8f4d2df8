//! What a caller controls per call, and what the client never prints, checked through a
//! generated client against HTTP servers on loopback.

use std::time::Duration;

use fixture_clients::runtime::{RequestOptions, RetryPolicy};
use fixture_clients::secrets_and_options as accounts;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k3y-s3cr3t";

fn new_account() -> accounts::types::builder::NewAccount {
    accounts::types::NewAccount::builder().email("a@example.com").password("hunter2").recovery_code("rc-42")
}

fn quick() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() }
}

#[tokio::test]
async fn a_post_documenting_an_idempotency_key_gets_one_reused_on_each_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).up_to_n_times(2).mount(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "acc_1"})))
        .mount(&server)
        .await;
    let client = accounts::Client::with_query_key(KEY).with_base_url(&server.uri()).with_retry(quick());
    let created = client.create_account().body(new_account()).send().await.unwrap();
    assert_eq!(created.into_inner().id, "acc_1");
    let requests = server.received_requests().await.unwrap();
    let keys: Vec<&str> = requests.iter().map(|r| r.headers["idempotency-key"].to_str().unwrap()).collect();
    assert_eq!(keys.len(), 3, "the 502s are retried because the POST carries a key");
    assert!(keys.iter().all(|k| *k == keys[0]) && keys[0].len() == 36, "{keys:?}");

    let again = client.with_options(RequestOptions::new().idempotency_key("signup-7"));
    again.create_account().body(new_account()).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[3].headers["idempotency-key"], "signup-7", "the caller's key wins");
}

#[tokio::test]
async fn one_call_gets_its_own_time_limit_headers_and_query_while_the_client_keeps_its_own() {
    let server = MockServer::start().await;
    Mock::given(path("/accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_millis(800)))
        .mount(&server)
        .await;
    let client = accounts::Client::with_query_key(KEY).with_base_url(&server.uri());
    let hurried = client.with_options(
        RequestOptions::new().timeout(Duration::from_millis(200)).header("x-correlation-id", "c-1").query("trace", "1"),
    );
    let error = hurried.find_accounts().session_token("t").send().await.unwrap_err();
    assert!(matches!(&error, fixture_clients::runtime::Error::CommunicationError(e) if e.is_timeout()), "{error}");
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers["x-correlation-id"], "c-1");
    assert!(sent.url.query().unwrap().contains("trace=1"), "{}", sent.url);

    let patient = client.find_accounts().session_token("t").send().await.unwrap();
    assert!(patient.into_inner().is_empty(), "the client itself still waits 30 s per attempt");
    let sent = &server.received_requests().await.unwrap()[1];
    assert!(sent.headers.get("x-correlation-id").is_none() && !sent.url.query().unwrap().contains("trace"));
}

#[tokio::test]
async fn no_error_prints_the_query_key_or_a_secret_parameter() {
    // Nothing listens on loopback port 9: a transport error naming the request URL.
    let client =
        accounts::Client::with_query_key(KEY).with_base_url("http://127.0.0.1:9").with_retry(RetryPolicy::disabled());
    let error = client.find_accounts().session_token("sess-s3cr3t").send().await.unwrap_err();
    let printed = format!("{error} | {error:?} | {error:#}");
    assert!(printed.contains("api_key=REDACTED"), "{printed}");
    assert!(!printed.contains(KEY) && !printed.contains("sess-s3cr3t"), "{printed}");

    // An undocumented status: the whole response comes back as `UnexpectedResponse`.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(418).insert_header("set-cookie", "sid=c00k1e").set_body_string("teapot"))
        .mount(&server)
        .await;
    let client = accounts::Client::with_query_key(KEY).with_base_url(&server.uri());
    let error = client.find_accounts().session_token("sess-s3cr3t").send().await.unwrap_err();
    let printed = format!("{error} | {error:?}");
    assert!(matches!(error, fixture_clients::runtime::Error::UnexpectedResponse(_)), "{printed}");
    for secret in [KEY, "sess-s3cr3t", "c00k1e", "teapot"] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
}

#[test]
fn debug_of_types_and_builders_leaves_secret_fields_out() {
    let account: accounts::types::NewAccount = new_account().try_into().unwrap();
    let builder = new_account();
    let client = accounts::Client::with_query_key(KEY);
    let request = client.find_accounts().session_token("sess-s3cr3t").email("a@example.com");
    for printed in [format!("{account:?}"), format!("{builder:?}"), format!("{request:?}"), format!("{client:?}")] {
        for secret in ["hunter2", "rc-42", "sess-s3cr3t", KEY] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(printed.contains("a@example.com") || printed.contains("Client"), "the rest stays readable: {printed}");
    }
    assert!(format!("{account:?}").contains("password: REDACTED"), "{account:?}");
}

mod pagination {
    use fixture_clients::pagination as pets;
    use fixture_clients::runtime::paginate::TryStreamExt as _;
    use serde_json::{json, Value};
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn pets(ids: &[&str]) -> Value {
        Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
    }

    async fn ids<S>(stream: S) -> Vec<String>
    where
        S: fixture_clients::runtime::paginate::Stream<
            Item = Result<pets::types::Pet, fixture_clients::runtime::Error<()>>,
        >,
    {
        let items: Vec<pets::types::Pet> = stream.try_collect().await.unwrap();
        items.into_iter().map(|p| p.id).collect()
    }

    /// Serves `pages` at `route`: the first when `key` is absent, the others when it has each
    /// value in turn.
    async fn serve(server: &MockServer, route: &str, key: &str, pages: Vec<(Option<&str>, Value)>) {
        for (value, body) in pages {
            let mock = Mock::given(method("GET")).and(path(route));
            let mock = match value {
                Some(value) => mock.and(query_param(key, value)),
                None => mock.and(query_param_is_missing(key)),
            };
            mock.respond_with(ResponseTemplate::new(200).set_body_json(body)).expect(1).mount(server).await;
        }
    }

    const ALL: [&str; 5] = ["a", "b", "c", "d", "e"];

    #[tokio::test]
    async fn a_cursor_in_a_container_is_followed_until_it_is_null() {
        let server = MockServer::start().await;
        let pages = vec![
            (None, json!({"data": pets(&["a", "b"]), "meta": {"next_cursor": "c2"}})),
            (Some("c2"), json!({"data": pets(&["c", "d"]), "meta": {"next_cursor": "c3"}})),
            (Some("c3"), json!({"data": pets(&["e"]), "meta": {"next_cursor": null}})),
        ];
        serve(&server, "/cursored", "cursor", pages).await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        assert_eq!(ids(client.list_cursored().limit(2).stream()).await, ALL);
        let sent = server.received_requests().await.unwrap();
        assert!(sent.iter().all(|r| r.url.query().unwrap_or("").contains("limit=2")), "other parameters stay");
    }

    #[tokio::test]
    async fn starting_after_takes_the_last_id_while_has_more() {
        let server = MockServer::start().await;
        let pages = vec![
            (None, json!({"data": pets(&["a", "b"]), "has_more": true})),
            (Some("b"), json!({"data": pets(&["c", "d"]), "has_more": true})),
            (Some("d"), json!({"data": pets(&["e"]), "has_more": false})),
        ];
        serve(&server, "/after", "starting_after", pages).await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        assert_eq!(ids(client.list_after().stream()).await, ALL);
    }

    #[tokio::test]
    async fn a_next_url_and_a_link_header_are_fetched_on_the_same_origin() {
        let server = MockServer::start().await;
        let next = |page: u32| format!("{}/next?page={page}", server.uri());
        let pages = vec![
            (None, json!({"results": pets(&["a", "b"]), "next": next(2)})),
            (Some("2"), json!({"results": pets(&["c", "d"]), "next": next(3)})),
            (Some("3"), json!({"results": pets(&["e"]), "next": null})),
        ];
        serve(&server, "/next", "page", pages).await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        assert_eq!(ids(client.list_next().stream()).await, ALL);

        let link = |page: u32| {
            format!("<{}/linked?page={page}>; rel=\"next\", <{0}/linked?page=1>; rel=\"first\"", server.uri())
        };
        for (value, ids, link) in [
            (None, vec!["a", "b"], Some(link(2))),
            (Some("2"), vec!["c", "d"], Some(link(3))),
            (Some("3"), vec!["e"], None),
        ] {
            let mock = Mock::given(path("/linked"));
            let mock = match value {
                Some(value) => mock.and(query_param("page", value)),
                None => mock.and(query_param_is_missing("page")),
            };
            let mut response = ResponseTemplate::new(200).set_body_json(pets(&ids));
            if let Some(link) = link {
                response = response.insert_header("link", link.as_str());
            }
            mock.respond_with(response).expect(1).mount(&server).await;
        }
        assert_eq!(self::ids(client.list_linked().stream()).await, ALL);
    }

    #[tokio::test]
    async fn a_next_url_on_another_host_is_not_followed() {
        let server = MockServer::start().await;
        Mock::given(path("/next"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"results": pets(&["a"]), "next": "https://elsewhere.test/next?page=2"})),
            )
            .mount(&server)
            .await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        let mut stream = client.list_next().stream();
        assert_eq!(stream.try_next().await.unwrap().unwrap().id, "a");
        let error = stream.try_next().await.unwrap_err();
        assert!(error.to_string().contains("another origin"), "{error}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn an_offset_moves_by_the_items_received_until_the_total() {
        let server = MockServer::start().await;
        let pages = vec![
            (None, json!({"items": pets(&["a", "b"]), "total": 5})),
            (Some("2"), json!({"items": pets(&["c", "d"]), "total": 5})),
            (Some("4"), json!({"items": pets(&["e"]), "total": 5})),
        ];
        serve(&server, "/offset", "offset", pages).await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        assert_eq!(ids(client.list_offset().stream()).await, ALL);
    }

    #[tokio::test]
    async fn a_parameter_fed_by_a_field_of_the_same_name_stops_when_done() {
        let server = MockServer::start().await;
        // The last page still carries an iterator: `done` is what ends the listing.
        let pages = vec![
            (None, json!({"items": pets(&["a", "b"]), "iterator": "i2", "done": false})),
            (Some("i2"), json!({"items": pets(&["c", "d"]), "iterator": "i3", "done": false})),
            (Some("i3"), json!({"items": pets(&["e"]), "iterator": "i4", "done": true})),
        ];
        serve(&server, "/iterated", "iterator", pages).await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        assert_eq!(ids(client.list_iterated().stream()).await, ALL);
    }

    #[tokio::test]
    async fn after_takes_the_last_id_the_page_gives_while_has_more() {
        let server = MockServer::start().await;
        let pages = vec![
            (None, json!({"data": pets(&["a", "b"]), "first_id": "a", "last_id": "b", "has_more": true})),
            (Some("b"), json!({"data": pets(&["c", "d"]), "first_id": "c", "last_id": "d", "has_more": true})),
            (Some("d"), json!({"data": pets(&["e"]), "first_id": "e", "last_id": "e", "has_more": false})),
        ];
        serve(&server, "/after-last", "after", pages).await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        assert_eq!(ids(client.list_after_last().stream()).await, ALL);
    }

    #[tokio::test]
    async fn an_offset_written_as_text_moves_by_the_items_received() {
        let server = MockServer::start().await;
        let pages = vec![
            (None, json!({"items": pets(&["a", "b"]), "count": 5})),
            (Some("2"), json!({"items": pets(&["c", "d"]), "count": 5})),
            (Some("4"), json!({"items": pets(&["e"]), "count": 5})),
        ];
        serve(&server, "/text-offset", "offset", pages).await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        assert_eq!(ids(client.list_text_offset().limit("2").stream()).await, ALL, "a short page is the last");
    }

    #[tokio::test]
    async fn a_page_number_moves_by_one_until_the_page_count() {
        let server = MockServer::start().await;
        let pages = vec![
            (None, json!({"records": pets(&["a", "b"]), "total_pages": 3})),
            (Some("2"), json!({"records": pets(&["c", "d"]), "total_pages": 3})),
            (Some("3"), json!({"records": pets(&["e"]), "total_pages": 3})),
        ];
        serve(&server, "/paged", "page", pages).await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        assert_eq!(ids(client.list_paged().stream()).await, ALL);
    }

    #[test]
    fn each_shape_is_recognized_by_its_parameters_and_fields_and_a_plain_list_is_not() {
        let document = pipeline_tests::load(&pipeline_tests::fixtures().join("compile/pagination.yaml"));
        let lowered = codegen::lower::lower(&document, &Default::default());
        let (plan, _) = codegen::plan::plan(&lowered.groups[0]);
        let found: Vec<(String, String)> = plan
            .operations
            .iter()
            .filter_map(|o| Some((o.method_name.clone(), o.pagination.as_ref()?.shape.describe())))
            .collect();
        let expected = [
            ("list_linked", "the `Link` header's `rel=\"next\"` URL"),
            ("list_cursored", "`cursor` set to `meta.next_cursor`"),
            ("list_after", "`starting_after` set to the last item's `id` while `has_more`"),
            ("list_next", "the URL in `next`"),
            ("list_offset", "`offset` moved on by the items received, up to `total`"),
            ("list_paged", "`page` moved on by one, up to `total_pages`"),
            ("list_declared", "`from` set to `position.continue_from`"),
            ("list_iterated", "`iterator` set to `iterator` while `done` is false"),
            ("list_after_last", "`after` set to `last_id` while `has_more` is true"),
            ("list_text_offset", "`offset` moved on by the items received, until a short page"),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(found, expected, "`list_unpaged` has a limit but nothing that pages");
        let missed: Vec<&str> = plan
            .operations
            .iter()
            .filter(|o| o.looks_paged && o.pagination.is_none())
            .map(|o| o.method_name.as_str())
            .collect();
        // Its `offset` is a component's newtype, which paging cannot count with: reported, and
        // left without a `stream()` that would not compile.
        assert_eq!(missed, ["list_component_offset"], "only what paging cannot read is left without stream()");
    }

    #[tokio::test]
    async fn a_shape_declared_in_an_overlay_is_followed() {
        let server = MockServer::start().await;
        let pages = vec![
            (None, json!({"pets": pets(&["a", "b", "c"]), "position": {"continue_from": "p2"}})),
            (Some("p2"), json!({"pets": pets(&["d", "e"]), "position": {}})),
        ];
        serve(&server, "/declared", "from", pages).await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        assert_eq!(ids(client.list_declared().stream()).await, ALL);
    }

    #[tokio::test]
    async fn a_failing_page_ends_the_stream_with_its_error_after_the_items_before_it() {
        let server = MockServer::start().await;
        Mock::given(path("/cursored"))
            .and(query_param_is_missing("cursor"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"data": pets(&["a"]), "meta": {"next_cursor": "c2"}})),
            )
            .mount(&server)
            .await;
        Mock::given(path("/cursored"))
            .and(query_param("cursor", "c2"))
            .respond_with(ResponseTemplate::new(500))
            .mount(&server)
            .await;
        let client = pets::Client::with_default_base_url().with_base_url(&server.uri());
        let mut stream = client.list_cursored().stream();
        assert_eq!(stream.try_next().await.unwrap().unwrap().id, "a");
        assert!(stream.try_next().await.is_err());
    }
}

#[test]
fn optional_fields_take_the_value_and_set_takes_the_option() {
    use accounts::types::NewAccount;
    let with: NewAccount = new_account().try_into().unwrap();
    assert_eq!(with.recovery_code.as_deref(), Some("rc-42"), "`.recovery_code(\"rc-42\")`, no `Some`");
    let without: NewAccount = new_account().set_recovery_code(None).try_into().unwrap();
    assert_eq!(serde_json::to_value(&without).unwrap(), json!({"email": "a@example.com", "password": "hunter2"}));
}

const CONNECTION: &str = "019461a0-0000-7000-8000-000000000000";

#[tokio::test]
async fn one_entry_point_serves_every_server_with_its_documented_host_and_shared_settings() {
    use generated_client::runtime::RetryPolicy;
    use generated_client::supermetrics::dts::ClientInfo as _;
    use generated_client::supermetrics::{self, dts, management};
    let entry = supermetrics::Client::with_bearer_token("t0k3n").with_retry(RetryPolicy::disabled());
    assert_eq!(entry.dts().baseurl(), dts::DEFAULT_BASE_URL);
    assert_eq!(entry.management().baseurl(), management::DEFAULT_BASE_URL);
    assert_eq!(entry.management().inner().retry, RetryPolicy::disabled(), "settings are shared");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/teams/12345/data-source-connections"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"meta": {}, "data": {"connection_id": CONNECTION}})),
        )
        .mount(&server)
        .await;
    let body = dts::types::CreateDataSourceConnectionRequest::builder()
        .data_source_id("ADM")
        .destination_type("DWH_SNOWFLAKE");
    let dts = entry.dts().with_base_url(&server.uri());
    let created = dts.create_data_source_connection().team_id(12345u64).body(body).send().await.unwrap();
    assert_eq!(created.data.connection_id.to_string(), CONNECTION);
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers["authorization"], "Bearer t0k3n", "the entry point's credentials");
}

#[tokio::test]
async fn every_broken_value_is_reported_at_once_with_its_field_and_rule() {
    let long = "a".repeat(41);
    let account: Result<accounts::types::NewAccount, _> = new_account().email(long.as_str()).nickname("ad").try_into();
    let message = account.unwrap_err().to_string();
    assert!(message.contains("email") && message.contains("longer than 40 characters"), "{message}");
    assert!(message.contains("nickname") && message.contains("shorter than 3 characters"), "{message}");

    let client = accounts::Client::with_query_key(KEY).with_base_url("http://127.0.0.1:9");
    let error =
        client.find_accounts().session_token("t").email(long.as_str()).region("Europe").send().await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("for email failed: longer than 40 characters"), "{message}");
    assert!(message.contains("for region failed: doesn't match pattern"), "{message}");
}

#[test]
fn setters_carry_the_documented_description_and_limits() {
    let source = include_str!("fixture-clients/src/secrets_and_options.rs");
    let documented = |needle: &str| source.contains(needle);
    assert!(documented("Where the account's mail goes.\n\nDocumented: at most 40 characters."), "type field");
    assert!(documented("Documented: at least 3 characters; example `\"ada\"`."), "limits and example");
    assert!(documented("Only accounts with this address.\n\nDocumented: at most 40 characters."), "parameter");
}

#[tokio::test]
async fn a_typed_error_prints_neither_the_cookie_nor_a_secret_field_of_its_body() {
    let server = MockServer::start().await;
    let body = json!({"message": "session expired", "session_token": "new-s3ss10n"});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).insert_header("set-cookie", "sid=c00k1e").set_body_json(body))
        .mount(&server)
        .await;
    let client = accounts::Client::with_query_key(KEY).with_base_url(&server.uri());
    let error = client.find_accounts().session_token("old").send().await.unwrap_err();
    let printed = format!("{error} | {error:?}");
    assert!(matches!(&error, fixture_clients::runtime::Error::ErrorResponse(e) if e.status() == 400), "{printed}");
    assert!(printed.contains("session expired"), "the rest of the body stays readable: {printed}");
    for secret in ["c00k1e", "new-s3ss10n", KEY] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
}

mod uploads {
    use fixture_clients::runtime::FilePart;
    use fixture_clients::uploads::{forms::CreateCampaignForm, forms::UploadDocumentForm, Client};
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn server() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
        server
    }

    #[tokio::test]
    async fn a_form_missing_a_required_part_or_beyond_a_limit_is_not_sent() {
        let server = server().await;
        let client = Client::with_default_base_url().with_base_url(&server.uri());
        let form = UploadDocumentForm::new().title("a title longer than twenty characters");
        let error = client.upload_document().body(form).send().await.unwrap_err();
        let message = error.to_string();
        assert!(message.contains("file: required, not given"), "{message}");
        assert!(message.contains("title: longer than 20 characters"), "{message}");
        assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
    }

    #[tokio::test]
    async fn every_part_is_sent_and_a_file_from_disk_is_streamed() {
        let server = server().await;
        let client = Client::with_default_base_url().with_base_url(&server.uri());
        let path = std::env::temp_dir().join(format!("upload-{}.txt", std::process::id()));
        let contents = "line\n".repeat(30_000); // 150 kB: several chunks
        std::fs::write(&path, &contents).unwrap();
        let form = UploadDocumentForm::new()
            .file(FilePart::from_path(&path).with_content_type("text/plain"))
            .title("Q3")
            .attachments(FilePart::from_bytes("a.bin", vec![1u8, 2]))
            .attachments(FilePart::from_bytes("b.bin", vec![3u8]))
            .pages(12)
            .metadata(&serde_json::json!({"author": "ada"}));
        client.upload_document().body(form).send().await.unwrap();
        std::fs::remove_file(&path).ok();
        let request = &server.received_requests().await.unwrap()[0];
        let content_type = request.headers["content-type"].to_str().unwrap();
        let boundary = content_type.split("boundary=").nth(1).unwrap();
        let body = String::from_utf8_lossy(&request.body);
        let parts: Vec<&str> =
            body.split(&format!("--{boundary}")).filter(|p| p.contains("Content-Disposition")).collect();
        let names: Vec<&str> =
            parts.iter().map(|p| p.split("name=\"").nth(1).unwrap().split('"').next().unwrap()).collect();
        assert_eq!(names, ["file", "title", "attachments", "attachments", "pages", "metadata"]);
        assert!(
            parts[0].contains("filename=\"upload-") && parts[0].contains("Content-Type: text/plain"),
            "{}",
            &parts[0][..200]
        );
        assert!(parts[0].ends_with(&format!("{contents}\r\n")), "the whole file, once");
        assert!(parts[4].ends_with("\r\n\r\n12\r\n"), "{}", parts[4]);
        assert!(parts[5].contains("Content-Type: application/json") && parts[5].contains(r#"{"author":"ada"}"#));
        assert!(body.ends_with(&format!("--{boundary}--\r\n")));
    }

    #[tokio::test]
    async fn a_body_documented_as_json_and_as_a_form_can_be_sent_either_way() {
        use fixture_clients::uploads::{forms::CreateNoteMultipartForm, types::CreateNoteBody};
        let server = server().await;
        let client = Client::with_default_base_url().with_base_url(&server.uri());
        client.create_note().body(CreateNoteBody { text: "hi".into() }).send().await.unwrap();
        let form = CreateNoteMultipartForm::new().text("hi").attachment(FilePart::from_bytes("a.txt", b"x".to_vec()));
        client.create_note_multipart().body(form).send().await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests[0].headers["content-type"], "application/json");
        assert_eq!(requests[0].body, br#"{"text":"hi"}"#);
        let form_type = requests[1].headers["content-type"].to_str().unwrap();
        assert!(form_type.starts_with("multipart/form-data; boundary="), "{form_type}");
        let body = String::from_utf8_lossy(&requests[1].body);
        assert!(body.contains("name=\"text\"") && body.contains("filename=\"a.txt\""), "{body}");
        assert_eq!(requests[1].url.path(), "/notes");
    }

    #[tokio::test]
    async fn a_form_made_of_all_of_parts_has_every_part_and_their_required_ones() {
        let server = server().await;
        let client = Client::with_default_base_url().with_base_url(&server.uri());
        let incomplete = CreateCampaignForm::new().image(FilePart::from_bytes("a.png", vec![1u8]));
        let message = client.create_campaign().body(incomplete).send().await.unwrap_err().to_string();
        assert!(message.contains("quantity: required, not given"), "the base's required part: {message}");
        let form = CreateCampaignForm::new().quantity(2).name("spring").image(FilePart::from_bytes("a.png", vec![1u8]));
        client.create_campaign().body(form).send().await.unwrap();
        let request = &server.received_requests().await.unwrap()[0];
        let body = String::from_utf8_lossy(&request.body);
        for part in ["name=\"quantity\"", "name=\"name\"", "name=\"image\"; filename=\"a.png\""] {
            assert!(body.contains(part), "{part} in {body}");
        }
    }
}
