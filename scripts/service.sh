# Shared by bench.sh, bench-rate-limits.sh and ab.sh: the Release service (grpc-host with its co-hosted
# silo) on loopback, accepting the development key, and the benchmark's plain baseline server.
# Source it after redis.sh and dev-auth.sh; it defines functions only.

# export_load_tokens: the load tool's tokens, as a performance engineer's would be (real tokens,
# checked by the service on every call): DECISIONING_TOKEN for its calls, and
# DECISIONING_APPROVER_TOKEN, a second staff member's, since line openings by hand take effect when
# another approves them (four eyes). Needs the development key (ensure_dev_key) first.
export_load_tokens() {
  DECISIONING_TOKEN="$(scripts/dev-token.sh --subject bench --ttl 1d --enterprises '*' \
    --scopes "credit.read credit.draw credit.repay credit.admin decisioning.assess decisioning.supply-data decisioning.consent")"
  DECISIONING_APPROVER_TOKEN="$(scripts/dev-token.sh --subject bench-approver --ttl 1d --enterprises '*' --scopes "credit.approve")"
  export DECISIONING_TOKEN DECISIONING_APPROVER_TOKEN
}

# start_service LOG GRPC_PORT REDIS_PORT DEV_KEY [NAME=VALUE ...]: starts the service with these
# settings added (environment variables), sets host_pid, and waits until the gRPC port listens. Its
# metrics are on (a scrape port, as in production), so that benchmarks measure what they cost.
start_service() {
  local log="$1" grpc_port="$2" redis_port="$3" dev_key="$4"
  shift 4
  (
    cd grpc-host/Decisioning.GrpcHost/bin/Release/net10.0
    exec env \
      Decisioning__Grpc__Port="$grpc_port" \
      Decisioning__Auth__DevelopmentKeyFile="$dev_key" \
      Decisioning__Redis__Configuration="127.0.0.1:$redis_port" \
      Decisioning__Cluster__SiloPort="$(free_port)" \
      Decisioning__Cluster__GatewayPort="$(free_port)" \
      Decisioning__Telemetry__MetricsPort="$(free_port)" \
      Logging__LogLevel__Default=Warning \
      "$@" dotnet Decisioning.GrpcHost.dll
  ) >"$log" 2>&1 &
  host_pid=$!
  wait_listening "$grpc_port" "$log" "the service"
}

# start_plain LOG PORT REDIS_PORT DEV_KEY JOURNAL: the plain baseline server (Release
# decisioning-plain, loadtest/Decisioning.PlainScript) with the service's token settings and
# --journal JOURNAL (true or false); sets plain_pid and waits until it listens, which it does only
# after it has checked that Redis fsyncs every write.
start_plain() {
  local log="$1" port="$2" redis_port="$3" dev_key="$4" journal="$5"
  (
    cd loadtest/Decisioning.PlainScript/bin/Release/net10.0
    exec env \
      Decisioning__Auth__DevelopmentKeyFile="$dev_key" \
      Logging__LogLevel__Default=Warning \
      dotnet decisioning-plain.dll --port "$port" --redis "127.0.0.1:$redis_port" --journal "$journal"
  ) >"$log" 2>&1 &
  plain_pid=$!
  wait_listening "$port" "$log" "the plain server"
}

# wait_listening PORT LOG WHAT: returns once something listens on 127.0.0.1:PORT, fails after 30 s.
wait_listening() {
  local port="$1" log="$2" what="$3"
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$what did not listen on $port; see $log" >&2
  return 1
}
