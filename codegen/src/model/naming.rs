//! The one home for names: spec names made Rust identifiers, the names progenitor and typify
//! will give what they emit, and free names when two would be one.
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

/// `name` with each plural acronym spelled as a word (`clientURLs` → `clientUrls`, `IDs` →
/// `Ids`), so that snake case keeps it whole (`client_urls`, not `client_ur_ls`): a run of two
/// or more capitals followed by a lowercase `s` that ends the word. Other acronyms already
/// split well (`HTTPServer` → `http_server`).
pub fn acronym_aware(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let plural = run >= 2
            && chars.get(i + run) == Some(&'s')
            && chars.get(i + run + 1).is_none_or(|next| !next.is_ascii_lowercase());
        if plural {
            out.push(chars[i]);
            out.extend(chars[i + 1..i + run].iter().map(char::to_ascii_lowercase));
            i += run;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The Rust method of an operation, which is also its id in the runtime's table: the plan
/// decides it once and the generator only reads it. Spelled as progenitor-impl 0.15's
/// `util::sanitize(_, Case::Snake)` does, keyword suffix included, so clients keep the method
/// names they had.
pub fn method_name(operation_id: &str) -> String {
    let out = generator_name(operation_id, false);
    if typify::accept_as_ident(&out) {
        out
    } else {
        format!("{out}_")
    }
}

/// The first of `base`, `base{separator}2`, `base{separator}3`, … that `taken` refuses: the
/// one way a name is made free when another already has it.
pub fn first_free(base: &str, separator: &str, mut taken: impl FnMut(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}{separator}{n}")).find(|name| !taken(name)).expect("some suffix is free")
}

#[cfg(test)]
mod tests {
    use super::{acronym_aware, first_free, generator_name, method_name, sanitize};

    #[test]
    fn plural_acronyms_stay_one_word() {
        let cases =
            ["clientURLs", "IDs", "getAllIDsForUser", "HTTPServer", "URLS", "CPUs_total", "peerURLs2", "Status"];
        let snake: Vec<String> = cases.iter().map(|c| generator_name(&acronym_aware(c), false)).collect();
        assert_eq!(
            snake,
            ["client_urls", "ids", "get_all_ids_for_user", "http_server", "urls", "cpus_total", "peer_urls2", "status"]
        );
    }

    #[test]
    fn free_names_count_from_two_after_the_separator() {
        assert_eq!(first_free("Pet", "", |n| n == "Other"), "Pet");
        assert_eq!(first_free("Pet", "", |n| ["Pet", "Pet2"].contains(&n)), "Pet3");
        assert_eq!(first_free("page", "_", |n| n == "page"), "page_2");
    }

    #[test]
    fn method_names_are_progenitors() {
        assert_eq!(method_name("getItem"), "get_item");
        assert_eq!(method_name("type"), "type_", "a keyword gets a suffix");
        assert_eq!(method_name("1password-list"), "_1password_list");
        assert_eq!(method_name("+1"), "plus1");
    }

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
