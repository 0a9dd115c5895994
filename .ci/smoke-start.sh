#!/usr/bin/env bash
# Starts the hub as a new user would (`npm start`), checks it answers, and stops it.
set -euo pipefail
data_dir=$(mktemp -d)
log=$(mktemp)
# Its own process group, so SIGTERM reaches the hub itself and not only npm.
PENGHUBUNG_DATA_DIR="$data_dir" setsid npm start >"$log" 2>&1 &
pid=$!
trap 'kill -KILL -- -$pid 2>/dev/null || true; rm -rf "$data_dir"' EXIT
# The first start compiles to dist/ (tools/build.mjs) before it listens; the sandbox's keys may
# be printed just after it answers ready.
for _ in $(seq 1 180); do
  curl -fsS http://127.0.0.1:8080/health/ready >/dev/null 2>&1 && grep -q 'operator-diskominfo *phb_' "$log" && break
  sleep 0.5
done
if ! curl -fsS http://127.0.0.1:8080/health/ready; then
  echo "smoke: npm start did not become ready; its log:"; cat "$log"; exit 1
fi
echo
# The sandbox prints the demo clients' API keys at start; the operator's may publish anything.
key=$(grep -o 'operator-diskominfo *phb_[A-Za-z0-9_-]*' "$log" | awk '{print $2}' || true)
[ -n "$key" ] || { echo "smoke: no operator key in the start-up output"; cat "$log"; exit 1; }
unauthenticated=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/v1/catalog)
[ "$unauthenticated" = 401 ] || { echo "smoke: /v1/catalog without a key answered $unauthenticated"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:8080/v1/events \
  -H "X-API-Key: $key" -H 'content-type: application/cloudevents+json' \
  -d '{"specversion":"1.0","id":"smoke-1","source":"/opd/diskominfo/ci-smoke","type":"uji.dibuat","data":{"pesan":"halo"}}')
[ "$status" = 202 ] || { echo "smoke: POST /v1/events answered $status"; cat "$log"; exit 1; }
kill -TERM -- -$pid
wait $pid || true
for _ in $(seq 1 30); do
  grep -q 'Penghubung stopped' "$log" && ! curl -s http://127.0.0.1:8080/health/live >/dev/null 2>&1 && break
  sleep 0.5
done
grep -q 'Penghubung stopped' "$log" || { echo "smoke: no clean shutdown in the log"; cat "$log"; exit 1; }
echo "smoke: npm start answered, accepted an event and stopped cleanly"
