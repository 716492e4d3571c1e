#!/usr/bin/env bash
# Decisioning as a cluster on this machine: a Redis primary and its replica watched by three
# sentinels (failover in a few seconds), three standalone silos that find each other through Redis
# clustering, and two gRPC front doors joined to them as Orleans clients on 127.0.0.1:5081 and :5082.
#   ./cluster.sh up        builds, starts everything and waits until both front doors serve
#   ./cluster.sh up --redis-cluster   the same with a Redis Cluster of three primaries and three
#                          replicas (redis-1..redis-6) instead of Sentinel, keys in 16 partitions
#   ./cluster.sh status    each process alive or dead, each Redis's role, the sentinels' primary, the silos' membership
#   ./cluster.sh down      stops exactly the processes `up` started (by the pids in .cluster/pids/)
#   ./cluster.sh start NAME | stop NAME | kill NAME    one process (silo-2, host-1, redis-primary, ...):
#                          start it again, stop it gracefully (SIGTERM), or crash it (SIGKILL)
# Everything lives in .cluster/ (pids/, logs/, data/). Tokens: scripts/dev-token.sh, as with ./run.sh.
#   CLUSTER_DIR            another folder than .cluster/ (a scratch cluster)
#   CLUSTER_REDIS_PORTS    primary and replica, default "6380 6381"
#   CLUSTER_SENTINEL_PORTS default "26380 26381 26382"
#   CLUSTER_NODE_PORTS     the Redis Cluster's six nodes (--redis-cluster), default "7001 7002 7003 7004 7005 7006"
#   CLUSTER_KEY_PARTITIONS Decisioning:Redis:KeyPartitions with --redis-cluster, default 16
#   CLUSTER_SILO_PORTS     silo-to-silo ports, default "11111 11112 11113"
#   CLUSTER_GATEWAY_PORTS  the silos' gateways (for the front doors), default "30001 30002 30003"
#   CLUSTER_HOST_PORTS     the front doors' gRPC ports, default "5081 5082"
#   CLUSTER_CONFIGURATION  Release (default) or Debug; CLUSTER_BUILD=no runs what is built
#   DECISIONING_RATE_LIMITS off: no rate limits (load tests only)
set -euo pipefail
cd "$(dirname "$0")"
. scripts/redis.sh
. scripts/dev-auth.sh
. scripts/service.sh

dir="${CLUSTER_DIR:-$PWD/.cluster}"
service_name="decisioning"
read -r -a redis_ports <<<"${CLUSTER_REDIS_PORTS:-6380 6381}"
read -r -a sentinel_ports <<<"${CLUSTER_SENTINEL_PORTS:-26380 26381 26382}"
read -r -a silo_ports <<<"${CLUSTER_SILO_PORTS:-11111 11112 11113}"
read -r -a gateway_ports <<<"${CLUSTER_GATEWAY_PORTS:-30001 30002 30003}"
read -r -a host_ports <<<"${CLUSTER_HOST_PORTS:-5081 5082}"
configuration="${CLUSTER_CONFIGURATION:-Release}"
read -r -a node_ports <<<"${CLUSTER_NODE_PORTS:-7001 7002 7003 7004 7005 7006}"
# The Redis of `up` stays the Redis of every later command: its kind is written in $dir/redis.
if [ "${1:-}" = up ]; then
  case "${2:-}" in
    --redis-cluster) redis_kind=cluster ;;
    "") redis_kind=sentinel ;;
    *) echo "up takes --redis-cluster or nothing, not '$2'" >&2; exit 2 ;;
  esac
else
  redis_kind="$(cat "$dir/redis" 2>/dev/null || echo sentinel)"
fi
if [ "$redis_kind" = cluster ]; then
  names=(redis-1 redis-2 redis-3 redis-4 redis-5 redis-6 silo-1 silo-2 silo-3 host-1 host-2)
else
  names=(redis-primary redis-replica sentinel-1 sentinel-2 sentinel-3 silo-1 silo-2 silo-3 host-1 host-2)
fi

# The silos and front doors reach Redis through the sentinels: StackExchange.Redis asks them for the
# primary and follows a failover (Orleans' Redis clustering connects with the same string). A Redis
# Cluster is named by its nodes; the client learns the slots from them.
redis_configuration() {
  local endpoints="" p
  if [ "$redis_kind" = cluster ]; then
    for p in "${node_ports[@]}"; do endpoints+="127.0.0.1:$p,"; done
    echo "${endpoints%,}"
  else
    for p in "${sentinel_ports[@]}"; do endpoints+="127.0.0.1:$p,"; done
    echo "${endpoints}serviceName=$service_name"
  fi
}

# Settings that go with the kind of Redis: on a Redis Cluster, keys tagged by partition so that one
# commit script still carries many lines (all of one hash slot).
redis_settings() {
  [ "$redis_kind" = cluster ] && echo "Decisioning__Redis__KeyPartitions=${CLUSTER_KEY_PARTITIONS:-16}"
  return 0
}

# A Redis node that answers: the current primary (Sentinel), or any node of the Redis Cluster.
redis_cli() {
  if [ "$redis_kind" = cluster ]; then
    redis-cli -c -p "${node_ports[0]}" "$@"
  else
    local primary
    primary="$(current_primary)" || return 1
    redis-cli -h "${primary% *}" -p "${primary#* }" "$@"
  fi
}

pid_file() { echo "$dir/pids/$1.pid"; }
alive() { local f; f="$(pid_file "$1")"; [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

# port_of NAME: the port a process listens on (its gRPC port for a front door).
port_of() {
  case "$1" in
    redis-primary) echo "${redis_ports[0]}" ;;
    redis-replica) echo "${redis_ports[1]}" ;;
    redis-[1-6]) echo "${node_ports[$((${1#redis-} - 1))]}" ;;
    sentinel-*) echo "${sentinel_ports[$((${1#sentinel-} - 1))]}" ;;
    silo-*) echo "${gateway_ports[$((${1#silo-} - 1))]}" ;;
    host-*) echo "${host_ports[$((${1#host-} - 1))]}" ;;
    *) echo "unknown process $1 (one of: ${names[*]})" >&2; return 2 ;;
  esac
}

start_sentinel() {
  local name="$1" port="$2" conf="$dir/data/$1/sentinel.conf"
  mkdir -p "$dir/data/$name"
  # Sentinel rewrites its file (the current primary, the other sentinels); write it only once.
  if [ ! -s "$conf" ]; then
    cat >"$conf" <<EOF
port $port
bind 127.0.0.1
dir $dir/data/$name
sentinel monitor $service_name 127.0.0.1 ${redis_ports[0]} 2
sentinel down-after-milliseconds $service_name 2000
sentinel failover-timeout $service_name 10000
sentinel parallel-syncs $service_name 1
EOF
  fi
  redis-server "$conf" --sentinel --daemonize no --logfile "$dir/logs/$name.log" >/dev/null 2>&1 &
  echo $! >"$(pid_file "$name")"
}

# start_dotnet NAME FOLDER PROJECT NAME=VALUE...: a Release program from its bin folder, its settings as environment variables.
start_dotnet() {
  local name="$1" bin="$2/bin/$configuration/net10.0" dll="$3.dll"
  shift 3
  (cd "$bin" && exec env \
    Decisioning__Redis__Configuration="$(redis_configuration)" $(redis_settings) \
    Decisioning__Cluster__Clustering=Redis \
    Decisioning__Cluster__ClusterId="${CLUSTER_ID:-local}" \
    Logging__LogLevel__Default=Warning \
    Logging__LogLevel__Microsoft.Hosting.Lifetime=Information \
    "$@" dotnet "$dll") >>"$dir/logs/$name.log" 2>&1 &
  echo $! >"$(pid_file "$name")"
}

start_one() {
  local name="$1" port
  port="$(port_of "$name")"
  if alive "$name"; then echo "$name is already running (pid $(cat "$(pid_file "$name")"))"; return 0; fi
  case "$name" in
    redis-primary | redis-replica)
      # A restarted Redis comes back as a replica of whichever the sentinels made primary (a
      # former primary rejoins with the data it had, until the sentinels reconfigure it).
      local replica_of=() primary
      primary="$(current_primary || true)"
      if [ -n "$primary" ] && [ "$primary" != "127.0.0.1 $port" ]; then
        replica_of=(--replicaof ${primary})
      elif [ "$name" = redis-replica ]; then
        replica_of=(--replicaof 127.0.0.1 "${redis_ports[0]}")
      fi
      start_redis "$dir/data/$name" "$port" "${replica_of[@]}" >"$(pid_file "$name")"
      ;;
    redis-[1-6])
      # A node keeps its cluster identity and slots in nodes.conf: restarted, it rejoins.
      start_redis "$dir/data/$name" "$port" --cluster-enabled yes --cluster-config-file nodes.conf \
        --cluster-node-timeout 2000 >"$(pid_file "$name")"
      ;;
    sentinel-*) start_sentinel "$name" "$port" ;;
    silo-*)
      local i="${name#silo-}"
      start_dotnet "$name" silo/Decisioning.Silo Decisioning.Silo \
        Decisioning__Cluster__SiloPort="${silo_ports[$((i - 1))]}" Decisioning__Cluster__GatewayPort="$port"
      wait_listening "$port" "$dir/logs/$name.log" "$name"
      ;;
    host-*)
      # The development key of ./run.sh, unless the caller brings its own token keys (the failover test does).
      local keys=()
      [ -n "${Decisioning__Auth__SigningKeyFiles__0:-}" ] || keys=(Decisioning__Auth__DevelopmentKeyFile="$(ensure_dev_key)")
      start_dotnet "$name" grpc-host/Decisioning.GrpcHost Decisioning.GrpcHost \
        Decisioning__Grpc__Silo=External Decisioning__Grpc__Port="$port" "${keys[@]}" \
        Decisioning__RateLimits__Enabled="$([ "${DECISIONING_RATE_LIMITS:-on}" = off ] && echo false || echo true)"
      wait_listening "$port" "$dir/logs/$name.log" "$name"
      wait_serving "$port"
      ;;
  esac
  echo "$name started (pid $(cat "$(pid_file "$name")"), port $port)"
}

# signal_one SIGNAL NAME: signals the process whose pid `up` recorded and waits for it to exit.
signal_one() {
  local signal="$1" name="$2" pid
  alive "$name" || { rm -f "$(pid_file "$name")"; return 0; }
  pid="$(cat "$(pid_file "$name")")"
  local started
  started="$(date +%s%N)"
  kill "-$signal" "$pid"
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then echo "$name (pid $pid) did not stop in 60 s" >&2; return 1; fi
  rm -f "$(pid_file "$name")"
  echo "$name stopped (SIG$signal, pid $pid, in $(( ($(date +%s%N) - started) / 1000000 )) ms)"
}

current_primary() {
  local p
  for p in "${sentinel_ports[@]}"; do
    redis-cli -p "$p" sentinel get-master-addr-by-name "$service_name" 2>/dev/null | paste -sd' ' && return 0
  done
  return 1
}

up() {
  ensure_redis_server
  mkdir -p "$dir/pids" "$dir/logs" "$dir/data"
  if [ "${CLUSTER_BUILD:-yes}" != no ]; then
    dotnet build silo/Decisioning.Silo -c "$configuration" -v quiet -nologo
    dotnet build grpc-host/Decisioning.GrpcHost -c "$configuration" -v quiet -nologo
  fi
  echo "$redis_kind" >"$dir/redis"
  local name
  for name in "${names[@]}"; do
    start_one "$name"
    [ "$name" = redis-6 ] && create_redis_cluster
  done
  echo "cluster up: front doors on ${host_ports[*]/#/127.0.0.1:}; ./cluster.sh status; ./cluster.sh down"
}

# create_redis_cluster: the six nodes as three primaries with a replica each (once: a cluster made
# before keeps its slots), then waits until every node says the cluster is ok.
create_redis_cluster() {
  local p endpoints=()
  for p in "${node_ports[@]}"; do endpoints+=("127.0.0.1:$p"); done
  if ! redis-cli -p "${node_ports[0]}" cluster info | grep -q '^cluster_state:ok'; then
    redis-cli --cluster create "${endpoints[@]}" --cluster-replicas 1 --cluster-yes >"$dir/logs/redis-cluster-create.log"
  fi
  for _ in $(seq 1 300); do
    local ok=0
    for p in "${node_ports[@]}"; do redis-cli -p "$p" cluster info | grep -q '^cluster_state:ok' && ok=$((ok + 1)); done
    [ "$ok" = "${#node_ports[@]}" ] && { echo "redis cluster ok (3 primaries, 3 replicas)"; return 0; }
    sleep 0.2
  done
  echo "the Redis Cluster did not come up; see $dir/logs/redis-cluster-create.log" >&2
  return 1
}

# wait_serving PORT: until a front door's grpc.health.v1 answers SERVING (with curl when it is installed).
wait_serving() {
  command -v curl >/dev/null 2>&1 || return 0
  for _ in $(seq 1 300); do
    # An empty HealthCheckRequest; the reply's field 1 is the status, 1 = SERVING.
    if curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
      --data-binary @<(printf '\0\0\0\0\0') "http://127.0.0.1:$1/grpc.health.v1.Health/Check" 2>/dev/null |
      od -An -tx1 | tr -d ' \n' | grep -q '00000000020801'; then
      return 0
    fi
    sleep 0.2
  done
  echo "the front door on $1 did not say SERVING in 60 s" >&2
  return 1
}

down() {
  local i
  # Front doors first, then silos (each hands its grains over), then Redis and the sentinels.
  for ((i = ${#names[@]} - 1; i >= 0; i--)); do signal_one TERM "${names[$i]}"; done
  rm -f "$dir/redis"
}

status() {
  local name port state
  printf '%-14s %-7s %-8s %s\n' PROCESS PID STATE DETAIL
  for name in "${names[@]}"; do
    port="$(port_of "$name")" state=dead detail=""
    alive "$name" && state=alive
    case "$name" in
      redis-[1-6])
        detail="$(redis-cli -p "$port" role 2>/dev/null | head -1 || true)"
        detail="127.0.0.1:$port ${detail:-no answer} $(redis-cli -p "$port" cluster info 2>/dev/null | grep -o 'cluster_state:[a-z]*' || true)" ;;
      redis-*) detail="$(redis-cli -p "$port" role 2>/dev/null | head -1 || true)"; detail="127.0.0.1:$port ${detail:-no answer}" ;;
      sentinel-*)
        detail="$(redis-cli -p "$port" sentinel get-master-addr-by-name "$service_name" 2>/dev/null | paste -sd: || true)"
        detail="127.0.0.1:$port primary: ${detail:-no answer}" ;;
      silo-*) detail="gateway 127.0.0.1:$port" ;;
      host-*) detail="gRPC 127.0.0.1:$port" ;;
    esac
    printf '%-14s %-7s %-8s %s\n' "$name" "$(cat "$(pid_file "$name")" 2>/dev/null || echo -)" "$state" "$detail"
  done
  membership
}

# The silos' membership as Orleans' Redis clustering stores it: one hash per cluster, a field per silo.
membership() {
  echo "membership (key decisioning/members/${CLUSTER_ID:-local}):"
  redis_cli hgetall "decisioning/members/${CLUSTER_ID:-local}" 2>/dev/null |
    paste - - | grep -vi '^version' | while IFS=$'\t' read -r silo entry; do
      # MembershipEntry as JSON; Status is Orleans' SiloStatus (3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead).
      printf '  %-28s %s\n' "$silo" "$(grep -o '"Status":[0-9]*\|"IAmAliveTime":"[^".]*' <<<"$entry" | paste -sd' ' |
        sed 's/"Status":1/Created/; s/"Status":2/Joining/; s/"Status":3/Active/; s/"Status":4/ShuttingDown/; s/"Status":5/Stopping/; s/"Status":6/Dead/; s/"IAmAliveTime":"/alive at /')"
    done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  start) mkdir -p "$dir/pids" "$dir/logs" "$dir/data"; start_one "${2:?which process}" ;;
  stop) port_of "${2:?which process}" >/dev/null && signal_one TERM "$2" ;;
  kill) port_of "${2:?which process}" >/dev/null && signal_one KILL "$2" ;;
  *) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
