//! The one place names from a spec become Rust identifiers.
//!
//! Names come from server hosts (`1password.local`), security scheme names and manifest
//! entries; any of them can start with a digit, hold punctuation or be a keyword, and
//! `format_ident!` panics on those. Everything the generator emits as an identifier passes here.

use proc_macro2::Ident;

/// `name` made a valid Rust identifier: characters outside `[A-Za-z0-9_]` become `_`, a leading
/// digit gets a `_` before it, a keyword gets one after it, and an empty name becomes `_x`.
pub fn sanitize(name: &str) -> String {
    let mut out: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if out.is_empty() || out == "_" {
        out = "_x".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if syn::parse_str::<Ident>(&out).is_err() {
        out.push('_');
    }
    out
}

/// [`sanitize`] as an identifier token.
pub fn ident(name: &str) -> Ident {
    Ident::new(&sanitize(name), proc_macro2::Span::call_site())
}

/// How progenitor 0.15 and typify 0.8 name what they emit from a spec name (their shared
/// `sanitize(input, Case)`), reproduced so the lower stage can foresee two names becoming one:
/// `maxResults` and `MaxResults` are both the argument `max_results`; `ASC` and `asc` both the
/// variant `Asc`. Keyword suffixes are left out: they never make two names equal.
pub fn generator_name(input: &str, pascal: bool) -> String {
    use heck::{ToPascalCase, ToSnakeCase};
    let recase = |s: &str| if pascal { s.to_pascal_case() } else { s.to_snake_case() };
    let out = match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => recase(&input.replace('\'', "").replace(|c: char| !unicode_ident::is_xid_continue(c), "-")),
    };
    match out.chars().next() {
        None => recase("x"),
        Some(c) if unicode_ident::is_xid_start(c) => out,
        // typify prefixes the case's "x", progenitor's parameters an underscore.
        Some(_) if pascal => format!("X{out}"),
        Some(_) => format!("_{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{generator_name, sanitize};

    #[test]
    fn generator_names_match_what_progenitor_and_typify_emit() {
        // Pairs seen colliding in the APIs.guru corpus.
        assert_eq!(generator_name("maxResults", false), generator_name("MaxResults", false));
        assert_eq!(generator_name("maxResults", false), "max_results");
        assert_eq!(generator_name("code[]", false), "code");
        assert_eq!(generator_name("ASC", true), generator_name("asc", true));
        assert_eq!(generator_name("reactions-+1", true), generator_name("reactions--1", true));
        assert_eq!(generator_name("+1", true), "plus1", "typify's special case, lower-case as it emits it");
        assert_eq!(generator_name("1st", true), "X1st");
        assert_eq!(generator_name("Pull Request Stack", true), "PullRequestStack");
    }

    #[test]
    fn every_name_becomes_a_valid_identifier() {
        for (name, expected) in [
            ("1PASSWORD", "_1PASSWORD"),
            ("127", "_127"),
            ("type", "type_"),
            ("self", "self_"),
            ("x-api-key", "x_api_key"),
            ("", "_x"),
            ("_", "_x"),
            ("ok_name", "ok_name"),
        ] {
            assert_eq!(sanitize(name), expected, "{name:?}");
            let _: syn::Ident = syn::parse_str(expected).unwrap();
        }
    }
}
