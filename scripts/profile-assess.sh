#!/usr/bin/env bash
# AssessEnterprise's cost in figures a loaded machine does not move: the bytes the service
# allocates per assessment, the bytes of a stored decision document, and (with perf) where the
# service's CPU goes, as proportions. Starts its own Redis and Release service on free loopback
# ports, drives them with decisioning-load --scenario assess over 1,000 enterprises, and stops both.
#   scripts/profile-assess.sh OUT_DIR      (build grpc-host and the load tool in Release first)
#   PROFILE_PERF=off  no perf record
# Allocated bytes: the runtime's allocation counter (the metrics port) across a run of 1,000 and one
# of 5,000 assessments after a warm-up; the difference over 4,000 leaves out what a run costs
# whatever its length (the tool's consent set-up).
set -euo pipefail
out="$(realpath -m "${1:?usage: scripts/profile-assess.sh OUT_DIR}")"
cd "$(dirname "$0")/.."
. scripts/redis.sh
. scripts/dev-auth.sh
. scripts/service.sh
mkdir -p "$out"
dev_key="$(ensure_dev_key)"
DECISIONING_TOKEN="$(scripts/dev-token.sh --subject bench --ttl 1d --enterprises '*' \
  --scopes "credit.read decisioning.assess decisioning.supply-data decisioning.consent")"
export DECISIONING_TOKEN
redis_port="$(free_port)"
grpc_port="$(free_port)"
metrics_port="$(free_port)"
host_pid=""
stop() {
  trap - EXIT INT TERM
  if [ -n "$host_pid" ]; then kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null || true; fi
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
}
trap stop EXIT INT TERM
redis_pid=$(start_redis "$out/redis" "$redis_port")
# Perf reads the JIT's symbols from /tmp/perf-<pid>.map; W^X off keeps the code where the map says.
start_service "$out/service.log" "$grpc_port" "$redis_port" "$dev_key" Decisioning__RateLimits__Enabled=false \
  Decisioning__Telemetry__MetricsPort="$metrics_port" DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0

load() {
  dotnet loadtest/Decisioning.LoadTest/bin/Release/net10.0/decisioning-load.dll --target "http://127.0.0.1:$grpc_port" \
    --server-pid "$host_pid" --redis-pid "$redis_pid" --quiet --scenario assess --enterprises 1000 "$@" | tail -n 1
}
allocated() {
  curl -s "http://127.0.0.1:$metrics_port/metrics" \
    | grep -E '^(process_runtime_dotnet_gc_allocations_size_bytes_total|dotnet_gc_heap_total_allocated_bytes_total)' | awk '{ print $2; exit }'
}
run_of() {
  local before
  before=$(allocated)
  load --concurrency 16 --max-requests "$1" --duration 120s --warmup 0s --out "$out/run-$1" >"$out/run-$1.txt"
  echo "$before $(allocated)"
}

load --concurrency 16 --duration 8s --warmup 2s --out "$out/warm-up" >/dev/null
read -r a0 a1 <<<"$(run_of 1000)"
read -r b0 b1 <<<"$(run_of 5000)"
awk -v a="$a0" -v b="$a1" -v c="$b0" -v d="$b1" 'BEGIN { printf "allocated per assessment: %.0f bytes\n", ((d - c) - (b - a)) / 4000 }'

# The documents commit.lua stored (dc:{id}:doc:decision:<decision id>), 500 of them.
total=0
count=0
while read -r key; do
  total=$((total + $(redis-cli -p "$redis_port" strlen "$key")))
  count=$((count + 1))
done < <(redis-cli -p "$redis_port" --scan --pattern '*:doc:decision:*' | head -n 500 || true)
echo "stored decision document: $((total / count)) bytes on average over $count"

if [ "${PROFILE_PERF:-on}" == on ]; then
  perf record -F 999 -g -p "$host_pid" -o "$out/perf.data" -- sleep 12 >/dev/null 2>&1 &
  perf_pid=$!
  echo "under perf: $(load --concurrency 64 --duration 10s --warmup 1s --out "$out/perf-run")"
  wait "$perf_pid" || true
  echo "perf report -i $out/perf.data --no-children --sort dso,sym -g none"
fi
