#!/usr/bin/env bash
# Installs openapi-to-rust 0.23.0 (crates.io, its own lock file) into target/bench/openapi-to-rust,
# where `cargo xtask bench` looks for it: the fastest Rust generator we compare with. Only the
# benchmark uses it; tests and CI do not. Takes a few minutes (a release build).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cargo install openapi-to-rust --version =0.23.0 --locked --root "$root/target/bench/openapi-to-rust"
"$root/target/bench/openapi-to-rust/bin/openapi-to-rust" --help | head -3
