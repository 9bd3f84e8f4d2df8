//! The runtime every generated crate carries in `src/runtime/`: the sources of the
//! `codegen-runtime` crate (`codegen/runtime/`), where they are compiled, formatted and tested
//! like any Rust, copied here byte for byte so that a generated crate stands alone (the way
//! progenitor-client inlines `progenitor_client.rs` and smithy-rs its `inlineable` crate).
//!
//! What is API-specific (which operation needs which scheme, which statuses carry JSON, which
//! servers exist) is emitted per module by [`crate::generate::client_glue`] as a table of the runtime's
//! `Operation`s.

/// The runtime's source files: the name each has in a generated crate's `src/runtime/`, and
/// its contents. The crate root becomes `mod.rs`; its `mod` items find their files beside it
/// in both places. A test checks that every file of `codegen/runtime/src/` is listed.
pub const FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../runtime/src/lib.rs")),
    ("call.rs", include_str!("../../runtime/src/call.rs")),
    ("config.rs", include_str!("../../runtime/src/config.rs")),
    ("credentials.rs", include_str!("../../runtime/src/credentials.rs")),
    ("de.rs", include_str!("../../runtime/src/de.rs")),
    ("double.rs", include_str!("../../runtime/src/double.rs")),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    ("explicit_null.rs", include_str!("../../runtime/src/explicit_null.rs")),
    ("multipart.rs", include_str!("../../runtime/src/multipart.rs")),
    ("oauth.rs", include_str!("../../runtime/src/oauth.rs")),
    ("paginate.rs", include_str!("../../runtime/src/paginate.rs")),
    ("redact.rs", include_str!("../../runtime/src/redact.rs")),
    ("request.rs", include_str!("../../runtime/src/request.rs")),
    ("response.rs", include_str!("../../runtime/src/response.rs")),
    ("retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("ser.rs", include_str!("../../runtime/src/ser.rs")),
    ("stream.rs", include_str!("../../runtime/src/stream.rs")),
    ("transport.rs", include_str!("../../runtime/src/transport.rs")),
    ("value.rs", include_str!("../../runtime/src/value.rs")),
    ("webhook.rs", include_str!("../../runtime/src/webhook.rs")),
    ("wire.rs", include_str!("../../runtime/src/wire.rs")),
];

/// The first line of each runtime file in a generated crate: generated, and where to change it.
pub fn header(file: &str) -> String {
    let source = if file == "mod.rs" { "lib.rs" } else { file };
    format!("{}// Copied from codegen/runtime/src/{source}: change it there.\n", crate::generate::RUST_HEADER)
}

/// The most setter results the runtime's `all_valid` takes as one tuple (its `MOST_CHECKED`;
/// a test checks they agree).
pub const MOST_CHECKED: usize = 16;

#[cfg(test)]
mod tests {
    #[test]
    fn the_generator_and_the_runtime_agree_on_the_tuples_all_valid_takes() {
        let request = super::FILES.iter().find(|(name, _)| *name == "request.rs").map(|(_, text)| *text).unwrap();
        let declared = format!("pub const MOST_CHECKED: usize = {};", super::MOST_CHECKED);
        assert!(request.contains(&declared), "codegen/runtime/src/request.rs must say `{declared}`");
        let widest = request
            .lines()
            .filter(|line| line.starts_with("checked_tuple!("))
            .map(|line| line.matches(':').count())
            .max();
        assert_eq!(widest, Some(super::MOST_CHECKED), "a `checked_tuple!` for every width up to MOST_CHECKED");
    }
}
