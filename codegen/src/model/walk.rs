//! Which OpenAPI 3.0 object kind each node of a raw document is.
//!
//! The same keyword means different things in different objects: a Schema's `required` is a list
//! of property names while a Parameter's is a boolean. Every rule therefore asks the walker for
//! the kind of the object it is looking at instead of guessing from a key's name.

use serde_json::{Map, Value};

use crate::model::pointer;

/// The OpenAPI 3.0 objects the normalizer knows the keywords of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The root OpenAPI Object.
    Document,
    /// The Components Object.
    Components,
    /// A Path Item Object.
    PathItem,
    /// An Operation Object.
    Operation,
    /// A Callback Object (a map of expressions to Path Items).
    Callback,
    /// A Parameter Object.
    Parameter,
    /// A Header Object.
    Header,
    /// A Request Body Object.
    RequestBody,
    /// A Response Object.
    Response,
    /// A Media Type Object.
    MediaType,
    /// An Encoding Object.
    Encoding,
    /// An Example Object.
    Example,
    /// A Schema Object.
    Schema,
}

/// How a keyword holds its children.
#[derive(Clone, Copy)]
enum Holds {
    One(Kind),
    /// A map whose keys are names (`properties`, `components/schemas`): every key is a child.
    NamedMap(Kind),
    /// A map that is itself an extensible object (`paths`, `responses`): `x-` keys are extensions.
    ExtensibleMap(Kind),
    List(Kind),
}

const OPERATIONS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn children(kind: Kind) -> &'static [(&'static str, Holds)] {
    use Holds::*;
    use Kind::*;
    match kind {
        // `webhooks` (3.1) is kept beside `paths`: a 3.0 reader ignores it, the generator
        // emits its payload types.
        Document => &[
            ("paths", ExtensibleMap(PathItem)),
            ("webhooks", ExtensibleMap(PathItem)),
            ("components", One(Components)),
        ],
        Components => &[
            ("schemas", NamedMap(Schema)),
            ("responses", NamedMap(Response)),
            ("parameters", NamedMap(Parameter)),
            ("examples", NamedMap(Example)),
            ("requestBodies", NamedMap(RequestBody)),
            ("headers", NamedMap(Header)),
            ("callbacks", NamedMap(Callback)),
            ("pathItems", NamedMap(PathItem)),
        ],
        PathItem => &[
            ("get", One(Operation)),
            ("put", One(Operation)),
            ("post", One(Operation)),
            ("delete", One(Operation)),
            ("options", One(Operation)),
            ("head", One(Operation)),
            ("patch", One(Operation)),
            ("trace", One(Operation)),
            ("parameters", List(Parameter)),
        ],
        Operation => &[
            ("parameters", List(Parameter)),
            ("requestBody", One(RequestBody)),
            ("responses", ExtensibleMap(Response)),
            ("callbacks", NamedMap(Callback)),
        ],
        Callback => &[],
        Parameter | Header => {
            &[("schema", One(Schema)), ("content", NamedMap(MediaType)), ("examples", NamedMap(Example))]
        }
        RequestBody => &[("content", NamedMap(MediaType))],
        Response => &[("headers", NamedMap(Header)), ("content", NamedMap(MediaType))],
        MediaType => &[("schema", One(Schema)), ("examples", NamedMap(Example)), ("encoding", NamedMap(Encoding))],
        Encoding => &[("headers", NamedMap(Header))],
        Example => &[],
        Schema => &[
            ("properties", NamedMap(Schema)),
            ("items", One(Schema)),
            ("additionalProperties", One(Schema)),
            ("allOf", List(Schema)),
            ("anyOf", List(Schema)),
            ("oneOf", List(Schema)),
            ("not", One(Schema)),
            ("$defs", NamedMap(Schema)),
        ],
    }
}

/// Something that looks at every object of a document, knowing its kind.
pub trait Visitor {
    /// Called on each object before its children. `$ref` objects are not visited: the object they
    /// point at is visited where it is defined.
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, pointer: &str);

    /// Called on each `$ref` object, with the kind of object expected where it stands.
    fn visit_ref(&mut self, _kind: Kind, _object: &mut Map<String, Value>, _pointer: &str) {}
}

/// Walks `value`, an object of kind `kind` at `pointer`, and everything below it.
pub fn walk(visitor: &mut impl Visitor, kind: Kind, value: &mut Value, pointer: &str) {
    let mut at = String::with_capacity(256);
    at.push_str(pointer);
    walk_at(visitor, kind, value, &mut at);
}

/// [`walk`] with one pointer buffer for the whole walk: each child's token is pushed before
/// descending and cut off after, instead of a new string per object (which was most of a
/// walk's cost on large specs).
fn walk_at(visitor: &mut impl Visitor, kind: Kind, value: &mut Value, at: &mut String) {
    let Some(object) = value.as_object_mut() else { return };
    if object.contains_key("$ref") {
        visitor.visit_ref(kind, object, at);
        return;
    }
    visitor.visit(kind, object, at);
    let depth = at.len();
    if kind == Kind::Callback {
        for (expression, item) in object.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
            pointer::push_token(at, expression);
            walk_at(visitor, Kind::PathItem, item, at);
            at.truncate(depth);
        }
        return;
    }
    for (key, holds) in children(kind) {
        let Some(child) = object.get_mut(*key) else { continue };
        pointer::push_token(at, key);
        let inner = at.len();
        match (*holds, child) {
            (Holds::One(kind), child) => walk_at(visitor, kind, child, at),
            (Holds::NamedMap(kind), Value::Object(map)) => {
                for (name, item) in map.iter_mut() {
                    pointer::push_token(at, name);
                    walk_at(visitor, kind, item, at);
                    at.truncate(inner);
                }
            }
            (Holds::ExtensibleMap(kind), Value::Object(map)) => {
                for (name, item) in map.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
                    pointer::push_token(at, name);
                    walk_at(visitor, kind, item, at);
                    at.truncate(inner);
                }
            }
            (Holds::List(kind), Value::Array(items)) => {
                for (index, item) in items.iter_mut().enumerate() {
                    use std::fmt::Write;
                    let _ = write!(at, "/{index}");
                    walk_at(visitor, kind, item, at);
                    at.truncate(inner);
                }
            }
            _ => {}
        }
        at.truncate(depth);
    }
}

/// Whether `key` names an operation of a Path Item.
pub fn is_operation_key(key: &str) -> bool {
    OPERATIONS.contains(&key)
}
