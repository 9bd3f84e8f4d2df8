//! The shared OpenAPI model every stage works on: documents are `serde_json::Value`s, and this
//! is how they are walked ([`walk`], [`keys`] for walks without object kinds), addressed ([`pointer`](mod@pointer)), followed ([`refs`]), how
//! their names become Rust names ([`naming`]) and which of them hold secrets ([`secrets`]) and which media types stream ([`streams`]).

pub mod keys;
pub mod naming;
pub mod pointer;
pub mod refs;
pub mod secrets;
pub mod streams;
pub mod walk;
