use super::*;
use crate::extract::parse_value;

const ENTRY: &str = "spec/openapi.yaml";

/// Bundles `entry` (YAML) as `spec/openapi.yaml`, reading other files from `files`.
fn run(entry: &str, files: &[(&str, &str)]) -> crate::Result<Bundled> {
    let files: HashMap<PathBuf, String> = files.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect();
    let read = move |path: &Path| files.get(path).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into());
    bundle(Path::new(ENTRY), parse_value(entry).unwrap(), &read)
}

/// No `$ref` outside `x-` extensions names a file, and every local `$ref` resolves.
fn assert_self_contained(document: &Value) {
    assert!(!has_external_refs(document));
    for reference in pointer::references(document).into_iter().filter_map(|r| r.strip_prefix('#')) {
        assert!(document.pointer(reference).is_some(), "dangling #{reference}");
    }
}

fn keys(value: &Value) -> Vec<&str> {
    value.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default()
}

const PETS: &str = "openapi: 3.0.3\npaths:\n  /pets:\n    post:\n      requestBody: {content: {application/json: {schema: {$ref: './schemas/pet.yaml'}}}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: 'schemas/./pet.yaml'}}}}}\n";

#[test]
fn a_schema_in_another_file_becomes_one_component_both_referrers_share() {
    let bundled =
        run(PETS, &[("spec/schemas/pet.yaml", "type: object\nproperties: {name: {type: string}}\n")]).unwrap();
    let doc = &bundled.document;
    assert_eq!(
        doc["components"]["schemas"],
        json!({"pet": {"type": "object", "properties": {"name": {"type": "string"}}}})
    );
    let body = "/paths/~1pets/post/requestBody/content/application~1json/schema";
    let items = "/paths/~1pets/post/responses/200/content/application~1json/schema/items";
    for at in [body, items] {
        assert_eq!(doc.pointer(at).unwrap(), &json!({"$ref": "#/components/schemas/pet"}));
    }
    let [first, second] = &bundled.changes[..] else { panic!("{:?}", bundled.changes) };
    assert_eq!((first.pointer.as_str(), first.file.as_deref()), (body, None));
    assert_eq!(
        (&second.before, &second.after),
        (&Some(json!("schemas/./pet.yaml")), &Some(json!("#/components/schemas/pet")))
    );
    assert_eq!(bundled.files, [PathBuf::from(ENTRY), PathBuf::from("spec/schemas/pet.yaml")]);
}

#[test]
fn refs_in_another_file_resolve_relative_to_that_file() {
    let files = [
        ("spec/schemas/pet.yaml", "properties: {owner: {$ref: '../common/owner.yaml'}}\n"),
        ("spec/common/owner.yaml", "type: string\n"),
    ];
    let bundled = run(PETS, &files).unwrap();
    let schemas = &bundled.document["components"]["schemas"];
    assert_eq!(schemas["pet"]["properties"]["owner"], json!({"$ref": "#/components/schemas/owner"}));
    assert_eq!(schemas["owner"], json!({"type": "string"}));
    let nested = bundled.changes.iter().find(|c| c.before == Some(json!("../common/owner.yaml"))).unwrap();
    assert_eq!((nested.file.as_deref(), nested.pointer.as_str()), (Some("spec/schemas/pet.yaml"), "/properties/owner"));
}

#[test]
fn local_refs_and_mappings_inside_another_file_name_that_file() {
    let entry = "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    Tag: {type: integer}\n    Pet: {$ref: './defs.yaml#/Pet'}\n";
    let defs = "Pet:\n  properties: {tag: {$ref: '#/Tag'}}\n  oneOf: [{type: object}]\n  discriminator: {propertyName: kind, mapping: {cat: '#/Pet/oneOf/0', dog: './dog.yaml', fish: Fish}}\nTag: {type: string}\n";
    let bundled = run(entry, &[("spec/defs.yaml", defs), ("spec/dog.yaml", "type: object\n")]).unwrap();
    let schemas = &bundled.document["components"]["schemas"];
    // The entry's own `Tag` is another schema: the file's `Tag` gets a name of its own.
    assert_eq!(keys(schemas), ["Tag", "Pet", "Tag2", "dog"]);
    assert_eq!(schemas["Pet"]["properties"]["tag"], json!({"$ref": "#/components/schemas/Tag2"}));
    assert_eq!((&schemas["Tag"]["type"], &schemas["Tag2"]["type"]), (&json!("integer"), &json!("string")));
    let mapping = json!({"cat": "#/components/schemas/Pet/oneOf/0", "dog": "#/components/schemas/dog", "fish": "Fish"});
    assert_eq!(schemas["Pet"]["discriminator"]["mapping"], mapping);
    assert_self_contained(&bundled.document);
}

#[test]
fn a_cycle_across_two_files_ends_with_both_as_components() {
    let entry = "openapi: 3.0.3\npaths:\n  /a: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {$ref: './a.yaml'}}}}}}}\n";
    let files = [
        ("spec/a.yaml", "properties: {b: {$ref: './b.yaml'}}\n"),
        ("spec/b.yaml", "properties: {a: {$ref: 'a.yaml'}}\n"),
    ];
    let bundled = run(entry, &files).unwrap();
    let schemas = &bundled.document["components"]["schemas"];
    assert_eq!(keys(schemas), ["a", "b"]);
    assert_eq!(schemas["a"]["properties"]["b"], json!({"$ref": "#/components/schemas/b"}));
    assert_eq!(schemas["b"]["properties"]["a"], json!({"$ref": "#/components/schemas/a"}));
}

#[test]
fn a_schemas_section_that_is_a_ref_to_an_index_of_refs() {
    let entry = "openapi: 3.1.0\npaths:\n  /pets: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {$ref: './schemas/Pet.yaml'}}}}}}}\ncomponents:\n  schemas: {$ref: './schemas/_index.yaml'}\n";
    let index = "Pet: {$ref: './Pet.yaml'}\nOwner: {$ref: './Owner.yaml'}\n";
    let files = [
        ("spec/schemas/_index.yaml", index),
        ("spec/schemas/Pet.yaml", "properties: {owner: {$ref: './Owner.yaml'}}\n"),
        ("spec/schemas/Owner.yaml", "type: string\n"),
    ];
    let bundled = run(entry, &files).unwrap();
    let doc = &bundled.document;
    assert_eq!(
        doc["components"]["schemas"],
        json!({"Pet": {"properties": {"owner": {"$ref": "#/components/schemas/Owner"}}}, "Owner": {"type": "string"}})
    );
    let schema = doc.pointer("/paths/~1pets/get/responses/200/content/application~1json/schema").unwrap();
    assert_eq!(schema, &json!({"$ref": "#/components/schemas/Pet"}));
    let homed: Vec<&str> = bundled
        .changes
        .iter()
        .filter(|c| c.note.as_deref() == Some("the component is the target"))
        .map(|c| c.pointer.as_str())
        .collect();
    assert_eq!(homed, ["/Pet", "/Owner"]);
}

#[test]
fn a_path_item_and_its_parameters_are_inlined() {
    let entry = "openapi: 3.0.3\npaths:\n  /pets: {$ref: './paths/pets.yaml'}\n";
    let item = "get:\n  parameters:\n    - $ref: '../params.yaml#/limit'\n    - {$ref: '../params.yaml#/limit', description: mine}\n  responses: {'200': {description: ok}}\n";
    let params = "limit: {name: limit, in: query, schema: {type: integer}}\n";
    let bundled = run(entry, &[("spec/paths/pets.yaml", item), ("spec/params.yaml", params)]).unwrap();
    let get = &bundled.document["paths"]["/pets"]["get"];
    assert_eq!(get["parameters"][0], json!({"name": "limit", "in": "query", "schema": {"type": "integer"}}));
    // A sibling of `$ref` is kept over the target's keys.
    assert_eq!(
        (&get["parameters"][1]["description"], &get["parameters"][1]["name"]),
        (&json!("mine"), &json!("limit"))
    );
    assert!(bundled.document.get("components").is_none());
    // Inner refs are recorded first, each where it is written.
    let at: Vec<(Option<&str>, &str)> =
        bundled.changes.iter().map(|c| (c.file.as_deref(), c.pointer.as_str())).collect();
    let item = Some("spec/paths/pets.yaml");
    assert_eq!(at, [(item, "/get/parameters/0"), (item, "/get/parameters/1"), (None, "/paths/~1pets")]);
    assert!(bundled.changes.iter().all(|c| c.after.is_none() && c.note.as_deref() == Some("inlined")));
}

#[test]
fn a_ref_leaving_the_folder_and_a_url_are_errors_all_collected() {
    let entry =
        "openapi: 3.0.3\npaths:\n  /a: {$ref: '../outside.yaml'}\n  /b: {$ref: 'https://example.com/b.yaml#/b'}\n";
    let errors = run(entry, &[("outside.yaml", "get: {}\n")]).unwrap_err();
    let [escaping, url] = &errors.iter().collect::<Vec<_>>()[..] else { panic!("{errors}") };
    assert!(
        escaping.message.contains("`$ref: ../outside.yaml` leaves the folder references may read (`spec`)"),
        "{}",
        escaping.message
    );
    assert_eq!((escaping.file.as_deref(), escaping.pointer.as_deref()), (Some(Path::new(ENTRY)), Some("/paths/~1a")));
    assert!(escaping.help.as_deref().unwrap().contains("copy the file under that folder"));
    assert!(url.message.contains("`$ref: https://example.com/b.yaml#/b` is a URL"), "{}", url.message);
}

#[test]
fn a_missing_file_is_an_error_naming_it_and_the_ref() {
    let entry = "openapi: 3.0.3\npaths:\n  /a: {$ref: './paths/a.yaml'}\n  /b: {$ref: './paths/a.yaml'}\n";
    let errors = run(entry, &[]).unwrap_err();
    let [missing] = &errors.iter().collect::<Vec<_>>()[..] else { panic!("reported once: {errors}") };
    assert_eq!(
        (missing.file.as_deref(), missing.pointer.as_deref()),
        (Some(Path::new(ENTRY)), Some("/paths/~1a")),
        "where the $ref is written"
    );
    assert!(missing.message.starts_with("cannot read `spec/paths/a.yaml`"), "{}", missing.message);
}

#[test]
fn swagger_2_uses_definitions_and_a_slash_before_the_fragment_is_tolerated() {
    let entry = "swagger: '2.0'\npaths:\n  /a: {get: {responses: {'404': {$ref: './shared.yml/#/responses/notFound'}}}}\ndefinitions:\n  Pet: {$ref: 'shared.yml#/definitions/Pet'}\n";
    let shared = "responses:\n  notFound: {description: gone, schema: {$ref: '#/definitions/apiError'}}\ndefinitions:\n  apiError: {type: object}\n  Pet: {type: string}\n";
    let doc = run(entry, &[("spec/shared.yml", shared)]).unwrap().document;
    assert_eq!(
        doc["paths"]["/a"]["get"]["responses"]["404"],
        json!({"description": "gone", "schema": {"$ref": "#/definitions/apiError"}})
    );
    // The entry's `Pet` is the file's `Pet`; the response's schema is a new definition.
    assert_eq!(doc["definitions"], json!({"Pet": {"type": "string"}, "apiError": {"type": "object"}}));
    assert!(doc.get("components").is_none());
}

#[test]
fn a_document_without_external_refs_is_returned_unchanged() {
    let entry = "openapi: 3.0.3\npaths:\n  /a: {get: {responses: {'200': {$ref: '#/components/responses/Ok'}}}}\ncomponents:\n  responses:\n    Ok: {description: ok}\n";
    let bundled = run(entry, &[]).unwrap();
    assert_eq!(bundled.document, parse_value(entry).unwrap());
    assert!(bundled.changes.is_empty());
    assert_eq!(bundled.files, [PathBuf::from(ENTRY)]);
}

#[test]
fn refs_in_extensions_are_left_alone_but_properties_and_headers_named_x_are_not() {
    let entry = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      x-code-samples: [{lang: ts, source: {$ref: './snippets/a.ts'}}]\n      responses:\n        '200':\n          description: ok\n          headers: {x-rate-limit: {$ref: './headers.yaml#/limit'}}\n          content: {application/json: {schema: {properties: {x-id: {$ref: './id.yaml'}}}}}\n";
    let files = [("spec/id.yaml", "type: string\n"), ("spec/headers.yaml", "limit: {schema: {type: integer}}\n")];
    let bundled = run(entry, &files).unwrap();
    let get = &bundled.document["paths"]["/a"]["get"];
    assert_eq!(get["x-code-samples"][0]["source"], json!({"$ref": "./snippets/a.ts"}));
    assert_eq!(get["responses"]["200"]["headers"]["x-rate-limit"], json!({"schema": {"type": "integer"}}));
    let property = &get["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["x-id"];
    assert_eq!(property, &json!({"$ref": "#/components/schemas/id"}));
    assert_self_contained(&bundled.document);
    assert!(!bundled.files.iter().any(|f| f.ends_with("a.ts")));
}

#[test]
fn colliding_names_get_a_suffix_and_the_output_is_deterministic() {
    let entry = "openapi: 3.0.3\npaths:\n  /a: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {allOf: [{$ref: './a/Pet.yaml'}, {$ref: './b/Pet.yaml'}, {$ref: './a/Pet.yaml'}]}}}}}}}\n";
    let files = [("spec/a/Pet.yaml", "type: string\n"), ("spec/b/Pet.yaml", "type: integer\n")];
    let first = run(entry, &files).unwrap();
    assert_eq!(
        first.document["components"]["schemas"],
        json!({"Pet": {"type": "string"}, "Pet2": {"type": "integer"}})
    );
    let all_of = first.document.pointer("/paths/~1a/get/responses/200/content/application~1json/schema/allOf").unwrap();
    let refs: Vec<&str> = all_of.as_array().unwrap().iter().map(|s| s["$ref"].as_str().unwrap()).collect();
    assert_eq!(refs, ["#/components/schemas/Pet", "#/components/schemas/Pet2", "#/components/schemas/Pet"]);
    let second = run(entry, &files).unwrap();
    assert_eq!(serde_json::to_string(&first.document).unwrap(), serde_json::to_string(&second.document).unwrap());
}

#[test]
fn a_cycle_of_callbacks_becomes_a_component() {
    let entry = "openapi: 3.0.3\npaths:\n  /a: {post: {callbacks: {done: {$ref: './cb.yaml#/Cb'}}, responses: {'200': {description: ok}}}}\n";
    let cb = "Cb:\n  '{$request.body#/url}': {post: {callbacks: {again: {$ref: '#/Cb'}}, responses: {'200': {description: ok}}}}\n";
    let doc = run(entry, &[("spec/cb.yaml", cb)]).unwrap().document;
    assert_eq!(doc["paths"]["/a"]["post"]["callbacks"]["done"], json!({"$ref": "#/components/callbacks/Cb"}));
    let again = &doc["components"]["callbacks"]["Cb"]["{$request.body#/url}"]["post"]["callbacks"]["again"];
    assert_eq!(again, &json!({"$ref": "#/components/callbacks/Cb"}));
}

#[test]
fn odd_refs_are_errors_never_panics() {
    let entry = "openapi: 3.0.3\ncomponents: [1]\npaths:\n  /a: {$ref: ''}\n  /b: {$ref: './'}\n  /c: {$ref: 'a.yaml#x'}\n  /d: {$ref: '%ZZ.yaml'}\n  /e: {$ref: 5, get: {$ref: 'C:/x.yaml'}}\n  /f: {$ref: bad.yaml}\n  /g: {$ref: 'a.yaml#/no'}\n";
    let errors = run(entry, &[("spec/a.yaml", "{}"), ("spec/bad.yaml", "a: [")]).unwrap_err();
    let pointers: Vec<&str> = errors.iter().filter_map(|d| d.pointer.as_deref()).collect();
    assert_eq!(pointers, ["/paths/~1b", "/paths/~1c", "/paths/~1d", "/paths/~1e/get", "/paths/~1g"], "{errors}");
    let unparsable = errors.iter().find(|d| d.file.as_deref() == Some(Path::new("spec/bad.yaml"))).unwrap();
    assert!(unparsable.line.is_some(), "a parse error is in its file, at its line: {unparsable}");
    assert!(
        unparsable.message.contains("named by `$ref: bad.yaml` at /paths/~1f in spec/openapi.yaml"),
        "{unparsable}"
    );
}

/// The multi-file specs of the corpus (`BUNDLE_CORPUS`, default `/work/shared/corpus-modern`):
/// `cargo test -p codegen --lib bundle -- --ignored --nocapture`.
#[test]
#[ignore = "reads real multi-file specs from disk"]
fn bundles_the_real_multi_file_specs() {
    let corpus = std::env::var("BUNDLE_CORPUS").unwrap_or_else(|_| "/work/shared/corpus-modern".into());
    let schemas = |d: &Value| {
        ["/components/schemas", "/definitions"].iter().filter_map(|p| Some(keys(d.pointer(p)?).len())).sum::<usize>()
    };
    for spec in [
        "lago/src/openapi.yaml",
        "unkey/svc/api/openapi/openapi-split.yaml",
        "lob/lob-api-public.yml",
        "openziti/source/management.yml",
        "cohere/cohere-openapi.yaml",
    ] {
        let path = Path::new(&corpus).join(spec);
        let document = parse_value(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let (before, start) = (schemas(&document), std::time::Instant::now());
        let bundled =
            bundle(&path, document, &|p: &Path| std::fs::read_to_string(p)).unwrap_or_else(|e| panic!("{spec}: {e}"));
        let elapsed = start.elapsed();
        assert_self_contained(&bundled.document);
        let (files, changes, after) = (bundled.files.len(), bundled.changes.len(), schemas(&bundled.document));
        eprintln!(
            "{spec}: {files} files read, {changes} refs resolved, schema components {before} -> {after}, {elapsed:?}"
        );
        assert!(elapsed < std::time::Duration::from_secs(1), "{spec} took {elapsed:?}");
    }
}

/// [`run`] with `options`: references may reach `root`, and `lenient` keeps what cannot be read.
fn run_with(entry: &str, files: &[(&str, &str)], root: Option<&str>, lenient: bool) -> crate::Result<Bundled> {
    let files: HashMap<PathBuf, String> = files.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect();
    let read = move |path: &Path| files.get(path).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into());
    let root = root.map(Path::new);
    bundle_with(Path::new(ENTRY), parse_value(entry).unwrap(), &Options { read: &read, root, lenient })
}

#[test]
fn a_ref_may_reach_a_sibling_folder_under_the_root() {
    let entry =
        "openapi: 3.0.3\ncomponents:\n  securitySchemes:\n    appId: {$ref: '../common/securitySchemes.yml#/appId'}\n";
    let files = [("common/securitySchemes.yml", "appId: {type: apiKey, in: header, name: X-App-Id}\n")];
    assert!(run(entry, &files).is_err(), "the entry's folder is the default root");
    let bundled = run_with(entry, &files, Some(""), false).unwrap();
    assert_eq!(bundled.document["components"]["securitySchemes"]["appId"]["name"], json!("X-App-Id"));
}

#[test]
fn refs_in_examples_are_data_unless_the_whole_value_is_a_file() {
    let entry = "openapi: 3.0.3\ncomponents:\n  schemas:\n    Shape: {type: object, example: {$ref: 'https://json-schema.org/x#y'}}\n  examples:\n    Error: {value: {$ref: 'examples/error.json'}}\n    Broken: {value: {$ref: 'examples/broken.json'}}\n";
    let files = [("spec/examples/error.json", "{\"code\": 400}"), ("spec/examples/broken.json", "{\"code\": 400,}")];
    let bundled = run(entry, &files).unwrap();
    let components = &bundled.document["components"];
    assert_eq!(components["schemas"]["Shape"]["example"], json!({"$ref": "https://json-schema.org/x#y"}));
    assert_eq!(components["examples"]["Error"]["value"], json!({"code": 400}));
    assert_eq!(components["examples"]["Broken"]["value"], json!({"$ref": "examples/broken.json"}), "kept as written");
}

#[test]
fn a_text_file_is_its_text_and_an_unreadable_ref_is_a_warning_in_a_lenient_run() {
    let entry = "openapi: 3.0.3\ninfo: {title: t, version: '1', description: {$ref: 'description.md'}}\npaths:\n  /a: {$ref: 'paths/missing.yaml'}\n";
    let markdown = "Welcome\n- to: the API\n";
    let files = [("spec/description.md", markdown)];
    assert!(run(entry, &files).is_err(), "a missing file is an error in a strict run");
    let bundled = run_with(entry, &files, None, true).unwrap();
    assert_eq!(bundled.document["info"]["description"], json!(markdown));
    assert_eq!(bundled.document["paths"]["/a"], json!({"$ref": "paths/missing.yaml"}), "left for the normalizer");
    let [warning] = &bundled.warnings.iter().collect::<Vec<_>>()[..] else { panic!("{}", bundled.warnings) };
    assert_eq!(warning.kind, diagnostics::Kind::ReferenceNotBundled);
    assert_eq!(warning.pointer.as_deref(), Some("/paths/~1a"));
}
