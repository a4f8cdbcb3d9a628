#!/usr/bin/env bash
# Side-by-side benchmark of Vireo and redis-server (the future `make bench`).
#
# Every part runs on both servers, pinned, and prints Vireo/Redis ratios. A
# part a server cannot run (a command it lacks, say) shows n/a instead of
# failing the whole run.
#
# Throughput: redis-benchmark -t set,get,incr,mset,lpush,lpop,sadd,spop,hset,
# zadd,zpopmin,lrange_100 -c 50 -n $BENCH_N, without pipelining and with
# -P 16, servers alternating within each round, median of $ROUNDS rounds.
# Each server is pinned to one CPU (core 0) and the client to the others, so
# the comparison is per core and the client never steals the server's CPU
# (see DESIGN.md, performance notes). The database is flushed before each
# run except before the pops (lpop, spop, zpopmin), which take what the push
# before them left, as in redis-benchmark's own default run.
# Leaderboard: $LB_MEMBERS members member:N (N zero-padded to 12 digits, as
# redis-benchmark writes __rand_int__) loaded into the sorted set lb through
# redis-cli --pipe, 100 per ZADD; then, alternating and median as above, one
# run each of ZINCRBY lb 1 member:__rand_int__, ZREVRANGE lb 0 9 WITHSCORES
# and ZREVRANK lb member:__rand_int__ with -r $LB_MEMBERS.
# Fan-out: tests/bench/fanout (run on the client CPUs) with 1000 SUBSCRIBE
# connections over 10 channels, 100 PSUBSCRIBE ch:* connections and one
# pipelined publisher of $FANOUT_N 64-byte messages; delivered messages per
# second, every subscriber's count checked, alternating, median of $ROUNDS.
# Memory, resident set growth per item while filling a freshly started
# server (a Go heap would reuse, unseen, what earlier parts freed):
#   keys:   DEBUG POPULATE $BENCH_KEYS (key:N -> value:N), or the same SETs
#           through --pipe where a server lacks DEBUG POPULATE
#   zset:   the leaderboard load above, per member
#   hashes: $HASH_KEYS x HSET key:N f1 v1 f2 v2 through --pipe
#
# Environment:
#   VIREO_BIN     use this server binary instead of building cmd/vireo-server
#                 (VIREO_BIN=redis-server compares redis-server with itself)
#   REDIS_SERVER  the reference server (default: redis-server from PATH)
#   BENCH_N       requests per run (default 100000; about 10 minutes in all
#                 on 2 cores with the other defaults)
#   ROUNDS        rounds, median taken (default 3)
#   BENCH_TESTS   redis-benchmark -t tests, comma-separated (default above)
#   LB_MEMBERS    leaderboard members (default 1000000; 0 skips the
#                 leaderboard and the sorted-set memory figure)
#   BENCH_KEYS    keys for the memory comparison (default 1000000; 0 skips it)
#   HASH_KEYS     hashes for the memory comparison (default 1000000; 0 skips it)
#   FANOUT        0 skips the fan-out part (default 1; it needs go)
#   FANOUT_N      messages published per fan-out run (default 20000)
#   SERVER_CPUS   CPU list for the servers (default 0)
#   CLIENT_CPUS   CPU list for redis-benchmark (default: all the others)
set -euo pipefail

BENCH_N=${BENCH_N:-100000}
ROUNDS=${ROUNDS:-3}
LB_MEMBERS=${LB_MEMBERS:-1000000}
BENCH_KEYS=${BENCH_KEYS:-1000000}
HASH_KEYS=${HASH_KEYS:-1000000}
FANOUT=${FANOUT:-1}
FANOUT_N=${FANOUT_N:-20000}
# Pops follow the push that fills their key (see bench_one).
IFS=, read -r -a TESTS <<<"${BENCH_TESTS:-set,get,incr,mset,lpush,lpop,sadd,spop,hset,zadd,zpopmin,lrange_100}"
PIPELINES=(1 16)
RUN_TIMEOUT=${RUN_TIMEOUT:-600} # seconds one redis-benchmark run may take

die() { echo "bench: $*" >&2; exit 1; }

for var in BENCH_N ROUNDS LB_MEMBERS BENCH_KEYS HASH_KEYS FANOUT FANOUT_N RUN_TIMEOUT; do
	[[ ${!var} =~ ^[0-9]+$ ]] || die "$var=${!var}: want a whole number"
done
[ "$BENCH_N" -gt 0 ] && [ "$ROUNDS" -gt 0 ] || die "BENCH_N and ROUNDS must be at least 1"

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
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ -n "${VIREO_BIN:-}" ]; then
	vireo_bin=$(command -v "$VIREO_BIN") || die "VIREO_BIN=$VIREO_BIN not found"
else
	vireo_bin=$work/vireo-server
	echo "building cmd/vireo-server ..."
	(cd "$root" && go build -o "$vireo_bin" ./cmd/vireo-server) || die "go build failed"
fi

# free_port prints a loopback port nothing listens on.
free_port() {
	local port
	for _ in $(seq 100); do
		# Below the kernel's range for clients' local ports (32768 up).
		port=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port found"
}

# start_server NAME BIN: starts a server without persistence, pinned, and
# waits until it answers PING. Sets ${NAME}_port, ${NAME}_pid and
# ${NAME}_bin. A port found free can be taken before the server binds it (by
# another process's listener or a client's local port), so a start that
# fails with "in use" is retried on another port.
start_server() {
	local name=$1 bin=$2 port dir pid
	dir=$work/$name
	mkdir -p "$dir"
	for _ in $(seq 5); do
		port=$(free_port)
		"${server_pin[@]}" "$bin" --port "$port" --bind 127.0.0.1 --dir "$dir" \
			--save '' --appendonly no --enable-debug-command yes >"$work/$name.log" 2>&1 &
		pid=$!
		pids+=("$pid")
		for _ in $(seq 100); do
			if [ "$(redis-cli -p "$port" PING 2>/dev/null)" = PONG ]; then
				printf -v "${name}_port" %s "$port"
				printf -v "${name}_pid" %s "$pid"
				printf -v "${name}_bin" %s "$bin"
				return
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		grep -qi 'in use' "$work/$name.log" || break
	done
	echo "--- $name output ---" >&2
	cat "$work/$name.log" >&2
	die "$name ($bin) did not answer PING on port $port"
}

# restart_server NAME: stops the server (SIGKILL after 3 s) and starts a
# fresh one on a new port. The memory figures need one: a Go heap keeps the
# pages that earlier parts freed and would fill them again unseen.
restart_server() {
	local pid=${1}_pid bin=${1}_bin
	pid=${!pid}
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	start_server "$1" "${!bin}"
}

start_server vireo "$vireo_bin"
start_server redis "$(command -v "$REDIS_SERVER")"
echo "vireo: $vireo_bin (port $vireo_port)   redis: $(command -v "$REDIS_SERVER") (port $redis_port)"

# bench_run SERVER ID PIPELINE ROW ARG...: one redis-benchmark run with ARGs
# after the common options; appends the requests per second of the CSV row
# named ROW (or "ROW (...)", as MSET and LRANGE_100 are named) to
# $work/rps.SERVER.ID.PIPELINE, or records the error in err.SERVER.ID.PIPELINE.
bench_run() {
	local server=$1 id=$2 pipeline=$3 row=$4 port out rps
	shift 4
	port=${server}_port
	port=${!port}
	# In the background and waited for, so that a signal runs the traps at
	# once and cleanup stops the client too.
	timeout "$RUN_TIMEOUT" "${client_pin[@]}" redis-benchmark -h 127.0.0.1 -p "$port" \
		-q -c 50 -n "$BENCH_N" -P "$pipeline" --csv "$@" >"$work/out" 2>&1 &
	bench_pid=$!
	if ! wait "$bench_pid"; then
		bench_pid=
		grep -v '^"' "$work/out" | head -3 >"$work/err.$server.$id.$pipeline"
		return
	fi
	bench_pid=
	out=$(cat "$work/out")
	# Warnings may come before the header; LRANGE_100 brings a row of its own
	# for the LPUSH that fills its list, so the row is picked by name.
	rps=$(echo "$out" | awk -F'","' -v row="\"$row" '$1 == row || index($1, row " (") == 1 { print $2; exit }')
	if [ -z "$rps" ]; then
		echo "no CSV row $row in: $out" | head -3 >"$work/err.$server.$id.$pipeline"
		return
	fi
	echo "$rps" >>"$work/rps.$server.$id.$pipeline"
}

# bench_one SERVER TEST PIPELINE: redis-benchmark -t TEST. The database is
# flushed first, except for a pop, which takes the elements the push run
# just before it left (lpush before lpop, ...), as redis-benchmark's default
# run does.
bench_one() {
	local server=$1 test=$2 pipeline=$3 port
	port=${server}_port
	case $test in
	lpop | rpop | spop | zpopmin) ;;
	*) redis-cli -p "${!port}" FLUSHALL >/dev/null ;;
	esac
	bench_run "$server" "$test" "$pipeline" "$(echo "$test" | tr a-z A-Z)" -t "$test"
}

# median FILE: the median of the numbers in FILE, one per line.
median() {
	sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# round_order ROUND: the servers in the order they run in ROUND. Alternating
# which goes first keeps drift (thermal, noisy neighbours) from favouring
# one of them.
round_order() {
	if [ $(($1 % 2)) -eq 1 ]; then echo vireo redis; else echo redis vireo; fi
}

# print_header, print_row LABEL ID PIPELINE: the ratio table; n/a where a
# server has no figure.
print_header() {
	printf '%-34s %14s %14s %7s\n' test "vireo rps" "redis rps" ratio
}
print_row() {
	local label=$1 id=$2 pipeline=$3 v=n/a r=n/a ratio=n/a
	[ -s "$work/rps.vireo.$id.$pipeline" ] && v=$(median "$work/rps.vireo.$id.$pipeline")
	[ -s "$work/rps.redis.$id.$pipeline" ] && r=$(median "$work/rps.redis.$id.$pipeline")
	if [ "$v" != n/a ] && [ "$r" != n/a ]; then
		ratio=$(awk -v a="$v" -v b="$r" 'BEGIN { printf "%.2f", a / b }')
	fi
	printf '%-34s %14s %14s %7s\n' "$label" "$v" "$r" "$ratio"
}

# print_failures PREFIX: the errors of the runs whose ID starts with PREFIX.
print_failures() {
	local f
	for f in "$work"/err.*.$1*; do
		[ -e "$f" ] || continue
		echo "failed: $(basename "$f" | cut -d. -f2-): $(tr '\n' ' ' <"$f")"
	done
}

echo "throughput: $ROUNDS round(s) of $BENCH_N requests, 50 clients, tests: ${TESTS[*]}"
for round in $(seq "$ROUNDS"); do
	read -r -a order <<<"$(round_order "$round")"
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
print_header
for pipeline in "${PIPELINES[@]}"; do
	for test in "${TESTS[@]}"; do
		label=$(echo "$test" | tr a-z A-Z)
		[ "$pipeline" -gt 1 ] && label="$label -P$pipeline"
		print_row "$label" "$test" "$pipeline"
	done
done
for test in "${TESTS[@]}"; do
	print_failures "$test."
done

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

# Memory figures, bytes per item by server and part, printed at the end.
declare -A per_item
# measure SERVER PART ITEMS FILL CHECK...: restarts the server, runs the
# function FILL SERVER, then redis-cli CHECK... must answer ITEMS; records
# the growth of the resident set per item, or n/a (with the reason) when the
# server could not be filled — a command it lacks, say.
measure() {
	local server=$1 part=$2 items=$3 fill=$4 port before after got
	shift 4
	restart_server "$server"
	port=${server}_port
	before=$(rss "$server")
	"$fill" "$server" >"$work/fill.out" 2>&1 || true
	got=$(redis-cli -p "${!port}" "$@" 2>&1 | tr -d '\r' || true)
	if [ "$got" != "$items" ]; then
		per_item[$server.$part]=n/a
		echo "  $part on $server: $* = $(echo "$got" | head -1 | cut -c1-60), want $items: n/a"
		return 1
	fi
	after=$(rss "$server")
	per_item[$server.$part]=$(awk -v a="$after" -v b="$before" -v n="$items" 'BEGIN { printf "%.1f", (a - b) / n }')
	echo "  $part on $server: rss $before -> $after"
}

# print_memory PART WHAT: one row of the memory table.
print_memory() {
	local v=${per_item[vireo.$1]:-n/a} r=${per_item[redis.$1]:-n/a} ratio=n/a
	if [ "$v" != n/a ] && [ "$r" != n/a ]; then
		ratio=$(awk -v v="$v" -v r="$r" 'BEGIN { if (r > 0) printf "%.2f", v / r; else print "n/a" }')
	fi
	printf '%-34s %12s %12s %7s\n' "$2" "$v" "$r" "$ratio"
}

# fill_leaderboard SERVER: LB_MEMBERS members member:N in the sorted set lb,
# 100 per ZADD, with scores spread over 0..999999 (ties included).
fill_leaderboard() {
	local port=${1}_port
	awk -v n="$LB_MEMBERS" 'BEGIN {
		for (i = 0; i < n; i += 100) {
			m = (n - i < 100) ? n - i : 100
			printf "*%d\r\n$4\r\nZADD\r\n$2\r\nlb\r\n", 2 + 2 * m
			for (j = i; j < i + m; j++) {
				s = (j * 7919) % 1000000; k = sprintf("member:%012d", j)
				printf "$%d\r\n%d\r\n$%d\r\n%s\r\n", length(s ""), s, length(k), k
			}
		} }' | redis-cli -p "${!port}" --pipe
}

# Fan-out: the program alternates the servers and prints its own table; it
# is built first so that compiling neither counts nor competes.
if [ "$FANOUT" -ne 0 ]; then
	echo
	if ! (cd "$root" && go build -o "$work/fanout" ./tests/bench/fanout); then
		echo "failed: fanout: go build ./tests/bench/fanout"
	else
		# In the background and waited for, as bench_run does.
		timeout "$RUN_TIMEOUT" "${client_pin[@]}" "$work/fanout" -vireo "127.0.0.1:$vireo_port" \
			-redis "127.0.0.1:$redis_port" -rounds "$ROUNDS" -n "$FANOUT_N" &
		bench_pid=$!
		wait "$bench_pid" || echo "failed: fanout (see above)"
		bench_pid=
	fi
fi

if [ "$LB_MEMBERS" -gt 0 ]; then
	echo
	echo "leaderboard: $LB_MEMBERS members in lb, $ROUNDS round(s) of $BENCH_N requests, 50 clients, -r $LB_MEMBERS"
	LB_COMMANDS=(
		"ZINCRBY lb 1 member:__rand_int__"
		"ZREVRANGE lb 0 9 WITHSCORES"
		"ZREVRANK lb member:__rand_int__"
	)
	declare -A lb_loaded
	for server in vireo redis; do
		# Loading is also the sorted-set memory figure.
		if measure "$server" zset "$LB_MEMBERS" fill_leaderboard ZCARD lb; then
			lb_loaded[$server]=1
		fi
	done
	for round in $(seq "$ROUNDS"); do
		read -r -a order <<<"$(round_order "$round")"
		for i in "${!LB_COMMANDS[@]}"; do
			for server in "${order[@]}"; do
				# A server without the set shows n/a, not a run of errors.
				[ -n "${lb_loaded[$server]:-}" ] || continue
				read -r -a cmd <<<"${LB_COMMANDS[$i]}"
				bench_run "$server" "lb$i" 1 "${LB_COMMANDS[$i]}" -r "$LB_MEMBERS" "${cmd[@]}"
			done
		done
		echo "  round $round done"
	done
	echo
	print_header
	for i in "${!LB_COMMANDS[@]}"; do
		print_row "${LB_COMMANDS[$i]}" "lb$i" 1
	done
	print_failures lb
	for server in vireo redis; do
		port=${server}_port
		redis-cli -p "${!port}" FLUSHALL >/dev/null
	done
fi

# fill_keys SERVER: BENCH_KEYS keys key:N -> value:N, by DEBUG POPULATE
# where both servers have it, else by the same SETs through redis-cli --pipe.
fill_keys() {
	local port=${1}_port
	if [ "$populate_method" = debug ]; then
		redis-cli -p "${!port}" DEBUG POPULATE "$BENCH_KEYS"
	else
		awk -v n="$BENCH_KEYS" 'BEGIN { for (i = 0; i < n; i++) { k = "key:" i; v = "value:" i
			printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v } }' |
			redis-cli -p "${!port}" --pipe
	fi
}

# fill_hashes SERVER: HASH_KEYS hashes key:N -> {f1: v1, f2: v2}.
fill_hashes() {
	local port=${1}_port
	awk -v n="$HASH_KEYS" 'BEGIN { for (i = 0; i < n; i++) { k = "key:" i
		printf "*6\r\n$4\r\nHSET\r\n$%d\r\n%s\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n", length(k), k } }' |
		redis-cli -p "${!port}" --pipe
}

if [ "$BENCH_KEYS" -gt 0 ] || [ "$HASH_KEYS" -gt 0 ]; then
	echo
	echo "memory: resident set growth while filling a freshly started server"
fi
if [ "$BENCH_KEYS" -gt 0 ]; then
	populate_method=debug
	for server in vireo redis; do
		port=${server}_port
		reply=$(redis-cli -p "${!port}" DEBUG POPULATE 0 2>&1 || true)
		[ "$reply" = OK ] || populate_method=pipe
	done
	for server in vireo redis; do
		measure "$server" keys "$BENCH_KEYS" fill_keys DBSIZE || true
	done
fi
if [ "$HASH_KEYS" -gt 0 ]; then
	for server in vireo redis; do
		measure "$server" hashes "$HASH_KEYS" fill_hashes DBSIZE || true
	done
fi
if [ "$BENCH_KEYS" -gt 0 ] || [ "$HASH_KEYS" -gt 0 ] || [ "$LB_MEMBERS" -gt 0 ]; then
	echo
	printf '%-34s %12s %12s %7s\n' bytes "vireo" "redis" ratio
	[ "$BENCH_KEYS" -gt 0 ] &&
		print_memory keys "per key ($BENCH_KEYS, $([ "$populate_method" = debug ] && echo "DEBUG POPULATE" || echo "--pipe SETs"))"
	[ "$LB_MEMBERS" -gt 0 ] && print_memory zset "per zset member ($LB_MEMBERS)"
	[ "$HASH_KEYS" -gt 0 ] && print_memory hashes "per 2-field hash ($HASH_KEYS)"
fi
for server in vireo redis; do
	port=${server}_port
	redis-cli -p "${!port}" FLUSHALL >/dev/null
done
