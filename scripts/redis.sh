# Shared by run.sh, test.sh and bench.sh: a local Redis that keeps every acknowledged write.
# Source it; it defines functions only.

# Installs Debian's redis-server when it is missing (CI machines start with only the .NET SDK).
ensure_redis_server() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    return 0
  fi
  echo "redis-server is not installed: installing Debian's redis-server" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
  # The package may start a system-wide instance; we run our own on our own port.
  command -v redis-server >/dev/null 2>&1 || { echo "could not install redis-server" >&2; return 1; }
}

# start_redis DIR PORT [ARG ...]: starts redis-server on 127.0.0.1:PORT with its data in DIR (AOF,
# fsync always, no eviction) and any further redis-server arguments (--replicaof 127.0.0.1 6380, say),
# and waits until it answers. Prints its pid. Redis runs in a session of its own: a Ctrl-C in the
# terminal (SIGINT to the foreground process group) does not reach it, so the script that started it
# stops it when it chooses, after the processes that use it (run.sh: after the service has exited).
start_redis() {
  local dir="$1" port="$2"
  shift 2
  mkdir -p "$dir"
  setsid redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" \
    --appendonly yes --appendfsync always --save "" --maxmemory-policy noeviction \
    --daemonize no --logfile "$dir/redis.log" "$@" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      echo "$pid"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "redis-server exited; see $dir/redis.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "redis-server did not answer on port $port" >&2
  return 1
}

# free_port: a TCP port on loopback that nothing listens on now, from 12000 to 21999: below the
# kernel's ephemeral range (32768 and up), where outgoing connections take theirs, as does a Redis
# cluster node's bus port (its own + 10000).
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((12000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}
