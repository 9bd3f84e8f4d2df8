//! Each lowering case, pinned down on its own fixture, and what the generator makes of it.
//!
//! Every fixture under `fixtures/lower` is snapshotted and must generate every operation; the named
//! tests below also assert the values each case must produce.

use std::fs;

use codegen::lower::{lower, servers::ServerGroup};
use codegen::normalize::normalize;
use codegen::report::{Change, Rule};
use pipeline_tests::{fixtures, load, rules_of, yaml};
use serde_json::{json, Value};

fn lowered(name: &str) -> (Vec<ServerGroup>, Vec<Change>) {
    let mut document = load(&fixtures().join("lower").join(name));
    let out = normalize(&mut document);
    assert!(!out.problems.has_errors(), "{}", out.problems);
    let lowered = lower(&document, &Default::default());
    (lowered.groups, lowered.changes)
}

#[test]
fn lower_fixture_snapshots() {
    insta::glob!("fixtures/lower/*.yaml", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let (groups, changes) = lowered(name);
        let groups: Vec<Value> = groups
            .iter()
            .map(|g| json!({ "module": g.module, "base_url": g.base_url, "document": g.document }))
            .collect();
        insta::assert_snapshot!(yaml(&json!({ "groups": groups, "changes": changes })));
    });
}

#[test]
fn every_lowered_fixture_generates_every_operation() {
    for entry in fs::read_dir(fixtures().join("lower")).unwrap() {
        let path = entry.unwrap().path();
        let (groups, _) = lowered(path.file_name().unwrap().to_str().unwrap());
        for group in &groups {
            let module = codegen::generate::generate(group).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(module.skipped.is_empty(), "{}: {}", path.display(), module.skipped);
            assert_eq!(module.operations, codegen::generate::count_operations(&group.document), "{}", path.display());
        }
    }
}

#[test]
fn missing_operation_ids_are_derived_from_method_and_path() {
    let (groups, changes) = lowered("operation-id-synthesized.yaml");
    let paths = &groups[0].document["paths"];
    assert_eq!(paths["/link/token/create"]["post"]["operationId"], "post_link_token_create");
    assert_eq!(paths["/teams/{team_id}/members"]["get"]["operationId"], "get_teams_by_team_id_members");
    assert_eq!(paths["/teams/{team_id}/members"]["post"]["operationId"], "addMember");
    assert_eq!(paths["/members"]["post"]["operationId"], "addMember_2", "a duplicate gets a suffix");
    let ids = changes.iter().filter(|c| c.rule == Rule::OperationIdSynthesized).count();
    assert_eq!(ids, 3);
    let declared = &paths["/teams/{team_id}/members"]["get"]["parameters"];
    assert_eq!(declared, &json!([{"name": "team_id", "in": "path", "required": true, "schema": {"type": "string"}}]));
}

#[test]
fn the_json_media_type_is_kept() {
    let (groups, _) = lowered("media-type-chosen.yaml");
    let op = &groups[0].document["paths"]["/things"]["post"];
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&op["requestBody"]["content"]), ["application/json"]);
    assert_eq!(keys(&op["responses"]["200"]["content"]), ["application/json"], "text/json chosen over +encrypted");
    assert_eq!(keys(&op["responses"]["400"]["content"]), ["application/json"], "problem+json is JSON");
    assert_eq!(keys(&op["responses"]["409"]["content"]), ["application/json"], "a wildcard with a schema");
    assert!(
        op["responses"].get("415").is_none(),
        "a wildcard without a schema is no JSON body: left to the unexpected-response path"
    );
    let raw = &groups[0].document["paths"]["/markdown/raw"]["post"];
    assert_eq!(keys(&raw["requestBody"]["content"]), ["text/plain"], "no JSON: the supported text type");
    let download = &groups[0].document["paths"]["/files/{id}"]["get"];
    assert_eq!(keys(&download["responses"]["200"]["content"]), ["*/*"], "binary under a wildcard is bytes, not JSON");
    let source = codegen::generate::generate(&groups[0]).unwrap().source.replace(char::is_whitespace, "");
    assert!(source.contains("Result<ResponseValue<ByteStream>,Error<()>>"), "the file is streamed");

    let accept = codegen::lower::media::ACCEPT;
    assert_eq!(op["responses"]["200"][accept], "text/json", "the documented type, asked for in `Accept`");
    assert_eq!(op["responses"]["409"][accept], "application/json, */*;q=0.8", "JSON first, then the wildcard");
    let (plan, _) = codegen::plan::plan(&groups[0]);
    let create = plan.operations.iter().find(|o| o.method_name == "create_thing").unwrap();
    assert_eq!(create.accept.as_deref(), Some("text/json, application/problem+json, application/json, */*;q=0.8"));
}

#[test]
fn differing_error_bodies_are_decoded_by_status_not_guessed_by_shape() {
    let (groups, changes) = lowered("errors-by-status.yaml");
    let doc = &groups[0].document;
    let operation = &doc["paths"]["/links"]["post"];
    assert_eq!(
        operation[codegen::lower::errors::ERRORS_BY_STATUS],
        json!({
            "401": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}, "description": "no"},
            "403": {"schema": {"$ref": "#/components/schemas/LimitExceeded"}, "description": "limit"},
            "500": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}, "description": "boom"},
        })
    );
    assert!(
        doc["components"]["schemas"]["LimitExceeded"]["properties"]["error"].is_object(),
        "the inline body is lifted"
    );
    let responses = &operation["responses"];
    for status in ["401", "403", "500"] {
        assert_eq!(
            responses[status]["content"]["application/json"]["schema"],
            json!({}),
            "{status}: any JSON for the generator"
        );
    }
    assert!(responses.get("404").is_none(), "bodiless error left to the unexpected-response path");
    assert_eq!(
        doc["paths"]["/other"]["get"]["responses"]["401"]["$ref"], "#/components/responses/Unauthorized",
        "an operation with one error shape is untouched"
    );
    let rules = rules_of(&changes);
    assert!(
        rules.contains(&Rule::ErrorsByStatus)
            && rules.contains(&Rule::SchemaLifted)
            && rules.contains(&Rule::BodilessErrorUntyped)
    );
}

#[test]
fn each_server_gets_its_own_module_with_only_its_components() {
    let (groups, _) = lowered("server-partition.yaml");
    let summary: Vec<(Option<String>, String)> =
        groups.iter().map(|g| (g.module.clone(), g.base_url.clone())).collect();
    assert_eq!(
        summary,
        vec![
            (Some("api_example_v2".into()), "https://api.example.com/v2".into()),
            (Some("eu_example_b".into()), "https://eu.example.com/b".into()),
            (Some("upload_example".into()), "https://upload.example.com".into()),
        ]
    );
    let schemas = |g: &ServerGroup| {
        g.document["components"]["schemas"]
            .as_object()
            .map(|s| s.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert_eq!(schemas(&groups[0]), ["A", "Shared"]);
    assert_eq!(schemas(&groups[1]), ["B", "Shared"]);
    // A group that reaches no schema keeps no `schemas` section, only the scheme the document's
    // own security requirement names.
    assert_eq!(
        groups[2].document["components"],
        serde_json::json!({"securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}})
    );
    assert_eq!(groups[0].document["servers"].as_array().unwrap().len(), 2, "the sandbox stays as an alternative");
    assert!(groups[1].document["paths"]["/b"].get("servers").is_none());
}

#[test]
fn one_server_for_every_operation_is_one_client_with_its_server_first() {
    let (groups, _) = lowered("server-single.yaml");
    assert_eq!(groups.len(), 1);
    let group = &groups[0];
    assert_eq!((group.module.as_deref(), group.base_url.as_str()), (None, "https://api.example.com/v2"));
    let document = &group.document;
    let schemas: Vec<&String> = document["components"]["schemas"].as_object().unwrap().keys().collect();
    assert_eq!(schemas, ["A", "Shared"], "unreached components pruned");
    let paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/a"], "a path item without operations goes");
    assert!(document["paths"]["/a"].get("servers").is_none());
    assert!(document["paths"]["/a"]["get"].get("servers").is_none());
    let servers: Vec<&str> =
        document["servers"].as_array().unwrap().iter().map(|s| s["url"].as_str().unwrap()).collect();
    assert_eq!(servers, ["https://api.example.com/v2", "https://sandbox.example.com/v2"], "the group's first");
}

#[test]
fn namespaced_schema_names_become_their_shortest_unique_suffix() {
    let (groups, _) = lowered("schema-name-shortened.yaml");
    let mut names: Vec<String> =
        groups[0].document["components"]["schemas"].as_object().unwrap().keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["LanguageEnum", "V1LinkTokenRequest", "V2LinkTokenRequest"], "unreachable ones pruned");
    assert_eq!(
        groups[0].document["components"]["schemas"]["V1LinkTokenRequest"]["properties"]["lang"]["$ref"],
        "#/components/schemas/LanguageEnum"
    );
}

#[test]
fn success_shapes_become_one_type_and_default_becomes_error_ranges() {
    let (groups, changes) = lowered("success-bodies-unified.yaml");
    let doc = &groups[0].document;
    let put = &doc["paths"]["/things/{id}"]["put"]["responses"];
    assert!(put.get("default").is_none());
    assert_eq!(put["4XX"], put["5XX"], "default split into both error ranges");
    assert_eq!(
        doc["components"]["schemas"]["PutThingResponse"],
        json!({"allOf": [{"$ref": "#/components/schemas/PutThingResponseValue"}], "nullable": true}),
        "a nullable union is a nullable reference to the union (typify names the two apart)"
    );
    assert_eq!(
        doc["components"]["schemas"]["PutThingResponseValue"],
        json!({"oneOf": [{"$ref": "#/components/schemas/Thing"}, {"$ref": "#/components/schemas/Created"}]})
    );
    for status in ["200", "201", "204"] {
        assert_eq!(
            put[status]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/PutThingResponse",
            "{status}"
        );
    }
    assert_eq!(put["204"][codegen::lower::successes::EMPTY_BODY_AS_NULL], json!(true));
    assert!(put["200"].get(codegen::lower::successes::EMPTY_BODY_AS_NULL).is_none());
    assert_eq!(
        doc["components"]["schemas"]["DeleteThingResponse"],
        json!({"allOf": [{"$ref": "#/components/schemas/Thing"}], "nullable": true}),
        "one shape and a bodiless status: the shape, optional"
    );
    let rules = rules_of(&changes);
    assert_eq!(rules.iter().filter(|r| **r == Rule::SuccessBodiesUnified).count(), 2);
    assert_eq!(rules.iter().filter(|r| **r == Rule::DefaultResponseSplit).count(), 1);
}

#[test]
fn bodies_take_the_shape_the_generator_accepts() {
    let (groups, changes) = lowered("body-schema-fitted.yaml");
    let doc = &groups[0].document;
    let media =
        |path: &str, method: &str, at: &str| doc["paths"][path][method].pointer(at).cloned().unwrap_or(Value::Null);
    assert_eq!(
        media("/any", "get", "/responses/200/content/application~1json/schema"),
        json!({}),
        "some JSON: any value"
    );
    assert_eq!(
        media("/upload", "put", "/requestBody/content/application~1octet-stream/schema"),
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(media("/note", "post", "/requestBody/content/text~1plain/schema"), json!({"type": "string"}));
    let xml = &doc["components"]["requestBodies"]["Xml"];
    assert_eq!(xml["content"], json!({"text/plain": {"schema": {"type": "string"}}}));
    assert_eq!(
        xml[codegen::lower::bodies::CONTENT_TYPE],
        "application/xml",
        "the real media type is kept for the wire"
    );
    let rules = rules_of(&changes);
    assert_eq!(rules.iter().filter(|r| **r == Rule::BodySchemaFitted).count(), 3);
    assert_eq!(rules.iter().filter(|r| **r == Rule::BodySentAsText).count(), 1);
}

#[test]
fn schema_shapes_typify_refuses_are_fitted_and_valid_ones_kept() {
    let (groups, changes) = lowered("schema-fitted.yaml");
    let widget = &groups[0].document["components"]["schemas"]["Widget"]["properties"];
    for field in ["enabled", "labels", "hosts", "seen"] {
        assert!(widget[field].get("format").is_none(), "{field}");
    }
    for field in ["limit", "offset", "order", "sizes", "mode", "color"] {
        assert!(widget[field].get("default").is_none(), "{field}");
    }
    assert_eq!(widget["page"]["default"], 1, "a valid default stays");
    assert_eq!(widget["region"]["enum"], json!(["EU", "US"]), "repeats removed, the enum kept");
    assert!(widget["sort"].get("enum").is_none() && widget["operator"].get("enum").is_none());
    for field in ["kind", "shape", "fallback"] {
        assert!(widget[field].get("title").is_none(), "{field}");
    }
    assert_eq!(widget["send_date"], json!({"type": "string"}), "alternatives that only narrow a string");
    assert_eq!(widget["either"]["oneOf"].as_array().map(Vec::len), Some(2), "a union of two types stays");
    assert_eq!(
        widget["language"],
        json!({"description": "Spoken language.", "$ref": "#/components/schemas/Mode"}),
        "known values or any string: the (open) enum"
    );
    assert_eq!(widget["accent"], json!({"type": "string", "enum": ["uk", "us"]}));
    assert!(widget["attribute"].get("anyOf").is_none(), "scalars cannot be parts of typify's anyOf struct");
    assert_eq!(widget["attribute"]["oneOf"].as_array().map(Vec::len), Some(3));
    assert!(widget["custom"].get("anyOf").is_none(), "a member composed of scalars is no object part either");
    assert_eq!(widget["custom"]["oneOf"].as_array().map(Vec::len), Some(3));
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::SchemaFitted).count(), 21);
}

#[test]
fn references_into_schemas_and_paths_become_components_or_copies() {
    let (groups, _) = lowered("reference-retargeted.yaml");
    let doc = &groups[0].document;
    let account = &doc["components"]["schemas"]["Account"]["properties"];
    assert_eq!(account["balance"]["$ref"], "#/components/schemas/AccountMoney");
    assert_eq!(account["credit"]["$ref"], "#/components/schemas/AccountMoney", "a shared target stays shared");
    assert_eq!(
        account["owner"]["$ref"], "#/components/schemas/AccountOwner",
        "the target's place refers to its component"
    );
    let order = &doc["components"]["schemas"]["Order"]["properties"];
    assert_eq!(order["lines"]["type"], "array", "a place another reference reaches through stays a schema");
    assert_eq!(order["first"]["$ref"], "#/components/schemas/OrderLines");
    let copied = &doc["components"]["schemas"]["OrderLines"]["items"]["properties"]["same"]["$ref"];
    assert!(codegen::model::pointer::component_ref(copied.as_str().unwrap()).is_some(), "names a component: {copied}");
    assert_eq!(
        doc["components"]["schemas"]["AccountOwner"]["properties"]["address"]["$ref"],
        "#/components/schemas/AccountAddress"
    );
    let owner = &doc["paths"]["/accounts/{id}/owner"]["get"];
    assert_eq!(owner["parameters"][0]["name"], "id", "the parameter is copied in");
    let copy = &doc["paths"]["/accounts/{id}/copy"]["get"]["responses"]["200"];
    assert_eq!(copy["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Account");
}

#[test]
fn webhook_payloads_get_a_document_of_their_own_and_unreached_components_are_pruned() {
    let mut document: Value = serde_json::from_value(json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "x-webhooks": {"push": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushEvent"}}}}}}},
        "paths": {"/repos": {"get": {"operationId": "listRepos", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Repo"}}}}}}}},
        "components": {"schemas": {
            "Repo": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
            "Owner": {"type": "object", "properties": {"login": {"type": "string"}}},
            "PushEvent": {"type": "object", "properties": {"repo": {"$ref": "#/components/schemas/Repo"}}},
            "Unused": {"type": "object", "properties": {"id": {"type": "string"}}}
        }}
    }))
    .unwrap();
    assert!(!normalize(&mut document).problems.has_errors());
    let lowered = lower(&document, &Default::default());
    let schemas = lowered.groups[0].document["components"]["schemas"].as_object().unwrap();
    assert_eq!(schemas.keys().collect::<Vec<_>>(), ["Repo", "Owner"], "reached through an operation, directly or not");
    assert!(lowered.groups[0].declares_webhooks, "the one client module declares the webhooks module");
    let webhooks = lowered.webhooks.unwrap();
    assert_eq!(
        webhooks.webhooks,
        [codegen::lower::webhooks::Webhook { name: "push".into(), method: "post".into(), payload: "PushEvent".into() }]
    );
    let payload_schemas = webhooks.document["components"]["schemas"].as_object().unwrap();
    assert_eq!(
        payload_schemas.keys().collect::<Vec<_>>(),
        ["PushEvent", "Repo", "Owner"],
        "the payload and what it reaches"
    );
    assert_eq!(webhooks.document["paths"], json!({}));
}

#[test]
fn nullable_components_keep_their_wrapper_and_inner_type_apart() {
    let (groups, _) = lowered("schema-lifted.yaml");
    let source = codegen::generate::generate(&groups[0]).unwrap().source;
    let wrappers: Vec<(String, String)> = source
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("pub struct ")?;
            let (name, inner) = rest.split_once("(pub ::std::option::Option<")?;
            Some((name.to_string(), inner.trim_end_matches(">);").to_string()))
        })
        .collect();
    assert!(wrappers.iter().any(|(n, _)| n == "PullStack"), "{wrappers:?}");
    assert!(wrappers.iter().any(|(n, _)| n == "NullableLocation"), "{wrappers:?}");
    for (name, inner) in &wrappers {
        assert_ne!(name, inner, "a newtype wrapping itself does not compile");
    }
}

fn generated_from(document: Value) -> codegen::generate::GeneratedModule {
    let mut document = document;
    assert!(!normalize(&mut document).problems.has_errors());
    let lowered = lower(&document, &Default::default());
    codegen::generate::generate(&lowered.groups[0]).unwrap()
}

#[test]
fn operations_whose_parameters_share_a_rust_name_are_left_out_with_the_reason() {
    // Two path parameters: their names are in the path template, so neither can be renamed
    // (colliding query and header parameters are: see parameter-renamed.yaml).
    let module = generated_from(json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {
            "/jobs/{max-results}/{MaxResults}": {"get": {"operationId": "listJobs", "parameters": [
                {"name": "max-results", "in": "path", "required": true, "schema": {"type": "integer"}},
                {"name": "MaxResults", "in": "path", "required": true, "schema": {"type": "string"}}
            ], "responses": {"200": {"description": "ok"}}}},
            "/queues": {"get": {"operationId": "listQueues", "parameters": [
                {"name": "maxResults", "in": "query", "schema": {"type": "integer"}}
            ], "responses": {"200": {"description": "ok"}}}}
        }
    }));
    assert_eq!(module.operations, 1);
    let skipped: Vec<String> = module.skipped.iter().map(|d| d.message.clone()).collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].contains("GET /jobs/") && skipped[0].contains("`max_results`"), "{}", skipped[0]);
}

#[test]
fn schemes_sharing_the_authorization_header_take_one_credential() {
    let module = generated_from(json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "security": [{"Oauth2": [], "Oauth2c": []}],
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {"description": "ok"}}}}},
        "components": {"securitySchemes": {
            "Oauth2": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a.example/auth", "scopes": {}}}},
            "Oauth2c": {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a.example/auth", "tokenUrl": "https://a.example/token", "scopes": {}}}}
        }}
    }));
    assert!(
        module.source.contains("pub fn with_bearer_token(token: impl Into<String>)"),
        "one bearer token serves both"
    );
    assert!(!module.source.contains("with_bearer_token_and_bearer_token"));
}

#[test]
fn carriage_returns_in_doc_text_become_newlines() {
    let mut document = load(&fixtures().join("lower/doc-text-fitted.yaml"));
    assert!(!normalize(&mut document).problems.has_errors());
    let lowered = lower(&document, &Default::default());
    let doc = &lowered.groups[0].document;
    let op = &doc["paths"]["/things"]["get"];
    assert_eq!(op["description"], "First line.\nSecond line.\nThird.");
    let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(schema["properties"]["a"]["description"], "A\nB");
    assert_eq!(schema["x-note"], "kept\r\n", "extensions are not doc text");
    assert_eq!(lowered.changes.iter().filter(|c| c.rule == Rule::DocTextFitted).count(), 2);
    let source = codegen::generate::generate(&lowered.groups[0]).unwrap().source;
    assert!(!source.contains('\r'));
}

#[test]
fn inline_properties_typify_would_name_like_a_component_are_lifted() {
    let (groups, _) = lowered("schema-lifted.yaml");
    let doc = &groups[0].document;
    assert_eq!(
        doc["components"]["schemas"]["certificate"]["properties"]["type"]["$ref"],
        "#/components/schemas/CertificateType2"
    );
    let source = codegen::generate::generate(&groups[0]).unwrap().source;
    let certificate_types = source.lines().filter(|l| l.trim() == "pub enum CertificateType {").count();
    assert_eq!(certificate_types, 1, "one type per name");
}

#[test]
fn inline_operation_schemas_progenitor_would_name_like_a_component_are_lifted() {
    let (groups, changes) = lowered("schema-lifted.yaml");
    let doc = &groups[0].document;
    let schema = &doc["paths"]["/facet"]["post"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(schema["$ref"], "#/components/schemas/FacetResponse2");
    assert_eq!(
        doc["components"]["schemas"]["FacetResponse2"]["properties"]["result"]["$ref"],
        "#/components/schemas/FacetResponse"
    );
    let error = |status: &str| {
        doc["paths"]["/facet"]["post"]["responses"][status]["content"]["application/json"]["schema"]["$ref"].clone()
    };
    assert_eq!(error("400"), "#/components/schemas/FacetResponse3", "{}", doc["paths"]["/facet"]);
    assert_eq!(error("404"), error("400"), "equal error bodies stay one type (progenitor takes one error type)");
    let body = &doc["paths"]["/facet"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert!(body.get("$ref").is_none(), "`FacetBody` is free: the body stays inline");
    assert!(changes
        .iter()
        .any(|c| c.rule == Rule::SchemaLifted && c.pointer.starts_with("/paths/~1facet/post/responses")));
    let source = codegen::generate::generate(&groups[0]).unwrap().source;
    let compact = source.replace(char::is_whitespace, "");
    assert!(
        compact.contains("ResponseValue<types::FacetResponse2>"),
        "the envelope is decoded as itself, not as the component inside it"
    );
}

#[test]
fn content_parameters_become_strings_that_carry_the_serialized_value() {
    let (groups, changes) = lowered("parameter-content-as-string.yaml");
    let doc = &groups[0].document;
    let parameters = &doc["paths"]["/tags/{ids}"]["get"]["parameters"];
    assert_eq!(parameters[0]["schema"], json!({"type": "string"}), "a JSON array in a path segment");
    assert_eq!(parameters[1]["schema"], json!({"type": "string"}), "a JSON object in a query string");
    assert_eq!(
        parameters[2]["schema"],
        json!({"type": "string", "maxLength": 20}),
        "plain text keeps its string schema"
    );
    assert_eq!(doc["components"]["parameters"]["Page"]["schema"], json!({"type": "string"}));
    for parameter in parameters.as_array().unwrap().iter().take(3) {
        assert!(parameter.get("content").is_none());
    }
    let declared: Vec<&Change> = changes.iter().filter(|c| c.rule == Rule::ParameterContentAsString).collect();
    assert_eq!(declared.len(), 4);
    // The report keeps what the value is, for the caller who serializes it.
    let filter = declared.iter().find(|c| c.pointer.ends_with("/parameters/1/content")).unwrap();
    assert_eq!(filter.before.as_ref().unwrap()["application/json"]["schema"]["$ref"], "#/components/schemas/Filter");
}

#[test]
fn parameters_that_share_a_rust_name_are_renamed_and_keep_their_wire_name() {
    let (groups, changes) = lowered("parameter-renamed.yaml");
    let doc = &groups[0].document;
    let parameters = &doc["paths"]["/items/{item-id}"]["get"]["parameters"];
    let names: Vec<&str> = parameters.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["code", "code_2", "maxResults", "max_results_2", "item_id_2"]);
    let wire: Vec<Option<&str>> =
        parameters.as_array().unwrap().iter().map(|p| p["x-codegen-wire-name"].as_str()).collect();
    assert_eq!(wire, [None, Some("code[]"), None, Some("MaxResults"), Some("itemId")]);
    assert_eq!(parameters[1]["description"], "Several codes. Sent as `code[]`.");
    // The shared component is copied for the one operation, not renamed for the other.
    assert_eq!(doc["components"]["parameters"]["MaxResults"]["name"], "MaxResults");
    assert_eq!(doc["paths"]["/others"]["get"]["parameters"][0]["$ref"], "#/components/parameters/MaxResults");
    // A path parameter keeps its name even when listed second.
    let account = &doc["paths"]["/accounts/{accountId}"]["get"]["parameters"];
    assert_eq!((account[0]["name"].as_str(), account[1]["name"].as_str()), (Some("account_id_2"), Some("accountId")));
    // The shared query parameter moves into each operation (an override stays the override).
    let proxy = &doc["paths"]["/proxy/{path}"];
    assert_eq!(proxy["parameters"].as_array().unwrap().len(), 1, "only the path parameter stays shared");
    assert_eq!(proxy["get"]["parameters"][0]["x-codegen-wire-name"], "path");
    assert_eq!(proxy["delete"]["parameters"].as_array().unwrap().len(), 1);
    assert_eq!(proxy["delete"]["parameters"][0]["description"], "overrides the shared one. Sent as `path`.");
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::ParameterRenamed).count(), 6);
}

#[test]
fn body_encodings_are_dropped_where_they_change_nothing_and_deep_forms_become_text() {
    let (groups, changes) = lowered("body-sent-as-text.yaml");
    let paths = &groups[0].document["paths"];
    let flat = &paths["/flat"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
    assert!(flat.get("encoding").is_none() && flat["schema"]["type"] == "object", "a typed form stays typed");
    assert!(paths["/json"]["post"]["requestBody"]["content"]["application/json"].get("encoding").is_none());
    let deep = &paths["/customers"]["post"]["requestBody"];
    assert_eq!(deep["content"], json!({"text/plain": {"schema": {"type": "string"}}}));
    assert_eq!(deep["x-content-type"], "application/x-www-form-urlencoded");
    assert_eq!(rules_of(&changes).iter().filter(|r| **r == Rule::BodySentAsText).count(), 1);
}

#[test]
fn multipart_bodies_become_bytes_sent_with_the_runtime_boundary() {
    let (groups, changes) = lowered("body-sent-as-multipart.yaml");
    let body = &groups[0].document["paths"]["/files"]["post"]["requestBody"];
    assert_eq!(
        body["content"],
        json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
    );
    assert_eq!(
        body["x-content-type"],
        format!("multipart/form-data; boundary={}", codegen::lower::bodies::MULTIPART_BOUNDARY)
    );
    assert_eq!(body["x-codegen-form"]["properties"]["file"]["format"], "binary", "the parts, for the typed form");
    let change = changes.iter().find(|c| c.rule == Rule::BodySentAsMultipart).unwrap();
    assert_eq!(
        change.note.as_deref(),
        Some("build the body with the typed form in the module's `forms` (or runtime::Multipart) (fields: purpose, file)")
    );
}

#[test]
fn deep_object_arrays_are_sent_as_repeated_bracketed_keys_and_objects_are_marked_for_the_runtime() {
    let (groups, changes) = lowered("deep-object-array-bracketed.yaml");
    let parameters = &groups[0].document["paths"]["/charges"]["get"]["parameters"];
    for (index, name) in [(0, "expand[]"), (1, "ids[]")] {
        assert_eq!(parameters[index]["name"], name);
        assert_eq!(
            (parameters[index]["style"].as_str(), parameters[index]["explode"].as_bool()),
            (Some("form"), Some(true))
        );
    }
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::DeepObjectArrayBracketed).count(), 2);
    let module = codegen::generate::generate(&groups[0]).unwrap();
    assert!(module.source.contains(r#"QueryParam::new("expand[]", &expand)"#), "the Rust name stays `expand`");

    let mut document = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"parameters": [
            {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}
        ], "responses": {"200": {"description": "ok"}}}}}
    });
    let mut made = Vec::new();
    codegen::lower::parameters::fit_deep_object_arrays(&mut document, &mut made);
    let filter = &document["paths"]["/x"]["get"]["parameters"][0];
    assert_eq!(filter["name"], "filter", "an object keeps its name: the runtime brackets its keys");
    assert_eq!(
        (filter["style"].as_str(), filter[codegen::lower::parameters::DEEP_OBJECT].as_bool()),
        (Some("form"), Some(true))
    );
    assert_eq!(made.iter().map(|c| c.rule).collect::<Vec<_>>(), [Rule::DeepObjectSentBracketed]);
}

#[test]
fn query_parameters_of_struct_types_are_taken_as_json_objects_listing_their_fields() {
    let (groups, changes) = lowered("struct-parameter-as-map.yaml");
    let made: Vec<_> =
        changes.iter().filter(|c| c.rule == Rule::StructParameterAsMap).map(|c| c.pointer.as_str()).collect();
    assert_eq!(made, ["/paths/~1letters/get/parameters/1/schema", "/components/parameters/sort_by/schema"]);
    let document = &groups[0].document;
    let sort_by = &document["components"]["parameters"]["sort_by"];
    assert_eq!(sort_by["schema"], json!({"type": "object", "additionalProperties": true}));
    let description = sort_by["description"].as_str().unwrap();
    assert!(description.ends_with("An object with the fields `date_created`, `send_date`."), "{description}");
    let limit = &document["paths"]["/letters"]["get"]["parameters"][2];
    assert_eq!(limit["schema"], json!({"type": "integer"}), "a scalar parameter is left alone");
    let external_id = &document["paths"]["/letters"]["get"]["parameters"][3];
    assert_eq!(external_id["schema"]["type"], json!("string"), "properties beside another type constrain nothing");
    let module = codegen::generate::generate(&groups[0]).unwrap();
    assert!(module.skipped.is_empty(), "{}", module.skipped);
}

#[test]
fn responses_http_forbids_a_body_for_are_emptied_and_others_keep_theirs() {
    let (groups, changes) = lowered("bodiless-response-emptied.yaml");
    let made: Vec<_> =
        changes.iter().filter(|c| c.rule == Rule::BodilessResponseEmptied).map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        made,
        [
            "/paths/~1items~1{id}/delete/responses/204/content",
            "/paths/~1items~1{id}/head/responses/200/content",
            "/paths/~1items~1{id}/head/responses/404/content",
        ]
    );
    let item = &groups[0].document["paths"]["/items/{id}"];
    assert_eq!(item["delete"]["responses"]["204"], json!({"description": "Deleted."}));
    assert_eq!(item["head"]["responses"]["200"], json!({"description": "The item."}));
    assert_eq!(item["get"]["responses"]["200"]["$ref"], "#/components/responses/ItemFound", "GET keeps its body");
}

#[test]
fn defaults_of_optional_properties_move_into_their_descriptions() {
    let (groups, changes) = lowered("default-left-to-server.yaml");
    let properties = &groups[0].document["components"]["schemas"]["NewKey"]["properties"];
    assert_eq!(properties["kind"]["default"], "user", "a required property keeps its default");
    assert_eq!(
        properties["is_enabled"],
        json!({"type": "boolean", "description": "Whether the key can be used.\n\nThe server assumes `true` when it is not sent."})
    );
    assert_eq!(properties["limit"]["description"], "Requests per second. Defaults to 10.", "already said");
    assert!(properties["limit"].get("default").is_none());
    let moved: Vec<_> =
        changes.iter().filter(|c| c.rule == Rule::DefaultLeftToServer).map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        moved,
        [
            "/components/schemas/NewKey/properties/is_enabled/default",
            "/components/schemas/NewKey/properties/limit/default"
        ]
    );
}

#[test]
fn delimited_array_parameters_are_marked_with_their_delimiter_in_the_form_style() {
    let (groups, changes) = lowered("delimited-array-joined.yaml");
    let parameters = &groups[0].document["paths"]["/items"]["get"]["parameters"];
    let delimiter = |index: usize| parameters[index][codegen::lower::parameters::DELIMITER].as_str();
    assert_eq!((0..5).map(delimiter).collect::<Vec<_>>(), [Some("|"), Some(" "), Some(","), None, None]);
    for index in 0..4 {
        assert_eq!(
            (parameters[index]["style"].as_str(), parameters[index]["explode"].as_bool()),
            (Some("form"), Some(true))
        );
    }
    assert!(parameters[4].get("style").is_none(), "a plain form array is left as it is");
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::DelimitedArrayJoined).count(), 4);
    let module = codegen::generate::generate(&groups[0]).unwrap();
    assert!(module.skipped.is_empty(), "{}", module.skipped);
}

#[test]
fn bodies_of_media_types_the_generator_cannot_send_become_bytes_with_their_content_type() {
    let (groups, changes) = lowered("body-sent-as-bytes.yaml");
    let paths = &groups[0].document["paths"];
    for (path, method, media) in [("/config", "put", "application/x-yaml"), ("/archives", "post", "application/zip")] {
        let body = &paths[path][method]["requestBody"];
        assert_eq!(
            body["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(body["x-content-type"], media);
    }
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::BodySentAsBytes).count(), 2);
    let (plan, handed_to_progenitor) = codegen::plan::plan(&groups[0]);
    let sent: Vec<(&str, Option<&str>)> =
        plan.operations.iter().map(|o| (o.method_name.as_str(), o.body_content_type.as_deref())).collect();
    assert!(sent.contains(&("put_config", Some("application/x-yaml"))), "the real Content-Type is sent: {sent:?}");
    assert!(handed_to_progenitor["paths"]["/config"]["put"]["requestBody"].get("x-content-type").is_none());
    let module = codegen::generate::generate(&groups[0]).unwrap();
    assert!(
        module.source.contains(r#"id: "put_config","#)
            && module.source.contains(r#"HeaderValue::from_static("application/x-yaml")"#)
    );
}

#[test]
fn cookie_parameters_go_and_their_operation_stays() {
    let (groups, changes) = lowered("cookie-parameter-dropped.yaml");
    let item = &groups[0].document["paths"]["/tokens/{provider}"];
    let names = |list: &Value| -> Vec<String> {
        list.as_array().unwrap().iter().filter_map(|p| p["name"].as_str().map(str::to_owned)).collect()
    };
    assert_eq!(names(&item["parameters"]), ["provider"], "the shared cookie, named by $ref, goes too");
    assert_eq!(names(&item["get"]["parameters"]), ["limit"]);
    let dropped: Vec<&str> =
        changes.iter().filter(|c| c.rule == Rule::CookieParameterDropped).map(|c| c.pointer.as_str()).collect();
    assert_eq!(dropped, ["/paths/~1tokens~1{provider}/parameters/1", "/paths/~1tokens~1{provider}/get/parameters/0"]);
    assert!(changes
        .iter()
        .any(|c| c.note.as_deref().is_some_and(|n| n.contains("RequestOptions::header(\"Cookie\", \"state=…\")"))));
}

#[test]
fn a_path_parameter_the_template_does_not_name_goes() {
    let (groups, changes) = lowered("path-parameter-declared.yaml");
    let root = &groups[0].document["paths"]["/"]["get"]["parameters"];
    assert_eq!(root, &json!([{"name": "lang", "in": "query", "schema": {"type": "string"}}]));
    let stray: Vec<&str> = changes
        .iter()
        .filter(|c| c.rule == Rule::PathParameterDeclared && c.after.is_none())
        .map(|c| c.pointer.as_str())
        .collect();
    assert_eq!(stray, ["/paths/~1/get/parameters/0"]);
}

/// The type an operation's `send` returns, by following `pub type A = B;` aliases to the end.
fn success_type(source: &str, builder: &str) -> String {
    let at = source.find(&format!("impl<'a> {builder}<'a>")).unwrap_or_else(|| panic!("no builder {builder}"));
    let after = &source[at..];
    let start = after.find("ResponseValue<types::").expect("a typed success") + "ResponseValue<types::".len();
    let mut name: String = after[start..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    while let Some(alias) = source.find(&format!("pub type {name} = ")) {
        let target = &source[alias + format!("pub type {name} = ").len()..];
        name = target.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    }
    name
}

#[test]
fn one_referenced_response_is_one_type_in_every_operation_that_uses_it() {
    // The same `$ref`'d response (an inline schema, a chain of references, several media types)
    // beside other statuses, alone, as an error too, and behind a `default`.
    let inline = json!({"description": "inline", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"id": {"type": "string"}, "count": {"type": "integer"}}}}}});
    let multi = json!({"description": "multi", "content": {
        "text/plain": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}});
    let problem = json!({"description": "problem", "content": {"application/problem+json": {"schema": {
        "type": "object", "properties": {"title": {"type": "string"}}}}}});
    let r = |name: &str| json!({"$ref": format!("#/components/responses/{name}")});
    let module = generated_from(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {
            "/c": {"get": {"operationId": "getC", "responses": {"200": r("Inline"), "404": r("Inline")}}},
            "/d": {"get": {"operationId": "getD", "responses": {"200": r("Inline")}}},
            "/e": {"post": {"operationId": "postE", "responses": {"201": r("Inline"), "default": r("Problem")}}},
            "/f": {"get": {"operationId": "getF", "responses": {"200": r("Chain"), "400": r("Problem")}}},
            "/g": {"get": {"operationId": "getG", "responses": {"200": r("Multi")}}},
            "/h": {"get": {"operationId": "getH", "responses": {"200": r("Multi"), "400": r("Multi")}}}
        },
        "components": {"responses": {"Inline": inline, "Chain": r("Inline"), "Multi": multi, "Problem": problem}}
    }));
    let source = module.source;
    let inline: Vec<String> = ["GetC", "GetD", "PostE", "GetF"].iter().map(|b| success_type(&source, b)).collect();
    assert!(inline.iter().all(|t| *t == inline[0]), "Inline decodes as one type: {inline:?}");
    let multi: Vec<String> = ["GetG", "GetH"].iter().map(|b| success_type(&source, b)).collect();
    assert!(multi.iter().all(|t| *t == multi[0]), "Multi decodes as one type: {multi:?}");
    assert_ne!(inline[0], multi[0]);
}

/// An operation whose parameters the plan finds sharing a Rust name is left out after the types
/// were made beside the plan: they are made again without it, so nothing only it reached stays.
#[test]
fn an_operation_the_plan_leaves_out_takes_its_own_types_with_it() {
    let document = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {"get": {
                "operationId": "listThings",
                "parameters": [
                    {"name": "maxResults", "in": "query", "schema": {"type": "integer"}},
                    {"name": "MaxResults", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "title": "OnlyTheListReturnsThis",
                    "type": "object",
                    "properties": {"count": {"type": "integer"}},
                }}}}},
            }},
            "/other": {"get": {
                "operationId": "getOther",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "title": "TheOtherReturnsThis",
                    "type": "object",
                    "properties": {"name": {"type": "string"}},
                }}}}},
            }},
        },
    });
    // Not lowered, so the colliding names reach the plan (lowering would have separated them).
    let group = codegen::lower::ServerGroup {
        base_url: "https://api.example.com".into(),
        module: None,
        document,
        declares_webhooks: false,
        renamed_properties: Default::default(),
    };
    let module = codegen::generate::generate(&group).unwrap();
    let left_out: Vec<String> = module.skipped.iter().map(|d| d.message.clone()).collect();
    assert_eq!(left_out.len(), 1, "{left_out:?}");
    assert!(left_out[0].contains("/things"), "{left_out:?}");
    let all: String =
        std::iter::once(module.source.as_str()).chain(module.parts.iter().map(|(_, t)| t.as_str())).collect();
    assert!(all.contains("pub struct TheOtherReturnsThis"), "the other operation's type is generated");
    assert!(!all.contains("OnlyTheListReturnsThis"), "the left-out operation's type went with it");
    // And what the runtime reads about it: a static no builder uses would be a warning.
    assert!(all.contains("static OPERATION_GET_OTHER:"), "{all}");
    assert!(!all.contains("OPERATION_LIST_THINGS"), "the left-out operation has no static");
}
