#!/usr/bin/env bash
# Side-by-side benchmark of Vireo and redis-server (the future `make bench`).
#
# Throughput: redis-benchmark -t set,get,incr,mset -c 50 -n $BENCH_N, without
# pipelining and with -P 16, servers alternating within each round, median of
# $ROUNDS rounds. Each server is pinned to one CPU (core 0) and the client to
# the others, so the comparison is per core and the client never steals the
# server's CPU (see DESIGN.md, performance notes).
# Memory: FLUSHALL, DEBUG POPULATE $BENCH_KEYS, resident set size per key.
#
# Environment:
#   VIREO_BIN     use this server binary instead of building cmd/vireo-server
#                 (VIREO_BIN=redis-server compares redis-server with itself)
#   REDIS_SERVER  the reference server (default: redis-server from PATH)
#   BENCH_N       requests per run (default 1000000)
#   ROUNDS        rounds, median taken (default 3)
#   BENCH_KEYS    keys for the memory comparison (default 1000000; 0 skips it)
#   SERVER_CPUS   CPU list for the servers (default 0)
#   CLIENT_CPUS   CPU list for redis-benchmark (default: all the others)
set -euo pipefail

BENCH_N=${BENCH_N:-1000000}
ROUNDS=${ROUNDS:-3}
BENCH_KEYS=${BENCH_KEYS:-1000000}
TESTS=(set get incr mset)
PIPELINES=(1 16)
RUN_TIMEOUT=${RUN_TIMEOUT:-600} # seconds one redis-benchmark run may take

die() { echo "bench: $*" >&2; exit 1; }

for tool in redis-benchmark redis-cli timeout; do
	command -v "$tool" >/dev/null || die "$tool not found: run \`make test\`, which installs the Redis tools"
done
REDIS_SERVER=${REDIS_SERVER:-redis-server}
command -v "$REDIS_SERVER" >/dev/null || die "$REDIS_SERVER not found: run \`make test\`, which installs it"

work=$(mktemp -d "${TMPDIR:-/tmp}/vireo-bench.XXXXXX")
pids=()     # the servers
bench_pid=  # the redis-benchmark run in progress
cleanup() {
	local pid
	if [ -n "$bench_pid" ]; then
		kill "$bench_pid" 2>/dev/null || true
		wait "$bench_pid" 2>/dev/null || true
	fi
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		# SIGKILL whatever did not stop within 3 s.
		for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU pinning: servers on SERVER_CPUS, the client on the rest.
ncpu=$(nproc)
server_pin=()
client_pin=()
if command -v taskset >/dev/null && [ "$ncpu" -ge 2 ]; then
	server_cpus=${SERVER_CPUS:-0}
	client_cpus=${CLIENT_CPUS:-1-$((ncpu - 1))}
	server_pin=(taskset -c "$server_cpus")
	client_pin=(taskset -c "$client_cpus")
	echo "pinning: servers on CPU $server_cpus, redis-benchmark on CPU $client_cpus ($ncpu CPUs)"
else
	echo "warning: not pinning (need taskset and at least 2 CPUs; have $ncpu): figures will be noisy" >&2
fi

# The Vireo binary.
if [ -n "${VIREO_BIN:-}" ]; then
	vireo_bin=$(command -v "$VIREO_BIN") || die "VIREO_BIN=$VIREO_BIN not found"
else
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	vireo_bin=$work/vireo-server
	echo "building cmd/vireo-server ..."
	(cd "$root" && go build -o "$vireo_bin" ./cmd/vireo-server) || die "go build failed"
fi

# free_port prints a loopback port nothing listens on.
free_port() {
	local port
	for _ in $(seq 100); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port found"
}

# start_server NAME BIN: starts a server without persistence, pinned, and
# waits until it answers PING. Sets ${NAME}_port and ${NAME}_pid.
start_server() {
	local name=$1 bin=$2 port dir pid
	port=$(free_port)
	dir=$work/$name
	mkdir -p "$dir"
	"${server_pin[@]}" "$bin" --port "$port" --bind 127.0.0.1 --dir "$dir" \
		--save '' --appendonly no --enable-debug-command yes >"$work/$name.log" 2>&1 &
	pid=$!
	pids+=("$pid")
	for _ in $(seq 100); do
		if [ "$(redis-cli -p "$port" PING 2>/dev/null)" = PONG ]; then
			printf -v "${name}_port" %s "$port"
			printf -v "${name}_pid" %s "$pid"
			return
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "--- $name output ---" >&2
	cat "$work/$name.log" >&2
	die "$name ($bin) did not answer PING on port $port"
}

start_server vireo "$vireo_bin"
start_server redis "$(command -v "$REDIS_SERVER")"
echo "vireo: $vireo_bin (port $vireo_port)   redis: $(command -v "$REDIS_SERVER") (port $redis_port)"

# bench_one SERVER TEST PIPELINE: one redis-benchmark run; appends the
# requests per second to $work/rps.SERVER.TEST.PIPELINE, or records the error.
bench_one() {
	local server=$1 test=$2 pipeline=$3 port out rps
	port=${server}_port
	port=${!port}
	redis-cli -p "$port" FLUSHALL >/dev/null
	# In the background and waited for, so that a signal runs the traps at
	# once and cleanup stops the client too.
	timeout "$RUN_TIMEOUT" "${client_pin[@]}" redis-benchmark -h 127.0.0.1 -p "$port" \
		-q -t "$test" -c 50 -n "$BENCH_N" -P "$pipeline" --csv >"$work/out" 2>&1 &
	bench_pid=$!
	if ! wait "$bench_pid"; then
		bench_pid=
		grep -v '^"' "$work/out" | head -3 >"$work/err.$server.$test.$pipeline"
		return
	fi
	bench_pid=
	out=$(cat "$work/out")
	# The CSV row after the header; warnings may come before either.
	rps=$(echo "$out" | awk -F'","' '/^"/ && !/^"test"/ { print $2; exit }')
	if [ -z "$rps" ]; then
		echo "no CSV row in: $out" | head -3 >"$work/err.$server.$test.$pipeline"
		return
	fi
	echo "$rps" >>"$work/rps.$server.$test.$pipeline"
}

# median FILE: the median of the numbers in FILE, one per line.
median() {
	sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "throughput: $ROUNDS round(s) of $BENCH_N requests, 50 clients, tests: ${TESTS[*]}"
for round in $(seq "$ROUNDS"); do
	# Alternate which server goes first, so drift (thermal, noisy neighbours)
	# does not favour one of them.
	if [ $((round % 2)) -eq 1 ]; then order=(vireo redis); else order=(redis vireo); fi
	for pipeline in "${PIPELINES[@]}"; do
		for test in "${TESTS[@]}"; do
			for server in "${order[@]}"; do
				bench_one "$server" "$test" "$pipeline"
			done
		done
	done
	echo "  round $round done"
done

echo
printf '%-14s %14s %14s %7s\n' test "vireo rps" "redis rps" ratio
for pipeline in "${PIPELINES[@]}"; do
	for test in "${TESTS[@]}"; do
		label=$(echo "$test" | tr a-z A-Z)
		[ "$pipeline" -gt 1 ] && label="$label -P$pipeline"
		v=n/a r=n/a ratio=n/a
		[ -s "$work/rps.vireo.$test.$pipeline" ] && v=$(median "$work/rps.vireo.$test.$pipeline")
		[ -s "$work/rps.redis.$test.$pipeline" ] && r=$(median "$work/rps.redis.$test.$pipeline")
		if [ "$v" != n/a ] && [ "$r" != n/a ]; then
			ratio=$(awk -v a="$v" -v b="$r" 'BEGIN { printf "%.2f", a / b }')
		fi
		printf '%-14s %14s %14s %7s\n' "$label" "$v" "$r" "$ratio"
	done
done
for f in "$work"/err.*; do
	[ -e "$f" ] || continue
	echo "failed: $(basename "$f" | cut -d. -f2-): $(tr '\n' ' ' <"$f")"
done

[ "$BENCH_KEYS" -gt 0 ] || exit 0

# rss SERVER: resident set size in bytes, from INFO memory's used_memory_rss,
# else from /proc/PID/status.
rss() {
	local port=${1}_port pid=${1}_pid value
	value=$(redis-cli -p "${!port}" INFO memory 2>/dev/null | tr -d '\r' | awk -F: '$1 == "used_memory_rss" { print $2 }')
	if [ -z "$value" ]; then
		value=$(awk '$1 == "VmRSS:" { print $2 * 1024 }' "/proc/${!pid}/status")
	fi
	echo "$value"
}

# populate SERVER METHOD: BENCH_KEYS keys key:N -> value:N, by DEBUG POPULATE
# or, where a server lacks it, by the same SETs through redis-cli --pipe.
populate() {
	local port=${1}_port
	if [ "$2" = debug ]; then
		redis-cli -p "${!port}" DEBUG POPULATE "$BENCH_KEYS" >/dev/null
	else
		awk -v n="$BENCH_KEYS" 'BEGIN { for (i = 0; i < n; i++) { k = "key:" i; v = "value:" i
			printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v } }' |
			redis-cli -p "${!port}" --pipe >/dev/null
	fi
}

# Both servers are filled the same way: DEBUG POPULATE if both have it.
method=debug
for server in vireo redis; do
	port=${server}_port
	reply=$(redis-cli -p "${!port}" DEBUG POPULATE 0 2>&1 || true)
	[ "$reply" = OK ] || method=pipe
done
echo
echo "memory: $BENCH_KEYS keys (key:N -> value:N) by $([ $method = debug ] && echo "DEBUG POPULATE" || echo "redis-cli --pipe SETs")"
printf '%-8s %14s %14s %12s\n' server "rss before" "rss after" "bytes/key"
declare -A per_key
for server in vireo redis; do
	port=${server}_port
	redis-cli -p "${!port}" FLUSHALL >/dev/null
	before=$(rss "$server")
	populate "$server" "$method"
	keys=$(redis-cli -p "${!port}" DBSIZE)
	[ "$keys" = "$BENCH_KEYS" ] || echo "warning: $server holds $keys keys, not $BENCH_KEYS" >&2
	after=$(rss "$server")
	per_key[$server]=$(awk -v a="$after" -v b="$before" -v n="$BENCH_KEYS" 'BEGIN { printf "%.1f", (a - b) / n }')
	printf '%-8s %14s %14s %12s\n' "$server" "$before" "$after" "${per_key[$server]}"
	redis-cli -p "${!port}" FLUSHALL >/dev/null
done
awk -v v="${per_key[vireo]}" -v r="${per_key[redis]}" 'BEGIN { if (r > 0) printf "ratio (vireo/redis bytes per key): %.2f\n", v / r }'
