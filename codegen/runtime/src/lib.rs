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

mod call;
mod config;
mod credentials;
#[doc(hidden)]
pub mod de;
#[cfg(feature = "test-double")]
mod double;
mod error;
#[doc(hidden)]
pub mod explicit_null;
mod multipart;
mod oauth;
pub mod paginate;
pub mod redact;
mod request;
mod response;
mod retry;
#[doc(hidden)]
pub mod ser;
pub mod stream;
mod transport;
mod value;
#[cfg(feature = "webhooks")]
pub mod webhook;
mod wire;

// What a caller of a generated client uses.
pub use config::{ClientConfig, RequestOptions, USER_AGENT};
pub use credentials::{Credentials, Secret, TokenProvider};
#[cfg(feature = "test-double")]
pub use double::{RecordedRequest, TestDouble};
pub use error::Error;
pub use multipart::{FilePart, Form};
pub use oauth::ClientCredentials;
pub use response::{BodyExcerpt, DecodeFailure, ResponseHeaders};
pub use retry::{RetryPolicy, Timeouts};
pub use value::{ResponseValue, RAW_BODY_LIMIT};

// What the generated code calls: public so every module of the crate reaches it, hidden from
// the client's documentation because no caller needs it.
#[doc(hidden)]
pub use call::{call, call_stream, exec, post, pre, Operation};
#[doc(hidden)]
pub use credentials::{basic_auth_value, Scheme, SchemeKind};
#[doc(hidden)]
pub use multipart::{Multipart, PartRule};
#[doc(hidden)]
pub use request::{all_of_valid, all_valid, checked, joined, with_reason, Checked, MOST_CHECKED};
#[doc(hidden)]
pub use response::{
    buffer, decode, decode_as_error, decode_error, decoded, decoded_as_error, decoded_error, respond, undecodable,
};
#[doc(hidden)]
pub use retry::{execute, retry_after};
#[doc(hidden)]
pub use transport::Failure;
#[doc(hidden)]
pub use wire::{encode_path, form_urlencoded, is_boxed_none, DeepObject, Delimited};
