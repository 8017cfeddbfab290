#!/usr/bin/env bash
# What an admin feels, measured against an external mock-server with many
# users: launch to first frame, peak memory, requests of a browsing
# session, `list --json` time, requests spent by `plan` and `apply`. Medians of several runs; see docs/PERFORMANCE.md.
#
#   scripts/perf.sh [USERS] [RUNS]      (default 10000 users, 7 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
users="${1:-10000}"
runs="${2:-7}"
cargo build --release --quiet
cargo build --release --quiet --example perf_probe
exec target/release/examples/perf_probe "$PWD/target/release/brevo-users" "$users" "$runs"
