#!/usr/bin/env bash
# Installs the real servers the live suite (tests/live.rs) runs generated clients against, once:
# Prometheus Alertmanager and etcd from Debian (pinned; apt, as root or through sudo), and Jupyter Server
# from PyPI, every package pinned in requirements.txt, into target/live/venv.
# tests/live/run.sh calls it; nothing else needs it.
set -euo pipefail
cd "$(dirname "$0")"

# Debian 12's packages, each pinned to the version whose spec tests/fixtures/compile/ holds.
debian=("prometheus-alertmanager=0.25.0-1+b4" "etcd-server=3.4.23-4+b4")
missing=()
for package in "${debian[@]}"; do
  if [ "$(dpkg-query -W -f='${Version}' "${package%%=*}" 2>/dev/null || true)" != "${package#*=}" ]; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-get (Debian 12) is needed to install ${missing[*]} for the live suite" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

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
