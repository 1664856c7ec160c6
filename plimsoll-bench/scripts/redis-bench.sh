#!/usr/bin/env bash
# Runs the Redis store benchmarks and their anchor in one go, against the Redis at REDIS_HOST:REDIS_PORT
# (default the local one). Build first:
#   ./mvnw -B -q -pl plimsoll-core,plimsoll-redis,plimsoll-bench package -DskipTests
# then, from the repository root:
#   plimsoll-bench/scripts/redis-bench.sh | tee redis-bench.txt
set -euo pipefail
host=${REDIS_HOST:-127.0.0.1}
port=${REDIS_PORT:-6379}
jar=plimsoll-bench/target/benchmarks.jar

echo "== machine"
nproc
grep -m1 'model name' /proc/cpuinfo || true
uptime
redis-server --version
java -version 2>&1 | head -1

echo "== anchor: redis-benchmark LPUSH/LPOP, one command per round trip, then pipelined by 16"
redis-benchmark -h "$host" -p "$port" -t lpush,lpop -n 200000 -q 2>&1 | tr '\r' '\n' | grep -E '^(LPUSH|LPOP):.*requests per second'
redis-benchmark -h "$host" -p "$port" -t lpush,lpop -n 200000 -P 16 -q 2>&1 | tr '\r' '\n' | grep -E '^(LPUSH|LPOP):.*requests per second'

echo "== Plimsoll on Redis"
java -Dplimsoll.redisUri="redis://$host:$port" -jar "$jar" 'RedisThroughput|RedisPickupLatency' 2>&1 \
  | grep -vE '^\s*$'
echo "== after"
uptime
