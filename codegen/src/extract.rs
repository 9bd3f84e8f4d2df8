//! Stage 1: find the OpenAPI document inside a documentation page.
//!
//! Vendor pages wrap their spec in a Markdown code fence (```` ```json POST /path ````, or a YAML
//! fence), or are a bare spec file. The parser is chosen by what the page declares (the fence's
//! language, else the file extension, else the first character), so a JSON syntax error is
//! reported as one and not hidden behind a YAML retry. Before anything is deserialized, the
//! document's kind is checked, so a Swagger 2.0 file gets "not supported yet" rather than a serde
//! error about untagged enums.

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Result};

/// The syntax a spec was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// JSON.
    Json,
    /// YAML (1.2 as `serde_yaml_ng` reads it).
    Yaml,
}

/// The spec found in a page.
#[derive(Clone, Debug)]
pub struct Extracted {
    /// The raw document, exactly as the page holds it (quirks included).
    pub document: Value,
    /// The syntax it was written in.
    pub syntax: Syntax,
    /// The 1-based line of the page on which the document starts.
    pub first_line: usize,
}

/// A fenced block of a Markdown page.
struct Block<'a> {
    info: &'a str,
    body: String,
    first_line: usize,
}

/// Finds and parses the one OpenAPI document in `page`.
///
/// `extension` is the page's file extension (used for bare spec files).
///
/// # Errors
/// A diagnostic when the page has no spec, holds more than one, the spec does not parse (with its
/// line), or is not an OpenAPI 3.0 document.
pub fn extract(page: &str, extension: Option<&str>) -> Result<Extracted> {
    let blocks = fenced_blocks(page);
    let candidates: Vec<&Block<'_>> = blocks.iter().filter(|b| looks_like_spec(&b.body)).collect();
    let extracted = match candidates.as_slice() {
        [] if blocks.is_empty() && looks_like_spec(page) => {
            let syntax = match extension {
                Some("json") => Syntax::Json,
                Some("yaml" | "yml") => Syntax::Yaml,
                _ => sniff(page),
            };
            parse(page, syntax, 1)?
        }
        [] => {
            return Err(Diagnostic::error("no OpenAPI document found in this page")
                .help(
                    "the page must hold an OpenAPI 3.0 document in a ```json or ```yaml fence, or be a \
                     bare spec file; if the vendor publishes the API only as prose, write the spec by \
                     hand beside the page and name it with `spec = \"...\"` in specs/manifest.toml",
                )
                .into())
        }
        [block] => {
            let syntax = syntax_of_fence(block.info).unwrap_or_else(|| sniff(&block.body));
            parse(&block.body, syntax, block.first_line)?
        }
        [first, second, ..] => {
            return Err(Diagnostic::error("the page holds more than one OpenAPI document")
                .on_line(second.first_line)
                .help(format!(
                    "the first starts on line {}; split the page, or give each document its own page \
                     in specs/manifest.toml",
                    first.first_line
                ))
                .into())
        }
    };
    check_version(&extracted)?;
    Ok(extracted)
}

/// Whether text looks like an OpenAPI or Swagger document (a cheap look before parsing).
fn looks_like_spec(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    ["\"openapi\"", "\"swagger\"", "openapi:", "swagger:"]
        .iter()
        .any(|key| head.contains(key))
}

fn syntax_of_fence(info: &str) -> Option<Syntax> {
    match info.split_whitespace().next()?.to_ascii_lowercase().as_str() {
        "json" | "jsonc" => Some(Syntax::Json),
        "yaml" | "yml" => Some(Syntax::Yaml),
        _ => None,
    }
}

fn sniff(text: &str) -> Syntax {
    match text.trim_start().chars().next() {
        Some('{') => Syntax::Json,
        _ => Syntax::Yaml,
    }
}

/// The fenced code blocks of a Markdown page (backtick or tilde fences of any length).
fn fenced_blocks(page: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut open: Option<(char, usize, &str, usize, Vec<&str>)> = None;
    for (index, line) in page.lines().enumerate() {
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let fence_len = fence_char.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
        match (&mut open, fence_char) {
            (Some((c, len, info, first_line, lines)), Some(fc))
                if fc == *c && fence_len >= *len && trimmed[fence_len..].trim().is_empty() =>
            {
                blocks.push(Block { info, body: lines.join("\n"), first_line: *first_line });
                open = None;
            }
            (Some((.., lines)), _) => lines.push(line),
            (None, Some(c)) if fence_len >= 3 => {
                open = Some((c, fence_len, trimmed[fence_len..].trim(), index + 2, Vec::new()));
            }
            (None, _) => {}
        }
    }
    blocks
}

fn parse(text: &str, syntax: Syntax, first_line: usize) -> Result<Extracted> {
    let document = match syntax {
        Syntax::Json => serde_json::from_str::<Value>(text).map_err(|e| {
            Diagnostic::error(format!("malformed JSON: {e}"))
                .on_line(first_line + e.line().saturating_sub(1))
                .help("fix the JSON syntax at that line of the page (or in an overlay, if the page is upstream's)")
        })?,
        Syntax::Yaml => {
            let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
                let mut d = Diagnostic::error(format!("malformed YAML: {e}"))
                    .help("fix the YAML syntax at that line of the page");
                if let Some(location) = e.location() {
                    d = d.on_line(first_line + location.line().saturating_sub(1));
                }
                d
            })?;
            yaml_to_json(yaml, "")?
        }
    };
    Ok(Extracted { document, syntax, first_line })
}

/// Converts YAML to JSON, turning scalar keys such as `200:` into strings as OpenAPI means them.
fn yaml_to_json(yaml: serde_yaml_ng::Value, pointer: &str) -> Result<Value> {
    use serde_yaml_ng::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).unwrap_or(Value::Null),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &format!("{pointer}/{i}")))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Diagnostic::error(format!(
                            "a YAML mapping key must be a scalar, found {other:?}"
                        ))
                        .at(pointer)
                        .into())
                    }
                };
                let child = crate::pointer::child(pointer, &key);
                object.insert(key, yaml_to_json(value, &child)?);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => {
            return Err(Diagnostic::error(format!("YAML tag {} is not part of OpenAPI", tagged.tag))
                .at(pointer)
                .help("remove the tag; OpenAPI documents use plain JSON-compatible YAML")
                .into())
        }
    })
}

/// Checks that the document is OpenAPI 3.0 before anything deserializes it.
fn check_version(extracted: &Extracted) -> Result<()> {
    let line = extracted.first_line;
    let root = extracted.document.as_object().ok_or_else(|| {
        Diagnostic::error("the spec is not an object").at("").on_line(line)
    })?;
    if let Some(version) = root.get("swagger") {
        return Err(Diagnostic::error(format!(
            "Swagger {} documents are not supported yet",
            display_scalar(version)
        ))
        .at("/swagger")
        .on_line(line)
        .help("convert the document to OpenAPI 3.0 (for example with swagger2openapi) and point specs/manifest.toml at the converted file")
        .into());
    }
    let Some(version) = root.get("openapi") else {
        return Err(Diagnostic::error("the document has no `openapi` version field")
            .at("")
            .on_line(line)
            .help("an OpenAPI document starts with `openapi: 3.0.x`")
            .into());
    };
    let version = display_scalar(version);
    // 3.1 is converted to 3.0 by the normalizer (normalize/openapi31.rs).
    if version.starts_with("3.0") || version.starts_with("3.1") {
        Ok(())
    } else {
        Err(Diagnostic::error(format!("unknown OpenAPI version {version:?}"))
            .at("/openapi")
            .on_line(line)
            .help("this tool reads OpenAPI 3.0.x and 3.1.x documents")
            .into())
    }
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_spec_fence_among_example_fences_and_reports_its_line() {
        let page = "# Title\n\n```json\n{\"a\": 1}\n```\n\n````yaml GET /x\nopenapi: 3.0.0\npaths: {}\n````\n";
        let extracted = extract(page, Some("md")).unwrap();
        assert_eq!(extracted.syntax, Syntax::Yaml);
        assert_eq!(extracted.first_line, 8);
        assert_eq!(extracted.document["openapi"], "3.0.0");
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let extracted = extract("openapi: 3.0.0\nresponses:\n  200: {description: ok}\n", Some("yaml")).unwrap();
        assert_eq!(extracted.document["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn json_syntax_errors_carry_the_page_line() {
        let page = "intro\n\n```json\n{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {,}\n}\n```\n";
        let err = extract(page, Some("md")).unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.line, Some(6));
        assert!(d.message.starts_with("malformed JSON"), "{}", d.message);
    }
}
