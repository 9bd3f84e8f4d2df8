//! Turns vendor API documentation pages into a typed Rust client.
//!
//! Data flows one way, one module per stage:
//! [`extract`] (find the spec in a page) → [`bundle`] (the other files of a multi-file spec) →
//! [`normalize`] (Swagger 2.0 and OpenAPI 3.1/3.2 converted to 3.0, then generic quirk rules, each rewrite
//! recorded) → [`validate`] (the OpenAPI object model, with pointers) → [`overlay`] (hand-written semantic fixes) → [`merge`] (pages of one API become
//! one spec) → [`lower`] (adapt the clean spec to progenitor) → [`generate`] (Rust source) →
//! [`crate_files`] and [`output`] (files on disk, written atomically, checked for drift).
//! [`pipeline`] runs the stages for one API; [`workspace`] runs them for a manifest.
#![deny(missing_docs)]

pub mod bench;
pub mod bundle;
pub mod client_extras;
pub mod compile_sample;
pub mod corpus;
pub mod crate_files;
pub mod diagnostics;
pub mod diff;
pub mod extract;
pub mod fetch;
pub mod format;
pub mod generate;
pub mod item_fixes;
pub mod lower;
pub mod manifest;
pub mod merge;
pub mod naming;
pub mod normalize;
pub mod output;
pub mod overlay;
pub mod pipeline;
pub mod plan;
pub mod pointer;
pub mod refs;
pub mod report;
pub mod runtime;
pub mod subset;
pub mod validate;
pub mod webhook_module;
pub mod workspace;

pub use diagnostics::{Diagnostic, Diagnostics, Result, Severity};
