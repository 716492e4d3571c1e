#!/usr/bin/env bash
# The benchmark matrix in one go, on this machine: a fresh Redis (AOF, fsync always), the service
# (grpc-host with its co-hosted silo, Release), the plain baseline server twice over the same Redis
# (decisioning-plain, loadtest/Decisioning.PlainScript: each Draw one Lua script, with its journal
# and without), and decisioning-load for each scenario at 64 and 256 in flight. The scenarios both
# servers can run (check-10k, draw-10k, draw-hot) alternate between them twice. Prints a markdown
# table of rates, percentiles, ratios to the no-op baseline and to the plain server of the same run,
# and the CPU per call of the server, Redis and the load tool; writes it with every run's
# result.json under reports/bench-<time>/.
#   BENCH_DURATION  measured seconds per run   (default 10s)
#   BENCH_WARMUP    warm-up per run             (default 3s)
#   BENCH_ONLY      run only scenarios whose name matches this regex (e.g. '^draw'); the no-op always runs
#   BENCH_CONCURRENCY  the in-flight counts to run           (default "64 256")
#   BENCH_PLAIN     off: no plain baseline runs (each scenario runs once, on the service)
#   BENCH_SERVICE_ENV  extra environment of the service, to measure a setting, e.g.
#                   "Decisioning__Grpc__LocalCalls=false" or "DOTNET_gcServer=0"
# At 64 in flight, after the matrix, two rows alternate with the plain script as well (skip them with
# BENCH_ONLY): draw-10k-replica, the service with Decisioning:Redis:MinReplicasAcked=1 on the same
# Redis with a replica attached (every commit waits for it); and draw-10k-cluster, ./cluster.sh's
# cluster (three silos, two front doors as Orleans clients, Redis behind sentinels) loaded through
# one front door. In those rows server CPU is that front door's alone, and Redis CPU the primary's.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/redis.sh
. scripts/dev-auth.sh
. scripts/service.sh

duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-3s}"
only="${BENCH_ONLY:-.}"
concurrencies="${BENCH_CONCURRENCY:-64 256}"
plain="${BENCH_PLAIN:-on}"
[[ "$plain" == on || "$plain" == off ]] || { echo "BENCH_PLAIN is on or off, not '$plain'" >&2; exit 2; }
service_env="${BENCH_SERVICE_ENV:-}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$PWD/reports/bench-$stamp"
mkdir -p "$out"

ensure_redis_server
dev_key="$(ensure_dev_key)"
export_load_tokens
dotnet build grpc-host/Decisioning.GrpcHost -c Release -v quiet -nologo
dotnet build loadtest/Decisioning.LoadTest -c Release -v quiet -nologo
dotnet build loadtest/Decisioning.ActivationBench -c Release -v quiet -nologo
[ "$plain" == on ] && dotnet build loadtest/Decisioning.PlainScript -c Release -v quiet -nologo

redis_port="$(free_port)"
grpc_port="$(free_port)"
plain_port="$(free_port)"
plain_no_journal_port="$(free_port)"
redis_pid=""
service_redis_pid=""
replica_pid=""
cluster_env=()
host_pid=""
plain_pid=""
plain_no_journal_pid=""
stop() {
  trap - INT TERM EXIT
  local pid
  # Each step on its own: one that fails (a pid that is not this shell's child, say) must not stop the others.
  for pid in "$host_pid" "$plain_pid" "$plain_no_journal_pid"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; fi
  done
  if [ ${#cluster_env[@]} -gt 0 ]; then env "${cluster_env[@]}" ./cluster.sh down >/dev/null 2>&1 || true; fi
  if [ -n "$replica_pid" ]; then kill "$replica_pid" 2>/dev/null || true; fi
  if [ -n "$redis_pid" ]; then redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; fi
  return 0
}
trap stop INT TERM EXIT

redis_pid=$(start_redis "$out/redis" "$redis_port")
service_redis_pid="$redis_pid"
# Memory per grain and cold activations first, while Redis is fresh and nothing else uses it: the
# service's background work (its projections poll the event streams) would count among the
# activations' Redis commands, and keep Redis from ever going quiet.
activation=$(dotnet loadtest/Decisioning.ActivationBench/bin/Release/net10.0/decisioning-activation-bench.dll \
  --redis "127.0.0.1:$redis_port" --lines 10000 | tail -n 1)
# shellcheck disable=SC2086
start_service "$out/service.log" "$grpc_port" "$redis_port" "$dev_key" Decisioning__RateLimits__Enabled=false $service_env
if [ "$plain" == on ]; then
  # The same Redis and token settings; no rate limits, as the service runs here.
  start_plain "$out/plain-no-journal.log" "$plain_no_journal_port" "$redis_port" "$dev_key" false
  plain_no_journal_pid="$plain_pid"
  start_plain "$out/plain.log" "$plain_port" "$redis_port" "$dev_key" true
fi

# tool SERVER ARGS...: decisioning-load against decisioning, plain or plain-no-journal, measuring
# that server's CPU and Redis's over the window.
tool() {
  local port pid rpid="$redis_pid"
  case "$1" in
    decisioning) port="$grpc_port" pid="$host_pid" rpid="$service_redis_pid" ;;
    plain) port="$plain_port" pid="$plain_pid" ;;
    plain-no-journal) port="$plain_no_journal_port" pid="$plain_no_journal_pid" ;;
  esac
  shift
  dotnet loadtest/Decisioning.LoadTest/bin/Release/net10.0/decisioning-load.dll \
    --target "http://127.0.0.1:$port" --server-pid "$pid" --redis-pid "$rpid" --quiet "$@"
}

# load SERVER ARGS...: one measured run; prints the tool's result line.
load() {
  tool "$@" --duration "$duration" --warmup "$warmup" | tail -n 1
}

# Scenarios the plain server can run too: on them the service and the plain server (with its
# journal, then without) alternate, twice, so that the machine's drift falls on both alike.
comparable='^(check-10k|draw-10k|draw-hot)$'

# name | arguments. Each runs (or its alternation) between two no-op runs, and its ratios are to
# their mean: the no-op rate of this machine drifts by tens of percent from minute to minute (a
# shared virtual machine).
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

# A background AOF rewrite would land in whichever row happens to run then.
redis-cli -p "$redis_port" config set auto-aof-rewrite-percentage 0 >/dev/null

# JIT tiering and thread-pool ramp-up are not what the first row should measure.
echo "warming up" >&2
tool decisioning --scenario mix --enterprises 1000 --duration 5s --warmup 1s --out "$out/warm-up" >/dev/null || true
if [ "$plain" == on ]; then
  # The plain server has no Repay: checks and draws.
  for server in plain plain-no-journal; do
    tool "$server" --mix check=70,draw=30 --enterprises 1000 --duration 5s --warmup 1s --out "$out/warm-up-$server" >/dev/null || true
  done
fi

results="$out/results.txt"
: >"$results"
run() { # name server concurrency args...
  local name="$1" server="$2" concurrency="$3"
  shift 3
  echo "running $name on $server at $concurrency in flight" >&2
  echo "name=$name server=$server $(load "$server" "$@" --concurrency "$concurrency" --out "$out/$name-$server-c$concurrency-$(date +%s%N)" || true)" >>"$results"
}
for concurrency in $concurrencies; do
  run noop decisioning "$concurrency" --scenario noop
  for entry in "${matrix[@]}"; do
    name="${entry%%|*}"
    args="${entry#*|}"
    [[ "$name" =~ $only ]] || continue
    # Assessment is credit operations' call, not a channel's: measured at 64 in flight only.
    [[ "$name" == assess && "$concurrency" != 64 ]] && continue
    servers=(decisioning)
    if [ "$plain" == on ] && [[ "$name" =~ $comparable ]]; then
      servers=(decisioning plain plain-no-journal decisioning plain plain-no-journal)
    fi
    for server in "${servers[@]}"; do
      # shellcheck disable=SC2086
      run "$name" "$server" "$concurrency" $args
    done
    run noop decisioning "$concurrency" --scenario noop
  done
done

# alternate NAME ARGS...: at 64 in flight, the service as it stands now and the plain script, twice,
# between no-op runs of the service.
alternate() {
  local name="$1" server
  shift
  run noop decisioning 64 --scenario noop
  for server in decisioning plain decisioning plain; do
    run "$name" "$server" 64 "$@"
  done
  run noop decisioning 64 --scenario noop
}

if [[ " $concurrencies " == *" 64 "* ]] && [ "$plain" == on ]; then
  if [[ draw-10k-replica =~ $only ]]; then
    # Acknowledged on two Redis processes: a replica of the benchmark's Redis, and the service
    # restarted to wait (WAIT) for it on every commit.
    echo "starting a replica and the service with MinReplicasAcked=1" >&2
    replica_pid=$(start_redis "$out/redis-replica" "$(free_port)" --replicaof 127.0.0.1 "$redis_port")
    until redis-cli -p "$redis_port" info replication | grep -q 'state=online'; do sleep 0.2; done
    kill "$host_pid" && wait "$host_pid" 2>/dev/null || true
    # shellcheck disable=SC2086
    start_service "$out/service-replica.log" "$grpc_port" "$redis_port" "$dev_key" \
      Decisioning__RateLimits__Enabled=false Decisioning__Redis__MinReplicasAcked=1 $service_env
    alternate draw-10k-replica --scenario draw --enterprises 10000
  fi
  if [[ draw-10k-cluster =~ $only ]]; then
    # ./cluster.sh on ports of its own under the report folder; the load goes through host-1.
    echo "starting ./cluster.sh" >&2
    cluster_env=(CLUSTER_DIR="$out/cluster" DECISIONING_RATE_LIMITS=off
      CLUSTER_REDIS_PORTS="$(free_port) $(free_port)" CLUSTER_SENTINEL_PORTS="$(free_port) $(free_port) $(free_port)"
      CLUSTER_SILO_PORTS="$(free_port) $(free_port) $(free_port)" CLUSTER_GATEWAY_PORTS="$(free_port) $(free_port) $(free_port)"
      CLUSTER_HOST_PORTS="$(free_port) $(free_port)")
    env "${cluster_env[@]}" ./cluster.sh up >"$out/cluster-up.log" 2>&1
    kill "$host_pid" && wait "$host_pid" 2>/dev/null || true
    host_pid="$(cat "$out/cluster/pids/host-1.pid")"
    service_redis_pid="$(cat "$out/cluster/pids/redis-primary.pid")"
    grpc_port="$(sed -n 's/^CLUSTER_HOST_PORTS=\([0-9]*\) .*/\1/p' <<<"$(printf '%s\n' "${cluster_env[@]}")")"
    alternate draw-10k-cluster --scenario draw --enterprises 10000
  fi
fi

table="$out/table.md"
{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(dotnet --version | sed 's/^/.NET SDK /'), $(redis-server --version | awk '{print $3}' | sed 's/v=/Redis /')."
  echo "Run: \`${service_env:+BENCH_SERVICE_ENV=\"$service_env\" }./bench.sh\` (BENCH_DURATION=$duration, BENCH_WARMUP=$warmup, BENCH_PLAIN=$plain) at $stamp; client, servers and Redis share the machine."
  echo
  echo "Each row is the mean of its runs (rate/s per run: each one's rate). × plain script and × plain (no journal): the service's mean rate over the plain server's, with its journal and without, in the same alternation. CPU µs/call: the server's, Redis's and the load tool's CPU time over the measured window, per call."
  echo
  echo "| scenario | server | in flight | rate/s | rate/s per run | no-op rate/s | × no-op rate | × plain script | × plain (no journal) | p50 ms | p99 ms | p99.9 ms | no-op p99 ms | × no-op p99 | errors | server CPU µs/call | Redis CPU µs/call | client CPU µs/call | ledger |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk '
    function field(k,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return "" }
    function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
    function add(key, value) { if (value ~ /^[0-9.]+$/) { sum[key] += value; count[key]++ } }
    function mean(key) { return count[key] ? sum[key] / count[key] : 0 }
    function cpu(key) { return count[key] ? sprintf("%.1f", mean(key)) : "-" }
    # A run that gave no result line (it failed before its window) counts nowhere; it is named below.
    field("rate") == "" { lost = lost " " field("name") "/" field("server"); next }
    { n++; name[n] = field("name"); server[n] = field("server"); c[n] = field("concurrency"); rate[n] = field("rate") + 0
      p50[n] = field("p50_us") / 1000; p99[n] = field("p99_us") / 1000; p999[n] = field("p999_us") / 1000
      errors[n] = field("errors") + 0; ledger[n] = field("ledger")
      usage["server", n] = field("server_cpu_us_per_call"); usage["redis", n] = field("redis_cpu_us_per_call"); usage["client", n] = field("client_cpu_us_per_call") }
    END {
      # A run'"'"'s no-op baseline: the no-op runs just before and just after its scenario'"'"'s runs.
      for (i = 1; i <= n; i++) if (name[i] == "noop") last = i; else before[i] = last
      last = 0
      for (i = n; i >= 1; i--) if (name[i] == "noop") last = i; else after[i] = last
      # One row per scenario, in-flight count and server, in the order they first ran; the no-op
      # runs of an in-flight count make one row.
      for (i = 1; i <= n; i++) {
        k = name[i] SUBSEP c[i] SUBSEP server[i]
        if (!(k in runs)) { row[++m] = k; rname[m] = name[i]; rc[m] = c[i]; rserver[m] = server[i] }
        runs[k]++
        perrun[k] = perrun[k] (runs[k] > 1 ? " / " : "") sprintf("%.0f", rate[i])
        add(k SUBSEP "rate", rate[i]); add(k SUBSEP "p50", p50[i]); add(k SUBSEP "p99", p99[i]); add(k SUBSEP "p999", p999[i])
        add(k SUBSEP "server", usage["server", i]); add(k SUBSEP "redis", usage["redis", i]); add(k SUBSEP "client", usage["client", i])
        fails[k] += errors[i]
        if (ledger[i] != "" && index(" " verdict[k] " ", " " ledger[i] " ") == 0) verdict[k] = verdict[k] (verdict[k] == "" ? "" : " ") ledger[i]
        b = 0; bp = 0; bn = 0
        if (name[i] == "noop") { b = rate[i]; bp = p99[i]; bn = 1 }
        if (before[i]) { b += rate[before[i]]; bp += p99[before[i]]; bn++ }
        if (after[i]) { b += rate[after[i]]; bp += p99[after[i]]; bn++ }
        if (bn) { add(k SUBSEP "base", b / bn); add(k SUBSEP "basep99", bp / bn) }
      }
      for (j = 1; j <= m; j++) {
        k = row[j]
        r = mean(k SUBSEP "rate"); base = mean(k SUBSEP "base"); p = mean(k SUBSEP "p99"); bp = mean(k SUBSEP "basep99")
        plain = "—"; bare = "—"
        if (rserver[j] == "decisioning") {
          pk = rname[j] SUBSEP rc[j] SUBSEP "plain"; nk = rname[j] SUBSEP rc[j] SUBSEP "plain-no-journal"
          if (pk in runs) plain = ratio(r, mean(pk SUBSEP "rate"))
          if (nk in runs) bare = ratio(r, mean(nk SUBSEP "rate"))
        }
        printf "| %s | %s | %s | %.0f | %s | %.0f | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %s | %d | %s | %s | %s | %s |\n", rname[j], rserver[j], rc[j], r, perrun[k], base, ratio(r, base), plain, bare, mean(k SUBSEP "p50"), p, mean(k SUBSEP "p999"), bp, ratio(p, bp), fails[k], cpu(k SUBSEP "server"), cpu(k SUBSEP "redis"), cpu(k SUBSEP "client"), verdict[k]
      }
      if (lost != "") printf "\nRuns that gave no result (their reports folders say why):%s.\n", lost
    }' "$results"
  echo
  echo "No-op runs, in order: $(awk '$1 == "name=noop" { for (i = 1; i <= NF; i++) if ($i ~ /^rate=/) { split($i, kv, "="); printf "%.0f ", kv[2] } }' "$results")/s."
  echo
  echo "Activation (10,000 stored lines activated one at a time in an in-process silo over the same Redis, before the load): $activation"
} >"$table"
cat "$table"
echo
echo "reports: $out"
