#!/usr/bin/env bash
# npm's pretest: what `npm test` needs outside node_modules. Debian's Chromium at
# /usr/bin/chromium (the dashboard test drives it headless through playwright-core), and a JDK
# with Maven (the test harness fetches Kafka's jars from Maven Central and runs the broker; the
# fault tests start their own even when KAFKA_BROKERS is set), and nginx (test/cluster/ puts three
# hubs behind it, run without root from a temporary prefix), and promtool from Debian's prometheus
# package (test/gateway/metrics-promtool.test.ts lints the real /metrics). As root with apt-get, what is
# missing is installed; otherwise one line says exactly what to install, and the run stops.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
((${#missing[@]})) || exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "pretest: installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "pretest: npm test needs ${missing[*]}: install with \`sudo apt-get install -y ${missing[*]}\` (Debian/Ubuntu), then run npm test again" >&2
exit 1
