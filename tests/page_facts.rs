//! Pages 002 and 003 carry no machine-readable spec, so their specs are written by hand. These
//! tests read the facts off the pages themselves (every field name, limit, pattern, status and
//! error code the page lists) and check each one is in the hand-written spec, so a fact left out
//! or mistyped fails here rather than in a user's request.

use std::collections::BTreeSet;
use std::fs;

use pipeline_tests::repository_root;
use serde_json::Value;

fn page(name: &str) -> String {
    fs::read_to_string(repository_root().join("specs/supermetrics").join(name)).unwrap()
}

fn spec(name: &str) -> Value {
    let text = fs::read_to_string(repository_root().join("specs/supermetrics").join(name)).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

/// Every key and scalar of the spec, as text.
fn words_of(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                out.insert(key.clone());
                words_of(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| words_of(item, out)),
        Value::String(s) => {
            out.insert(s.clone());
        }
        other => {
            out.insert(other.to_string());
        }
    }
}

fn words(value: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    words_of(value, &mut out);
    out
}

/// The value after a rendered label such as `Max length100` or `Pattern^[A-Z]+$`.
fn labelled<'a>(page: &'a str, label: &str) -> Vec<&'a str> {
    page.lines().filter_map(|l| l.strip_prefix(label)).map(str::trim).filter(|v| !v.is_empty()).collect()
}

#[test]
fn connector_secret_spec_holds_every_fact_of_its_page() {
    let page = page("create-connector-secret.page.txt");
    let spec = spec("create-connector-secret.openapi.yaml");
    let words = words(&spec);
    let mut facts = Vec::new();
    for label in ["Max length", "Min length", "Minimum", "Maximum", "Max items", "Pattern", "Example"] {
        facts.extend(labelled(&page, label).into_iter().map(|v| (label, v.to_string())));
    }
    for status in page.lines().filter(|l| l.len() == 3 && l.chars().all(|c| c.is_ascii_digit())) {
        facts.push(("status", status.to_string()));
    }
    for line in page.lines().filter_map(|l| l.trim().strip_prefix("\"code\": \"")) {
        facts.push(("error code", line.trim_end_matches([',', '"']).to_string()));
    }
    for name in [
        "team_id",
        "connector_identifier",
        "secret_name",
        "secret_value",
        "count",
        "secrets",
        "secret_placeholder",
        "request_id",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "Retry-After",
        "WWW-Authenticate",
        "Access-Control-Allow-Origin",
    ] {
        assert!(page.contains(name), "{name} is on the page");
        facts.push(("name", name.to_string()));
    }
    let missing: Vec<_> = facts.iter().filter(|(_, v)| !words.contains(v)).collect();
    assert!(missing.is_empty(), "facts of the page missing from the spec: {missing:?}");
    assert!(facts.len() > 60, "the page parser found only {} facts", facts.len());
    let path = spec["paths"].as_object().unwrap().keys().next().unwrap().clone();
    assert!(page.contains(&path), "the documented path {path}");
    let statuses: BTreeSet<&str> =
        spec["paths"][&path]["post"]["responses"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(statuses, ["201", "400", "401", "403", "404", "409", "422", "429", "500"].into());
}

#[test]
fn api_keys_spec_holds_every_fact_of_its_page() {
    let page = page("manage-api-keys.page.txt");
    let spec = spec("manage-api-keys.openapi.yaml");
    let words = words(&spec);
    let mut facts = Vec::new();
    let mut sentences = Vec::new();
    // Table rows: `name | type | description |` (object reference), `scope | description |` and `status | CODE | text |`.
    for row in page.lines().filter(|l| l.matches('|').count() >= 2) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        match cells.as_slice() {
            [status, code, description, ..] if status.len() == 3 && status.chars().all(|c| c.is_ascii_digit()) => {
                facts.push(status.to_string());
                facts.push(code.to_string());
                sentences.push(description.to_string());
            }
            [name, ..]
                if !name.is_empty()
                    && !name.contains(' ')
                    && *name != "Property"
                    && *name != "Scope"
                    && *name != "Status"
                    && !name.contains('>') =>
            {
                facts.push(name.to_string());
            }
            _ => {}
        }
    }
    // Parameter lists: `-` then the name on the next line.
    let lines: Vec<&str> = page.lines().collect();
    for pair in lines.windows(2) {
        if pair[0] == "-" {
            facts.push(pair[1].to_string());
        }
    }
    for permission in ["api_keys_read", "api_keys_write"] {
        assert!(page.contains(permission));
        facts.push(permission.to_string());
    }
    // Names and codes must appear as keys or values; error descriptions inside a longer text.
    let mut missing: Vec<&String> = facts.iter().filter(|fact| !words.contains(*fact)).collect();
    missing.extend(sentences.iter().filter(|s| !words.iter().any(|w| w.contains(s.as_str()))));
    assert!(missing.is_empty(), "facts of the page missing from the spec: {missing:?}");
    assert!(facts.len() >= 50 && sentences.len() == 6, "the page parser found only {} facts: {facts:?}", facts.len());
    for (method, url) in [("POST", "/api_key"), ("PATCH", "/api_key/{api_key_id}")] {
        let documented =
            format!("{method} https://api.supermetrics.com/enterprise/v2{}", url.replace("{api_key_id}", "apk_3"));
        assert!(page.contains(&documented), "{documented}");
        assert!(spec["paths"][url][method.to_lowercase()].is_object(), "{method} {url}");
    }
    assert_eq!(spec["servers"][0]["url"], "https://api.supermetrics.com/enterprise/v2");
    for (url, method) in [("/api_keys", "get"), ("/api_key/{api_key_id}", "get")] {
        assert!(
            spec["paths"][url][method]["x-pipeline-assumption"].is_string(),
            "{method} {url}: the chosen URL is marked"
        );
    }
    for field in ["scope_names", "allow_ips"] {
        let schema = &spec["components"]["schemas"]["AddApiKeyRequest"]["properties"][field];
        assert_eq!(schema["oneOf"].as_array().map(Vec::len), Some(2), "{field} is string | string[]");
    }
}
