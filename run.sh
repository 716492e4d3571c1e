#!/usr/bin/env bash
# Runs Decisioning on this machine: a local Redis (AOF, fsync always; data in .data/) and the gRPC
# front door on 127.0.0.1 with its co-hosted silo. Ctrl-C stops both. Every call needs a bearer
# token: scripts/dev-token.sh prints one signed with the development key made here in .data/dev-jwt/.
#   DECISIONING_GRPC_PORT   gRPC port (h2c), default 5080
#   DECISIONING_REDIS_PORT  Redis port, default 6379
#   DECISIONING_RATE_LIMITS off: no per-caller and per-enterprise rate limits (load tests and benchmarks only)
#   DECISIONING_METRICS_PORT    Prometheus scrape endpoint http://127.0.0.1:PORT/metrics, default 9464
#   DECISIONING_DASHBOARD_PORT  Orleans Dashboard http://127.0.0.1:PORT, default 8080
# Ctrl-C stops the service first and Redis only after it has exited (Redis runs in a session of its
# own, so the terminal's SIGINT reaches the service alone): a clean stop prints no error.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/redis.sh
. scripts/dev-auth.sh

grpc_port="${DECISIONING_GRPC_PORT:-5080}"
redis_port="${DECISIONING_REDIS_PORT:-6379}"
metrics_port="${DECISIONING_METRICS_PORT:-9464}"
dashboard_port="${DECISIONING_DASHBOARD_PORT:-8080}"
rate_limits=true
case "${DECISIONING_RATE_LIMITS:-on}" in
  off) rate_limits=false; echo "rate limits are OFF for this run (DECISIONING_RATE_LIMITS=off)" ;;
  on) ;;
  *) echo "DECISIONING_RATE_LIMITS must be on or off" >&2; exit 2 ;;
esac

ensure_redis_server
dev_key="$(ensure_dev_key)"
dotnet build grpc-host/Decisioning.GrpcHost -c Release -v quiet -nologo

redis_pid=""
host_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  if [ -n "$redis_pid" ]; then
    redis-cli -p "$redis_port" shutdown >/dev/null 2>&1
    for _ in $(seq 1 100); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  echo "stopped"
}
trap stop INT TERM EXIT

if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
  echo "using the Redis already listening on 127.0.0.1:$redis_port (the service checks that it is durable)"
else
  redis_pid=$(start_redis "$PWD/.data/redis-$redis_port" "$redis_port")
  echo "Redis on 127.0.0.1:$redis_port (data in .data/redis-$redis_port)"
fi

echo "Decisioning on 127.0.0.1:$grpc_port (h2c, reflection on); Ctrl-C stops"
echo "metrics: http://127.0.0.1:$metrics_port/metrics   Orleans Dashboard: http://127.0.0.1:$dashboard_port"
echo "a token for calls: scripts/dev-token.sh --subject me --scopes \"credit.read credit.draw\" --enterprises '*'"
Decisioning__Grpc__Port="$grpc_port" \
Decisioning__Auth__DevelopmentKeyFile="$dev_key" \
Decisioning__RateLimits__Enabled="$rate_limits" \
Decisioning__Telemetry__MetricsPort="$metrics_port" \
Decisioning__Telemetry__DashboardPort="$dashboard_port" \
Decisioning__Redis__Configuration="127.0.0.1:$redis_port" \
  dotnet grpc-host/Decisioning.GrpcHost/bin/Release/net10.0/Decisioning.GrpcHost.dll &
host_pid=$!
wait "$host_pid"
