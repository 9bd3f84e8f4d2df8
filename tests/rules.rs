//! Each normalization rule and each lowering case, pinned down on its own fixture.
//!
//! Every fixture under `fixtures/normalize`, `fixtures/lower` and `fixtures/merge` is snapshotted;
//! the named tests below also assert the values each rule must produce, so a snapshot accepted
//! by mistake still cannot hide a broken rule.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::extract::extract;
use codegen::lower::{lower, servers::ServerGroup};
use codegen::merge::{merge, PageDocument};
use codegen::normalize::normalize;
use codegen::report::{Change, Rule};
use pipeline_tests::{fixtures, yaml};
use serde_json::{json, Value};

fn load(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    extract(&text, path.extension().and_then(|e| e.to_str())).unwrap().document
}

fn normalized(name: &str) -> (Value, Vec<Change>, Vec<String>) {
    let mut document = load(&fixtures().join("normalize").join(name));
    let out = normalize(&mut document);
    let problems = out.problems.iter().map(ToString::to_string).collect();
    (document, out.changes, problems)
}

fn rules_of(changes: &[Change]) -> Vec<Rule> {
    changes.iter().map(|c| c.rule).collect()
}

#[test]
fn normalize_fixture_snapshots() {
    insta::glob!("fixtures/normalize/*.yaml", |path| {
        let mut document = load(path);
        let out = normalize(&mut document);
        let problems: Vec<String> = out.problems.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(yaml(&json!({ "document": document, "changes": out.changes, "problems": problems })));
    });
}

#[test]
fn string_typed_booleans_are_read_per_object_kind() {
    let (doc, changes, problems) = normalized("string-typed-boolean.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    let op = &doc["paths"]["/items/{id}"]["get"];
    assert_eq!(op["deprecated"], json!(false));
    assert_eq!(op["parameters"][0]["required"], json!(true));
    assert_eq!(op["parameters"][1]["required"], json!(false), "case-insensitive");
    assert_eq!(op["parameters"][1]["allowEmptyValue"], json!(true), "blanks trimmed");
    assert_eq!(op["requestBody"]["required"], json!(true));
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(schema["additionalProperties"], json!(false));
    assert_eq!(schema["properties"]["note"]["nullable"], json!(true));
    assert_eq!(schema["properties"]["tags"]["uniqueItems"], json!(true));
    assert_eq!(op["responses"]["200"]["headers"]["X-Flag"]["required"], json!(false));
    assert!(rules_of(&changes).iter().all(|r| *r == Rule::StringTypedBoolean));
    assert_eq!(changes.len(), 10);
    let first = &changes[0];
    assert_eq!(first.pointer, "/paths/~1items~1{id}/get/deprecated");
    assert_eq!((first.before.clone(), first.after.clone()), (Some(json!("false")), Some(json!(false))));
}

#[test]
fn string_typed_counts_and_bounds_become_integers() {
    let (doc, changes, _) = normalized("string-typed-integer.yaml");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Name"]["maxLength"], json!(50));
    assert_eq!(schemas["Names"]["maxItems"], json!(10));
    assert_eq!(schemas["Page"]["maximum"], json!(100));
    assert_eq!(schemas["Bag"]["maxProperties"], json!(3), "3.0 is a whole number of properties");
    assert_eq!(changes.len(), 8);
}

#[test]
fn string_typed_numbers_keep_their_value() {
    let (doc, changes, _) = normalized("string-typed-number.yaml");
    let ratio = &doc["components"]["schemas"]["Ratio"];
    assert_eq!(ratio["minimum"], json!(0.5));
    assert_eq!(ratio["maximum"], json!(100.0));
    assert_eq!(ratio["multipleOf"], json!(0.01));
    assert_eq!(rules_of(&changes), vec![Rule::StringTypedNumber; 3]);
}

#[test]
fn integer_bounds_are_clamped_to_the_format() {
    let (doc, changes, _) = normalized("integer-bound-clamped.yaml");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Id64"]["maximum"], json!(i64::MAX));
    assert_eq!(schemas["Id32"]["minimum"], json!(i32::MIN));
    assert_eq!(schemas["Id32"]["maximum"], json!(i32::MAX));
    assert_eq!(schemas["NoFormat"]["maximum"], json!(i64::MAX), "no format reads as int64");
    assert_eq!(schemas["InRange"]["maximum"], json!(i64::MAX), "in range: untouched");
    assert_eq!(schemas["NotInteger"]["maximum"], json!(1.0e30), "number schemas have no integer range");
    let clamped = changes.iter().filter(|c| c.rule == Rule::IntegerBoundClamped).count();
    assert_eq!(clamped, 4);
}

#[test]
fn property_required_flags_move_to_the_parent_list() {
    let (doc, changes, problems) = normalized("property-required-flag.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    let login = &doc["components"]["schemas"]["Login"];
    assert_eq!(login["required"], json!(["user", "password"]));
    for property in ["user", "password", "remember"] {
        assert!(login["properties"][property].get("required").is_none(), "{property}");
    }
    assert_eq!(rules_of(&changes), vec![Rule::PropertyRequiredFlag; 3]);
}

#[test]
fn instances_are_converted_to_their_schema_type_when_lossless() {
    let (doc, _, problems) = normalized("instance-type-coerced.yaml");
    let team = &doc["components"]["schemas"]["Team"];
    assert_eq!(team["properties"]["id"]["example"], json!(5000));
    assert_eq!(team["properties"]["active"]["default"], json!(false));
    assert_eq!(team["properties"]["size"]["example"], json!("12"));
    assert_eq!(team["properties"]["level"]["enum"], json!([1, 2, 3]));
    assert_eq!(doc["paths"]["/teams/{team_id}"]["get"]["parameters"][0]["example"], json!(12345));
    let example =
        &doc["paths"]["/teams/{team_id}"]["get"]["responses"]["200"]["content"]["application/json"]["example"];
    assert_eq!(example, &json!({"id": 7, "active": true, "size": "3", "tags": ["1", "b"], "owner": {"id": 9}}));
    assert_eq!(team["properties"]["note"]["example"], json!("not a number"), "not convertible: left alone");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("warning[example-mismatch]: example value \"not a number\""), "{}", problems[0]);
}

#[test]
fn extensions_are_never_rewritten() {
    let (doc, changes, _) = normalized("extensions-untouched.yaml");
    assert_eq!(doc["servers"][0]["x-internal"], json!("false"));
    assert_eq!(doc["paths"]["x-internal-paths"]["nullable"], json!("true"));
    assert_eq!(doc["paths"]["/x"]["get"]["x-rate"]["maxLength"], json!("5"));
    assert_eq!(doc["components"]["schemas"]["Thing"]["x-faker"]["random.alphaNumeric"], json!("30"));
    // A property *named* x-ray is a schema, not an extension: it is normalized.
    assert_eq!(doc["components"]["schemas"]["Thing"]["properties"]["x-ray"]["maxLength"], json!(9));
    assert_eq!(changes.len(), 1, "{changes:?}");
}

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
    let (groups, changes) = lowered("missing-operation-id.yaml");
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
    let (groups, _) = lowered("media-types.yaml");
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
}

#[test]
fn differing_error_bodies_become_one_union_in_status_order() {
    let (groups, changes) = lowered("error-bodies.yaml");
    let doc = &groups[0].document;
    let union = &doc["components"]["schemas"]["CreateLinkError"];
    assert_eq!(
        union["oneOf"],
        json!([{"$ref": "#/components/schemas/ErrorResponse"}, {"$ref": "#/components/schemas/LimitExceeded"}])
    );
    let responses = &doc["paths"]["/links"]["post"]["responses"];
    for status in ["401", "403", "500"] {
        assert_eq!(
            responses[status]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/CreateLinkError",
            "{status}"
        );
    }
    assert!(responses.get("404").is_none(), "bodiless error left to the unexpected-response path");
    assert_eq!(
        doc["paths"]["/other"]["get"]["responses"]["401"]["$ref"], "#/components/responses/Unauthorized",
        "an operation with one error shape is untouched"
    );
    let rules = rules_of(&changes);
    assert!(
        rules.contains(&Rule::ErrorBodiesUnified)
            && rules.contains(&Rule::SchemaLifted)
            && rules.contains(&Rule::BodilessErrorUntyped)
    );
}

#[test]
fn each_server_gets_its_own_module_with_only_its_components() {
    let (groups, _) = lowered("path-level-servers.yaml");
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
    assert_eq!(groups[0].document["servers"].as_array().unwrap().len(), 2, "the sandbox stays as an alternative");
    assert!(groups[1].document["paths"]["/b"].get("servers").is_none());
}

#[test]
fn namespaced_schema_names_become_their_shortest_unique_suffix() {
    let (groups, _) = lowered("long-schema-names.yaml");
    let mut names: Vec<String> =
        groups[0].document["components"]["schemas"].as_object().unwrap().keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["LanguageEnum", "V1LinkTokenRequest", "V2LinkTokenRequest"], "unreachable ones pruned");
    assert_eq!(
        groups[0].document["components"]["schemas"]["V1LinkTokenRequest"]["properties"]["lang"]["$ref"],
        "#/components/schemas/LanguageEnum"
    );
}

fn merge_fixture() -> codegen::merge::Merged {
    let pages = ["first", "second", "third"]
        .iter()
        .map(|id| PageDocument {
            id: id.to_string(),
            file: format!("{id}.yaml"),
            document: load(&fixtures().join("merge").join(format!("{id}.yaml"))),
        })
        .collect();
    merge(pages).unwrap()
}

#[test]
fn merge_fixture_snapshot() {
    let merged = merge_fixture();
    insta::assert_snapshot!(yaml(&json!({ "document": merged.document, "changes": merged.changes })));
}

#[test]
fn merge_dedupes_identical_and_renames_colliding_components() {
    let merged = merge_fixture();
    let schemas = &merged.document["components"]["schemas"];
    let mut names: Vec<&String> = schemas.as_object().unwrap().keys().collect();
    names.sort();
    assert_eq!(names, ["Error", "ErrorResponse", "Money", "SecondError", "SecondErrorResponse"]);
    assert_eq!(schemas["SecondErrorResponse"]["properties"]["error"]["$ref"], "#/components/schemas/SecondError");
    let refund = &merged.document["paths"]["/refunds"]["post"]["responses"]["400"];
    assert_eq!(
        refund["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/SecondError",
        "a third page identical to the second's variant reuses it"
    );
    let pay = &merged.document["paths"]["/payments"]["post"];
    assert_eq!(pay["security"], json!([{"SecondBearer": []}]), "renamed scheme followed in requirements");
    assert_eq!(merged.document["paths"]["/payments"]["servers"][0]["url"], "https://pay.example.com/v1");
    assert!(merged.document["paths"]["/orders"].get("servers").is_none());
    assert_eq!(merged.document["servers"][0]["url"], "https://shop.example.com");
    assert_eq!(merged.document["tags"].as_array().unwrap().len(), 2);
}

#[test]
fn success_shapes_become_one_type_and_default_becomes_error_ranges() {
    let (groups, changes) = lowered("success-bodies.yaml");
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
    let (groups, changes) = lowered("bodies.yaml");
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
fn openapi_31_documents_are_converted_to_30() {
    let (doc, changes, problems) = normalized("openapi-31.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc.get("jsonSchemaDialect").is_none());
    assert!(doc["info"].get("summary").is_none() && doc["info"]["license"].get("identifier").is_none());
    let webhook = &doc["webhooks"]["newPet"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(
        webhook["properties"]["id"],
        json!({"type": "string", "nullable": true}),
        "webhooks are kept and normalized"
    );
    let pet = &doc["components"]["schemas"]["Pet"];
    let property = |name: &str| pet["properties"][name].clone();
    assert!(pet.get("$schema").is_none());
    assert_eq!(property("name"), json!({"type": "string", "nullable": true, "example": "Rex"}));
    assert_eq!(property("kind"), json!({"enum": ["dog"]}));
    assert_eq!(
        property("age"),
        json!({"type": "integer", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 40})
    );
    assert_eq!(property("id"), json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}));
    assert_eq!(property("owner"), json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Owner"}]}));
    assert_eq!(
        property("tags"),
        json!({"type": "array", "items": {"type": "string"}, "maxItems": 2}),
        "a closed tuple of strings"
    );
    assert_eq!(property("photo"), json!({"type": "string", "format": "byte"}));
    assert_eq!(property("nothing"), json!({"nullable": true}), "only null: any value, null included");
    assert_eq!(property("maybe"), json!({"nullable": true, "allOf": [{"type": "integer"}]}));
    assert_eq!(
        property("flexible"),
        json!({"oneOf": [{"type": "string", "maxLength": 5, "enum": ["a"]}, {"type": "integer", "minimum": 1, "enum": [1]}], "nullable": true}),
        "each member keeps the keywords of its type"
    );
    assert_eq!(property("labels"), json!({"type": "object", "additionalProperties": {"type": "string"}}));
    assert_eq!(property("always"), json!({}));
    assert!(pet["properties"].get("never").is_none(), "a property that can never be present goes");
    assert_eq!(
        property("best"),
        json!({"description": "The best owner.", "nullable": true, "allOf": [{"$ref": "#/components/schemas/Owner"}]}),
        "3.1 $ref siblings apply"
    );
    assert_eq!(property("named"), json!({"type": "string", "example": "Rex"}));
    assert_eq!(property("friend"), json!({"$ref": "#/components/schemas/Pet/$defs/Friend"}));
    assert!(changes.iter().filter(|c| c.rule == Rule::OpenApi31Converted).count() >= 20, "{changes:#?}");
    let unchecked = changes.iter().find(|c| c.pointer.ends_with("/propertyNames")).unwrap();
    assert_eq!(unchecked.note.as_deref(), Some("property names are no longer checked"));
    // And the converted document generates, with the type behind `#/$defs`.
    let lowered = codegen::lower::lower(&doc, &Default::default());
    let module = codegen::generate::generate(&lowered.groups[0]).unwrap();
    assert_eq!(module.operations, 1);
    assert!(module.source.contains("pub struct PetDefsFriend"), "the $defs type is generated");
}

#[test]
fn openapi_32_documents_are_read_as_31_and_what_30_cannot_say_is_recorded() {
    let (doc, changes, problems) = normalized("openapi-32.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc.get("$self").is_none());
    assert_eq!(doc["tags"][0], json!({"name": "pets"}));
    let item = &doc["paths"]["/pets"];
    assert!(item.get("query").is_none() && item.get("additionalOperations").is_none());
    assert!(item["get"]["responses"]["200"]["content"]["application/jsonl"].get("itemSchema").is_none());
    let recorded =
        |at: &str| changes.iter().find(|c| c.pointer == at).unwrap_or_else(|| panic!("{at}: {changes:#?}")).clone();
    assert_eq!(recorded("/paths/~1pets/query").before, Some(json!("queryPets")), "the operation left out is named");
    assert_eq!(recorded("/paths/~1pets/additionalOperations").before, Some(json!(["LINK"])));
    assert_eq!(recorded("/tags/0/parent").before, Some(json!("animals")));
}

#[test]
fn swagger_2_documents_are_converted_to_openapi_30() {
    let (doc, changes, problems) = normalized("swagger-2.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc.get("swagger").is_none() && doc.get("definitions").is_none());
    assert_eq!(doc["servers"], json!([{"url": "https://api.example.com/v1"}]));
    let list = &doc["paths"]["/pets"]["get"];
    assert_eq!(list["parameters"][0], json!({"$ref": "#/components/parameters/Limit"}));
    assert_eq!(list["parameters"][1]["style"], "form");
    assert_eq!(list["parameters"][1]["explode"], false, "csv is one comma-separated value");
    assert_eq!(list["parameters"][2]["explode"], true, "multi repeats the key");
    let ok = &list["responses"]["200"];
    assert_eq!(ok["content"]["application/json"]["schema"]["items"]["$ref"], "#/components/schemas/Pet");
    assert_eq!(ok["content"]["application/json"]["example"], json!([{"name": "Rex"}]));
    assert_eq!(ok["headers"]["X-Rate-Limit"]["schema"], json!({"type": "integer", "format": "int32"}));
    assert_eq!(list["responses"]["404"]["$ref"], "#/components/responses/NotFound");
    let create = &doc["paths"]["/pets"]["post"]["requestBody"];
    assert_eq!(create["required"], true);
    assert_eq!(create["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Pet");
    let upload = &doc["paths"]["/pets/{id}/photo"]["put"]["requestBody"]["content"]["multipart/form-data"]["schema"];
    assert_eq!(upload["properties"]["file"], json!({"type": "string", "format": "binary"}));
    assert_eq!(upload["required"], json!(["file"]));
    let components = &doc["components"];
    assert_eq!(components["securitySchemes"]["basic"], json!({"type": "http", "scheme": "basic"}));
    assert_eq!(
        components["securitySchemes"]["oauth"]["flows"]["authorizationCode"]["tokenUrl"],
        "https://example.com/token"
    );
    let pet = &components["schemas"]["Pet"];
    assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(pet["properties"]["nickname"], json!({"type": "string", "nullable": true}));
    assert_eq!(
        pet["properties"]["owner"],
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Owner"}]}),
        "x-nullable beside a $ref keeps its meaning"
    );
    assert!(changes.iter().filter(|c| c.rule == Rule::Swagger2Converted).count() >= 10, "{changes:#?}");
    let lowered = codegen::lower::lower(&doc, &Default::default());
    let module = codegen::generate::generate(&lowered.groups[0]).unwrap();
    assert_eq!(module.operations, 3);
}

#[test]
fn ref_siblings_that_change_meaning_are_kept_through_all_of() {
    let (doc, changes, problems) = normalized("ref-siblings-kept.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    let pet = &doc["components"]["schemas"]["Pet"]["properties"];
    assert_eq!(
        pet["owner"],
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Owner", "description": "The owner, or null."}]})
    );
    assert_eq!(pet["level"], json!({"default": "low", "allOf": [{"$ref": "#/components/schemas/Level"}]}));
    assert_eq!(pet["former"], json!({"$ref": "#/components/schemas/Owner"}));
    assert_eq!(pet["described"], json!({"$ref": "#/components/schemas/Owner", "description": "ignored in 3.0"}));
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::RefSiblingsKept).count(), 3);
}

#[test]
fn enums_contradicting_their_type_are_repaired_around_the_values() {
    let (doc, changes, problems) = normalized("enum-repaired.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    let parameters = &doc["paths"]["/reports"]["get"]["parameters"];
    assert_eq!(parameters[0]["schema"]["items"]["enum"], json!(["name", "size"]));
    assert!(parameters[0]["schema"].get("enum").is_none(), "the array itself has no enum left");
    assert_eq!(parameters[1]["schema"]["enum"], json!(["all", "none"]));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["KeyType"]["type"], "string");
    assert!(schemas["KeyType"].get("format").is_none(), "an integer format cannot stay on a string");
    assert_eq!(schemas["Tags"]["items"], json!({"type": "string", "enum": ["red", "blue"]}));
    assert_eq!(
        schemas["Level"],
        json!({"type": "integer", "enum": [1, 2]}),
        "lossless values are converted, not retyped"
    );
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::EnumRepaired).count(), 4);
}

#[test]
fn percent_encoded_reference_fragments_are_decoded() {
    let (doc, changes, problems) = normalized("ref-fragment-decoded.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        doc["paths"]["/items/{id}"]["delete"]["parameters"][0]["$ref"],
        "#/paths/~1items~1{id}/get/parameters/0"
    );
    assert_eq!(rules_of(&changes), vec![Rule::RefFragmentDecoded]);
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
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::SchemaFitted).count(), 16);
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
    let (groups, _) = lowered("nullable-components.yaml");
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
    let mut document = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "description": "First line.\r\nSecond line.\rThird.",
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "x-note": "kept\r\n", "properties": {"a": {"type": "string", "description": "A\r\nB"}}}}}}}}}}
    });
    assert!(!normalize(&mut document).problems.has_errors());
    let lowered = lower(&document, &Default::default());
    let doc = &lowered.groups[0].document;
    let op = &doc["paths"]["/x"]["get"];
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
    let (groups, _) = lowered("nullable-components.yaml");
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
fn content_parameters_become_strings_that_carry_the_serialized_value() {
    let (groups, changes) = lowered("parameter-content.yaml");
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
    let (groups, changes) = lowered("body-encoding.yaml");
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
    let (groups, changes) = lowered("multipart-body.yaml");
    let body = &groups[0].document["paths"]["/files"]["post"]["requestBody"];
    assert_eq!(
        body["content"],
        json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
    );
    assert_eq!(
        body["x-content-type"],
        format!("multipart/form-data; boundary={}", codegen::lower::bodies::MULTIPART_BOUNDARY)
    );
    let change = changes.iter().find(|c| c.rule == Rule::BodySentAsMultipart).unwrap();
    assert_eq!(change.note.as_deref(), Some("build the body with runtime::Multipart (fields: purpose, file)"));
}

#[test]
fn deep_object_arrays_are_sent_as_repeated_bracketed_keys_and_objects_are_marked_for_the_runtime() {
    let (groups, changes) = lowered("deep-object-array.yaml");
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
fn bodies_of_media_types_the_generator_cannot_send_become_bytes_with_their_content_type() {
    let (groups, changes) = lowered("body-bytes.yaml");
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
            && module.source.contains(r#"content_type: Some("application/x-yaml")"#)
    );
}

#[test]
fn a_dangling_reference_costs_only_what_reaches_it_in_a_lenient_run() {
    let mut document = load(&fixtures().join("lenient/dangling-refs.yaml"));
    let strict = normalize(&mut document.clone());
    assert_eq!(
        strict.problems.iter().filter(|d| d.severity == codegen::Severity::Error).count(),
        3,
        "{}",
        strict.problems
    );
    let out = codegen::normalize::normalize_leniently(&mut document);
    assert!(!out.problems.has_errors(), "{}", out.problems);
    let list = &document["paths"]["/pets"]["get"]["responses"];
    let items = &list["200"]["content"]["application/json"]["schema"]["properties"]["items"]["items"];
    assert_eq!(items, &json!({}), "a schema that points at nothing is any JSON value");
    assert_eq!(list["404"]["content"]["application/json"]["schema"], json!({}));
    assert!(document["paths"]["/owners"].get("get").is_none(), "an operation with a dangling parameter is left out");
    assert!(document["paths"]["/healthy"].get("get").is_some(), "the rest of the API stays");
    let rules = rules_of(&out.changes);
    assert_eq!(rules.iter().filter(|r| **r == Rule::DanglingRefDegraded).count(), 2);
    assert_eq!(rules.iter().filter(|r| **r == Rule::OperationLeftOut).count(), 1);
    assert_eq!(out.problems.iter().count(), 3, "each is a warning with its pointer");
    assert!(out.problems.iter().all(|d| d.pointer.is_some()));
}

#[test]
fn a_spec_split_over_files_is_bundled_and_generates() {
    let root = pipeline_tests::repository_root();
    let entry = PathBuf::from("tests/fixtures/multi-file/openapi.yaml");
    let generated = codegen_tools::workspace::generate_from_pages("multi", &root, &[entry], true).unwrap();
    let api = &generated.apis[0];
    assert_eq!(api.operations(), 1);
    let schemas = &api.normalized["components"]["schemas"];
    assert_eq!(schemas["pet"]["properties"]["owner"]["$ref"], "#/components/schemas/owner");
    assert_eq!(
        schemas["owner"]["properties"]["pets"]["items"]["$ref"], "#/components/schemas/pet",
        "the cycle across files closes"
    );
    let list = &api.normalized["paths"]["/pets"]["get"];
    assert_eq!(
        list["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
        "#/components/schemas/pet"
    );
    let bundled: Vec<&codegen::report::Change> =
        api.report.changes.iter().filter(|c| c.rule == Rule::ExternalRefBundled).collect();
    assert!(bundled.len() >= 5, "{bundled:#?}");
    let from_other_file =
        bundled.iter().find(|c| c.file.as_deref().is_some_and(|f| f.ends_with("schemas/pet.yaml"))).unwrap();
    assert_eq!(from_other_file.pointer, "/properties/owner", "recorded where the $ref is written");
}

#[test]
fn a_response_without_its_required_description_gets_an_empty_one() {
    let mut document = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {
        "responses": {"200": {"content": {"application/json": {"schema": {"type": "string"}}}}}
    }}}});
    let outcome = normalize(&mut document);
    assert_eq!(document.pointer("/paths/~1x/get/responses/200/description"), Some(&json!("")));
    let change = outcome.changes.iter().find(|c| c.rule == Rule::RequiredKeywordSupplied).expect("recorded");
    assert_eq!(change.pointer, "/paths/~1x/get/responses/200/description");
}

#[test]
fn an_invalid_schema_costs_only_itself_in_a_lenient_run() {
    // serde reports the failure at the outermost `$ref`-or-schema, here the component.
    let mut document = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Tagged"}
        }}}}
    }}}, "components": {"schemas": {
        "Tagged": {"type": "object", "properties": {"tags": {"items": 7}}},
        "Plain": {"type": "string"}
    }}});
    assert!(codegen::pipeline::validate_document(&mut document.clone(), true).is_err(), "strict refuses it");
    let (changes, _) = codegen::pipeline::validate_document(&mut document, false).expect("lenient degrades it");
    let degraded: Vec<(&str, Rule)> = changes.iter().map(|c| (c.pointer.as_str(), c.rule)).collect();
    assert_eq!(degraded, [("/components/schemas/Tagged", Rule::SchemaDegraded)]);
    assert_eq!(document["components"]["schemas"]["Tagged"], json!({}), "read as any JSON value");
    assert_eq!(document["components"]["schemas"]["Plain"], json!({"type": "string"}), "the rest is untouched");
    assert!(document.pointer("/paths/~1x/get").is_some(), "the operation is kept");
}
