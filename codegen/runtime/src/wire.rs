//! What progenitor cannot put on the wire itself: documented parameter names it had to rename,
//! `deepObject` query parameters, form bodies with arrays and objects, and path segments encoded
//! as RFC 3986 says.

/// Percent-encodes one path segment (a path parameter's value) as RFC 3986 says: everything
/// but its unreserved characters, sub-delimiters, `:` and `@`. progenitor's own encoder leaves
/// `\`, `[`, `]`, `|` and `^` as they are, and the URL parser then turns a `\` into a `/`,
/// another path.
pub fn encode_path(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(char::from(byte)),
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b':' | b'@' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// An array query parameter sent as one `name=a|b|c` pair: `pipeDelimited` (`|`),
/// `spaceDelimited` (` `) or `form` with `explode: false` (`,`). progenitor sends every array
/// as repeated keys, or refuses the delimited styles.
pub struct Delimited<'a, T> {
    name: &'a str,
    value: &'a T,
    delimiter: &'static str,
}

impl<'a, T> Delimited<'a, T> {
    /// The parameter `name` with its `value`, items joined by `delimiter`.
    pub fn new(name: &'a str, value: &'a T, delimiter: &'static str) -> Self {
        Self { name, value, delimiter }
    }
}

impl<T: serde::Serialize> serde::Serialize for Delimited<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = |value: &serde_json::Value| match value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let joined = match serde_json::to_value(self.value).map_err(serde::ser::Error::custom)? {
            serde_json::Value::Null => return serializer.collect_seq(Vec::<(String, String)>::new()),
            serde_json::Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(self.delimiter),
            other => text(&other),
        };
        serializer.collect_seq([(self.name, joined)])
    }
}

/// A query parameter in `style: deepObject`, sent as `name[key]=value` pairs: nested objects
/// as `name[a][b]`, arrays as the repeated `name[key][]`, null values left out. The generated
/// methods send such parameters through it (progenitor has no such style).
pub struct DeepObject<'a, T> {
    name: &'a str,
    value: &'a T,
}

impl<'a, T> DeepObject<'a, T> {
    /// The parameter `name` with its `value`.
    pub fn new(name: &'a str, value: &'a T) -> Self {
        Self { name, value }
    }
}

impl<T: serde::Serialize> serde::Serialize for DeepObject<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.value).map_err(serde::ser::Error::custom)?;
        let mut pairs = Vec::new();
        deep_object_pairs(self.name.to_string(), &value, &mut pairs);
        serializer.collect_seq(pairs)
    }
}

fn deep_object_pairs(key: String, value: &serde_json::Value, pairs: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(map) => {
            for (name, inner) in map {
                deep_object_pairs(format!("{key}[{name}]"), inner, pairs);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                deep_object_pairs(format!("{key}[]"), item, pairs);
            }
        }
        serde_json::Value::String(text) => pairs.push((key, text.clone())),
        other => pairs.push((key, other.to_string())),
    }
}

/// Sends `body` as `application/x-www-form-urlencoded`, the way OpenAPI's default form encoding
/// (`style: form`, `explode: true`) says: an array property repeats its key (`tags=a&tags=b`),
/// an object property sends its fields bracketed (`address[city]=Oslo`, the convention of
/// Rails, PHP and Stripe), `null` and absent fields send nothing. progenitor's own encoder
/// (`serde_urlencoded`) refuses any array or object, so such a request was never sent.
///
/// # Errors
/// `InvalidRequest` when the body does not serialize.
#[allow(clippy::result_large_err)]
pub fn form_urlencoded<E>(
    builder: reqwest::RequestBuilder,
    body: &impl serde::Serialize,
) -> Result<reqwest::RequestBuilder, super::Error<E>> {
    let invalid = |e: &dyn std::fmt::Display| super::Error::InvalidRequest(format!("form body: {e}"));
    let value = serde_json::to_value(body).map_err(|e| invalid(&e))?;
    let mut pairs = Vec::new();
    for (name, field) in value.as_object().into_iter().flatten() {
        match field {
            serde_json::Value::Array(items) => {
                for item in items {
                    let key = if item.is_object() || item.is_array() { format!("{name}[]") } else { name.clone() };
                    deep_object_pairs(key, item, &mut pairs);
                }
            }
            other => deep_object_pairs(name.clone(), other, &mut pairs),
        }
    }
    let text = serde_urlencoded::to_string(&pairs).map_err(|e| invalid(&e))?;
    Ok(builder
        .header(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
        )
        .body(text))
}

/// `skip_serializing_if` of an optional field typify boxes (its type contains its own struct):
/// `Option::is_none` does not take the `Box`.
#[allow(clippy::borrowed_box, clippy::ref_option)] // serde passes a reference to the field.
pub fn is_boxed_none<T>(value: &Box<Option<T>>) -> bool {
    value.is_none()
}
