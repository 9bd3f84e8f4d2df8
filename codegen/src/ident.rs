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

#[cfg(test)]
mod tests {
    use super::sanitize;

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
