#!/usr/bin/env bash
# Installs Prism (pinned in package-lock.json) into tests/prism/node_modules, once.
# The contract tests run this themselves; CI needs nothing else.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.installed-from-lock
if [ -x node_modules/.bin/prism ] && [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is needed to install Prism for the contract tests (Node.js 18 or newer)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error >&2
cp package-lock.json "$stamp"
