#!/usr/bin/env bash
# Drives the MLflow tracking routes of any MLflow-compatible server with wrk, so Keel and
# MLflow's own tracking server can be measured side by side with the same load:
#
#   bench/mlflow-load.sh http://127.0.0.1:5005 [SECONDS]     # keel server
#   bench/mlflow-load.sh http://127.0.0.1:5000 [SECONDS]     # mlflow server
#
# It creates an experiment and two runs through the MLflow API, then runs log-batch (1000
# metrics per request, 4 connections) and single log-metric (8 connections) for SECONDS each
# (default 10) and prints one JSON line per load: requests, p50/p90/p99 latency in µs, errors.
# `./keel bench tracking --api mlflow` does the same against a fresh in-process Keel and adds
# search and metric-history figures.
set -euo pipefail
url="${1:?usage: bench/mlflow-load.sh URL [SECONDS]}"
seconds="${2:-10}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 1; }

post() {
    curl -sf -X POST "$url/api/2.0/mlflow/$1" -H 'Content-Type: application/json' -d "$2"
}
field() {
    sed -E "s/.*\"$1\" *: *\"([^\"]+)\".*/\\1/"
}

experiment="$(post experiments/create "{\"name\":\"wrk-$(date +%s%N)\"}" | field experiment_id)"
batch_run="$(post runs/create "{\"experiment_id\":\"$experiment\",\"start_time\":$(date +%s000)}" | field run_id)"
metric_run="$(post runs/create "{\"experiment_id\":\"$experiment\",\"start_time\":$(date +%s000)}" | field run_id)"

echo "log-batch (1000 metrics/request, 4 connections, ${seconds}s):"
wrk -t2 -c4 -d"${seconds}s" --timeout 10s -s "$here/lua/tracking.lua" "$url" -- batch mlflow "$batch_run" 1000 | grep '^{'
echo "log-metric (8 connections, ${seconds}s):"
wrk -t2 -c8 -d"${seconds}s" --timeout 10s -s "$here/lua/tracking.lua" "$url" -- metric mlflow "$metric_run" | grep '^{'
