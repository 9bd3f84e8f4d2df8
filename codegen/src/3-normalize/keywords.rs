//! Rules for keywords whose value must be a boolean, an integer or a number.
//!
//! Doc generators often print every scalar as a string (`"required": "true"`, `"maxLength": "50"`).
//! Which keywords are booleans or numbers is fixed by the OpenAPI 3.0 specification for each
//! object kind, so the rules are a table keyed on (kind, keyword), never on a property's name.

use serde_json::{Map, Number, Value};

use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::model::pointer;
use crate::model::walk::Kind;
use crate::report::{Change, Rule, Stage};

/// The JSON type a keyword must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// `true` or `false`.
    Boolean,
    /// A non-negative integer (`maxLength`, `minItems`, ...).
    Count,
    /// Any number (`minimum`, `multipleOf`, ...).
    Number,
    /// A boolean or a Schema (`additionalProperties`).
    BooleanOrSchema,
}

/// The scalar keywords of each object kind.
pub fn keywords(kind: Kind) -> &'static [(&'static str, Expect)] {
    use Expect::*;
    match kind {
        Kind::Schema => &[
            ("nullable", Boolean),
            ("readOnly", Boolean),
            ("writeOnly", Boolean),
            ("deprecated", Boolean),
            ("uniqueItems", Boolean),
            ("exclusiveMinimum", Boolean),
            ("exclusiveMaximum", Boolean),
            ("maxLength", Count),
            ("minLength", Count),
            ("maxItems", Count),
            ("minItems", Count),
            ("maxProperties", Count),
            ("minProperties", Count),
            ("minimum", Number),
            ("maximum", Number),
            ("multipleOf", Number),
            ("additionalProperties", BooleanOrSchema),
        ],
        Kind::Parameter | Kind::Header => &[
            ("required", Boolean),
            ("deprecated", Boolean),
            ("allowEmptyValue", Boolean),
            ("explode", Boolean),
            ("allowReserved", Boolean),
        ],
        Kind::RequestBody => &[("required", Boolean)],
        Kind::Operation => &[("deprecated", Boolean)],
        Kind::Encoding => &[("explode", Boolean), ("allowReserved", Boolean)],
        _ => &[],
    }
}

/// Brings every scalar keyword of `object` to its type, recording each rewrite.
pub fn fix_keywords(
    kind: Kind,
    object: &mut Map<String, Value>,
    at: &str,
    changes: &mut Vec<Change>,
    problems: &mut Diagnostics,
) {
    for (keyword, expect) in keywords(kind) {
        let Some(value) = object.get_mut(*keyword) else { continue };
        let here = pointer::child(at, keyword);
        match coerce(value, *expect) {
            Ok(Some((fixed, rule))) => {
                changes
                    .push(Change::new(Stage::Normalize, rule, &here).values(Some(value.clone()), Some(fixed.clone())));
                *value = fixed;
            }
            Ok(None) => {}
            Err(expected) => problems.push(
                Diagnostic::new(
                    diagnostics::Kind::InvalidKeyword,
                    format!("`{keyword}` must be {expected}, found {value}"),
                )
                .at(here),
            ),
        }
    }
}

/// What `value` becomes under `expect`: `Ok(None)` when it is already right, `Err` with what
/// was expected when no lossless rewrite exists.
fn coerce(value: &Value, expect: Expect) -> Result<Option<(Value, Rule)>, &'static str> {
    match (expect, value) {
        (Expect::Boolean, Value::Bool(_)) => Ok(None),
        (Expect::BooleanOrSchema, Value::Bool(_) | Value::Object(_)) => Ok(None),
        (Expect::Boolean | Expect::BooleanOrSchema, Value::String(s)) => match parse_bool(s) {
            Some(b) => Ok(Some((Value::Bool(b), Rule::StringTypedBoolean))),
            None => Err("a boolean"),
        },
        (Expect::Boolean, _) => Err("a boolean"),
        (Expect::BooleanOrSchema, _) => Err("a boolean or a schema"),
        (Expect::Count, Value::Number(n)) if n.is_u64() => Ok(None),
        (Expect::Count, Value::Number(n)) => match n.as_f64() {
            Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64 => {
                Ok(Some((Value::from(f as u64), Rule::StringTypedInteger)))
            }
            _ => Err("a non-negative integer"),
        },
        (Expect::Count, Value::String(s)) => match s.trim().parse::<u64>() {
            Ok(n) => Ok(Some((Value::from(n), Rule::StringTypedInteger))),
            Err(_) => Err("a non-negative integer"),
        },
        (Expect::Number, Value::Number(_)) => Ok(None),
        (Expect::Number, Value::String(s)) => parse_number(s).map(Some).ok_or("a number"),
        (Expect::Count | Expect::Number, _) => Err("a number"),
    }
}

/// Reads `"true"`/`"false"` in any case, with surrounding blanks.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Reads a number written as a string, keeping integers exact.
pub fn parse_number(s: &str) -> Option<(Value, Rule)> {
    let s = s.trim();
    if let Ok(i) = s.parse::<i64>() {
        return Some((Value::from(i), Rule::StringTypedInteger));
    }
    if let Ok(u) = s.parse::<u64>() {
        return Some((Value::from(u), Rule::StringTypedInteger));
    }
    let f = s.parse::<f64>().ok().filter(|f| f.is_finite())?;
    if f.fract() == 0.0 && !s.contains(['.', 'e', 'E']) {
        // An integer too large for 64 bits: keep it as the nearest float, the clamp rule
        // decides what an integer schema makes of it.
        return Number::from_f64(f).map(|n| (Value::Number(n), Rule::StringTypedInteger));
    }
    Number::from_f64(f).map(|n| (Value::Number(n), Rule::StringTypedNumber))
}
