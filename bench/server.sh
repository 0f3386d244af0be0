#!/bin/sh
# bench/server.sh — the fleet server under load, on SQLite and on PostgreSQL
# 15 (a durable temporary cluster started by tests/e2e/pgserver.py):
#  1. results: `rasoat agent bench --mode results` — AGENTS simulated agents
#     post REPORTS signed result batches (one scan, FINDINGS findings each,
#     ~12 KB) from THREADS connections; throughput and p50/p99 latency;
#  2. checkin: HOSTS enrolled simulated hosts each check in once a minute on
#     a fixed schedule (HOSTS/60 a second) for one minute; does the server
#     keep up (latency, lag behind the schedule)?
# Prints one JSON line per run (the load generator's figures, its own CPU
# included), then one of the server's CPU over that run. Needs root
# for PostgreSQL (it runs as the postgres user). The machine is shared: run
# it once.
# Usage: bench/server.sh [RASOAT]   (default build/rasoat)
#        BACKENDS="sqlite postgresql" AGENTS=100 REPORTS=5000 FINDINGS=20
#        THREADS=8 HOSTS=10000 WORKERS=8 bench/server.sh
# The machine's load average is printed (stderr) before and after each run:
# on a shared machine the figures depend on it.
set -eu
RASOAT=${1:-build/rasoat}
BACKENDS=${BACKENDS:-"sqlite postgresql"}
AGENTS=${AGENTS:-100}
REPORTS=${REPORTS:-3000}
FINDINGS=${FINDINGS:-20}
THREADS=${THREADS:-8}
HOSTS=${HOSTS:-10000}
CHECKIN_THREADS=${CHECKIN_THREADS:-50}
WORKERS=${WORKERS:-8}   # request threads: one per connection, so uploads wait in the group commit together
INTERVAL=${INTERVAL:-60}     # seconds between a host's check-ins (one interval is run)
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rasoat-bench-server.XXXXXX")
PORT=$((20000 + $$ % 20000))
SERVER_PID=
PG_PID=

cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	[ -n "$PG_PID" ] && kill "$PG_PID" 2>/dev/null && wait "$PG_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

start_server() { # DB
	"$RASOAT" server --db "$1" --listen "127.0.0.1:$PORT" --workers "$WORKERS" \
		--address-rate 1000000 --address-burst 1000000 --agent-rate 1000 --agent-burst 1000 \
		2>"$WORK/server.log" &
	SERVER_PID=$!
	i=0
	while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.5)" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && { echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 2; }
		sleep 0.1
	done
}

stop_server() {
	kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=
}

# The server's user+system CPU seconds so far (/proc/PID/stat fields 14, 15).
server_cpu() {
	sed 's/^.*) //' "/proc/$SERVER_PID/stat" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($12 + $13) / hz }'
}

# One JSON line: the server's CPU over a run of N requests (from C0 to C1).
print_server_cpu() { # C0 C1 N
	awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "{\"server_cpu_s\":%.2f,\"server_cpu_ms_per_request\":%.3f}\n", b - a, (b - a) * 1000 / n }'
}

token() { # DB USES
	"$RASOAT" server --db "$1" token create --uses "$2" --ttl 1d
}

for backend in $BACKENDS; do
	case $backend in
	sqlite) DB="sqlite:$WORK/fleet.db" ;;
	postgresql)
		python3 "$HERE/tests/e2e/pgserver.py" "$WORK/pg.url" &
		PG_PID=$!
		i=0
		while [ ! -s "$WORK/pg.url" ]; do
			i=$((i + 1)); [ $i -gt 600 ] && { echo "PostgreSQL did not start" >&2; exit 2; }
			sleep 0.1
		done
		DB=$(cat "$WORK/pg.url") ;;
	*) echo "unknown backend $backend" >&2; exit 2 ;;
	esac
	echo "== $backend ($DB)" >&2
	start_server "$DB"
	T=$(token "$DB" "$AGENTS")
	echo "load average before: $(cat /proc/loadavg)" >&2
	printf '{"backend":"%s","bench":"results"} ' "$backend"
	C0=$(server_cpu)
	"$RASOAT" agent bench --server "http://127.0.0.1:$PORT" --token "$T" --mode results \
		--agents "$AGENTS" --reports "$REPORTS" --findings "$FINDINGS" --threads "$THREADS" || true
	print_server_cpu "$C0" "$(server_cpu)" "$REPORTS"   # the enrolment of AGENTS included
	echo "load average after: $(cat /proc/loadavg)" >&2
	T=$(token "$DB" "$HOSTS")
	printf '{"backend":"%s","bench":"checkin"} ' "$backend"
	C0=$(server_cpu)
	"$RASOAT" agent bench --server "http://127.0.0.1:$PORT" --token "$T" --mode checkin \
		--agents "$HOSTS" --threads "$CHECKIN_THREADS" --interval "$INTERVAL" --duration "$INTERVAL" || true
	print_server_cpu "$C0" "$(server_cpu)" "$HOSTS"   # the enrolment of HOSTS included
	echo "load average after: $(cat /proc/loadavg)" >&2
	stop_server
	if [ -n "$PG_PID" ]; then kill "$PG_PID"; wait "$PG_PID" || true; PG_PID=; fi
done
