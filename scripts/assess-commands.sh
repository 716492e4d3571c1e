#!/usr/bin/env bash
# AssessEnterprise's Redis traffic in figures a loaded machine does not move: the commands the
# service sends per assessment (by command), and the order they go in, from Redis MONITOR. Starts
# its own Redis and Release service on free loopback ports and stops both.
#   scripts/assess-commands.sh OUT_DIR      (build grpc-host and the load tool in Release first)
#   ASSESSMENTS=4000  the run's assessments over 1,000 enterprises, no warm-up: each enterprise's
#                     first assessment (providers queried, line loaded) is in the run, as in bench.sh
# Left out: the background (event projectors and trimmer, referral expiry, health, the reminder
# service's polling) and the load tool's consent set-up; commands run inside scripts are not counted (MONITOR shows them as
# "[0 lua]"). OUT_DIR/trace.txt: assessments one at a time on two enterprises (the first of each,
# then repeats), each command with the microseconds since the one before, so that the commands
# sent together (a round trip) stand apart from the next.
set -euo pipefail
out="$(realpath -m "${1:?usage: scripts/assess-commands.sh OUT_DIR}")"
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
host_pid=""
monitor_pid=""
stop() {
  trap - EXIT INT TERM
  if [ -n "$monitor_pid" ]; then kill "$monitor_pid" 2>/dev/null || true; fi
  if [ -n "$host_pid" ]; then kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null || true; fi
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
}
trap stop EXIT INT TERM
start_redis "$out/redis" "$redis_port" >/dev/null
start_service "$out/service.log" "$grpc_port" "$redis_port" "$dev_key" Decisioning__RateLimits__Enabled=false

load() {
  dotnet loadtest/Decisioning.LoadTest/bin/Release/net10.0/decisioning-load.dll --target "http://127.0.0.1:$grpc_port" \
    --quiet --scenario assess --duration 300s --warmup 0s "$@" | tail -n 1
}
# monitored FILE ARGS...: one load run under MONITOR; FILE gets the service's own commands.
monitored() {
  local file="$1"
  shift
  redis-cli -p "$redis_port" monitor >"$file.all" &
  monitor_pid=$!
  sleep 0.5
  load "$@" --out "$file.report" >"$file.run"
  sleep 1
  kill "$monitor_pid" && monitor_pid=""
  # Fields: time, [db, client], command, arguments; an EVALSHA's first key is the 7th.
  awk '$2 == "[0" && $3 != "lua]" {
      c = $4; k = $5; s = $7
      if (c ~ /^"(ROLE|TIME|INFO|CONFIG|SCRIPT|XGROUP|PING|CLIENT)"$/) next
      if (c == "\"SETEX\"" && k ~ /^"dc:health/) next
      if (c ~ /^"HM?GET"$/ && k ~ /^"dc:(portfolio|riskfund)/) next
      if (c ~ /^"(XRANGE|XTRIM|EXISTS)"$/ && k ~ /^"dc:(events|health)/) next
      if (c == "\"HGETALL\"" && k ~ /^"dc:referrals:[0-9]+"$/) next
      if (c == "\"XINFO\"") next
      if (c ~ /^"ZRANGEBY(SCORE|LEX)"$/ && k ~ /^"(dc:referrals:[0-9]+:expiry|decisioning\/reminders)"$/) next
      if (c ~ /^"EVAL(SHA)?"$/ && s ~ /^"dc:(portfolio|riskfund)|^"dc:\{consent:/) next
      print }' "$file.all" >"$file"
  rm "$file.all"
}

assessments="${ASSESSMENTS:-4000}"
monitored "$out/commands.txt" --enterprises 1000 --concurrency 16 --max-requests "$assessments"
echo "$(cat "$out/commands.txt.run")"
awk -v n="$assessments" 'END { printf "Redis commands per assessment: %.2f (%d over %d assessments)\n", NR / n, NR, n }' "$out/commands.txt"
awk '{ count[$4]++ } END { for (c in count) printf "  %-12s %.2f\n", c, count[c] / n }' n="$assessments" "$out/commands.txt" | sort -k2 -rn

monitored "$out/trace.raw" --enterprises 2 --concurrency 1 --max-requests 6
awk '{ gap = NR > 1 ? ($1 - last) * 1e6 : 0; last = $1; $1 = ""; $2 = ""; $3 = ""; printf "%7.0f %s\n", gap, substr($0, 1, 160) }' "$out/trace.raw" >"$out/trace.txt"
rm -r "$out/trace.raw" "$out/trace.raw.run" "$out/trace.raw.report"
echo "the order of the commands, one assessment at a time: $out/trace.txt"
