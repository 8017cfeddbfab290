#!/usr/bin/env bash
# `find` over many profiles, each on its own mock-server answering after
# --latency-ms: the accounts are asked at once, so the whole should take
# about one request's time, not one per account. Medians of several runs;
# see docs/PERFORMANCE.md.
#
#   scripts/perf_find.sh [PROFILES] [LATENCY_MS] [RUNS]   (default 10 200 7)
#
# BIN names the binary (default target/debug/brevo-users, built if missing;
# the work measured is waiting on the network, not computing).
set -euo pipefail
cd "$(dirname "$0")/.."
profiles="${1:-10}"
latency="${2:-200}"
runs="${3:-7}"
bin="${BIN:-target/debug/brevo-users}"
[ -x "$bin" ] || cargo build --quiet
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

config="$work/config.toml"
: >"$config"
for i in $(seq 1 "$profiles"); do
    "$bin" mock-server --listen 127.0.0.1:0 --latency-ms "$latency" >"$work/url$i" 2>/dev/null &
    pids+=("$!")
done
for i in $(seq 1 "$profiles"); do
    deadline=$((SECONDS + 10))
    until [ -s "$work/url$i" ]; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "mock $i did not start" >&2; exit 1; }
        sleep 0.05
    done
    url="$(head -1 "$work/url$i")"
    printf '[profiles.p%02d]\napi_url = "%s"\napi_key_command = "echo key-%s"\n' "$i" "$url" "$i" >>"$config"
done
chmod 600 "$config"

# Milliseconds of one run of the given arguments (exit 0 or 5 both count).
run_ms() {
    local start end code=0
    start=$(date +%s%N)
    env -u BREVO_API_KEY -u BREVO_API_URL BREVO_USERS_CONFIG="$config" HOME="$work" \
        "$bin" "$@" >/dev/null 2>&1 </dev/null || code=$?
    end=$(date +%s%N)
    if [ "$code" -ne 0 ] && [ "$code" -ne 5 ]; then
        echo "brevo-users $* exited $code" >&2
        exit 1
    fi
    echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

one=$(for _ in $(seq 1 "$runs"); do run_ms find ops@acme.test --profiles p01; done | median)
all=$(for _ in $(seq 1 "$runs"); do run_ms find ops@acme.test --all-profiles; done | median)
echo "find over 1 profile:  ${one} ms (median of $runs; one list request at ${latency} ms latency)"
echo "find over $profiles profiles: ${all} ms (median of $runs)"
echo "ratio to one request's latency: $(awk -v a="$all" -v l="$latency" 'BEGIN {printf "%.2f", a / l}')"

# The request phase alone, from the log of one more run: from the first
# request's start to the last one's end (the rest is the process starting,
# the configuration, the key commands and building the clients).
rm -f "$work/.local/state/brevo-users/brevo-users.log"
run_ms --log-level info find ops@acme.test --all-profiles >/dev/null
awk '/api call/ {
        split($1, t, "T"); split(t[2], hms, ":"); sub("Z", "", hms[3]);
        end = hms[1] * 3600000 + hms[2] * 60000 + hms[3] * 1000;
        match($0, /elapsed_ms=[0-9]+/); ms = substr($0, RSTART + 11, RLENGTH - 11);
        start = end - ms;
        if (first == "" || start < first) first = start;
        if (end > last) last = end;
        n++
    }
    END { printf "request phase: %d requests in %.0f ms\n", n, last - first }' \
    "$work/.local/state/brevo-users/brevo-users.log"
