#!/usr/bin/env bash
# Wire ingest benchmark: agency items through the HTTP endpoint, as an agency's feed sends
# them. Seeds a small SQLite paper, sets up a NinJS 1.4 source with `dateline wire
# add-source`, starts `dateline serve`, and POSTs (8 connections, on 127.0.0.1) ITEMS
# distinct items, each a new story with a body of about 600 words, then prints
# items per second and the 50th, 95th and 99th percentile latency. With BENCH_POSTGRES_URL
# set (a server URL; a database is created and dropped) it measures PostgreSQL too.
#
#   bash benches/ingest.sh            # 10,000 items, release build
#   bash benches/ingest.sh --smoke    # 200 items, debug build (what CI runs)
#   ITEMS=50000 bash benches/ingest.sh
#
# It sends traffic only to 127.0.0.1, stops every process it started, and removes its files.
set -euo pipefail
cd "$(dirname "$0")/.."

ITEMS="${ITEMS:-10000}"
PROFILE=release
case "${1:-}" in
  --smoke) ITEMS=200; PROFILE=debug ;;
  "") ;;
  *) echo "usage: bash benches/ingest.sh [--smoke]" >&2; exit 2 ;;
esac
. benches/common.sh
build_dateline "$PROFILE"
open_work_area "${BENCH_POSTGRES_URL:-}"

# The load: 8 connections kept open, each POSTing its share of NinJS 1.4 text items (a
# unique uri each, a body of ~600 words); every latency is recorded. Python rather than wrk,
# because wrk runs for a fixed time and this run is a fixed number of items.
cat > "$work/post.py" <<'PY'
import http.client, json, os, sys, threading, time
port, token, total = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
connections = 8
words = " ".join(["assembly", "budget", "ferry", "harbour", "minister", "vote", "council", "storm", "market", "season"][(i * 7) % 10] for i in range(600))
latencies, failures, lock = [], [], threading.Lock()
def worker(n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i in range(n, total, connections):
        item = {"uri": f"urn:bench:{i}", "type": "text", "version": "1", "headline": f"Bench item {i}",
                "byline": f"Reporter {i % 50}", "body_html": f"<p>{words}</p><p>{words}</p>", "subject": [{"name": "bench"}]}
        body = json.dumps(item).encode()
        started = time.perf_counter()
        conn.request("POST", "/api/v1/ingest/bench-wire", body, {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        took = time.perf_counter() - started
        with lock:
            latencies.append(took)
            if response.status != 201:
                failures.append(response.status)
started = time.perf_counter()
threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.perf_counter() - started
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
print(f"{len(latencies)} items in {elapsed:.2f} s = {len(latencies) / elapsed:.0f} items per second; "
      f"latency p50 {pick(0.50):.1f} ms, p95 {pick(0.95):.1f} ms, p99 {pick(0.99):.1f} ms; not created: {len(failures)}")
sys.exit(1 if failures else 0)
PY

run_on() {
  local name="$1" url="$2"
  DATELINE_LOG__LEVEL=warn "$BIN" seed --stories 50 --seed 5 --database-url "$url" >/dev/null
  local out
  out="$(DATELINE_LOG__LEVEL=warn "$BIN" wire add-source --name "Bench Wire" --slug bench-wire --format ninjs-1.4 \
    --section national --database-url "$url")"
  local token; token="$(printf '%s\n' "$out" | sed -n 's/^token: //p')"
  local port; port="$(free_port)"
  DATELINE_LOG__LEVEL=warn DATELINE_DATA_DIR="$work/data-$name" "$BIN" serve --listen "127.0.0.1:$port" \
    --database-url "$url" >"$work/$name.out" 2>"$work/$name.log" &
  pids+=("$!")
  for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
  if ! result="$(python3 "$work/post.py" "$port" "$token" "$ITEMS")"; then
    echo "$name: $result" >&2; echo "$name: some deliveries were not created" >&2; tail -5 "$work/$name.log" >&2; exit 1
  fi
  echo "$name: $result"
}

run_on sqlite "sqlite:$work/bench.db"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  pg_database="dateline_bench_ingest_$$"
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $pg_database" >/dev/null
  run_on postgres "${BENCH_POSTGRES_URL%/*}/$pg_database"
fi
