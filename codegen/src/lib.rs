//! Turns vendor API documentation pages into the files of a typed Rust client crate.
//!
//! Data flows one way, one module per stage; the folders are numbered in that order:
//! 1. [`extract`]: find the spec in a page (a fenced block, or the file itself).
//! 2. [`bundle`]: pull in the other files of a multi-file spec.
//! 3. [`normalize`]: Swagger 2.0 and OpenAPI 3.1/3.2 converted to 3.0, then generic quirk rules;
//!    every rewrite recorded in the [`report`] with pointer, rule, before and after.
//! 4. [`overlay`]: the hand-written semantic fixes of an OpenAPI Overlay.
//! 5. [`validate`]: the OpenAPI object model, with pointers (degrading, in a lenient run).
//! 6. [`merge`]: the pages of one API become one spec.
//! 7. [`lower`]: adapt the clean spec to what progenitor accepts, without losing meaning.
//! 8. [`plan`]: a typed description of each client (operations, wire names, statuses, security).
//! 9. [`generate`]: progenitor, `quote` and `prettyplease`, then the crate's files (the
//!    runtime in `codegen/runtime/` copied in).
//!
//! [`pipeline`] runs the stages, the same way for every caller (regenerate, generate, corpus,
//! bench). [`model`] is the shared OpenAPI model (walk, pointers, references, naming);
//! [`diagnostics`] the catalogue of errors and warnings. This crate reads no file and touches no
//! network or process: the tools crate (`codegen/tools`) does, and the xtask calls it.
#![deny(missing_docs)]

#[path = "1-extract/mod.rs"]
pub mod extract;

#[path = "2-bundle/mod.rs"]
pub mod bundle;

#[path = "3-normalize/mod.rs"]
pub mod normalize;

#[path = "4-overlay.rs"]
pub mod overlay;

#[path = "5-validate.rs"]
pub mod validate;

#[path = "6-merge.rs"]
pub mod merge;

#[path = "7-lower/mod.rs"]
pub mod lower;

#[path = "8-plan/mod.rs"]
pub mod plan;

#[path = "9-generate/mod.rs"]
pub mod generate;

pub mod diagnostics;
pub mod model;
pub mod parallel;
pub mod pipeline;
pub mod report;
pub mod timing;

pub use diagnostics::{Diagnostic, Diagnostics, Result, Severity};
