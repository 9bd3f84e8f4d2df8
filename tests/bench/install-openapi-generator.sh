#!/usr/bin/env bash
# Installs openapi-generator 7.26 (the jar, wrapped by PyPI's openapi-generator-cli; it needs
# Java) into target/bench/venv, where `cargo xtask bench` looks for it. Only the benchmark uses
# it; tests and CI do not.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/target/bench/venv"
command -v java >/dev/null || { echo "openapi-generator needs Java (java not found on PATH)" >&2; exit 1; }
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-generator-cli==7.26.0"
"$venv/bin/openapi-generator-cli" version
