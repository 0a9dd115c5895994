#!/usr/bin/env bash
# Cold start: seconds from `npm start` (fresh data directory) until /health/ready answers 200.
# usage: bash tools/cold-start.sh [runs] [npm script: start (compiled, default) or dev (tsx)]
# Prints each run (wall time, and CPU time of the started processes: steadier on a busy machine)
# and the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
script=${2:-start}
port=18123
times=()
cpus=()
ticks=$(getconf CLK_TCK)

# CPU seconds (user + system) used so far by the processes of process group $1.
group_cpu() {
  local total=0 stat
  for stat in /proc/[0-9]*/stat; do
    read -r -a fields <"$stat" 2>/dev/null || continue
    # Field 2 (comm) has no spaces for node, npm and sh; fields 5 = pgrp, 14-17 = utime, stime
    # and those of exited children (the prestart build check).
    [ "${fields[4]}" = "$1" ] && total=$((total + fields[13] + fields[14] + fields[15] + fields[16]))
  done
  echo "scale=2; $total / $ticks" | bc
}
for ((i = 1; i <= runs; i++)); do
  data_dir=$(mktemp -d)
  log=$(mktemp)
  start=$(date +%s.%N)
  PENGHUBUNG_DATA_DIR="$data_dir" PENGHUBUNG_HTTP__PORT=$port setsid npm run "$script" >"$log" 2>&1 &
  pid=$!
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "cold-start: npm run $script exited; its log:"; cat "$log"; exit 1; }
    sleep 0.05
  done
  elapsed=$(echo "$(date +%s.%N) - $start" | bc)
  cpu=$(group_cpu $pid)
  kill -TERM -- -$pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  rm -rf "$data_dir" "$log"
  times+=("$elapsed")
  cpus+=("$cpu")
  printf 'cold-start: run %d: %.2f s, %.2f s CPU\n' "$i" "$elapsed" "$cpu"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'cold-start: npm run %s, median of %d: %.2f s to ready, %.2f s CPU\n' "$script" "$runs" "$(median "${times[@]}")" "$(median "${cpus[@]}")"
