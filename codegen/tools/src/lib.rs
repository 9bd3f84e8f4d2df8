//! The tools around the pipeline: everything that reads or writes the disk, runs processes or
//! reaches the network. The pipeline itself ([`codegen`]) turns page text into a set of files
//! and touches none of those; the xtask calls these.
//!
//! - [`manifest`] and [`workspace`]: `specs/manifest.toml`, the pages it names, and the
//!   generated crates on disk (written atomically by [`output`], checked for drift).
//! - [`fetch`]: the pages again from their published URLs.
//! - [`diff`]: what changed between two versions of a spec, for a user of the client.
//! - [`corpus`] and [`compile_sample`]: the pipeline over a directory of specs, and whether
//!   the clients it generates type-check.
//! - [`bench`](mod@bench): speed and memory against a named baseline.
#![deny(missing_docs)]

pub mod bench;
pub mod compile_sample;
pub mod conform;
pub mod corpus;
pub mod diff;
pub mod fetch;
pub mod fuzz;
pub mod manifest;
pub mod output;
pub mod workspace;
