# Shared by bench.sh and bench-rate-limits.sh: the Release service (grpc-host with its co-hosted
# silo) on loopback, accepting the development key. Source it after redis.sh and dev-auth.sh; it
# defines functions only.

# start_service LOG GRPC_PORT REDIS_PORT DEV_KEY [NAME=VALUE ...]: starts the service with these
# settings added (environment variables), sets host_pid, and waits until the gRPC port listens.
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
      Logging__LogLevel__Default=Warning \
      "$@" dotnet Decisioning.GrpcHost.dll
  ) >"$log" 2>&1 &
  host_pid=$!
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$grpc_port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "the service did not listen on $grpc_port; see $log" >&2
  return 1
}
