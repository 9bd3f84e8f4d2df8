use super::*;

fn converted(mut document: Value) -> (Value, Vec<Change>) {
    let changes = convert(&mut document);
    (document, changes)
}

fn op(paths: Value) -> Value {
    converted(json!({ "swagger": "2.0", "paths": paths })).0
}

#[test]
fn version_and_servers() {
    let (doc, changes) = converted(
        json!({ "swagger": "2.0", "info": {}, "host": "api.example.com/", "basePath": "/v1/", "schemes": ["http", "https"] }),
    );
    assert_eq!(doc.as_object().unwrap().keys().collect::<Vec<_>>(), ["openapi", "info", "servers"]);
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(
        doc["servers"],
        json!([{ "url": "http://api.example.com/v1" }, { "url": "https://api.example.com/v1" }])
    );
    assert_eq!(changes[0].pointer, "/swagger");
    assert_eq!(changes[1].after, Some(json!(["http://api.example.com/v1", "https://api.example.com/v1"])));
    let servers = |doc: Value| converted(doc).0["servers"].clone();
    assert_eq!(servers(json!({ "swagger": "2.0", "host": "h.io" })), json!([{ "url": "https://h.io" }]));
    assert_eq!(servers(json!({ "swagger": "2.0", "basePath": "api/" })), json!([{ "url": "/api" }]));
    assert_eq!(servers(json!({ "swagger": "2.0" })), json!([{ "url": "/" }]));
}

#[test]
fn consumes_and_produces_choose_media_types() {
    let ok = json!({ "200": { "description": "ok", "schema": { "type": "string" } } });
    let (doc, changes) = converted(
        json!({ "swagger": "2.0", "consumes": ["application/xml"], "produces": ["application/xml"], "paths": { "/a": {
        "get": { "responses": ok },
        "put": { "produces": ["text/plain"], "consumes": ["application/json"], "parameters": [{ "in": "body", "name": "b", "schema": {} }], "responses": ok },
    } } }),
    );
    let (get, put) = (&doc["paths"]["/a"]["get"], &doc["paths"]["/a"]["put"]);
    assert_eq!(get["responses"]["200"]["content"], json!({ "application/xml": { "schema": { "type": "string" } } }));
    assert_eq!(put["responses"]["200"]["content"], json!({ "text/plain": { "schema": { "type": "string" } } }));
    assert_eq!(put["requestBody"]["content"], json!({ "application/json": { "schema": {} } }));
    assert!(put.get("produces").is_none() && put.get("consumes").is_none() && doc.get("produces").is_none());
    assert_eq!(changes.iter().filter(|c| c.pointer == "/paths/~1a/put" && c.before.is_some()).count(), 1);
    let doc = op(json!({ "/b": { "get": { "responses": ok } } }));
    assert_eq!(
        doc["paths"]["/b"]["get"]["responses"]["200"]["content"],
        json!({ "application/json": { "schema": { "type": "string" } } })
    );
}

#[test]
fn body_parameter_becomes_request_body() {
    let (doc, changes) = converted(
        json!({ "swagger": "2.0", "consumes": ["application/json", "multipart/form-data"], "paths": { "/p": { "post": { "parameters": [
        { "in": "query", "name": "q", "type": "string" },
        { "in": "body", "name": "pet", "description": "a pet", "required": true, "x-foo": 1, "schema": { "$ref": "#/definitions/Pet" } },
    ] } } } }),
    );
    let post = &doc["paths"]["/p"]["post"];
    assert_eq!(
        post["requestBody"],
        json!({ "description": "a pet", "required": true, "x-foo": 1,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Pet" } } } })
    );
    assert_eq!(post["parameters"], json!([{ "in": "query", "name": "q", "schema": { "type": "string" } }]));
    let change = changes.iter().find(|c| c.pointer == "/paths/~1p/post/parameters/1").unwrap();
    assert!(change.note.as_deref().unwrap().contains("\"pet\""));
}

#[test]
fn form_data_urlencoded() {
    let doc = op(json!({ "/f": { "post": { "parameters": [
        { "in": "formData", "name": "a", "type": "string", "required": true, "enum": ["x"] },
        { "in": "formData", "name": "b", "type": "array", "items": { "type": "integer" }, "collectionFormat": "multi" },
    ] } } }));
    let post = &doc["paths"]["/f"]["post"];
    assert!(post.get("parameters").is_none());
    assert_eq!(
        post["requestBody"],
        json!({ "required": true, "content": { URLENCODED: {
        "schema": { "type": "object", "required": ["a"], "properties": {
            "a": { "type": "string", "enum": ["x"] }, "b": { "type": "array", "items": { "type": "integer" } } } },
        "encoding": { "b": { "style": "form", "explode": true } } } } })
    );
}

#[test]
fn form_data_multipart_with_file() {
    let doc = op(json!({ "/u": { "post": { "parameters": [
        { "in": "formData", "name": "file", "type": "file", "description": "d" },
        { "in": "formData", "name": "note", "type": "string" },
    ] } } }));
    let content = &doc["paths"]["/u"]["post"]["requestBody"]["content"];
    assert_eq!(content.as_object().unwrap().keys().collect::<Vec<_>>(), [MULTIPART]);
    assert_eq!(
        content[MULTIPART]["schema"]["properties"]["file"],
        json!({ "type": "string", "description": "d", "format": "binary" })
    );
    let doc = op(
        json!({ "/u": { "post": { "consumes": [URLENCODED, MULTIPART], "parameters": [{ "in": "formData", "name": "n", "type": "string" }] } } }),
    );
    assert_eq!(doc["paths"]["/u"]["post"]["requestBody"]["content"].as_object().unwrap().len(), 2);
}

#[test]
fn shared_parameters_by_ref() {
    let (doc, _) = converted(json!({ "swagger": "2.0",
        "parameters": { "Pet": { "in": "body", "name": "pet", "schema": { "$ref": "#/definitions/Pet" } },
            "Limit": { "in": "query", "name": "limit", "type": "integer" }, "Up": { "in": "formData", "name": "up", "type": "file" } },
        "paths": { "/a": { "post": { "parameters": [{ "$ref": "#/parameters/Pet" }, { "$ref": "#/parameters/Limit" }] },
            "put": { "parameters": [{ "$ref": "#/parameters/Up" }] } } } }));
    let post = &doc["paths"]["/a"]["post"];
    assert_eq!(post["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Pet");
    assert_eq!(post["parameters"], json!([{ "$ref": "#/components/parameters/Limit" }]));
    assert_eq!(
        doc["paths"]["/a"]["put"]["requestBody"]["content"][MULTIPART]["schema"]["properties"]["up"]["format"],
        "binary"
    );
    assert_eq!(doc["components"]["parameters"]["Limit"]["schema"], json!({ "type": "integer" }));
    assert_eq!(
        doc["components"]["requestBodies"]["Pet"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Pet"
    );
    assert!(doc["components"]["parameters"].get("Up").is_none());
}

#[test]
fn path_level_body_applies_to_each_operation() {
    let doc = op(
        json!({ "/a": { "parameters": [{ "in": "body", "name": "b", "schema": { "type": "string" } }, { "in": "path", "name": "id", "type": "string", "required": true }],
        "put": {}, "post": { "parameters": [{ "in": "body", "name": "own", "schema": { "type": "integer" } }] } } }),
    );
    let item = &doc["paths"]["/a"];
    assert_eq!(
        item["parameters"],
        json!([{ "in": "path", "name": "id", "required": true, "schema": { "type": "string" } }])
    );
    assert_eq!(item["put"]["requestBody"]["content"]["application/json"]["schema"], json!({ "type": "string" }));
    assert_eq!(item["post"]["requestBody"]["content"]["application/json"]["schema"], json!({ "type": "integer" }));
}

#[test]
fn collection_formats() {
    let style = |location: &str, format: Option<&str>| {
        let mut param = json!({ "in": location, "name": "x", "type": "array", "items": { "type": "string" } });
        if let Some(format) = format {
            param["collectionFormat"] = json!(format);
        }
        let (doc, changes) =
            converted(json!({ "swagger": "2.0", "paths": { "/a": { "get": { "parameters": [param] } } } }));
        let param = doc["paths"]["/a"]["get"]["parameters"][0].clone();
        assert!(param.get("collectionFormat").is_none() && param["schema"]["type"] == "array");
        (param.get("style").cloned(), param.get("explode").cloned(), changes.last().unwrap().note.clone().unwrap())
    };
    assert_eq!(style("query", Some("csv")).0, Some(json!("form")));
    assert_eq!(style("query", Some("csv")).1, Some(json!(false)));
    assert_eq!(style("query", None).1, Some(json!(false)));
    assert_eq!(style("path", Some("csv")).0, Some(json!("simple")));
    assert_eq!(style("header", None).0, Some(json!("simple")));
    assert_eq!(style("query", Some("ssv")).0, Some(json!("spaceDelimited")));
    assert_eq!(style("query", Some("pipes")).0, Some(json!("pipeDelimited")));
    assert_eq!(style("query", Some("multi")).1, Some(json!(true)));
    let tsv = style("query", Some("tsv"));
    assert_eq!((tsv.0, tsv.1), (Some(json!("form")), Some(json!(false))));
    assert!(tsv.2.contains("tsv has no OpenAPI 3 style"));
    let ssv_path = style("path", Some("ssv"));
    assert_eq!(ssv_path.0, None);
    assert!(ssv_path.2.contains("no OpenAPI 3 style for a path"));
}

#[test]
fn responses_schema_examples_headers() {
    let (doc, changes) = converted(
        json!({ "swagger": "2.0", "produces": ["application/json", "text/csv"], "paths": { "/a": { "get": { "responses": {
        "200": { "description": "ok", "schema": { "type": "object" }, "examples": { "application/json": { "a": 1 } },
            "headers": { "X-Rate": { "type": "integer", "format": "int32", "description": "r" } } },
        "404": {}, "x-ext": { "schema": 1 },
        "201": { "description": "f", "schema": { "type": "file" } } } } } } }),
    );
    let responses = &doc["paths"]["/a"]["get"]["responses"];
    assert_eq!(
        responses["200"]["content"],
        json!({ "application/json": { "schema": { "type": "object" }, "example": { "a": 1 } },
        "text/csv": { "schema": { "type": "object" } } })
    );
    assert_eq!(
        responses["200"]["headers"]["X-Rate"],
        json!({ "description": "r", "schema": { "type": "integer", "format": "int32" } })
    );
    assert_eq!(responses["404"], json!({ "description": "" }));
    assert_eq!(responses["x-ext"], json!({ "schema": 1 }));
    assert_eq!(responses["201"]["content"]["text/csv"]["schema"], json!({ "type": "string", "format": "binary" }));
    assert!(changes.iter().any(|c| c.pointer == "/paths/~1a/get/responses/404/description"));
}

#[test]
fn components_and_security_schemes() {
    let oauth = |flow: &str| json!({ "type": "oauth2", "flow": flow, "authorizationUrl": "https://a", "tokenUrl": "https://t" });
    let (doc, changes) = converted(
        json!({ "swagger": "2.0", "x-top": 1, "tags": [{ "name": "t" }], "security": [{ "basic": [] }],
        "definitions": { "Pet": { "type": "object" } }, "responses": { "NotFound": { "description": "nf", "schema": { "$ref": "#/definitions/Pet" } } },
        "securityDefinitions": { "basic": { "type": "basic" }, "key": { "type": "apiKey", "name": "k", "in": "header" },
            "imp": oauth("implicit"), "pw": oauth("password"), "app": oauth("application"), "code": oauth("accessCode") } }),
    );
    let components = &doc["components"];
    assert_eq!(components["schemas"], json!({ "Pet": { "type": "object" } }));
    assert_eq!(
        components["responses"]["NotFound"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Pet"
    );
    let schemes = &components["securitySchemes"];
    assert_eq!(schemes["basic"], json!({ "type": "http", "scheme": "basic" }));
    assert_eq!(schemes["key"], json!({ "type": "apiKey", "name": "k", "in": "header" }));
    assert_eq!(schemes["imp"]["flows"], json!({ "implicit": { "authorizationUrl": "https://a", "scopes": {} } }));
    assert_eq!(schemes["pw"]["flows"], json!({ "password": { "tokenUrl": "https://t", "scopes": {} } }));
    assert_eq!(schemes["app"]["flows"], json!({ "clientCredentials": { "tokenUrl": "https://t", "scopes": {} } }));
    assert_eq!(
        schemes["code"]["flows"],
        json!({ "authorizationCode": { "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {} } })
    );
    assert!(schemes["code"].get("flow").is_none());
    assert_eq!(
        (&doc["x-top"], &doc["tags"], &doc["security"]),
        (&json!(1), &json!([{ "name": "t" }]), &json!([{ "basic": [] }]))
    );
    let moved =
        changes.iter().find(|c| c.pointer == "/definitions" && c.after == Some(json!("#/components/schemas"))).unwrap();
    assert_eq!(moved.before, Some(json!(1)));
}

#[test]
fn refs_rewritten_by_prefix() {
    let (doc, changes) = converted(json!({ "swagger": "2.0", "definitions": {
        "A": { "properties": { "b": { "$ref": "#/definitions/B" }, "c": { "$ref": "#/definitions/B/properties/id" } } },
        "B": { "properties": { "id": { "type": "string" } }, "x-keep": { "$ref": "#/definitions/A" } } } }));
    let a = &doc["components"]["schemas"]["A"]["properties"];
    assert_eq!(
        (&a["b"]["$ref"], &a["c"]["$ref"]),
        (&json!("#/components/schemas/B"), &json!("#/components/schemas/B/properties/id"))
    );
    assert_eq!(doc["components"]["schemas"]["B"]["x-keep"]["$ref"], "#/definitions/A");
    assert!(changes.iter().any(|c| c.note.as_deref() == Some("2 `$ref`s rewritten to the OpenAPI 3 location")));
}

#[test]
fn schema_keywords() {
    let (doc, _) = converted(
        json!({ "swagger": "2.0", "definitions": { "Pet": { "discriminator": "kind", "readOnly": true, "example": 1,
        "properties": { "n": { "type": "string", "x-nullable": true }, "m": { "items": { "x-nullable": false } }, "t": { "type": ["string", "null"] } } } } }),
    );
    let pet = &doc["components"]["schemas"]["Pet"];
    assert_eq!(pet["discriminator"], json!({ "propertyName": "kind" }));
    assert_eq!((&pet["readOnly"], &pet["example"]), (&json!(true), &json!(1)));
    assert_eq!(pet["properties"]["n"], json!({ "type": "string", "nullable": true }));
    assert_eq!(pet["properties"]["m"], json!({ "items": {} }));
    assert_eq!(pet["properties"]["t"], json!({ "type": ["string", "null"] }));
}

#[test]
fn other_documents_untouched() {
    let mut document =
        json!({ "openapi": "3.0.3", "paths": { "/a": { "get": { "parameters": [{ "in": "body" }] } } } });
    let before = document.clone();
    assert!(convert(&mut document).is_empty());
    assert_eq!(document, before);
    assert!(!is_swagger_2(&document));
}

#[test]
fn garbage_does_not_panic() {
    for document in [
        json!({ "swagger": "2.0", "paths": [1], "definitions": "x", "parameters": 5, "responses": null, "securityDefinitions": { "a": 3, "b": { "type": "oauth2" } },
            "consumes": "json", "schemes": 7, "host": 1 }),
        json!({ "swagger": "2.0", "paths": { "/a": 5, "/b": { "parameters": "no", "get": 7, "post": { "parameters": [3, { "$ref": "#/parameters/Missing" }, { "in": "formData" }],
            "responses": [1], "consumes": {} }, "put": { "responses": { "200": 4, "201": { "schema": 1, "examples": 2, "headers": 3 } } } } } }),
        json!({ "swagger": 2 }),
        json!("swagger"),
    ] {
        let (doc, _) = converted(document);
        assert!(doc.is_string() || doc["openapi"] == "3.0.3");
    }
    let (doc, _) = converted(
        json!({ "swagger": "2.0", "paths": { "/b": { "post": { "parameters": [3, { "$ref": "#/parameters/Missing" }] } } } }),
    );
    assert_eq!(doc["paths"]["/b"]["post"]["parameters"], json!([3, { "$ref": "#/components/parameters/Missing" }]));
}

#[test]
fn streamed_answers_keep_their_media_type() {
    // A success with no schema whose `produces` names an event stream, and a grpc-gateway stream.
    let doc = op(json!({
        "/mcp": { "get": { "produces": ["text/event-stream"], "responses": {
            "200": { "description": "events" },
            "400": { "description": "refused" },
        } } },
        "/watch": { "post": { "produces": ["application/json"], "responses": {
            "200": { "description": "(streaming responses)", "schema": { "$ref": "#/x-stream-definitions/W" } },
        } } },
    }));
    assert_eq!(doc["paths"]["/mcp"]["get"]["responses"]["200"]["content"], json!({ "text/event-stream": {} }));
    assert!(doc["paths"]["/mcp"]["get"]["responses"]["400"].get("content").is_none(), "only successes stream");
    let watch = &doc["paths"]["/watch"]["post"]["responses"]["200"]["content"];
    assert_eq!(watch.as_object().unwrap().keys().collect::<Vec<_>>(), ["application/x-ndjson"], "{watch}");
}

#[test]
fn refs_inside_an_extension_a_ref_reaches_move_with_their_sections() {
    // grpc-gateway: a stream response's schema is one of `x-stream-definitions`, whose own
    // references point into `definitions`.
    let (doc, _) = converted(json!({ "swagger": "2.0",
        "paths": { "/watch": { "post": { "responses": { "200": { "description": "a stream",
            "schema": { "$ref": "#/x-stream-definitions/WatchResponse" } } } } } },
        "definitions": { "Event": { "type": "object" } },
        "x-stream-definitions": { "WatchResponse": { "type": "object", "properties": {
            "result": { "$ref": "#/definitions/Event" } } } },
        "x-unreached": { "A": { "$ref": "#/definitions/Event" } } }));
    assert_eq!(
        doc["x-stream-definitions"]["WatchResponse"]["properties"]["result"]["$ref"],
        "#/components/schemas/Event"
    );
    assert_eq!(doc["x-unreached"]["A"]["$ref"], "#/definitions/Event", "an extension no $ref reaches is left alone");
}
