//! How a list operation pages, recognized from its parameters and its response, so that the
//! generated builder gets a `stream()` of every item.
//!
//! The shapes vendors use, checked in this order:
//! - a `Link` response header (RFC 8288, `rel="next"`), documented on the response;
//! - a cursor parameter (`cursor`, `page_token`, `after`, ...) and a field giving the next one
//!   (`next_cursor`, `nextPageToken`, `meta.next_cursor`, ...);
//! - `starting_after` and `has_more`: the next request starts after the last item's `id`;
//! - a `next` URL field (`next`, `next_url`, `links.next`, `@odata.nextLink`);
//! - an `offset` parameter, with `limit` and a total where documented;
//! - a `page` number, with a page count or `has_more` where documented;
//! - by structure, when no name above fits: a query parameter fed by a string field of the
//!   page whose name says the same once position words go (`start_cursor` and `next_cursor`,
//!   `page_token` and `next_page_token`, `iterator` and `iterator`; `after` and `last_id`), with
//!   a stop signal where the page has one (`has_more`, `done`) and otherwise until the page gives
//!   no new value.
//!
//! Only plain strings and integers are read (a typify newtype has no common way to read it),
//! and the items must be a top-level array property of the page, or the page itself. An
//! operation that pages in a way these rules miss gets the shape from `x-codegen-pagination` on
//! the operation, set in an overlay (see the README): `{items, cursor, next}`,
//! `{items, offset}`, `{items, page}`, `{items, next_url}` or `{link: true}`.

use serde_json::Value;

use crate::model::naming::generator_name;
use crate::model::pointer;

/// The extension an overlay sets to declare how an operation pages.
pub const EXTENSION: &str = "x-codegen-pagination";

/// How one operation pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaginationPlan {
    /// The page's field holding the items (its Rust name); `None` when the page is the array.
    pub items: Option<String>,
    /// How the next page is found.
    pub shape: PageShape,
}

/// A way of finding the next page. Parameters are the Rust names of the builder's setters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageShape {
    /// The `Link` header's `rel="next"` URL.
    LinkHeader,
    /// The cursor parameter is set to the page's next cursor.
    Cursor {
        /// The cursor parameter.
        parameter: String,
        /// The page's field with the next cursor.
        next: FieldPath,
        /// The page's flag saying whether more pages follow, if any: `(has_more, true)` goes on
        /// while it is true, `(done, false)` while it is false.
        more: Option<(FieldPath, bool)>,
    },
    /// `starting_after` set to the last item's `id` while `has_more`.
    StartingAfter {
        /// The `starting_after` parameter.
        parameter: String,
        /// The page's `has_more`.
        has_more: FieldPath,
    },
    /// The page's URL of the next page.
    NextUrl {
        /// The page's field with the URL.
        next: FieldPath,
    },
    /// The offset moved on by the items received, until an empty or short page or the total.
    Offset {
        /// The offset parameter.
        parameter: String,
        /// The page size parameter, if any: a shorter page is the last.
        limit: Option<String>,
        /// The page's field with the total number of items, if any.
        total: Option<FieldPath>,
    },
    /// The page number moved on by one until an empty page, the page count or `has_more`.
    Page {
        /// The page number parameter.
        parameter: String,
        /// The number of the first page (what the server sends when the parameter is unset).
        first: u64,
        /// The page's field with the number of pages, if any.
        last: Option<FieldPath>,
        /// The page's `has_more`, if any.
        has_more: Option<FieldPath>,
    },
}

/// A field of the page: the Rust names from the page down, each with whether its value is
/// optional (the last one's optionality is read at run time, through a trait).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath(pub Vec<(String, bool)>);

impl FieldPath {
    /// The path as documented, for the report and doc comments (`meta.next_cursor`).
    pub fn dotted(&self) -> String {
        self.0.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(".")
    }
}

impl PageShape {
    /// One line saying what was recognized, for doc comments and the quirk report.
    pub fn describe(&self) -> String {
        match self {
            PageShape::LinkHeader => "the `Link` header's `rel=\"next\"` URL".into(),
            PageShape::Cursor { parameter, next, more: None } => format!("`{parameter}` set to `{}`", next.dotted()),
            PageShape::Cursor { parameter, next, more: Some((flag, goes_on)) } => {
                format!("`{parameter}` set to `{}` while `{}` is {goes_on}", next.dotted(), flag.dotted())
            }
            PageShape::StartingAfter { parameter, has_more } => {
                format!("`{parameter}` set to the last item's `id` while `{}`", has_more.dotted())
            }
            PageShape::NextUrl { next } => format!("the URL in `{}`", next.dotted()),
            PageShape::Offset { parameter, total, .. } => match total {
                Some(total) => format!("`{parameter}` moved on by the items received, up to `{}`", total.dotted()),
                None => format!("`{parameter}` moved on by the items received, until a short page"),
            },
            PageShape::Page { parameter, last, .. } => match last {
                Some(last) => format!("`{parameter}` moved on by one, up to `{}`", last.dotted()),
                None => format!("`{parameter}` moved on by one, until an empty page"),
            },
        }
    }
}

const CURSOR_PARAMETERS: [&str; 10] = [
    "cursor",
    "page_token",
    "next_token",
    "continuation_token",
    "after",
    "page_cursor",
    "next_cursor",
    "marker",
    "next",
    "token",
];
const NEXT_CURSOR_FIELDS: [&str; 9] = [
    "next_cursor",
    "next_page_token",
    "next_token",
    "continuation_token",
    "end_cursor",
    "next_marker",
    "cursor",
    "next_page_cursor",
    "after",
];
const NEXT_URL_FIELDS: [&str; 6] = ["next", "next_url", "next_link", "next_page_url", "odata_next_link", "next_page"];
const CONTAINERS: [&str; 8] =
    ["meta", "pagination", "paging", "response_metadata", "page_info", "links", "metadata", "cursor"];
const ITEM_FIELDS: [&str; 8] = ["data", "items", "results", "records", "entries", "values", "list", "elements"];
const TOTAL_FIELDS: [&str; 4] = ["total", "total_count", "total_results", "total_items"];
const LAST_PAGE_FIELDS: [&str; 4] = ["total_pages", "page_count", "last_page", "pages"];
const LIMIT_PARAMETERS: [&str; 5] = ["limit", "per_page", "page_size", "max_results", "count"];

/// How the operation at `operation` pages, or `None`.
pub fn detect(
    operation: &Value,
    parameters: &[crate::plan::ParameterPlan],
    document: &Value,
) -> Option<PaginationPlan> {
    let response = success(operation)?;
    let response = pointer::resolve(response, document);
    let schema = pointer::resolve(response.pointer("/content/application~1json/schema")?, document);
    let query = |names: &[&str], kind: &str| -> Option<String> {
        parameters.iter().filter(|p| p.location == "query").find_map(|p| {
            let snake = generator_name(&p.wire_name, false);
            let found = names.contains(&snake.as_str()) && readable(p, kind);
            found.then(|| p.name.clone())
        })
    };
    let rust = |parameter: String| generator_name(&parameter, false);
    if let Some(declared) = operation.get(EXTENSION) {
        return declared_shape(declared, schema, parameters, document);
    }
    let items = items_field(schema, document)?;
    let page_is_array = items.is_none();
    let link_documented = response
        .get("headers")
        .and_then(Value::as_object)
        .is_some_and(|headers| headers.keys().any(|h| h.eq_ignore_ascii_case("link")));
    let shape = if link_documented {
        PageShape::LinkHeader
    } else if let (Some(parameter), Some(next)) = (
        query(&CURSOR_PARAMETERS, "string"),
        (!page_is_array).then(|| find_field(schema, document, &NEXT_CURSOR_FIELDS, &["string", "integer"])).flatten(),
    ) {
        PageShape::Cursor { parameter: rust(parameter), next, more: None }
    } else if let (Some(parameter), Some(has_more)) = (
        query(&["starting_after"], "string"),
        (!page_is_array).then(|| find_field(schema, document, &["has_more"], &["boolean"])).flatten(),
    ) {
        let item_id = items
            .as_ref()
            .and_then(|name| property(schema, document, name))
            .and_then(|array| array.get("items"))
            .map(|item| pointer::resolve(item, document))
            // A nullable item is typify's `Item(Option<ItemInner>)`, whose `id` is not a field.
            .filter(|item| item.get("nullable") != Some(&Value::Bool(true)))
            .and_then(|item| item.pointer("/properties/id"))
            .is_some_and(|id| plain(Some(pointer::resolve(id, document)), "string"));
        if !item_id {
            return None;
        }
        PageShape::StartingAfter { parameter: rust(parameter), has_more }
    } else if let Some(next) =
        (!page_is_array).then(|| find_field(schema, document, &NEXT_URL_FIELDS, &["string"])).flatten()
    {
        PageShape::NextUrl { next }
    } else if let Some(parameter) =
        query(&["offset", "skip", "start"], "integer").or_else(|| decimal_text(parameters, &["offset", "skip"]))
    {
        let total = (!page_is_array).then(|| find_field(schema, document, &TOTAL_FIELDS, &["integer"])).flatten();
        let limit = query(&LIMIT_PARAMETERS, "integer").or_else(|| decimal_text(parameters, &LIMIT_PARAMETERS));
        PageShape::Offset { parameter: rust(parameter), limit: limit.map(rust), total }
    } else if let Some(parameter) = query(&["page", "page_number", "page_no"], "integer") {
        let schema_of = parameters.iter().find(|p| p.name == parameter).and_then(|p| p.schema.as_ref());
        let first =
            schema_of.and_then(|s| s.get("default").or_else(|| s.get("minimum"))).and_then(Value::as_u64).unwrap_or(1);
        let last = (!page_is_array).then(|| find_field(schema, document, &LAST_PAGE_FIELDS, &["integer"])).flatten();
        let has_more = (!page_is_array).then(|| find_field(schema, document, &["has_more"], &["boolean"])).flatten();
        PageShape::Page { parameter: rust(parameter), first, last, has_more }
    } else if let Some(shape) = (!page_is_array).then(|| structural_cursor(schema, parameters, document)).flatten() {
        shape
    } else if page_is_array && has_cursor_parameter(parameters) {
        // A bare list has no room for a cursor: servers that take one send the next page's URL
        // in a `Link` header (RFC 8288), documented or not. Without the header the stream ends
        // after the first page, as a plain call would.
        PageShape::LinkHeader
    } else {
        return None;
    };
    Some(PaginationPlan { items, shape })
}

/// Words that say where a cursor points, not what it is: `start_cursor` and `next_cursor` are
/// the same cursor.
const POSITION_WORDS: [&str; 12] =
    ["start", "starting", "next", "page", "from", "after", "before", "end", "ending", "last", "first", "prev"];
/// Flags that say more pages follow while true.
const MORE_FLAGS: [&str; 4] = ["has_more", "has_next", "has_next_page", "more"];
/// Flags that say the listing is over when true.
const DONE_FLAGS: [&str; 4] = ["done", "finished", "is_last", "last_page"];

/// A name's words, and the words left once position words go.
fn words(name: &str) -> (Vec<String>, Vec<String>) {
    let all: Vec<String> =
        generator_name(name, false).split('_').filter(|w| !w.is_empty()).map(str::to_owned).collect();
    let what = all.iter().filter(|w| !POSITION_WORDS.contains(&w.as_str())).cloned().collect();
    (all, what)
}

/// A parameter fed by a field of the page, recognized by structure (see the module docs).
fn structural_cursor(schema: &Value, parameters: &[crate::plan::ParameterPlan], document: &Value) -> Option<PageShape> {
    let fields = string_fields(schema, document);
    parameters.iter().filter(|p| p.location == "query" && readable(p, "string")).find_map(|p| {
        let (all, what) = words(&p.wire_name);
        let forward = matches!(all.as_slice(), [w] | [_, w] if w == "after");
        let next = fields.iter().find(|(name, _)| {
            let (field_all, field_what) = words(name);
            let same_thing = (all == field_all || (!what.is_empty() && what == field_what)) && field_all != ["id"];
            let after_last = forward && field_all.first().is_some_and(|w| w == "last") && field_all.len() > 1;
            same_thing || after_last
        })?;
        let more = find_field(schema, document, &MORE_FLAGS, &["boolean"])
            .map(|flag| (flag, true))
            .or_else(|| find_field(schema, document, &DONE_FLAGS, &["boolean"]).map(|flag| (flag, false)));
        Some(PageShape::Cursor { parameter: p.rust_name.clone(), next: next.1.clone(), more })
    })
}

/// A query parameter named one of `names` whose value is an integer written as text
/// (`type: string`, with no format or `format: int64`, as gRPC gateways document 64-bit
/// integers).
fn decimal_text(parameters: &[crate::plan::ParameterPlan], names: &[&str]) -> Option<String> {
    parameters.iter().filter(|p| p.location == "query" && !p.named_type).find_map(|p| {
        let schema = p.schema.as_ref()?;
        // No format, or an integer one: an `offset` documented as text is a number all the same.
        let integer_format = schema.get("format").and_then(Value::as_str).is_none_or(|f| f.contains("int"));
        let named = names.contains(&generator_name(&p.wire_name, false).as_str());
        let text = schema.get("type").and_then(Value::as_str) == Some("string");
        let bare = ["pattern", "maxLength", "minLength", "enum"].iter().all(|k| schema.get(*k).is_none());
        (named && text && bare && integer_format).then(|| p.name.clone())
    })
}

/// Whether a name says cursor: `after`, `marker`, `cursor`, or a token of pages
/// (`page_token`, `next_token`; not `session_token`).
fn names_a_cursor(name: &str) -> bool {
    const CURSOR_WORDS: [&str; 5] = ["cursor", "after", "marker", "continuation", "iterator"];
    const TOKEN_OF: [&str; 4] = ["page", "next", "pagination", "continuation"];
    let (all, _) = words(name);
    let has = |w: &str| all.iter().any(|a| a == w);
    CURSOR_WORDS.iter().any(|w| has(w)) || (has("token") && TOKEN_OF.iter().any(|w| has(w)))
}

/// Whether a query parameter is named like a cursor.
fn has_cursor_parameter(parameters: &[crate::plan::ParameterPlan]) -> bool {
    parameters.iter().filter(|p| p.location == "query" && readable(p, "string")).any(|p| names_a_cursor(&p.wire_name))
}

/// The plain string fields of the page and of its usual containers, each with its path.
fn string_fields(schema: &Value, document: &Value) -> Vec<(String, FieldPath)> {
    let mut out = Vec::new();
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else { return out };
    for (name, property) in properties {
        let property = pointer::resolve(property, document);
        let rust = generator_name(name, false);
        if plain(Some(property), "string") {
            out.push((name.clone(), FieldPath(vec![(rust, false)])));
        } else {
            // Any object one level down (`list_metadata.after`), not only the usual containers.
            for (inner, value) in property.get("properties").and_then(Value::as_object).into_iter().flatten() {
                if plain(Some(pointer::resolve(value, document)), "string") {
                    let path =
                        vec![(rust.clone(), optional(schema, name, property)), (generator_name(inner, false), false)];
                    out.push((inner.clone(), FieldPath(path)));
                }
            }
        }
    }
    out
}

/// Whether an operation looks like it lists items over pages: a list response and a query
/// parameter with a paging word in its name. The report lists those not recognized, so a miss
/// is seen (and declared with an overlay).
pub fn looks_paged(operation: &Value, parameters: &[crate::plan::ParameterPlan], document: &Value) -> bool {
    const POSITION_PARAMETERS: [&str; 4] = ["offset", "page", "skip", "start"];
    let Some(schema) = success(operation)
        .map(|r| pointer::resolve(r, document))
        .and_then(|r| r.pointer("/content/application~1json/schema"))
        .map(|s| pointer::resolve(s, document))
    else {
        return false;
    };
    items_field(schema, document).is_some()
        && parameters.iter().filter(|p| p.location == "query").any(|p| {
            let cursor = plain(p.schema.as_ref(), "string") && names_a_cursor(&p.wire_name);
            let position = plain(p.schema.as_ref(), "integer")
                && words(&p.wire_name).0.iter().any(|w| POSITION_PARAMETERS.contains(&w.as_str()));
            cursor || position
        })
}

/// The first documented success.
fn success(operation: &Value) -> Option<&Value> {
    let responses = operation.get("responses")?.as_object()?;
    responses.iter().find(|(status, _)| status.starts_with('2')).map(|(_, response)| response)
}

/// The shape an overlay declared with [`EXTENSION`].
fn declared_shape(
    declared: &Value,
    schema: &Value,
    parameters: &[crate::plan::ParameterPlan],
    document: &Value,
) -> Option<PaginationPlan> {
    let text = |key: &str| declared.get(key).and_then(Value::as_str);
    let parameter = |key: &str| {
        let wire = text(key)?;
        parameters.iter().find(|p| p.wire_name == wire).map(|p| p.rust_name.clone())
    };
    let path = |key: &str| field_path(schema, document, text(key)?);
    let items = match text("items") {
        Some(name) => Some(generator_name(name, false)),
        None => items_field(schema, document)?,
    };
    let shape = if declared.get("link") == Some(&Value::Bool(true)) {
        PageShape::LinkHeader
    } else if let (Some(parameter), Some(next)) = (parameter("cursor"), path("next")) {
        PageShape::Cursor { parameter, next, more: None }
    } else if let Some(next) = path("next_url") {
        PageShape::NextUrl { next }
    } else if let Some(parameter) = parameter("offset") {
        PageShape::Offset { parameter, limit: parameter_limit(parameters), total: path("total") }
    } else if let Some(parameter) = parameter("page") {
        PageShape::Page {
            parameter,
            first: declared.get("first").and_then(Value::as_u64).unwrap_or(1),
            last: path("last"),
            has_more: None,
        }
    } else {
        return None;
    };
    Some(PaginationPlan { items, shape })
}

fn parameter_limit(parameters: &[crate::plan::ParameterPlan]) -> Option<String> {
    let names =
        |p: &&crate::plan::ParameterPlan| LIMIT_PARAMETERS.contains(&generator_name(&p.wire_name, false).as_str());
    parameters.iter().filter(|p| p.location == "query").find(names).map(|p| p.rust_name.clone())
}

/// The page's items: `Some(field)` for an array property (the only one, or one with a usual
/// name), `Some(None)` when the page is itself an array, `None` when neither.
fn items_field(schema: &Value, document: &Value) -> Option<Option<String>> {
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        return Some(None);
    }
    let properties = schema.get("properties")?.as_object()?;
    let arrays: Vec<&String> = properties
        .iter()
        .filter(|(_, p)| pointer::resolve(p, document).get("type").and_then(Value::as_str) == Some("array"))
        .map(|(name, _)| name)
        .collect();
    let chosen = match arrays.as_slice() {
        [only] => *only,
        several => several.iter().find(|name| ITEM_FIELDS.contains(&generator_name(name, false).as_str()))?,
    };
    Some(Some(generator_name(chosen, false)))
}

/// A property of `schema` by its Rust name.
fn property<'a>(schema: &'a Value, document: &'a Value, rust_name: &str) -> Option<&'a Value> {
    let properties = schema.get("properties")?.as_object()?;
    let (_, found) = properties.iter().find(|(name, _)| generator_name(name, false) == rust_name)?;
    Some(pointer::resolve(found, document))
}

/// A plain field (of one of `types`) named one of `names` on the page or one level down in a
/// usual container (`meta.next_cursor`).
fn find_field(schema: &Value, document: &Value, names: &[&str], types: &[&str]) -> Option<FieldPath> {
    let properties = schema.get("properties")?.as_object()?;
    let leaf = |object: &Value| -> Option<String> {
        let properties = object.get("properties")?.as_object()?;
        names.iter().find_map(|wanted| {
            properties.iter().find_map(|(name, p)| {
                let p = pointer::resolve(p, document);
                let fits = types.iter().any(|t| plain(Some(p), t));
                (generator_name(name, false) == *wanted && fits).then(|| generator_name(name, false))
            })
        })
    };
    if let Some(name) = leaf(schema) {
        return Some(FieldPath(vec![(name, false)]));
    }
    properties.iter().find_map(|(name, container)| {
        let rust = generator_name(name, false);
        if !CONTAINERS.contains(&rust.as_str()) {
            return None;
        }
        let container = pointer::resolve(container, document);
        let inner = leaf(container)?;
        Some(FieldPath(vec![(rust, optional(schema, name, container)), (inner, false)]))
    })
}

/// A field path an overlay wrote (`meta.next_cursor`), checked against the page's schema.
fn field_path(schema: &Value, document: &Value, dotted: &str) -> Option<FieldPath> {
    let mut current = schema;
    let mut path = Vec::new();
    for name in dotted.split('.') {
        let found = current.get("properties")?.get(name).map(|p| pointer::resolve(p, document))?;
        path.push((generator_name(name, false), optional(current, name, found)));
        current = found;
    }
    if let Some(last) = path.last_mut() {
        last.1 = false;
    }
    Some(FieldPath(path))
}

/// Whether typify makes the property `name` of `parent` an `Option`: not required, or nullable.
fn optional(parent: &Value, name: &str, property: &Value) -> bool {
    let required =
        parent.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
    !required || property.get("nullable") == Some(&Value::Bool(true))
}

/// String formats typify gives a type of its own; any other format is a `String`.
const TYPED_STRING_FORMATS: [&str; 6] = ["uuid", "date", "date-time", "ip", "ipv4", "ipv6"];

/// Whether `schema` is a plain `kind` typify gives a std type: no pattern, length limits or
/// enum (which make a newtype), no format typify reads into a type of its own. A composition
/// of one plain member (`{nullable: true, allOf: [{type: string}]}`) is that member.
/// Whether paging can read and set the parameter as a `kind`: a plain one of its own, not a
/// component's newtype.
fn readable(parameter: &crate::plan::ParameterPlan, kind: &str) -> bool {
    !parameter.named_type && plain(parameter.schema.as_ref(), kind)
}

fn plain(schema: Option<&Value>, kind: &str) -> bool {
    let Some(schema) = schema else { return false };
    let typed = match schema.get("type") {
        Some(Value::String(t)) => t == kind,
        Some(Value::Array(types)) => types.iter().any(|t| t == kind) && types.iter().all(|t| t == kind || t == "null"),
        None => {
            let single = ["allOf", "anyOf", "oneOf"].iter().find_map(|k| match schema.get(*k) {
                Some(Value::Array(members)) if members.len() == 1 => members.first(),
                _ => None,
            });
            return single.is_some_and(|member| member.get("$ref").is_none() && plain(Some(member), kind));
        }
        _ => false,
    };
    let format_typed = schema.get("format").and_then(Value::as_str).is_some_and(|f| match kind {
        "string" => TYPED_STRING_FORMATS.contains(&f),
        "integer" => false,
        _ => true,
    });
    let newtype = ["pattern", "maxLength", "minLength", "enum", "const"].iter().any(|k| schema.get(*k).is_some());
    typed && !newtype && !format_typed
}
