#!/usr/bin/env bash
# The benchmark matrix in one go, on this machine: a fresh Redis (AOF, fsync always), the service
# (grpc-host with its co-hosted silo, Release), and decisioning-load for each scenario at 64 and 256
# in flight. Prints a markdown table of rates, percentiles, ratios to the no-op baseline of the same
# run, and server CPU per call; writes it with every run's result.json under reports/bench-<time>/.
#   BENCH_DURATION  measured seconds per run   (default 10s)
#   BENCH_WARMUP    warm-up per run             (default 3s)
#   BENCH_ONLY      run only scenarios whose name matches this regex (e.g. 'noop|draw-10k')
#   BENCH_CONCURRENCY  the in-flight counts to run           (default "64 256")
#   BENCH_SERVICE_ENV  extra environment of the service, to measure a setting, e.g.
#                   "Decisioning__Grpc__LocalCalls=false" or "DOTNET_gcServer=0"
set -euo pipefail
cd "$(dirname "$0")"
. scripts/redis.sh

duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-3s}"
only="${BENCH_ONLY:-.}"
concurrencies="${BENCH_CONCURRENCY:-64 256}"
service_env="${BENCH_SERVICE_ENV:-}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$PWD/reports/bench-$stamp"
mkdir -p "$out"

ensure_redis_server
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
(
  cd grpc-host/Decisioning.GrpcHost/bin/Release/net10.0
  Decisioning__Grpc__Port="$grpc_port" \
  Decisioning__Redis__Configuration="127.0.0.1:$redis_port" \
  Decisioning__Cluster__SiloPort="$(free_port)" \
  Decisioning__Cluster__GatewayPort="$(free_port)" \
  Logging__LogLevel__Default=Warning \
    exec env $service_env dotnet Decisioning.GrpcHost.dll
) >"$out/service.log" 2>&1 &
host_pid=$!
for _ in $(seq 1 300); do
  (exec 3<>"/dev/tcp/127.0.0.1/$grpc_port") 2>/dev/null && break
  sleep 0.1
done

load() {
  dotnet loadtest/Decisioning.LoadTest/bin/Release/net10.0/decisioning-load.dll \
    --target "http://127.0.0.1:$grpc_port" --server-pid "$host_pid" \
    --duration "$duration" --warmup "$warmup" --quiet "$@" | tail -n 1
}

# name | arguments
matrix=(
  "noop|--scenario noop"
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

# JIT tiering and thread-pool ramp-up are not what the first row should measure.
echo "warming up" >&2
dotnet loadtest/Decisioning.LoadTest/bin/Release/net10.0/decisioning-load.dll \
  --target "http://127.0.0.1:$grpc_port" --scenario mix --enterprises 1000 --duration 5s --warmup 1s \
  --quiet --out "$out/warm-up" >/dev/null || true

results="$out/results.txt"
: >"$results"
for concurrency in $concurrencies; do
  for entry in "${matrix[@]}"; do
    name="${entry%%|*}"
    args="${entry#*|}"
    [[ "$name" =~ $only ]] || continue
    # Assessment is credit operations' call, not a channel's: measured at 64 in flight only.
    [[ "$name" == assess && "$concurrency" != 64 ]] && continue
    echo "running $name at $concurrency in flight" >&2
    # shellcheck disable=SC2086
    line=$(load $args --concurrency "$concurrency" --out "$out/$name-c$concurrency" || true)
    echo "name=$name $line" >>"$results"
  done
done

activation=$(dotnet loadtest/Decisioning.ActivationBench/bin/Release/net10.0/decisioning-activation-bench.dll \
  --redis "127.0.0.1:$redis_port" --lines 10000 | tail -n 1)

table="$out/table.md"
{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(dotnet --version | sed 's/^/.NET SDK /'), $(redis-server --version | awk '{print $3}' | sed 's/v=/Redis /')."
  echo "Run: \`${service_env:+BENCH_SERVICE_ENV=\"$service_env\" }./bench.sh\` (BENCH_DURATION=$duration, BENCH_WARMUP=$warmup) at $stamp; client, service and Redis share the machine."
  echo
  echo "| scenario | in flight | rate/s | × no-op rate | p50 ms | p99 ms | p99.9 ms | × no-op p99 | errors | server CPU µs/call | ledger |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  awk '
    function field(k,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return "" }
    {
      name = field("name"); c = field("concurrency"); rate = field("rate") + 0
      p50 = field("p50_us") / 1000; p99 = field("p99_us") / 1000; p999 = field("p999_us") / 1000
      if (name == "noop") { base_rate[c] = rate; base_p99[c] = p99 }
      ratio = (base_rate[c] > 0) ? sprintf("%.2f", rate / base_rate[c]) : "-"
      p99r = (base_p99[c] > 0) ? sprintf("%.2f", p99 / base_p99[c]) : "-"
      printf "| %s | %s | %.0f | %s | %.2f | %.2f | %.2f | %s | %s | %s | %s |\n", name, c, rate, ratio, p50, p99, p999, p99r, field("errors"), field("server_cpu_us_per_call"), field("ledger")
    }' "$results"
  echo
  echo "Activation (10,000 lines, one at a time, in-process silo over the same Redis): $activation"
} >"$table"
cat "$table"
echo
echo "reports: $out"
