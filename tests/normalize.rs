//! Each normalization rule (and the validator's lenient mode), pinned down on its own fixture.
//!
//! Every fixture under `fixtures/normalize` is snapshotted; the named tests below also assert the
//! values each rule must produce, so a snapshot accepted by mistake still cannot hide a broken rule.

use codegen::normalize::normalize;
use codegen::report::{Change, Rule};
use pipeline_tests::{fixtures, load, rules_of, yaml};
use serde_json::{json, Value};

fn normalized(name: &str) -> (Value, Vec<Change>, Vec<String>) {
    let mut document = load(&fixtures().join("normalize").join(name));
    let out = normalize(&mut document);
    let problems = out.problems.iter().map(ToString::to_string).collect();
    (document, out.changes, problems)
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

#[test]
fn openapi_31_documents_are_converted_to_30() {
    let (doc, changes, problems) = normalized("openapi-31-converted.yaml");
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
    let (doc, changes, problems) = normalized("swagger-2-converted.yaml");
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
    assert_eq!(pet["named"], json!({"required": ["name"], "allOf": [{"$ref": "#/components/schemas/Owner"}]}));
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::RefSiblingsKept).count(), 4);
}

#[test]
fn members_that_are_only_nullable_make_the_schema_nullable() {
    let (doc, changes, problems) = normalized("null-member-as-nullable.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    let point = &doc["components"]["schemas"]["Point"]["properties"];
    assert_eq!(
        point["shard_key"],
        json!({"description": "Shard key", "allOf": [{"$ref": "#/components/schemas/ShardKey"}], "nullable": true})
    );
    assert_eq!(point["vector"]["oneOf"].as_array().map(Vec::len), Some(2));
    assert_eq!(point["vector"]["nullable"], true);
    assert!(point["order"].get("nullable").is_none(), "a typed member is kept: {}", point["order"]);
    assert_eq!(changes.iter().filter(|c| c.rule == Rule::NullMemberAsNullable).count(), 2);
    // The generated field is an optional reference, not a struct of flattened optional variants.
    let lowered = codegen::lower::lower(&doc, &Default::default());
    let source = codegen::generate::generate(&lowered.groups[0]).unwrap().source;
    let compact = source.replace(char::is_whitespace, "");
    assert!(compact.contains("pubshard_key:::std::option::Option<ShardKey>"), "{source}");
    assert!(!source.contains("subtype_0"), "no flattened alternatives");
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
fn a_dangling_reference_costs_only_what_reaches_it_in_a_lenient_run() {
    let mut document = load(&fixtures().join("lenient/dangling-ref-degraded.yaml"));
    let strict = normalize(&mut document.clone());
    assert_eq!(
        strict.problems.iter().filter(|d| d.severity() == codegen::Severity::Error).count(),
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
fn a_response_without_its_required_description_gets_an_empty_one() {
    let (document, changes, _) = normalized("required-keyword-supplied.yaml");
    assert_eq!(document.pointer("/paths/~1things/delete/responses/204/description"), Some(&json!("")));
    let supplied: Vec<&str> =
        changes.iter().filter(|c| c.rule == Rule::RequiredKeywordSupplied).map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        supplied,
        ["/paths/~1things/delete/responses/204/description", "/paths/~1things/delete/responses/404/description"]
    );
}

#[test]
fn an_invalid_schema_costs_only_itself_in_a_lenient_run() {
    // serde reports the failure at the outermost `$ref`-or-schema, here the component.
    let mut document = load(&fixtures().join("lenient/schema-degraded.yaml"));
    assert!(codegen::pipeline::validate_document(&mut document.clone(), true).is_err(), "strict refuses it");
    let (changes, _) = codegen::pipeline::validate_document(&mut document, false).expect("lenient degrades it");
    let degraded: Vec<(&str, Rule)> = changes.iter().map(|c| (c.pointer.as_str(), c.rule)).collect();
    assert_eq!(degraded, [("/components/schemas/Tagged", Rule::SchemaDegraded)]);
    assert_eq!(document["components"]["schemas"]["Tagged"], json!({}), "read as any JSON value");
    assert_eq!(document["components"]["schemas"]["Plain"], json!({"type": "string"}), "the rest is untouched");
    assert!(document.pointer("/paths/~1x/get").is_some(), "the operation is kept");
}

#[test]
fn required_names_in_another_case_are_matched_to_their_property() {
    let (document, changes, _) = normalized("required-name-matched.yaml");
    let required = &document["components"]["schemas"]["App"]["required"];
    assert_eq!(required, &json!(["authorize_url", "client_id", "missing"]), "a name spelling no property stays");
    assert_eq!(rules_of(&changes), [Rule::RequiredNameMatched, Rule::RequiredNameMatched]);
}

#[test]
fn a_type_no_alternative_can_have_yields_to_the_alternatives() {
    let (doc, changes, problems) = normalized("type-contradicting-alternatives-dropped.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    let properties = &doc["components"]["schemas"]["User"]["properties"];
    let item = &properties["subscriptions"]["items"];
    assert_eq!(item.get("type"), None);
    assert_eq!(item.get("items"), None, "the array's own keyword goes with its type");
    assert_eq!(item["anyOf"][0]["type"], json!("object"));
    assert_eq!(properties["subscriptions"]["type"], json!("array"), "the list itself stays");
    assert_eq!(properties["rating"]["type"], json!("number"));
    assert_eq!(properties["owner"]["type"], json!("string"));
    assert_eq!(rules_of(&changes), vec![Rule::TypeContradictingAlternativesDropped]);
    assert_eq!(changes[0].pointer, "/components/schemas/User/properties/subscriptions/items");
    assert_eq!(changes[0].before, Some(json!({"type": "array", "items": {}})));
}

#[test]
fn a_format_no_allowed_value_can_have_is_dropped() {
    let (doc, changes, problems) = normalized("contradicted-format-dropped.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    let properties = &doc["components"]["schemas"]["Conversation"]["properties"];
    assert_eq!(properties["contact_id"], json!({"type": "string", "minLength": 24, "maxLength": 24}));
    assert_eq!(properties["send_at"], json!({"type": "string", "enum": ["now"]}));
    assert_eq!(properties["id"]["format"], json!("uuid"));
    assert_eq!(properties["day"]["format"], json!("date"));
    assert_eq!(rules_of(&changes), vec![Rule::ContradictedFormatDropped; 2]);
    assert_eq!(changes[0].pointer, "/components/schemas/Conversation/properties/contact_id/format");
}

#[test]
fn a_spec_never_seen_loses_only_the_keyword_no_rule_can_read() {
    let mut document = load(&fixtures().join("lenient/keywords-and-names.yaml"));
    let strict = normalize(&mut document.clone());
    let errors: Vec<&str> =
        strict.problems.iter().filter(|d| d.severity() == codegen::Severity::Error).map(|d| d.kind.code()).collect();
    assert_eq!(errors, ["invalid-required"], "{}", strict.problems);
    let out = codegen::normalize::normalize_leniently(&mut document);
    assert!(!out.problems.has_errors(), "{}", out.problems);
    let event = &document["components"]["schemas"]["Event"];
    assert_eq!(event.get("required"), None, "the boolean `required` is dropped");
    assert_eq!(
        event["properties"]["x-request-id"],
        json!({"$ref": "#/components/schemas/Id"}),
        "a property named x-... is walked like any other"
    );
    assert_eq!(event["properties"]["count"], json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}));
    assert_eq!(document["info"]["version"], json!(""));
    let example = document.pointer("/paths/~1events/post/responses/200/content/application~1json/example");
    assert_eq!(example, Some(&json!({"schema": {"$ref": "#/definitions/NotADefinition"}})), "examples are data");
    let dropped: Vec<&str> =
        out.changes.iter().filter(|c| c.rule == Rule::UnreadableKeywordDropped).map(|c| c.pointer.as_str()).collect();
    assert_eq!(dropped, ["/components/schemas/Event/required"]);
    let warning = out.problems.iter().find(|d| d.kind.code() == "unreadable-keyword-dropped").expect("a warning");
    assert_eq!(warning.pointer.as_deref(), Some("/components/schemas/Event/required"));
}

/// A one-page API is validated beside lowering ([`codegen::pipeline::build_api`]); the report
/// and the normalized spec must read as when validation came first: an invalid part degraded
/// once, with its file, and a valid document left as it was.
#[test]
fn validation_beside_lowering_reports_as_validation_first_does() {
    use codegen::pipeline::{build_api, ApiInput, PageInput};
    let path = fixtures().join("lenient/schema-degraded.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let build = |text: &str| {
        let page = PageInput { id: "page".into(), file: "api.yaml".into(), text: text.into(), ..Default::default() };
        let input = ApiInput {
            name: "api".into(),
            module_names: Default::default(),
            pages: vec![page],
            strict: false,
            tag_layout: Default::default(),
        };
        build_api(&input).expect("a lenient run degrades what is invalid")
    };
    let validated = |api: &codegen::pipeline::BuiltApi| -> Vec<(String, Rule, Option<String>)> {
        api.report
            .changes
            .iter()
            .filter(|c| matches!(c.stage, codegen::report::Stage::Validate))
            .map(|c| (c.pointer.clone(), c.rule, c.file.clone()))
            .collect()
    };

    let invalid = build(&text);
    assert_eq!(
        validated(&invalid),
        [("/components/schemas/Tagged".to_string(), Rule::SchemaDegraded, Some("api.yaml".to_string()))]
    );
    assert_eq!(invalid.normalized()["components"]["schemas"]["Tagged"], json!({}));
    assert_eq!(invalid.warnings.iter().count(), 1, "{}", invalid.warnings);

    let valid = build(&text.replace("items: 7", "items: {type: string}"));
    assert_eq!(validated(&valid), []);
    assert_eq!(
        valid.normalized()["components"]["schemas"]["Tagged"]["properties"]["tags"]["items"],
        json!({"type": "string"})
    );
    assert!(valid.warnings.is_empty(), "{}", valid.warnings);
}
