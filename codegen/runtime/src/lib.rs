//! Credentials, retries, response handling and wire formats shared by every client of a
//! generated crate.
//!
//! This is the same code in every generated crate: it is compiled and tested once, as the
//! `codegen-runtime` crate in `codegen/runtime/`, and copied byte for byte into each generated
//! crate as `src/runtime/` (the crate stays standalone). What differs per API (which operation
//! needs which scheme, which statuses carry JSON, which servers exist) is a table each generated
//! module passes in: see [`Operation`].
//!
//! Modules refer to each other through `super::`, which names this module's root both here and
//! inside a generated crate.

mod config;
mod credentials;
pub mod de;
pub mod explicit_null;
mod hooks;
mod multipart;
pub mod paginate;
pub mod redact;
mod request;
mod response;
mod retry;
pub mod ser;
mod wire;

pub use config::{ClientConfig, RequestOptions, USER_AGENT};
pub use credentials::{basic_auth_value, Credentials, Scheme, SchemeKind, Secret};
pub use hooks::{exec, post, pre, Operation};
pub use multipart::{FilePart, Form, Multipart, PartRule};
pub use request::{all_of_valid, all_valid, checked, joined, with_reason, Checked, MOST_CHECKED};
pub use response::{
    buffer, decode, decode_as_error, decode_error, decoded, decoded_as_error, decoded_error, respond, undecodable,
    BodyExcerpt, DecodeFailure, ResponseHeaders,
};
pub use retry::{execute, retry_after, RetryPolicy, Timeouts};
pub use wire::{encode_path, form_urlencoded, is_boxed_none, DeepObject, Delimited};
