//! A valid value for a schema: the documented example when there is one, otherwise one built
//! from the schema within its constraints (formats, patterns, lengths, bounds, required
//! properties), the same on every run for the same seed.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{json, Map, Value};

use codegen::model::pointer;

/// How deep a schema is followed before a value stops growing (recursive schemas).
const MAX_DEPTH: usize = 8;

/// Builds values for the schemas of one document.
pub struct Sampler<'a> {
    document: &'a Value,
    rng: StdRng,
    /// Whether documented values (`example`, `default`, ...) are taken where they fit.
    documented: bool,
}

impl<'a> Sampler<'a> {
    /// A sampler resolving references in `document`, seeded for reproducible patterns.
    pub fn new(document: &'a Value, seed: u64) -> Self {
        Self { document, rng: StdRng::seed_from_u64(seed), documented: true }
    }

    /// A value valid for `schema`.
    pub fn value(&mut self, schema: &Value) -> Value {
        self.at_depth(schema, 0)
    }

    /// A value valid for `schema` built from its constraints alone, no documented value taken
    /// (only `const` and `enum`, which are constraints): the fallback when a documented value
    /// the schema check lets through is refused by the client's type (an id documented as
    /// `536e564f316c83104c000020` in a `format: uuid` field, a format the check does not read).
    pub fn plain_value(&mut self, schema: &Value) -> Value {
        self.documented = false;
        let value = self.at_depth(schema, 0);
        self.documented = true;
        value
    }

    fn at_depth(&mut self, schema: &Value, depth: usize) -> Value {
        let schema = pointer::resolve(schema, self.document);
        let Some(object) = schema.as_object() else { return json!("sample") };
        // A documented value its own schema refuses (a default outside the enum) is not sent.
        if let Some(value) = chosen_value(object, self.documented).filter(|v| self.agrees(v, schema)) {
            return value;
        }
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if object.contains_key("allOf") {
            return self.all_of(object, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) =
                object.get(key).and_then(Value::as_array).and_then(|a| first_not_null(a, self.document))
            {
                let mut value = self.at_depth(first, depth + 1);
                if let (Some((property, tag)), Value::Object(fields)) = (discriminator_tag(object, first), &mut value) {
                    fields.insert(property, Value::String(tag));
                }
                return value;
            }
        }
        match schema_type(object).as_deref() {
            Some("object") => self.object(object, depth),
            Some("array") => self.array(object, depth),
            Some("string") => self.string(object),
            Some("integer") => number(object, true),
            Some("number") => number(object, false),
            Some("boolean") => Value::Bool(true),
            Some("null") => Value::Null,
            _ if object.contains_key("properties") => self.object(object, depth),
            _ => json!("sample"),
        }
    }

    /// The document references are resolved in.
    pub fn document(&self) -> &'a Value {
        self.document
    }

    /// Whether `value` agrees with `schema` (see [`codegen::normalize::examples`]).
    pub fn agrees(&self, value: &Value, schema: &Value) -> bool {
        codegen::normalize::examples::contradiction(value, schema, self.document).is_none()
    }

    /// The parts' properties and required names are merged first: a part may require a name
    /// another part defines, and sampling parts one by one would fill it with a placeholder.
    fn all_of(&mut self, object: &Map<String, Value>, depth: usize) -> Value {
        let mut shape = Map::new();
        let mut others = Vec::new();
        self.merge_parts(object, &mut shape, &mut others, 0);
        let mut merged = match shape.is_empty() {
            true => Map::new(),
            false => match self.object(&shape, depth) {
                Value::Object(fields) => fields,
                _ => Map::new(),
            },
        };
        let mut scalars = Vec::new();
        for part in others {
            match self.at_depth(&part, depth + 1) {
                Value::Object(fields) => {
                    for (name, value) in fields {
                        merged.entry(name).or_insert(value);
                    }
                }
                value => scalars.push(value),
            }
        }
        if !merged.is_empty() || shape.contains_key("required") {
            return Value::Object(merged);
        }
        // Each part's value meets that part only (a pattern in one, a description in the
        // other): the first that meets them all is sent.
        let whole = Value::Object(object.clone());
        let agreeing = scalars.iter().position(|value| self.agrees(value, &whole));
        let chosen = agreeing.map(|index| scalars.swap_remove(index)).or_else(|| scalars.pop());
        chosen.unwrap_or(Value::Object(merged))
    }

    /// Gathers `properties` and `required` of `object` and of its `allOf` parts (nested ones
    /// too) into `shape`; parts that are not object shapes (alternatives, scalars) go to `others`.
    fn merge_parts(
        &self,
        object: &Map<String, Value>,
        shape: &mut Map<String, Value>,
        others: &mut Vec<Value>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            let into = shape.entry("properties").or_insert_with(|| json!({}));
            if let Some(into) = into.as_object_mut() {
                for (name, property) in properties {
                    into.entry(name.clone()).or_insert_with(|| property.clone());
                }
            }
        }
        if let Some(required) = object.get("required").and_then(Value::as_array) {
            let into = shape.entry("required").or_insert_with(|| json!([]));
            if let Some(into) = into.as_array_mut() {
                into.extend(required.iter().filter(|name| !into.contains(name)).cloned().collect::<Vec<_>>());
            }
        }
        for part in object.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            let resolved = pointer::resolve(part, self.document);
            match resolved.as_object() {
                Some(part_object) if is_object_shape(part_object) => {
                    self.merge_parts(part_object, shape, others, depth + 1)
                }
                _ => others.push(resolved.clone()),
            }
        }
    }

    fn object(&mut self, object: &Map<String, Value>, depth: usize) -> Value {
        // Alternatives that only say which names must be present (lowering keeps them aside):
        // the first set is filled too.
        let first_alternative = object
            .get(codegen::lower::schemas::REQUIRED_ALTERNATIVES)
            .and_then(Value::as_array)
            .and_then(|alternatives| alternatives.first())
            .and_then(|alternative| alternative.get("required"));
        let mut required: Vec<&str> = Vec::new();
        for name in
            [object.get("required"), first_alternative].into_iter().flatten().filter_map(Value::as_array).flatten()
        {
            if let Some(name) = name.as_str().filter(|n| !required.contains(n)) {
                required.push(name);
            }
        }
        let properties = object.get("properties").and_then(Value::as_object);
        let mut out = Map::new();
        for name in required {
            let value = match properties.and_then(|p| p.get(name)) {
                Some(property) => self.at_depth(property, depth + 1),
                None => json!("sample"),
            };
            out.insert(name.to_string(), value);
        }
        Value::Object(out)
    }

    fn array(&mut self, object: &Map<String, Value>, depth: usize) -> Value {
        let min = object.get("minItems").and_then(Value::as_u64).unwrap_or(1).max(1);
        let max = object.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
        let count = min.min(max).min(3);
        let items = object.get("items").cloned().unwrap_or(json!({"type": "string"}));
        let unique = object.get("uniqueItems") == Some(&Value::Bool(true));
        let mut values: Vec<Value> = Vec::new();
        for _ in 0..count {
            let value = self.at_depth(&items, depth + 1);
            if unique && values.contains(&value) {
                break;
            }
            values.push(value);
        }
        Value::Array(values)
    }

    fn string(&mut self, object: &Map<String, Value>) -> Value {
        let min = object.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = object.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
        if let Some(format) = object.get("format").and_then(Value::as_str) {
            // A formatted sample outside the lengths is not sent (a `uri` of at least 10 characters).
            if let Some(text) = formatted(format).filter(|t| (min..=max).contains(&t.chars().count())) {
                return json!(text);
            }
        }
        if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
            if let Some(text) = self.matching(pattern, min, max) {
                return json!(text);
            }
        }
        let mut text = String::from("sample");
        while text.chars().count() < min {
            text.push('x');
        }
        json!(text.chars().take(max).collect::<String>())
    }

    /// A string matching `pattern` (unanchored, as JSON Schema reads it) within the lengths.
    fn matching(&mut self, pattern: &str, min: usize, max: usize) -> Option<String> {
        let anchored = ascii_classes(pattern.trim_start_matches('^').trim_end_matches('$'));
        let generator = rand_regex::Regex::compile(&anchored, 4).ok()?;
        (0..32).map(|_| self.rng.sample::<String, _>(&generator)).find(|s| (min..=max).contains(&s.chars().count()))
    }
}

/// `pattern` with `\w` and `\d` spelled as the ASCII classes they are in ECMAScript, the
/// dialect OpenAPI patterns are written in (and Prism checks them in): Rust's are Unicode, so a
/// generated `\w` could be a letter a validating server refuses.
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') if in_class => out.push_str("A-Za-z0-9_"),
                Some('w') => out.push_str("[A-Za-z0-9_]"),
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `const`, the first of `enum` (not `null`), and when `documented`: `example`, `default`, the
/// first of `examples`.
fn chosen_value(object: &Map<String, Value>, documented: bool) -> Option<Value> {
    if let Some(value) = object.get("const") {
        return Some(value.clone());
    }
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        return values.iter().find(|v| !v.is_null()).or(values.first()).cloned();
    }
    if !documented {
        return None;
    }
    for key in ["example", "default"] {
        if let Some(value) = object.get(key).filter(|v| !v.is_null()) {
            return Some(value.clone());
        }
    }
    object.get("examples").and_then(Value::as_array).and_then(|a| a.first()).cloned()
}

/// The schema's type, the first that is not `null` when it lists several.
fn schema_type(object: &Map<String, Value>) -> Option<String> {
    match object.get("type")? {
        Value::String(name) => Some(name.clone()),
        Value::Array(names) => names.iter().filter_map(Value::as_str).find(|n| *n != "null").map(str::to_owned),
        _ => None,
    }
}

/// A schema that only shapes an object (properties, required names, nested `allOf`s), with
/// no alternatives or scalar constraints of its own.
fn is_object_shape(object: &Map<String, Value>) -> bool {
    let shapes = ["properties", "required", "allOf"].iter().any(|k| object.contains_key(*k));
    let alternatives = ["oneOf", "anyOf"].iter().any(|k| object.contains_key(*k));
    shapes && !alternatives && schema_type(object).is_none_or(|t| t == "object")
}

/// The discriminator property of `schema` and the value that names `alternative` (a `$ref`):
/// its key in the `mapping`, else the name of the schema it refers to, as OpenAPI says.
pub fn discriminator_tag(schema: &Map<String, Value>, alternative: &Value) -> Option<(String, String)> {
    let discriminator = schema.get("discriminator")?;
    let property = discriminator.get("propertyName")?.as_str()?;
    let reference = alternative.get("$ref")?.as_str()?;
    let mapped = discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .and_then(|mapping| mapping.iter().find(|(_, target)| target.as_str() == Some(reference)))
        .map(|(tag, _)| tag.clone());
    let tag = mapped.or_else(|| reference.rsplit('/').next().map(String::from))?;
    Some((property.to_string(), tag))
}

fn first_not_null<'v>(alternatives: &'v [Value], document: &Value) -> Option<&'v Value> {
    let is_null = |s: &Value| pointer::resolve(s, document).get("type").and_then(Value::as_str) == Some("null");
    alternatives.iter().find(|s| !is_null(s)).or(alternatives.first())
}

/// A value of a well-known string format.
fn formatted(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05Z",
        "uuid" => "8f4e7a52-3c1b-4d6e-9a2f-0b1c2d3e4f50",
        "email" => "user@example.com",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/resource",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        // Base64 that is also plain text, so a raw body passes whichever the spec says.
        "byte" | "binary" => "c2FtcGxl",
        "duration" => "PT1M",
        _ => return None,
    })
}

/// A number within `minimum`/`maximum` (exclusive ones too) and a multiple of `multipleOf`.
fn number(object: &Map<String, Value>, integer: bool) -> Value {
    let get = |key: &str| object.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| object.get(key) == Some(&Value::Bool(true));
    let step = if integer { 1.0 } else { 0.5 };
    let mut low = get("minimum");
    if let Some(bound) = get("exclusiveMinimum") {
        low = Some(bound + step);
    } else if exclusive("exclusiveMinimum") {
        low = low.map(|l| l + step);
    }
    let mut high = get("maximum");
    if let Some(bound) = get("exclusiveMaximum") {
        high = Some(bound - step);
    } else if exclusive("exclusiveMaximum") {
        high = high.map(|h| h - step);
    }
    let mut value = match low {
        Some(low) => low,
        None => 1.0_f64.min(high.unwrap_or(f64::MAX)),
    };
    if let Some(multiple) = get("multipleOf").filter(|m| *m > 0.0) {
        value = (value / multiple).ceil() * multiple;
    }
    if integer {
        json!(value.ceil() as i64)
    } else {
        json!(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(schema: Value) -> Value {
        let document = json!({"components": {"schemas": {"Pet": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 7}}}}}});
        Sampler::new(&document, 1).value(&schema)
    }

    #[test]
    fn required_properties_are_filled_through_references_and_optional_ones_left_out() {
        let value = sample(json!({"type": "object", "required": ["pet"], "properties": {
            "pet": {"$ref": "#/components/schemas/Pet"}, "note": {"type": "string"}}}));
        assert_eq!(value, json!({"pet": {"id": 7}}));
    }

    #[test]
    fn strings_keep_their_format_pattern_and_lengths() {
        assert_eq!(sample(json!({"type": "string", "format": "date-time"})), json!("2024-01-02T03:04:05Z"));
        assert_eq!(sample(json!({"type": "string", "minLength": 8})), json!("samplexx"));
        assert_eq!(sample(json!({"type": "string", "maxLength": 3})), json!("sam"));
        let code = sample(json!({"type": "string", "pattern": "^[A-Z]{4}$"}));
        let code = code.as_str().unwrap();
        assert!(code.len() == 4 && code.chars().all(|c| c.is_ascii_uppercase()), "{code}");
    }

    #[test]
    fn a_scalar_all_of_sends_the_value_every_part_accepts() {
        let document = json!({"components": {"schemas": {
            "Id": {"type": "string", "pattern": "^bank_[a-z0-9]+$"},
            "Described": {"allOf": [{"$ref": "#/components/schemas/Id"}, {"type": "string", "description": "an id"}]},
            "Reversed": {"allOf": [{"type": "string", "description": "an id"}, {"$ref": "#/components/schemas/Id"}]}
        }}});
        let mut sampler = Sampler::new(&document, 1);
        for name in ["Described", "Reversed"] {
            let schema = json!({"$ref": format!("#/components/schemas/{name}")});
            let value = sampler.value(&schema);
            assert!(value.as_str().is_some_and(|id| id.starts_with("bank_")), "{name}: {value}");
            assert!(sampler.agrees(&value, &schema));
        }
    }

    #[test]
    fn an_all_of_part_requiring_a_name_another_part_defines_gets_its_value() {
        let document = json!({"components": {"schemas": {
            "To": {"type": "object", "properties": {"to": {"type": "string", "pattern": "^adr_[a-z]+$"}}},
            "Letter": {"allOf": [
                {"$ref": "#/components/schemas/To"},
                {"type": "object", "required": ["to", "pages"], "properties": {"pages": {"type": "integer", "minimum": 2}}}
            ]}
        }}});
        let mut sampler = Sampler::new(&document, 1);
        let schema = json!({"$ref": "#/components/schemas/Letter"});
        let value = sampler.value(&schema);
        assert!(value["to"].as_str().is_some_and(|to| to.starts_with("adr_")), "{value}");
        assert_eq!(value["pages"], json!(2));
        assert!(sampler.agrees(&value, &schema));
    }

    #[test]
    fn the_first_set_of_names_one_of_which_is_required_is_filled() {
        let document = json!({});
        let mut sampler = Sampler::new(&document, 1);
        let schema = json!({
            "type": "object",
            "required": ["event"],
            "properties": {"event": {"type": "string"}, "id": {"type": "string"}, "email": {"type": "string"}},
            "x-codegen-required-alternatives": [{"required": ["event", "id"]}, {"required": ["email"]}]
        });
        let value = sampler.value(&schema);
        let mut names: Vec<&String> = value.as_object().unwrap().keys().collect();
        names.sort();
        assert_eq!(names, ["event", "id"]);
    }

    #[test]
    fn word_and_digit_classes_are_ascii_as_in_ecmascript() {
        assert_eq!(ascii_classes(r"(user|org)_\w{3}\d"), "(user|org)_[A-Za-z0-9_]{3}[0-9]");
        assert_eq!(ascii_classes(r"[\w.-]+\.[\d]"), r"[A-Za-z0-9_.-]+\.[0-9]");
        let mut sampler = Sampler::new(&Value::Null, 3);
        for _ in 0..20 {
            let id = sampler.value(&json!({"type": "string", "pattern": r"^(user|org)_\w{27}$"}));
            let id = id.as_str().unwrap();
            assert!(id.is_ascii() && id.len() >= 31, "{id}");
        }
    }

    #[test]
    fn numbers_respect_bounds_and_multiples() {
        assert_eq!(sample(json!({"type": "integer", "minimum": 10, "multipleOf": 4})), json!(12));
        assert_eq!(sample(json!({"type": "integer", "exclusiveMinimum": 0})), json!(1));
        assert_eq!(sample(json!({"type": "integer", "maximum": -5})), json!(-5));
        assert_eq!(sample(json!({"type": "number", "exclusiveMinimum": 2})), json!(2.5));
    }

    #[test]
    fn examples_enums_and_the_first_non_null_alternative_win() {
        assert_eq!(sample(json!({"type": "string", "enum": [null, "b"]})), json!("b"));
        assert_eq!(sample(json!({"type": "integer", "example": 42})), json!(42));
        let refused_default = json!({"oneOf": [{"type": "string", "enum": ["human", "json"]}], "default": "Human"});
        assert_eq!(sample(refused_default), json!("human"), "a default outside the enum is not sent");
        assert_eq!(sample(json!({"oneOf": [{"type": "null"}, {"type": "boolean"}]})), json!(true));
        assert_eq!(
            sample(json!({"type": "array", "minItems": 2, "items": {"type": "string", "enum": ["x"]}})),
            json!(["x", "x"])
        );
    }

    #[test]
    fn a_plain_value_takes_no_documented_value_but_keeps_constraints() {
        let schema = json!({"type": "object", "required": ["id", "kind"], "properties": {
            "id": {"type": "string", "format": "uuid", "example": "536e564f316c83104c000020"},
            "kind": {"type": "string", "enum": ["lead"]}
        }});
        let mut sampler = Sampler::new(&Value::Null, 1);
        assert_eq!(sampler.value(&schema)["id"], json!("536e564f316c83104c000020"));
        let plain = sampler.plain_value(&schema);
        assert!(plain["id"].as_str().is_some_and(|id| id.len() == 36 && id != "536e564f316c83104c000020"), "{plain}");
        assert_eq!(plain["kind"], json!("lead"), "an enum is a constraint, not a documented value");
        assert_eq!(sampler.value(&schema)["id"], json!("536e564f316c83104c000020"), "documented values come back");
    }

    #[test]
    fn a_discriminated_alternative_carries_its_tag() {
        let document = json!({"components": {"schemas": {
            "Password": {"type": "object", "required": ["method"], "properties": {"method": {"type": "string"}}},
            "Oidc": {"type": "object", "required": ["method"], "properties": {"method": {"type": "string"}}}
        }}});
        let to = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        let mapped = json!({"oneOf": [to("Password"), to("Oidc")],
            "discriminator": {"propertyName": "method", "mapping": {"password": "#/components/schemas/Password"}}});
        assert_eq!(Sampler::new(&document, 1).value(&mapped), json!({"method": "password"}));
        let named = json!({"oneOf": [to("Oidc")], "discriminator": {"propertyName": "method"}});
        assert_eq!(
            Sampler::new(&document, 1).value(&named),
            json!({"method": "Oidc"}),
            "no mapping: the schema's name"
        );
    }
}
