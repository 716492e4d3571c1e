#!/usr/bin/env bash
# Two builds of the service, or one build with two settings, alternated run by run (A, B, A, B, ...)
# or loaded together (AB_TOGETHER), each on a Redis of its own (AOF, fsync always), after a round
# left out of the table, with a no-op run on A after each alternated round. For each run: the rate,
# p99, the CPU per call of the service, Redis and the load tool, the Redis commands and AOF bytes per
# call (INFO before and after the run) and the bytes the service allocated per call (its runtime's
# counter on the metrics port), the tool's set-up of its lines included in both. Ends with B ÷ A per
# round and their mean for each scenario. Prints a markdown table and keeps the services' logs and
# Redis data under reports/ab-<time>/.
#   usage: scripts/ab.sh "LOAD TOOL ARGUMENTS" ...
#     e.g. scripts/ab.sh "--scenario draw --enterprises 10000" "--scenario draw --distribution hot"
#   AB_A_REPO, AB_B_REPO  the repositories whose Release service runs (default: this one); for a
#                         change's before and after, a worktree of the commit before it
#                         (git worktree add ../before REV); each is built here
#   AB_A_ENV, AB_B_ENV    extra environment of each service (NAME=VALUE ...), e.g.
#                         AB_B_ENV=Decisioning__Events__Enabled=false, or
#                         AB_B_ENV=Decisioning__Telemetry__MetricsPort= for metrics off (no
#                         allocated bytes then: they are read from the metrics)
#   AB_B_PLAIN=1          B is this repository's plain script server (decisioning-plain, with its
#                         journal: bench.sh's baseline) instead of a service; it has no metrics,
#                         so no allocated bytes
#   AB_ROUNDS (3), AB_DURATION (10s), AB_WARMUP (3s), AB_CONCURRENCY (64)
#   AB_TOGETHER=1         load A and B at the same time in each round (each with AB_CONCURRENCY in
#                         flight) instead of one after the other: both share every phase of the
#                         machine's speed, and B ÷ A is the ratio of what each got through the same
#                         cores, the inverse of their costs per call. The rates are those of the
#                         seconds both windows share (scripts/ab-overlap.cs), and the side whose
#                         set-up was the shorter in the left-out round warms up the longer by the
#                         difference, so that the windows overlap; no no-op runs then.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/redis.sh
. scripts/dev-auth.sh
. scripts/service.sh

[ $# -gt 0 ] || { sed -n '/^set -euo/q;2,$p' "$0" >&2; exit 2; }
here="$PWD"
declare -A repo=([A]="$(cd "${AB_A_REPO:-.}" && pwd)" [B]="$(cd "${AB_B_REPO:-.}" && pwd)")
declare -A settings=([A]="${AB_A_ENV:-}" [B]="${AB_B_ENV:-}")
rounds="${AB_ROUNDS:-3}"
out="$here/reports/ab-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

ensure_redis_server
dev_key="$(ensure_dev_key)"
export_load_tokens
dotnet build loadtest/Decisioning.LoadTest -c Release -v quiet -nologo
plain="${AB_B_PLAIN:-}"
dotnet build "${repo[A]}/grpc-host/Decisioning.GrpcHost" -c Release -v quiet -nologo
if [ -n "$plain" ]; then
  dotnet build loadtest/Decisioning.PlainScript -c Release -v quiet -nologo
else
  dotnet build "${repo[B]}/grpc-host/Decisioning.GrpcHost" -c Release -v quiet -nologo
fi

declare -A redis_port grpc_port metrics_port service_pid redis_pid
cleanup() {
  for s in A B; do
    [ -n "${service_pid[$s]:-}" ] && kill "${service_pid[$s]}" 2>/dev/null
    [ -n "${redis_port[$s]:-}" ] && redis-cli -p "${redis_port[$s]}" shutdown nosave >/dev/null 2>&1
  done
  return 0
}
trap cleanup EXIT
for s in A B; do
  redis_port[$s]="$(free_port)"
  grpc_port[$s]="$(free_port)"
  metrics_port[$s]="$(free_port)"
  redis_pid[$s]="$(start_redis "$out/redis-$s" "${redis_port[$s]}")"
  # AOF bytes are read from its size: no rewrite may shrink it mid-run.
  redis-cli -p "${redis_port[$s]}" config set auto-aof-rewrite-percentage 0 >/dev/null
  if [ "$s" == B ] && [ -n "$plain" ]; then
    start_plain "$out/plain-B.log" "${grpc_port[$s]}" "${redis_port[$s]}" "$dev_key" true
    service_pid[$s]="$plain_pid"
    continue
  fi
  # shellcheck disable=SC2086 # the settings are NAME=VALUE words
  (cd "${repo[$s]}" && start_service "$out/service-$s.log" "${grpc_port[$s]}" "${redis_port[$s]}" "$dev_key" \
    Decisioning__RateLimits__Enabled=false Decisioning__Telemetry__MetricsPort="${metrics_port[$s]}" ${settings[$s]} && echo "$host_pid" >"$out/pid-$s")
  service_pid[$s]="$(cat "$out/pid-$s")"
done

load() {
  local s="$1"
  shift
  dotnet loadtest/Decisioning.LoadTest/bin/Release/net10.0/decisioning-load.dll --target "http://127.0.0.1:${grpc_port[$s]}" \
    --server-pid "${service_pid[$s]}" --redis-pid "${redis_pid[$s]}" --quiet "$@" | tail -n 1
}
redis_counts() {
  redis-cli -p "${redis_port[$1]}" info all | tr -d '\r' | awk -F: '/^aof_current_size:/ {a=$2} /^total_commands_processed:/ {c=$2} END {print a, c}'
}
allocated() {
  [ "$1" == B ] && [ -n "$plain" ] && return 0
  curl -s "http://127.0.0.1:${metrics_port[$1]}/metrics" \
    | awk '/^(process_runtime_dotnet_gc_allocations_size_bytes_total|dotnet_gc_heap_total_allocated_bytes_total)/ && !found { print $2; found = 1 }'
}
field() { sed -nE "s/(^|.* )$1=([0-9.]+).*/\2/p" <<<"$2"; }

# Warm both (JIT, connections) before anything is measured.
for s in A B; do load "$s" --scenario mix --enterprises 1000 --duration 5s --warmup 1s >/dev/null || true; done

echo "A: ${repo[A]} (${settings[A]:-defaults}) at $(git -C "${repo[A]}" rev-parse --short HEAD)"
echo "B: ${repo[B]} (${settings[B]:-defaults}) at $(git -C "${repo[B]}" rev-parse --short HEAD)"
echo
echo "| scenario | round | server | rate/s | p99 ms | server / Redis / client CPU µs/call | AOF bytes/call | Redis commands/call | allocated bytes/call | no-op rate/s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
summary=()
# run S: one run of the scenario on S (its warm-up warmup[S]), its result line in $out/result-S and
# its report in $out/run-S.
run() {
  load "$1" $args --concurrency "${AB_CONCURRENCY:-64}" --duration "${AB_DURATION:-10s}" --warmup "${warmup[$1]}" \
    --out "$out/run-$1" >"$out/result-$1"
}
setup_seconds() { sed -nE 's/.*"setup_seconds": *([0-9.]+).*/\1/p' "$out/run-$1/result.json"; }
counts() { echo "$(redis_counts "$1") $(allocated "$1")"; }
for args in "$@"; do
  ratios=()
  declare -A warmup=([A]="${AB_WARMUP:-3s}" [B]="${AB_WARMUP:-3s}")
  # A round left out of the table first: each run leaves work behind (the projections catching up on
  # the lines it opened) that the next run shares the cores with, and without it only B's first run
  # would follow a run of the same scenario.
  if [ -n "${AB_TOGETHER:-}" ]; then
    run A &
    run B || true
    wait $! || true
    # Each tool's window opens after its own set-up: the quicker side waits out the difference.
    base_ms="$(awk -v w="${AB_WARMUP:-3s}" 'BEGIN {n = w + 0; print (w ~ /ms$/) ? n : (w ~ /m$/) ? n * 60000 : n * 1000}')"
    for s in A B; do
      other=$([ "$s" == A ] && echo B || echo A)
      warmup[$s]="$(awk -v b="$base_ms" -v mine="$(setup_seconds "$s")" -v theirs="$(setup_seconds "$other")" \
        'BEGIN {d = theirs - mine; printf "%.0fms", b + (d > 0 ? d * 1000 : 0)}')"
    done
    echo "$args: warm-ups A ${warmup[A]}, B ${warmup[B]} (set-ups $(setup_seconds A) s and $(setup_seconds B) s)" >&2
  else
    run A || true
    run B || true
  fi
  for r in $(seq 1 "$rounds"); do
    declare -A rate=() before=() after=() overlap=()
    if [ -n "${AB_TOGETHER:-}" ]; then
      before=([A]="$(counts A)" [B]="$(counts B)")
      run A &
      run B
      wait $!
      after=([A]="$(counts A)" [B]="$(counts B)")
      # The rates over the overlap of the two windows (each opens after its own set-up).
      read -r "overlap[A]" "overlap[B]" overlap_seconds < <(dotnet run scripts/ab-overlap.cs "$out/run-A/result.json" "$out/run-B/result.json")
    else
      for s in A B; do
        before[$s]="$(counts "$s")"
        run "$s"
        after[$s]="$(counts "$s")"
      done
    fi
    for s in A B; do
      line="$(cat "$out/result-$s")"
      read -r aof0 commands0 allocated0 <<<"${before[$s]}"
      read -r aof1 commands1 allocated1 <<<"${after[$s]}"
      requests="$(field requests "$line")"
      rate[$s]="${overlap[$s]:-$(field rate "$line")}"
      echo "| $args | $r | $s | ${rate[$s]} | $(awk "BEGIN {printf \"%.2f\", $(field p99_us "$line") / 1000}") |" \
        "$(field server_cpu_us_per_call "$line") / $(field redis_cpu_us_per_call "$line") / $(field client_cpu_us_per_call "$line") |" \
        "$(((aof1 - aof0) / requests)) | $(awk "BEGIN {printf \"%.2f\", ($commands1 - $commands0) / $requests}") |" \
        "$([ -n "$allocated0" ] && awk "BEGIN {printf \"%.0f\", ($allocated1 - $allocated0) / $requests}" || echo —) |" \
        "$([ "$s" == B ] && [ -z "${AB_TOGETHER:-}" ] && field rate "$(load A --scenario noop --concurrency "${AB_CONCURRENCY:-64}" --duration 5s --warmup 2s)") |"
    done
    [ -z "${AB_TOGETHER:-}" ] || echo "| $args | $r | rates over the windows' overlap, ${overlap_seconds} s | | | | | | | |"
    ratios+=("$(awk "BEGIN {printf \"%.2f\", ${rate[B]} / ${rate[A]}}")")
  done
  summary+=("| $args | ${ratios[*]} | $(printf '%s\n' "${ratios[@]}" | awk '{t += $1} END {printf "%.2f", t / NR}') |")
done
echo
echo "| scenario | B ÷ A per round | mean |"
echo "|---|---|---|"
printf '%s\n' "${summary[@]}"
echo
echo "Logs and data: $out"
