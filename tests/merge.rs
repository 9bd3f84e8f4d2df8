//! Pages joined into one API (merge) and specs split over files (bundle).

use std::path::PathBuf;

use codegen::merge::{merge, PageDocument};
use codegen::report::Rule;
use pipeline_tests::{fixtures, load, yaml};
use serde_json::json;

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
fn a_spec_split_over_files_is_bundled_and_generates() {
    let root = pipeline_tests::repository_root();
    let entry = PathBuf::from("tests/fixtures/external-ref-bundled/openapi.yaml");
    let generated = codegen_tools::workspace::generate_from_pages("multi", &root, &[entry], true, None).unwrap();
    let api = &generated.apis[0];
    assert_eq!(api.operations(), 1);
    let normalized = api.normalized();
    let schemas = &normalized["components"]["schemas"];
    assert_eq!(schemas["pet"]["properties"]["owner"]["$ref"], "#/components/schemas/owner");
    assert_eq!(
        schemas["owner"]["properties"]["pets"]["items"]["$ref"], "#/components/schemas/pet",
        "the cycle across files closes"
    );
    let list = &normalized["paths"]["/pets"]["get"];
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
