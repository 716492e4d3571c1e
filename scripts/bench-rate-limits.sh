#!/usr/bin/env bash
# Does one caller over its quota hurt another? A fresh Redis and the service with rate limits on
# (every caller 500 calls a second, bursts of 500; "polite" has a quota of its own, never reached),
# then, alternating twice: "polite" alone, open loop at 500 CheckLimit a second over 1,000
# enterprises; and "polite" again while "noisy" sends 5,000 a second (over 20), ten times its quota. Prints
# polite's p99 in each run and the ratio with noise to without. Loopback only, bounded in time.
#   BENCH_DURATION  measured seconds per run (default 10s)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/redis.sh
. scripts/dev-auth.sh
. scripts/service.sh

duration="${BENCH_DURATION:-10s}"
out="$PWD/reports/rate-limits-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
ensure_redis_server
dev_key="$(ensure_dev_key)"
dotnet build grpc-host/Decisioning.GrpcHost -c Release -v quiet -nologo
dotnet build loadtest/Decisioning.LoadTest -c Release -v quiet -nologo

redis_port="$(free_port)"
grpc_port="$(free_port)"
redis_pid="" host_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  [ -n "$redis_pid" ] && redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1
  return 0
}
trap stop INT TERM EXIT
redis_pid=$(start_redis "$out/redis" "$redis_port")
start_service "$out/service.log" "$grpc_port" "$redis_port" "$dev_key" \
  Decisioning__RateLimits__Enabled=true \
  Decisioning__RateLimits__PerCaller__PerSecond=500 Decisioning__RateLimits__PerCaller__Burst=500 \
  Decisioning__RateLimits__PerEnterprise__PerSecond=100000 Decisioning__RateLimits__PerEnterprise__Burst=100000 \
  Decisioning__RateLimits__Callers__polite__PerSecond=100000 Decisioning__RateLimits__Callers__polite__Burst=100000 \
  Decisioning__RateLimits__Callers__approver__PerSecond=100000 Decisioning__RateLimits__Callers__approver__Burst=100000

scopes="credit.read credit.draw credit.repay credit.admin"
polite_token="$(scripts/dev-token.sh --subject polite --scopes "$scopes" --enterprises '*')"
noisy_token="$(scripts/dev-token.sh --subject noisy --scopes "$scopes" --enterprises '*')"
# Lines opened by hand wait for a second staff member: the load tool's setup approves them with this.
DECISIONING_APPROVER_TOKEN="$(scripts/dev-token.sh --subject approver --scopes "credit.approve" --enterprises '*')"
export DECISIONING_APPROVER_TOKEN
load() { # token rate enterprises out
  dotnet loadtest/Decisioning.LoadTest/bin/Release/net10.0/decisioning-load.dll --target "http://127.0.0.1:$grpc_port" \
    --token "$1" --scenario check --enterprises "$3" --mode open --rate "$2" --duration "$duration" --warmup 3s --quiet --out "$4" | tail -n 1
}
p99() { tr ' ' '\n' | awk -F= '$1 == "p99_us" { printf "%.2f", $2 / 1000 }'; }
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }

rows=()
for round in 1 2; do
  alone=$(load "$polite_token" 500 1000 "$out/alone-$round")
  # The noisy caller opens few lines (its setup is throttled too) and is at full rate before polite starts.
  load "$noisy_token" 5000 20 "$out/noisy-$round" >"$out/noisy-$round.txt" &
  noisy_pid=$!
  sleep 4
  crowded=$(load "$polite_token" 500 1000 "$out/crowded-$round")
  wait "$noisy_pid" || true
  noisy=$(cat "$out/noisy-$round.txt")
  rows+=("| $round | $(echo "$alone" | p99) | $(echo "$crowded" | p99) | $(awk -v a="$(echo "$alone" | field p99_us)" -v b="$(echo "$crowded" | field p99_us)" 'BEGIN { printf "%.2f", b / a }') | $(echo "$crowded" | field errors) | $(echo "$noisy" | field rate) | $(echo "$noisy" | field errors) |")
done

{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); client, service and Redis share it."
  echo "Run: \`scripts/bench-rate-limits.sh\` (BENCH_DURATION=$duration) at $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "| round | polite p99 alone (ms) | polite p99 with noisy at 10× its quota (ms) | × | polite errors | noisy sent/s | noisy refused |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee "$out/table.md"
