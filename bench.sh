#!/usr/bin/env bash
# The benchmark matrix in one go, on this machine: a fresh Redis (AOF, fsync always), the service
# (grpc-host with its co-hosted silo, Release), and decisioning-load for each scenario at 64 and 256
# in flight. Prints a markdown table of rates, percentiles, ratios to the no-op baseline of the same
# run, and server CPU per call; writes it with every run's result.json under reports/bench-<time>/.
#   BENCH_DURATION  measured seconds per run   (default 10s)
#   BENCH_WARMUP    warm-up per run             (default 3s)
#   BENCH_ONLY      run only scenarios whose name matches this regex (e.g. '^draw'); the no-op always runs
#   BENCH_CONCURRENCY  the in-flight counts to run           (default "64 256")
#   BENCH_SERVICE_ENV  extra environment of the service, to measure a setting, e.g.
#                   "Decisioning__Grpc__LocalCalls=false" or "DOTNET_gcServer=0"
set -euo pipefail
cd "$(dirname "$0")"
. scripts/redis.sh
. scripts/dev-auth.sh
. scripts/service.sh

duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-3s}"
only="${BENCH_ONLY:-.}"
concurrencies="${BENCH_CONCURRENCY:-64 256}"
service_env="${BENCH_SERVICE_ENV:-}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$PWD/reports/bench-$stamp"
mkdir -p "$out"

ensure_redis_server
dev_key="$(ensure_dev_key)"
# The load tool calls as a performance engineer would: a real token, checked by the service on every call.
DECISIONING_TOKEN="$(scripts/dev-token.sh --subject bench --ttl 1d --enterprises '*' \
  --scopes "credit.read credit.draw credit.repay credit.admin decisioning.assess decisioning.supply-data")"
# Line openings by hand take effect when a second staff member approves them (four eyes).
DECISIONING_APPROVER_TOKEN="$(scripts/dev-token.sh --subject bench-approver --ttl 1d --enterprises '*' --scopes "credit.approve")"
export DECISIONING_TOKEN DECISIONING_APPROVER_TOKEN
dotnet build grpc-host/Decisioning.GrpcHost -c Release -v quiet -nologo
dotnet build loadtest/Decisioning.LoadTest -c Release -v quiet -nologo
dotnet build loadtest/Decisioning.ActivationBench -c Release -v quiet -nologo

redis_port="$(free_port)"
grpc_port="$(free_port)"
redis_pid=""
host_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  [ -n "$redis_pid" ] && redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1
  return 0
}
trap stop INT TERM EXIT

redis_pid=$(start_redis "$out/redis" "$redis_port")
# shellcheck disable=SC2086
start_service "$out/service.log" "$grpc_port" "$redis_port" "$dev_key" Decisioning__RateLimits__Enabled=false $service_env

load() {
  dotnet loadtest/Decisioning.LoadTest/bin/Release/net10.0/decisioning-load.dll \
    --target "http://127.0.0.1:$grpc_port" --server-pid "$host_pid" \
    --duration "$duration" --warmup "$warmup" --quiet "$@" | tail -n 1
}

# name | arguments. Each runs between two no-op runs, and its ratios are to their mean: the no-op
# rate of this machine drifts by tens of percent from minute to minute (a shared virtual machine).
matrix=(
  "check-10k|--scenario check --enterprises 10000"
  "draw-10k|--scenario draw --enterprises 10000"
  "draw-hot|--scenario draw --distribution hot"
  "draw-hot-history-10|--scenario draw --distribution hot --history 10"
  "draw-hot-history-10k|--scenario draw --distribution hot --history 10000"
  "mix-10k|--scenario mix --enterprises 10000"
  # AssessEnterprise with the external data fetched: each of the 1,000 enterprises queries the
  # (simulated) providers once, in the warm-up mostly; later assessments find the answers cached.
  "assess|--scenario assess --enterprises 1000"
)

# Memory per grain and cold activations first, while Redis is fresh.
activation=$(dotnet loadtest/Decisioning.ActivationBench/bin/Release/net10.0/decisioning-activation-bench.dll \
  --redis "127.0.0.1:$redis_port" --lines 10000 | tail -n 1)

# A background AOF rewrite would land in whichever row happens to run then.
redis-cli -p "$redis_port" config set auto-aof-rewrite-percentage 0 >/dev/null

# JIT tiering and thread-pool ramp-up are not what the first row should measure.
echo "warming up" >&2
dotnet loadtest/Decisioning.LoadTest/bin/Release/net10.0/decisioning-load.dll \
  --target "http://127.0.0.1:$grpc_port" --scenario mix --enterprises 1000 --duration 5s --warmup 1s \
  --quiet --out "$out/warm-up" >/dev/null || true

results="$out/results.txt"
: >"$results"
run() { # name concurrency args...
  local name="$1" concurrency="$2"
  shift 2
  echo "running $name at $concurrency in flight" >&2
  echo "name=$name $(load "$@" --concurrency "$concurrency" --out "$out/$name-c$concurrency-$(date +%s%N)" || true)" >>"$results"
}
for concurrency in $concurrencies; do
  run noop "$concurrency" --scenario noop
  for entry in "${matrix[@]}"; do
    name="${entry%%|*}"
    args="${entry#*|}"
    [[ "$name" =~ $only ]] || continue
    # Assessment is credit operations' call, not a channel's: measured at 64 in flight only.
    [[ "$name" == assess && "$concurrency" != 64 ]] && continue
    # shellcheck disable=SC2086
    run "$name" "$concurrency" $args
    run noop "$concurrency" --scenario noop
  done
done

table="$out/table.md"
{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(dotnet --version | sed 's/^/.NET SDK /'), $(redis-server --version | awk '{print $3}' | sed 's/v=/Redis /')."
  echo "Run: \`${service_env:+BENCH_SERVICE_ENV=\"$service_env\" }./bench.sh\` (BENCH_DURATION=$duration, BENCH_WARMUP=$warmup) at $stamp; client, service and Redis share the machine."
  echo
  echo "| scenario | in flight | rate/s | no-op rate/s | × no-op rate | p50 ms | p99 ms | p99.9 ms | no-op p99 ms | × no-op p99 | errors | server CPU µs/call | ledger |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk '
    function field(k,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return "" }
    { n++; name[n] = field("name"); c[n] = field("concurrency"); rate[n] = field("rate") + 0
      p50[n] = field("p50_us") / 1000; p99[n] = field("p99_us") / 1000; p999[n] = field("p999_us") / 1000
      errors[n] = field("errors"); cpu[n] = field("server_cpu_us_per_call"); ledger[n] = field("ledger") }
    END {
      for (i = 1; i <= n; i++) {
        if (name[i] == "noop") continue
        # The no-op runs just before and just after this one.
        br = (rate[i - 1] + rate[i + 1]) / 2; bp = (p99[i - 1] + p99[i + 1]) / 2
        printf "| %s | %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |\n", name[i], c[i], rate[i], br, rate[i] / br, p50[i], p99[i], p999[i], bp, p99[i] / bp, errors[i], cpu[i], ledger[i]
      }
    }' "$results"
  echo
  echo "No-op runs, in order: $(awk '$1 == "name=noop" { for (i = 1; i <= NF; i++) if ($i ~ /^rate=/) { split($i, kv, "="); printf "%.0f ", kv[2] } }' "$results")/s."
  echo
  echo "Activation (10,000 stored lines activated one at a time in an in-process silo over the same Redis, before the load): $activation"
} >"$table"
cat "$table"
echo
echo "reports: $out"
