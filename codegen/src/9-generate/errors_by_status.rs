//! The error type of each operation whose error bodies differ: an enum with one variant per
//! documented error status, each holding the type that status documents.
//!
//! Lowering ([`crate::lower::errors`]) gives every such error body as any JSON value to the
//! types, and marks each status with its component; the operation's `send`
//! ([`crate::generate::operations`]) decodes each status into its own variant
//! (`crate::runtime::decoded_error`) and returns this enum. A 403 is always `Forbidden`, whatever its body looks like; a status
//! the documentation does not list is `Error::UnexpectedResponse`, with status, headers and body.
//! An enum serializes as the body it holds, as the body types do.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::naming::{generator_name, ident};
use crate::plan::{ClientPlan, OperationPlan};

/// One variant of an operation's error enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusVariant {
    /// The status's match pattern, without suffixes or spaces: `403`, `400..=499`, `_`.
    pub pattern: String,
    /// The variant's name.
    pub variant: Ident,
}

/// The enum of an operation with errors by status, named after its builder type.
pub fn enum_name(operation: &OperationPlan) -> Ident {
    ident(&format!("{}Error", operation.builder_name))
}

/// The variants of `operation`'s error enum, in the documented order.
pub fn variants(operation: &OperationPlan) -> Vec<StatusVariant> {
    let mut taken: Vec<String> = Vec::new();
    operation
        .errors_by_status
        .iter()
        .map(|error| {
            let base = variant_name(&error.status);
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
            taken.push(name.clone());
            StatusVariant { pattern: pattern(&error.status), variant: ident(&name) }
        })
        .collect()
}

/// `pub mod errors { ... }` with the enums of `plan`'s operations, or nothing when none needs one.
pub fn tokens(plan: &ClientPlan) -> TokenStream {
    let enums: Vec<TokenStream> = plan
        .operations
        .iter()
        .filter(|operation| !operation.errors_by_status.is_empty())
        .map(|operation| {
            let name = enum_name(operation);
            let doc = format!(
                " The documented error responses of [`super::Client::{}`], each decoded by its status into the type that status documents. A status not listed here is `Error::UnexpectedResponse`, with status, headers and body.",
                operation.method_name
            );
            let variants = operation.errors_by_status.iter().zip(variants(operation)).map(|(error, variant)| {
                let ty = ident(&generator_name(&error.component, true));
                let reason = reason(&error.status).map(|r| format!(" {r}")).unwrap_or_default();
                let description = error.description.trim();
                let says_more = !description.is_empty() && !reason.trim().eq_ignore_ascii_case(description);
                let doc = match says_more {
                    true => format!(" `{}`{reason}: {description}", error.status),
                    false => format!(" `{}`{reason}.", error.status),
                };
                let variant = variant.variant;
                quote! { #[doc = #doc] #variant(super::types::#ty) }
            });
            quote! {
                #[doc = #doc]
                #[derive(Clone, Debug, ::serde::Serialize)]
                #[serde(untagged)]
                pub enum #name { #(#variants,)* }
            }
        })
        .collect();
    if enums.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// Error types of the operations whose error statuses document different bodies: one
        /// variant per status, so a body is never matched by its shape.
        pub mod errors {
            #(#enums)*
        }
    }
}

/// The arm pattern of a status key, normalized.
fn pattern(status: &str) -> String {
    match status.as_bytes() {
        [digit, b'X' | b'x', b'X' | b'x'] if digit.is_ascii_digit() => {
            let low = u16::from(digit - b'0') * 100;
            format!("{low}..={}", low + 99)
        }
        _ if status == "default" => "_".to_string(),
        _ => status.to_string(),
    }
}

/// The variant a status key is named by: its reason phrase, the class of a range, `Default`.
fn variant_name(status: &str) -> String {
    if let Some(phrase) = reason(status) {
        return phrase.replace(['-', '\'', ' '], "");
    }
    match status.as_bytes() {
        [b'4', _, _] if pattern(status).contains("..=") => "ClientError".to_string(),
        [b'5', _, _] if pattern(status).contains("..=") => "ServerError".to_string(),
        _ if status == "default" => "Default".to_string(),
        _ => format!("Status{}", status.replace(|c: char| !c.is_ascii_alphanumeric(), "")),
    }
}

/// The reason phrase of an error status (RFC 9110 and the common extensions).
fn reason(status: &str) -> Option<&'static str> {
    Some(match status.parse::<u16>().ok()? {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{pattern, variant_name};

    #[test]
    fn statuses_name_their_variants_and_their_arm_patterns() {
        let cases = [
            ("403", "Forbidden", "403"),
            ("422", "UnprocessableContent", "422"),
            ("4XX", "ClientError", "400..=499"),
            ("5XX", "ServerError", "500..=599"),
            ("default", "Default", "_"),
            ("499", "Status499", "499"),
        ];
        for (status, variant, arm) in cases {
            assert_eq!((variant_name(status).as_str(), pattern(status).as_str()), (variant, arm), "{status}");
        }
    }
}
