//! Stage 1, extract: find the OpenAPI document in a file: a bare spec, or a documentation page.
//!
//! What a file is, is decided by parsing it, never by its name or first bytes: a file that parses
//! (as JSON or YAML) into an object with an `openapi` or `swagger` key is a spec, wherever that
//! key stands and whatever the file is called (`.json`, `.yml`, none, `.tmpl`). Markdown inside
//! its description strings never matters. Only a file that is not a spec is read as a page:
//! vendor pages wrap their spec in a Markdown code fence (```` ```json POST /path ````, or a YAML
//! fence), and the fence's language chooses the parser, so a JSON syntax error is reported as one
//! and not hidden behind a YAML retry. The version is checked before anything is deserialized:
//! Swagger 2.0 and OpenAPI 3.0 to 3.2 are read (2.0, 3.1 and 3.2 are converted by the normalizer).

pub mod yaml;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Kind, Result};

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
/// `extension` is the file's extension; it only says which parser to try first on a bare file.
///
/// # Errors
/// A diagnostic when the file is no spec and holds none, holds more than one, the spec does not
/// parse (with its line), or is of a version this tool does not read.
pub fn extract(page: &str, extension: Option<&str>) -> Result<Extracted> {
    let whole = parse_whole(page, extension);
    if let Ok(extracted) = &whole {
        if declares_version(&extracted.document) {
            check_version(extracted)?;
            return whole;
        }
    }
    let named_as_spec = matches!(extension, Some("json" | "yaml" | "yml"));
    if named_as_spec {
        // A file named as a spec that does not parse: the syntax error, with its line.
        whole.as_ref().map_err(Clone::clone)?;
    }
    let blocks = fenced_blocks(page);
    let candidates: Vec<&Block<'_>> = blocks.iter().filter(|b| looks_like_spec(&b.body)).collect();
    let extracted = match candidates.as_slice() {
        // A bare file that parses without a version key, but is an OpenAPI document otherwise:
        // the version check below says what is missing.
        [] if blocks.is_empty() || named_as_spec => match whole {
            Err(e) if looks_like_spec(page) => return Err(e),
            Ok(extracted) if extracted.document.get("paths").is_some() || extracted.document.get("info").is_some() => {
                extracted
            }
            _ => return Err(no_document()),
        },
        [] => return Err(no_document()),
        [block] => {
            let syntax = syntax_of_fence(block.info).unwrap_or_else(|| sniff(&block.body));
            parse(&block.body, syntax, block.first_line)?
        }
        [first, second, ..] => {
            return Err(Diagnostic::new(Kind::SeveralDocuments, "the page holds more than one OpenAPI document")
                .on_line(second.first_line)
                .help(format!("the first starts on line {}; {}", first.first_line, Kind::SeveralDocuments.help()))
                .into())
        }
    };
    check_version(&extracted)?;
    Ok(extracted)
}

fn no_document() -> crate::Diagnostics {
    Diagnostic::new(Kind::NoDocument, "no OpenAPI document found in this page").into()
}

/// The whole file parsed, with the parser its extension names, else the one its first
/// character suggests.
fn parse_whole(text: &str, extension: Option<&str>) -> Result<Extracted> {
    let syntax = match extension {
        Some("json") => Syntax::Json,
        Some("yaml" | "yml") => Syntax::Yaml,
        _ => sniff(text),
    };
    parse(text, syntax, 1)
}

/// Whether a parsed value is an OpenAPI or Swagger document: an object with a version key.
fn declares_version(document: &Value) -> bool {
    document.get("openapi").is_some() || document.get("swagger").is_some()
}

/// Whether a fenced block looks like an OpenAPI or Swagger document (a cheap look before
/// parsing, so that a malformed spec block is still reported as malformed).
fn looks_like_spec(text: &str) -> bool {
    ["\"openapi\"", "\"swagger\"", "openapi:", "swagger:"].iter().any(|key| text.contains(key))
}

fn syntax_of_fence(info: &str) -> Option<Syntax> {
    match info.split_whitespace().next()?.to_ascii_lowercase().as_str() {
        "json" | "jsonc" => Some(Syntax::Json),
        "yaml" | "yml" => Some(Syntax::Yaml),
        _ => None,
    }
}

fn sniff(text: &str) -> Syntax {
    match text.trim_start_matches('\u{feff}').trim_start().chars().next() {
        Some('{' | '[') => Syntax::Json,
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

/// Parses a whole file of JSON or YAML (chosen by its first character, `{` or `[` for JSON),
/// with YAML mapping keys such as `200:` read as the strings OpenAPI means.
///
/// # Errors
/// The syntax error, with its line.
pub fn parse_value(text: &str) -> Result<Value> {
    parse(text, sniff(text), 1).map(|extracted| extracted.document)
}

fn parse(text: &str, syntax: Syntax, first_line: usize) -> Result<Extracted> {
    let document = match syntax {
        Syntax::Json => serde_json::from_str::<Value>(text).map_err(|e| {
            Diagnostic::new(Kind::MalformedJson, format!("malformed JSON: {e}"))
                .on_line(first_line + e.line().saturating_sub(1))
        })?,
        Syntax::Yaml => yaml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::new(Kind::MalformedYaml, format!("malformed YAML: {e}"));
            if let Some(location) = e.location() {
                d = d.on_line(first_line + location.line().saturating_sub(1));
            }
            d
        })?,
    };
    Ok(Extracted { document, syntax, first_line })
}

/// Checks that the document is of a version this tool reads, before anything deserializes it.
fn check_version(extracted: &Extracted) -> Result<()> {
    let line = extracted.first_line;
    let root = extracted
        .document
        .as_object()
        .ok_or_else(|| Diagnostic::new(Kind::NotAnObject, "the spec is not an object").at("").on_line(line))?;
    if let Some(version) = root.get("swagger") {
        let version = display_scalar(version);
        return if version.trim() == "2.0" {
            Ok(())
        } else {
            Err(Diagnostic::new(Kind::UnknownVersion, format!("unknown Swagger version {version:?}"))
                .at("/swagger")
                .on_line(line)
                .into())
        };
    }
    let Some(version) = root.get("openapi") else {
        return Err(Diagnostic::new(Kind::MissingVersion, "the document has no `openapi` version field")
            .at("")
            .on_line(line)
            .into());
    };
    let version = display_scalar(version);
    // 3.1 and 3.2 are converted to 3.0 by the normalizer (normalize/openapi31.rs).
    if ["3.0", "3.1", "3.2"].iter().any(|family| version.trim().starts_with(family)) {
        Ok(())
    } else {
        Err(Diagnostic::new(Kind::UnknownVersion, format!("unknown OpenAPI version {version:?}"))
            .at("/openapi")
            .on_line(line)
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

    #[test]
    fn a_json_spec_whose_version_key_comes_last_is_a_spec() {
        let filler: String = (0..400).map(|i| format!("\"x-key-{i:03}\": \"{}\", ", "a".repeat(20))).collect();
        let text = format!("{{\"components\": {{}}, {filler}\"paths\": {{}}, \"openapi\": \"3.0.3\"}}");
        assert!(text.find("openapi").unwrap() > 8192);
        let extracted = extract(&text, Some("json")).unwrap();
        assert_eq!(extracted.document["openapi"], "3.0.3");
    }

    #[test]
    fn fences_inside_a_yaml_specs_descriptions_do_not_matter() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n  description: |\n    Example:\n    ```json\n    {\"openapi\": \"3.1.0\", \"broken\": }\n    ```\npaths: {}\n";
        let extracted = extract(text, Some("yaml")).unwrap();
        assert_eq!(extracted.document["openapi"], "3.0.3");
        assert_eq!(extracted.syntax, Syntax::Yaml);
    }

    #[test]
    fn a_spec_is_recognised_whatever_its_extension() {
        for extension in [None, Some("tmpl"), Some("txt")] {
            let yaml = extract("---\nswagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n", extension).unwrap();
            assert_eq!(yaml.document["swagger"], "2.0", "{extension:?}");
            let json = extract("{\"paths\": {}, \"openapi\": \"3.1.0\"}", extension).unwrap();
            assert_eq!(json.syntax, Syntax::Json, "{extension:?}");
        }
    }

    #[test]
    fn versions_this_tool_reads_and_those_it_names() {
        for version in ["3.0.3", "3.1.1", "3.2.0"] {
            assert!(extract(&format!("openapi: {version}\npaths: {{}}\n"), Some("yaml")).is_ok(), "{version}");
        }
        let err = extract("openapi: 4.0.0\npaths: {}\n", Some("yaml")).unwrap_err();
        assert_eq!(err.iter().next().unwrap().message, "unknown OpenAPI version \"4.0.0\"");
    }
}
