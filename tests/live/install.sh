#!/usr/bin/env bash
# Installs the real servers the live suite (tests/live.rs) runs generated clients against, once:
# Jupyter Server from PyPI, every package pinned in requirements.txt, into target/live/venv.
# tests/live/run.sh calls it; nothing else needs it.
set -euo pipefail
cd "$(dirname "$0")"
venv=../../target/live/venv
stamp=$venv/.installed-from
if [ -x "$venv/bin/jupyter-server" ] && [ -f "$stamp" ] && cmp -s requirements.txt "$stamp"; then
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 (3.9 or newer, with venv) is needed to install Jupyter Server for the live suite" >&2
  exit 1
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r requirements.txt >&2
cp requirements.txt "$stamp"
