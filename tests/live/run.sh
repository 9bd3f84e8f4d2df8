#!/usr/bin/env bash
# The live suite: installs the real servers (install.sh), then runs tests/live.rs, whose tests
# start each server on 127.0.0.1 and drive it through its generated client. A server that does
# not start fails the run, naming it and showing its output.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/live/install.sh
LIVE_VENV="$PWD/target/live/venv" cargo test --locked -p pipeline-tests --test live -- --ignored --test-threads=1 --nocapture
