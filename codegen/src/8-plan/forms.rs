//! The parts of a `multipart/form-data` body, from its schema (which lowering replaced by
//! bytes and kept in `x-codegen-form`), so the client can offer a typed form: one setter per
//! part, required parts enforced and text limits checked before anything is sent, files
//! streamed.

use serde_json::Value;

use crate::model::naming::generator_name;
use crate::model::pointer;

/// A typed form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPlan {
    /// Its parts, in the schema's order.
    pub parts: Vec<FormPart>,
}

/// One part of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPart {
    /// The part's name on the wire.
    pub name: String,
    /// Its setter's name.
    pub setter: String,
    /// Whether the schema requires it.
    pub required: bool,
    /// What it holds.
    pub kind: PartKind,
    /// Whether it may be given several times (an array of files or values).
    pub repeated: bool,
    /// Text limits, in characters.
    pub min_length: Option<u64>,
    /// Text limits, in characters.
    pub max_length: Option<u64>,
    /// Its description, possibly empty.
    pub description: String,
}

/// What a part holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartKind {
    /// A file: `format: binary` or `base64`, or a `contentMediaType`.
    File,
    /// Text: a string, number or boolean, sent as its text.
    Text,
    /// An object (or an array of them), sent as a JSON part.
    Json,
}

/// The form of `operation`'s body, when it is `multipart/form-data` with properties.
pub fn form(operation: &Value, document: &Value) -> Option<FormPlan> {
    let body = pointer::resolve(operation.get("requestBody")?, document);
    form_of(body.get(crate::lower::bodies::FORM_SCHEMA)?, document)
}

/// The form documented beside a JSON body, when it has one ([`crate::lower::bodies::FORM_ALTERNATIVE`]).
pub fn alternative(operation: &Value, document: &Value) -> Option<FormPlan> {
    let body = pointer::resolve(operation.get("requestBody")?, document);
    form_of(body.get(crate::lower::bodies::FORM_ALTERNATIVE)?, document)
}

/// The form whose schema is `schema`, when it has parts.
fn form_of(schema: &Value, document: &Value) -> Option<FormPlan> {
    let schema = pointer::resolve(schema, document);
    let mut shape = Shape::default();
    shape.gather(schema, document, 0);
    let required = shape.required;
    let mut setters: Vec<String> = Vec::new();
    let parts: Vec<FormPart> = shape
        .properties
        .into_iter()
        .map(|(name, property)| {
            let property = pointer::resolve(property, document);
            let repeated = property.get("type").and_then(Value::as_str) == Some("array");
            let item = if repeated {
                property.get("items").map_or(&Value::Null, |i| pointer::resolve(i, document))
            } else {
                property
            };
            let kind = if is_file(item) {
                PartKind::File
            } else if matches!(item.get("type").and_then(Value::as_str), Some("object") | Some("array"))
                || item.get("properties").is_some()
            {
                PartKind::Json
            } else {
                PartKind::Text
            };
            let mut setter = generator_name(&name, false);
            while setters.contains(&setter) || ["new", "finish"].contains(&setter.as_str()) {
                setter.push('_');
            }
            setters.push(setter.clone());
            FormPart {
                required: required.contains(&name),
                name,
                setter,
                kind,
                repeated,
                min_length: item.get("minLength").and_then(Value::as_u64),
                max_length: item.get("maxLength").and_then(Value::as_u64),
                description: property.get("description").and_then(Value::as_str).unwrap_or_default().to_string(),
            }
        })
        .collect();
    (!parts.is_empty()).then_some(FormPlan { parts })
}

/// The schema of each part of a form whose schema is `schema`, by name, in the form's order.
pub fn part_schemas<'a>(schema: &'a Value, document: &'a Value) -> Vec<(String, &'a Value)> {
    let mut shape = Shape::default();
    shape.gather(schema, document, 0);
    shape.properties
}

/// A form schema's properties and required names, its `allOf` parts merged in (a form is often
/// a shared base and the operation's own fields).
#[derive(Default)]
struct Shape<'a> {
    properties: Vec<(String, &'a Value)>,
    required: Vec<String>,
}

impl<'a> Shape<'a> {
    fn gather(&mut self, schema: &'a Value, document: &'a Value, depth: usize) {
        if depth > 16 {
            return;
        }
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.gather(pointer::resolve(part, document), document, depth + 1);
        }
        for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            if !self.properties.iter().any(|(known, _)| known == name) {
                self.properties.push((name.clone(), property));
            }
        }
        for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !self.required.iter().any(|known| known == name) {
                self.required.push(name.to_string());
            }
        }
    }
}

fn is_file(schema: &Value) -> bool {
    let format = schema.get("format").and_then(Value::as_str);
    matches!(format, Some("binary") | Some("base64") | Some("byte"))
        && schema.get("type").and_then(Value::as_str) != Some("object")
        || schema.get("contentMediaType").is_some()
}
