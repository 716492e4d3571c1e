#!/usr/bin/env bash
# Builds the solution and runs every test. Tests that need Redis start their own throwaway
# redis-server processes on free loopback ports (AOF, fsync always); this script makes sure
# redis-server is installed.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/redis.sh

ensure_redis_server
dotnet build Decisioning.sln -c Release -nologo -v quiet
dotnet test Decisioning.sln -c Release --no-build --nologo "$@"
