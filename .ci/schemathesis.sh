#!/usr/bin/env bash
# Schemathesis (from PyPI) against /openapi.json with the sandbox running: no 5xx, and every
# response conforms to the spec (status code, content type, headers, body schema).
set -euo pipefail
command -v st >/dev/null 2>&1 || python3 -m pip install --quiet schemathesis
port=18097
data_dir=$(mktemp -d)
log=$(mktemp)
PENGHUBUNG_DATA_DIR="$data_dir" PENGHUBUNG_HTTP__PORT=$port setsid npm start >"$log" 2>&1 &
pid=$!
trap 'kill -TERM -- -$pid 2>/dev/null || true; sleep 2; kill -KILL -- -$pid 2>/dev/null || true; rm -rf "$data_dir"' EXIT
# The first start compiles to dist/ (tools/build.mjs) before it listens; the sandbox's keys may
# be printed just after it answers ready.
for _ in $(seq 1 180); do
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && grep -q 'operator-diskominfo *phb_' "$log" && break
  sleep 0.5
done
key=$(grep -o 'operator-diskominfo *phb_[A-Za-z0-9_-]*' "$log" | awk '{print $2}' || true)
[ -n "$key" ] || { echo "schemathesis: the hub printed no operator key"; cat "$log"; exit 1; }
# Schemathesis closes with a pytest-like rule ("=== 3 warnings in 14s ===") that a reader of CI
# output takes for a test runner that ran no test: its report is printed from the first section
# on, without the progress redraws, with the rules turned into "--" lines. The counts come from
# its JUnit report (.ci/summary.mjs).
st_log=$(mktemp)
status=0
st run "http://127.0.0.1:$port/openapi.json" -H "X-API-Key: $key" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --phases examples,fuzzing,stateful --max-examples 15 --seed 20261128 \
  --report junit --report-junit-path "${SCHEMATHESIS_JUNIT:-schemathesis-report/junit.xml}" \
  >"$st_log" 2>&1 || status=$?
node .ci/schemathesis-report.mjs "$st_log"
rm -f "$st_log"
exit "$status"
