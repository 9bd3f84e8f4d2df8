//! Facts about the fields of generated structs, by the names typify and progenitor give them:
//! which hold a secret, and what each setter's doc comment says.
//!
//! A type's fields are the properties of a component schema (named after it), of an inline
//! request body (`<Operation>Body`) or response body (`<Operation>Response`) and of an inline
//! object inside those (`<Parent><Property>`);
//! typify's builder of a type has the same name and fields. An operation's builder (named after
//! the operation) has one field per parameter.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::OperationPlan;
use crate::model::naming::generator_name;
use crate::model::pointer;

/// Calls `visit(type, field, property)` for every property of every type a client declares.
fn for_each_property(document: &Value, operations: &[OperationPlan], visit: &mut dyn FnMut(&str, &str, &Value)) {
    let schemas = document.pointer("/components/schemas").and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        properties_of(&generator_name(name, true), schema, visit);
    }
    for operation in operations {
        let Some(found) = document.pointer(&operation.pointer) else { continue };
        let body = found.get("requestBody").map(|b| pointer::resolve(b, document));
        let media = body.and_then(|b| b.get("content")).and_then(Value::as_object).into_iter().flatten();
        for schema in media.filter_map(|(_, m)| m.get("schema")).filter(|s| s.get("$ref").is_none()) {
            properties_of(&format!("{}Body", operation.builder_name), schema, visit);
        }
        // progenitor names an inline response body `<Operation>Response`, whatever its status.
        let responses = found.get("responses").and_then(Value::as_object).into_iter().flatten();
        for (_, response) in responses {
            let response = pointer::resolve(response, document);
            let schema = response.pointer("/content/application~1json/schema").filter(|s| s.get("$ref").is_none());
            if let Some(schema) = schema {
                properties_of(&format!("{}Response", operation.builder_name), schema, visit);
            }
        }
    }
}

fn properties_of(type_name: &str, schema: &Value, visit: &mut dyn FnMut(&str, &str, &Value)) {
    for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        visit(type_name, name, property);
        if property.get("$ref").is_none() && property.get("properties").is_some() {
            properties_of(&format!("{type_name}{}", generator_name(name, true)), property, visit);
        }
    }
}

/// The fields left out of `Debug` because they hold a secret
/// ([`crate::model::secrets::is_sensitive`]): of types, and the sensitive parameters of each
/// operation's builder.
pub fn sensitive_fields(document: &Value, operations: &[OperationPlan]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for_each_property(document, operations, &mut |type_name, name, property| {
        if crate::model::secrets::is_sensitive(name, Some(property)) {
            out.entry(type_name.to_string()).or_default().insert(generator_name(name, false));
        }
    });
    for operation in operations {
        for parameter in operation.parameters.iter().filter(|p| p.sensitive) {
            out.entry(operation.builder_name.clone()).or_default().insert(parameter.rust_name.clone());
        }
    }
    out
}

/// The doc comment of each setter: the field's or parameter's description, then its limits,
/// default and example, as the documentation gives them. Fields with nothing to say are left
/// out.
pub fn setter_docs(document: &Value, operations: &[OperationPlan]) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut add = |type_name: &str, field: String, doc: String| {
        if !doc.is_empty() {
            out.entry(type_name.to_string()).or_default().insert(field, doc);
        }
    };
    for_each_property(document, operations, &mut |type_name, name, property| {
        let property = pointer::resolve(property, document);
        let description = property.get("description").and_then(Value::as_str).unwrap_or_default();
        add(type_name, generator_name(name, false), doc(description, property));
    });
    for operation in operations {
        for parameter in &operation.parameters {
            let schema = parameter.schema.as_ref().unwrap_or(&Value::Null);
            add(&operation.builder_name, parameter.rust_name.clone(), doc(&parameter.description, schema));
        }
    }
    out
}

/// `description`, then one line per documented fact of `schema`.
fn doc(description: &str, schema: &Value) -> String {
    let text = |value: &Value| match value {
        Value::String(s) => format!("`{s:?}`"),
        other => format!("`{other}`"),
    };
    let facts: Vec<String> = [
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
        ("pattern", "matches {}"),
        ("minimum", "at least {}"),
        ("maximum", "at most {}"),
        ("exclusiveMinimum", "more than {}"),
        ("exclusiveMaximum", "less than {}"),
        ("minItems", "at least {} items"),
        ("maxItems", "at most {} items"),
        ("format", "format {}"),
        ("default", "default {}"),
        ("example", "example {}"),
    ]
    .iter()
    .filter_map(|(keyword, phrase)| {
        let value = schema.get(*keyword).filter(|v| !v.is_boolean() && !v.is_null())?;
        let shown = match keyword {
            &"minLength" | &"maxLength" | &"minItems" | &"maxItems" | &"minimum" | &"maximum" | &"exclusiveMinimum"
            | &"exclusiveMaximum" => value.to_string(),
            _ => text(value),
        };
        Some(phrase.replace("{}", &shown))
    })
    .collect();
    let mut out = description.trim().to_string();
    if !facts.is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&format!("Documented: {}.", facts.join("; ")));
    }
    out
}
