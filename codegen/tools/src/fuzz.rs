//! A spec fuzzer: seeded, local damage of the kinds vendors' specs show, each applied to one spot
//! of a good spec, and the property that the pipeline still makes a client of it.
//!
//! Every kind below was met in a published spec and once cost a whole API (see issue 34 and the
//! development set). A mutant is a base spec with one kind of damage at one place drawn with the
//! seed, so a failure is reproduced from `(base, kind, seed)` alone. [`run`] puts a mutant
//! through the very function `generate` and `corpus` use (lenient), with panics caught;
//! `cargo xtask fuzz --compile` also type-checks every client (through
//! [`crate::compile_sample`]). What a mutant keeps of its operations says how local the
//! degradation was.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use codegen::model::keys::Holds;
use codegen::pipeline::{build_api, ApiInput, PageInput};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{json, Map, Value};

/// The kinds of damage, each a class of defect found in vendors' specs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Damage {
    /// A keyword of the wrong type: `maxLength: "fifty"`, `minimum: "a lot"`, `nullable: "maybe"`
    /// (and fixable ones: `"50"`, `"true"`).
    WrongTypeKeyword,
    /// `required: true` on a schema (draft 3 spelling, or meant for a body).
    BooleanRequired,
    /// A property named like an extension (`x-request-id`).
    ExtensionLikeName,
    /// Properties named like keywords or Rust words (`type`, `$ref`, `properties`, `self`).
    KeywordLikeNames,
    /// A `$ref` to a component that does not exist.
    DanglingRef,
    /// A schema that contains itself (through a property and an array).
    CyclicRef,
    /// A component whose name differs from another's only in case or punctuation, of another
    /// shape.
    CaseCollidingNames,
    /// `items` written as a list (draft 4 tuple form).
    ListItems,
    /// Enum values of another type than the schema's.
    EnumTypeContradiction,
    /// `oneOf: []`.
    EmptyOneOf,
    /// A body and a response documented under several media types.
    SeveralMediaTypes,
    /// An enum of 1,500 values, some equal as Rust names.
    HugeEnum,
    /// An object nested 40 levels deep.
    DeepNesting,
    /// Two operations whose ids differ only in case.
    DuplicateOperationId,
    /// A JSON Schema as an example: a `$ref` that is data.
    ExampleWithRef,
    /// An operation without `responses`.
    MissingResponses,
}

impl Damage {
    /// Every kind, in a fixed order.
    pub const ALL: [Damage; 16] = [
        Damage::WrongTypeKeyword,
        Damage::BooleanRequired,
        Damage::ExtensionLikeName,
        Damage::KeywordLikeNames,
        Damage::DanglingRef,
        Damage::CyclicRef,
        Damage::CaseCollidingNames,
        Damage::ListItems,
        Damage::EnumTypeContradiction,
        Damage::EmptyOneOf,
        Damage::SeveralMediaTypes,
        Damage::HugeEnum,
        Damage::DeepNesting,
        Damage::DuplicateOperationId,
        Damage::ExampleWithRef,
        Damage::MissingResponses,
    ];

    /// The kind's name, as printed and accepted by `--kind`.
    pub fn name(self) -> &'static str {
        match self {
            Damage::WrongTypeKeyword => "wrong-type-keyword",
            Damage::BooleanRequired => "boolean-required",
            Damage::ExtensionLikeName => "extension-like-name",
            Damage::KeywordLikeNames => "keyword-like-names",
            Damage::DanglingRef => "dangling-ref",
            Damage::CyclicRef => "cyclic-ref",
            Damage::CaseCollidingNames => "case-colliding-names",
            Damage::ListItems => "list-items",
            Damage::EnumTypeContradiction => "enum-type-contradiction",
            Damage::EmptyOneOf => "empty-one-of",
            Damage::SeveralMediaTypes => "several-media-types",
            Damage::HugeEnum => "huge-enum",
            Damage::DeepNesting => "deep-nesting",
            Damage::DuplicateOperationId => "duplicate-operation-id",
            Damage::ExampleWithRef => "example-with-ref",
            Damage::MissingResponses => "missing-responses",
        }
    }
}

/// One damaged spec.
#[derive(Clone, Debug)]
pub struct Mutant {
    /// The base spec's file.
    pub base: PathBuf,
    /// The damage.
    pub damage: Damage,
    /// The seed it was drawn with.
    pub seed: u64,
    /// Where the damage is (a JSON pointer).
    pub at: String,
    /// The damaged document.
    pub document: Value,
}

/// What the pipeline made of one mutant.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Outcome {
    /// The base spec's file.
    pub base: String,
    /// The damage's name.
    pub damage: &'static str,
    /// The seed.
    pub seed: u64,
    /// Where the damage is.
    pub at: String,
    /// Whether a client was generated.
    pub client: bool,
    /// Operations the base declares.
    pub operations_total: usize,
    /// Operations in the client.
    pub operations_generated: usize,
    /// The error that stopped it, or the panic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `count` mutants of `bases` (path, document), the kinds taken in turn and the bases in turn,
/// each place drawn from `seed`. A kind that finds no place in a base is tried on the next.
pub fn mutants(bases: &[(PathBuf, Value)], count: usize, seed: u64, kinds: &[Damage]) -> Vec<Mutant> {
    let mut out = Vec::new();
    if bases.is_empty() || kinds.is_empty() {
        return out;
    }
    let mut attempt = 0usize;
    while out.len() < count && attempt < count * 4 {
        let damage = kinds[out.len() % kinds.len()];
        let (base, document) = &bases[(attempt / kinds.len().max(1) + attempt) % bases.len()];
        let mutant_seed = seed.wrapping_mul(1_000_003).wrapping_add(attempt as u64);
        let mut rng = StdRng::seed_from_u64(mutant_seed);
        let mut document = document.clone();
        if let Some(at) = apply(&mut document, damage, &mut rng) {
            out.push(Mutant { base: base.clone(), damage, seed: mutant_seed, at, document });
        }
        attempt += 1;
    }
    out
}

/// Runs the pipeline (lenient, as `generate` and `corpus` do) on one mutant, panics caught, on
/// a thread with the corpus run's large stack (real and damaged schemas nest deeply).
pub fn run(mutant: &Mutant) -> Outcome {
    let owned = mutant.clone();
    let spawned = std::thread::Builder::new().stack_size(256 << 20).spawn(move || run_here(&owned));
    match spawned.map(std::thread::JoinHandle::join) {
        Ok(Ok(outcome)) => outcome,
        _ => Outcome {
            base: mutant.base.display().to_string(),
            damage: mutant.damage.name(),
            seed: mutant.seed,
            at: mutant.at.clone(),
            client: false,
            operations_total: codegen::generate::count_operations(&mutant.document),
            operations_generated: 0,
            error: Some("the pipeline's thread could not run".into()),
        },
    }
}

fn run_here(mutant: &Mutant) -> Outcome {
    let text = serde_json::to_string(&mutant.document).unwrap_or_default();
    let total = codegen::generate::count_operations(&mutant.document);
    let page = PageInput {
        id: "spec".into(),
        file: PathBuf::from(format!("{}.json", mutant.damage.name())),
        text,
        ..PageInput::default()
    };
    let input = ApiInput {
        name: "spec".into(),
        module_names: BTreeMap::new(),
        pages: vec![page],
        strict: false,
        tag_layout: Default::default(),
    };
    let built = catch_unwind(AssertUnwindSafe(|| build_api(&input)));
    let (client, generated, error) = match built {
        Ok(Ok(api)) => (true, api.operations(), None),
        Ok(Err(problems)) => {
            let first = problems.iter().find(|d| d.severity() == codegen::Severity::Error).map(ToString::to_string);
            (false, 0, first.or_else(|| Some(problems.to_string())))
        }
        Err(_) => (false, 0, Some("panicked".to_string())),
    };
    Outcome {
        base: mutant.base.display().to_string(),
        damage: mutant.damage.name(),
        seed: mutant.seed,
        at: mutant.at.clone(),
        client,
        operations_total: total,
        operations_generated: generated,
        error,
    }
}

/// Writes each mutant as `<dir>/<index>-<kind>.json`, for the compile check; returns the paths.
///
/// # Errors
/// When a file cannot be written.
pub fn write_all(mutants: &[Mutant], dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut paths = Vec::new();
    for (index, mutant) in mutants.iter().enumerate() {
        let path = dir.join(format!("{index:04}-{}.json", mutant.damage.name()));
        std::fs::write(&path, serde_json::to_string_pretty(&mutant.document).unwrap_or_default())?;
        paths.push(path);
    }
    Ok(paths)
}

// ---- the damage --------------------------------------------------------------------------

/// Applies `damage` at a place drawn with `rng`; the place's pointer, or `None` when the
/// document has no place for it.
fn apply(document: &mut Value, damage: Damage, rng: &mut StdRng) -> Option<String> {
    match damage {
        Damage::WrongTypeKeyword => {
            let at = pick(rng, &schemas(document))?;
            let choices = [
                ("maxLength", json!("fifty")),
                ("maxLength", json!("50")),
                ("minimum", json!("a lot")),
                ("nullable", json!("maybe")),
                ("nullable", json!("true")),
                ("uniqueItems", json!(3)),
                ("minItems", json!(-1)),
                ("additionalProperties", json!("no")),
            ];
            let (keyword, value) = pick(rng, &choices)?;
            object_at(document, &at)?.insert(keyword.into(), value.clone());
            Some(format!("{at}/{keyword}"))
        }
        Damage::BooleanRequired => {
            let at = pick(rng, &schemas(document))?;
            let value = if rng.random_bool(0.5) { json!(true) } else { json!("true") };
            object_at(document, &at)?.insert("required".into(), value);
            Some(format!("{at}/required"))
        }
        Damage::ExtensionLikeName => {
            let at = pick(rng, &with_properties(document))?;
            let object = object_at(document, &at)?;
            let properties = object.get_mut("properties")?.as_object_mut()?;
            let name = pick(rng, &properties.keys().cloned().collect::<Vec<_>>())?;
            let value = properties.shift_remove(&name)?;
            properties.insert(format!("x-{name}"), value);
            if let Some(Value::Array(required)) = object.get_mut("required") {
                for entry in required.iter_mut().filter(|r| r.as_str() == Some(name.as_str())) {
                    *entry = json!(format!("x-{name}"));
                }
            }
            Some(format!("{at}/properties/x-{name}"))
        }
        Damage::KeywordLikeNames => {
            let at = pick(rng, &with_properties(document))?;
            let properties = object_at(document, &at)?.get_mut("properties")?.as_object_mut()?;
            for name in ["type", "$ref", "properties", "enum", "self", "crate", "super", "Self", "x-id"] {
                properties.insert(name.into(), json!({"type": "string"}));
            }
            Some(format!("{at}/properties"))
        }
        Damage::DanglingRef => {
            let at = pick(rng, &refs(document))?;
            object_at(document, &at)?.insert("$ref".into(), json!("#/components/schemas/NotDefinedAnywhere"));
            Some(format!("{at}/$ref"))
        }
        Damage::CyclicRef => {
            let names = component_names(document);
            let name = pick(rng, &names)?;
            let at = format!("/components/schemas/{}", escape(&name));
            let reference = json!({"$ref": format!("#/components/schemas/{}", escape(&name))});
            let object = object_at(document, &at)?;
            object.entry("type").or_insert(json!("object"));
            let properties = object.entry("properties").or_insert(json!({})).as_object_mut()?;
            properties.insert("parent".into(), reference.clone());
            properties.insert("children".into(), json!({"type": "array", "items": reference}));
            Some(format!("{at}/properties/parent"))
        }
        Damage::CaseCollidingNames => {
            let at = pick(rng, &with_properties(document))?;
            let names = component_names(document);
            let base = pick(rng, &names).unwrap_or_else(|| "Thing".into());
            let variant = match rng.random_range(0..3) {
                0 => base.to_lowercase(),
                1 => format!("{base}_"),
                _ => heck::ToSnakeCase::to_snake_case(base.as_str()).replace('_', "-") + "-",
            };
            let variant = if names.contains(&variant) { format!("{variant}2") } else { variant };
            document
                .pointer_mut("/components/schemas")?
                .as_object_mut()?
                .insert(variant.clone(), json!({"type": "object", "properties": {"other": {"type": "integer"}}}));
            let properties = object_at(document, &at)?.get_mut("properties")?.as_object_mut()?;
            properties
                .insert("colliding".into(), json!({"$ref": format!("#/components/schemas/{}", escape(&variant))}));
            Some(format!("/components/schemas/{}", escape(&variant)))
        }
        Damage::ListItems => {
            let at = pick(rng, &schemas(document))?;
            let object = object_at(document, &at)?;
            let item = object.remove("items").unwrap_or(json!({"type": "string"}));
            object.insert("type".into(), json!("array"));
            object.insert("items".into(), json!([item, {"type": "integer"}]));
            Some(format!("{at}/items"))
        }
        Damage::EnumTypeContradiction => {
            let at = pick(rng, &schemas(document))?;
            let object = object_at(document, &at)?;
            let (kind, values) = if rng.random_bool(0.5) {
                ("string", json!([1, 2, "three"]))
            } else {
                ("integer", json!(["low", "high"]))
            };
            object.retain(|k, _| k == "description");
            object.insert("type".into(), json!(kind));
            object.insert("enum".into(), values);
            Some(format!("{at}/enum"))
        }
        Damage::EmptyOneOf => {
            let at = pick(rng, &property_schemas(document))?;
            *document.pointer_mut(&at)? = json!({"oneOf": []});
            Some(format!("{at}/oneOf"))
        }
        Damage::SeveralMediaTypes => {
            let at = pick(rng, &contents(document))?;
            let content = object_at(document, &at)?;
            let schema = content.values().next()?.get("schema").cloned().unwrap_or(json!({}));
            for media in ["application/xml", "text/plain", "multipart/form-data", "application/x-yaml"] {
                content.entry(media).or_insert(json!({"schema": schema}));
            }
            Some(at)
        }
        Damage::HugeEnum => {
            let at = pick(rng, &property_schemas(document))?;
            let mut values: Vec<Value> = (0..1500).map(|i| json!(format!("value-{i}"))).collect();
            values.extend(["a-b", "a_b", "A B", "", "1st", "self", "Self", "crate"].map(|v| json!(v)));
            *document.pointer_mut(&at)? = json!({"type": "string", "enum": values});
            Some(format!("{at}/enum"))
        }
        Damage::DeepNesting => {
            let at = pick(rng, &property_schemas(document))?;
            let mut nested = json!({"type": "string"});
            for level in 0..40 {
                nested = json!({"type": "object", "properties": {format!("level{level}"): nested}});
            }
            *document.pointer_mut(&at)? = nested;
            Some(at)
        }
        Damage::DuplicateOperationId => {
            let operations = operations(document);
            if operations.len() < 2 {
                return None;
            }
            let first = pick(rng, &operations)?;
            let id = document
                .pointer(&format!("{first}/operationId"))
                .and_then(Value::as_str)
                .unwrap_or("listThings")
                .to_string();
            let twisted: String =
                id.chars().enumerate().map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c }).collect();
            let other = operations.iter().find(|o| **o != first)?.clone();
            object_at(document, &other)?.insert("operationId".into(), json!(twisted));
            object_at(document, &first)?.insert("operationId".into(), json!(id));
            Some(format!("{other}/operationId"))
        }
        Damage::ExampleWithRef => {
            let at = pick(rng, &schemas(document))?;
            object_at(document, &at)?.insert("example".into(), json!({"schema": {"$ref": "#/definitions/Nowhere"}}));
            Some(format!("{at}/example"))
        }
        Damage::MissingResponses => {
            let at = pick(rng, &operations(document))?;
            object_at(document, &at)?.remove("responses");
            Some(format!("{at}/responses"))
        }
    }
}

fn pick<T: Clone>(rng: &mut StdRng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| items[rng.random_range(0..items.len())].clone())
}

fn escape(token: &str) -> String {
    codegen::model::pointer::escape(token)
}

fn object_at<'a>(document: &'a mut Value, at: &str) -> Option<&'a mut Map<String, Value>> {
    document.pointer_mut(at)?.as_object_mut()
}

fn component_names(document: &Value) -> Vec<String> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

/// Component schemas and their properties that are schemas (not refs).
fn schemas(document: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for name in component_names(document) {
        let at = format!("/components/schemas/{}", escape(&name));
        if document.pointer(&at).is_some_and(|s| s.get("$ref").is_none()) {
            out.push(at.clone());
        }
        out.extend(property_schemas_of(document, &at));
    }
    out
}

fn property_schemas_of(document: &Value, at: &str) -> Vec<String> {
    let properties = document.pointer(&format!("{at}/properties")).and_then(Value::as_object);
    properties
        .into_iter()
        .flatten()
        .filter(|(_, p)| p.is_object())
        .map(|(name, _)| format!("{at}/properties/{}", escape(name)))
        .collect()
}

fn property_schemas(document: &Value) -> Vec<String> {
    component_names(document)
        .iter()
        .flat_map(|name| property_schemas_of(document, &format!("/components/schemas/{}", escape(name))))
        .collect()
}

fn with_properties(document: &Value) -> Vec<String> {
    schemas(document)
        .into_iter()
        .filter(|at| document.pointer(&format!("{at}/properties")).is_some_and(Value::is_object))
        .collect()
}

/// Every `$ref` object under `components` and `paths` that is a reference (not literal data,
/// not inside an extension: [`Holds`] decides, as the pipeline's own walks do).
fn refs(document: &Value) -> Vec<String> {
    fn collect(value: &Value, at: &str, holds: Holds, out: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                if holds == Holds::Keywords && object.get("$ref").is_some_and(Value::is_string) {
                    out.push(at.to_string());
                }
                for (key, child) in object {
                    let inner = holds.child(key, child);
                    if inner.is_structure() {
                        collect(child, &format!("{at}/{}", escape(key)), inner, out);
                    }
                }
            }
            Value::Array(items) => {
                items.iter().enumerate().for_each(|(i, item)| collect(item, &format!("{at}/{i}"), holds, out));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for section in ["paths", "components"] {
        if let Some(value) = document.get(section) {
            collect(value, &format!("/{section}"), Holds::Keywords.child(section, value), &mut out);
        }
    }
    out
}

fn operations(document: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if codegen::model::walk::is_operation_key(method) && operation.is_object() {
                out.push(format!("/paths/{}/{method}", escape(path)));
            }
        }
    }
    out
}

/// Every request body's and response's `content` map.
fn contents(document: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for operation in operations(document) {
        let body = format!("{operation}/requestBody/content");
        if document.pointer(&body).is_some_and(|c| c.as_object().is_some_and(|c| !c.is_empty())) {
            out.push(body);
        }
        for (status, response) in
            document.pointer(&format!("{operation}/responses")).and_then(Value::as_object).into_iter().flatten()
        {
            if response.get("content").and_then(Value::as_object).is_some_and(|c| !c.is_empty()) {
                out.push(format!("{operation}/responses/{}/content", escape(status)));
            }
        }
    }
    out
}

/// Per kind: (mutants, with a client, operations declared, operations generated).
pub fn table(outcomes: &[Outcome]) -> BTreeMap<&'static str, (usize, usize, usize, usize)> {
    let mut out: BTreeMap<&'static str, (usize, usize, usize, usize)> = BTreeMap::new();
    for outcome in outcomes {
        let row = out.entry(outcome.damage).or_default();
        row.0 += 1;
        row.1 += usize::from(outcome.client);
        row.2 += outcome.operations_total;
        row.3 += outcome.operations_generated;
    }
    out
}
