#!/usr/bin/env bash
# Live-page benchmark, in one run on this machine:
#   - starts the demo paper (`dateline demo`, SQLite) and opens READERS event streams on its
#     running live story, as that many readers with the page open (benches/live_readers.cjs,
#     Node's standard library only);
#   - posts one live post a second through the desk and reports the delay from sending each
#     post to its arrival at every reader (median, p99, max) and how many readers got every
#     post;
#   - reports the server's memory with the crowd connected (total and per reader);
#   - meanwhile measures the live article page with wrk, and nginx serving the same bytes
#     from a file (the calibration line), and prints Dateline ÷ nginx;
#   - with BENCH_POSTGRES_URL set (a server URL; a database is created and dropped), runs the
#     crowd again with two instances on PostgreSQL: readers on B, the editor posting on A.
#
#   bash benches/live.sh             # 5,000 readers, 30 posts, release build
#   bash benches/live.sh --smoke     # 200 readers, 5 posts, debug build (what CI runs)
#   READERS=10000 POSTS=60 bash benches/live.sh
#
# It sends traffic only to 127.0.0.1, stops every process it started and removes its files.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh

READERS="${READERS:-5000}"
POSTS="${POSTS:-30}"
DURATION="${DURATION:-10}"
PROFILE=release
case "${1:-}" in
  --smoke) READERS=200; POSTS=5; DURATION=1; PROFILE=debug ;;
  "") ;;
  *) echo "usage: bash benches/live.sh [--smoke]" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (or bash scripts/install-checkers.sh)" >&2; exit 1; }
command -v node >/dev/null || { echo "node is missing" >&2; exit 1; }
ensure_nginx
# Every reader holds a descriptor here and one in the server.
ulimit -n "$(( READERS * 2 + 4096 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

build_dateline "$PROFILE"

open_work_area "${BENCH_POSTGRES_URL:-}"

rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

# start NAME COMMAND [ARGS...]: starts a paper server; sets SERVER_PID and SERVER_URL.
start() {
  local name="$1"; shift
  local port; port="$(free_port)"
  env DATELINE_LOG__LEVEL=warn DATELINE_HTTP__MAX_CONNECTIONS="$(( READERS + 2048 ))" \
    "$BIN" "$@" --listen "127.0.0.1:$port" >"$work/$name.out" 2>"$work/$name.log" &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  SERVER_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 1200); do
    curl -fs -o /dev/null "$SERVER_URL/healthz" && return 0
    sleep 0.05
  done
  echo "$name did not start:" >&2; cat "$work/$name.out" "$work/$name.log" >&2; exit 1
}

live_story_path() {
  curl -fs "$1/national/social-affairs/" | grep -o '/article/[0-9]*/live-typhoon[a-z0-9-]*' | head -1
}

# crowd NAME READERS_BASES EDITOR_BASE STORY: runs the readers and the editor in the background;
# waits until the readers are connected. Sets CROWD_PID.
crowd() {
  local name="$1" readers_bases="$2" editor_base="$3" story="$4"
  node benches/live_readers.cjs "$readers_bases" "$editor_base" "$story" "$READERS" "$POSTS" \
    editor@dateline.example demo-editor-2026 >"$work/$name.crowd" 2>&1 &
  CROWD_PID=$!
  pids+=("$CROWD_PID")
  for _ in $(seq 1 1200); do
    grep -q '^readers connected' "$work/$name.crowd" && return 0
    kill -0 "$CROWD_PID" 2>/dev/null || { cat "$work/$name.crowd" >&2; exit 1; }
    sleep 0.1
  done
  echo "the readers did not connect" >&2; cat "$work/$name.crowd" >&2; exit 1
}

report() {
  local name="$1" pid="$2"
  wait "$pid" || { cat "$work/$name.crowd" >&2; exit 1; }
  python3 - "$work/$name.crowd" "$READERS" "$POSTS" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().strip().splitlines()
result = json.loads(lines[-1])
readers, posts = int(sys.argv[2]), int(sys.argv[3])
d = result["delay_ms"]
print(f"  readers connected: {result['readers']} of {readers} ({result['refused']} refused); "
      f"every post reached {result['readers_with_every_post']} of them ({result['deliveries']} deliveries of {readers * posts})")
print(f"  delay from sending a post to a reader having it: median {d['median']:.0f} ms, p99 {d['p99']:.0f} ms, max {d['max']:.0f} ms (target p99 < 1000 ms)")
if result["readers_with_every_post"] != readers:
    sys.exit("some readers missed posts")
PY
}

measure() {
  local out
  out="$(wrk -t2 -c8 -d"${DURATION}s" --latency "$1")"
  if grep -q "Non-2xx or 3xx responses" <<<"$out"; then echo "wrk saw error responses from $1" >&2; exit 1; fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

echo "== one instance, SQLite: $READERS readers, $POSTS posts at one a second"
start demo demo --data-dir "$work/demo"
server_pid=$SERVER_PID; base=$SERVER_URL
path="$(live_story_path "$base")"
[ -n "$path" ] || { echo "the demo's live story was not found" >&2; exit 1; }
story="$(sed 's|/article/\([0-9]*\)/.*|\1|' <<<"$path")"
curl -fs -o /dev/null "$base$path"
before="$(rss_mb "$server_pid")"
crowd sqlite "$base" "$base" "$story"
sleep 1
with_crowd="$(rss_mb "$server_pid")"
echo "  server memory: $before MB before the crowd, $with_crowd MB with it: $(awk -v a="$with_crowd" -v b="$before" -v n="$READERS" 'BEGIN {printf "%.1f MB for the crowd, %.1f KB a reader", a - b, (a - b) * 1024 / n}') (target: under 200 MB)"

# The article page while the crowd reads and posts arrive, and nginx serving its bytes.
mkdir -p "$work/www" "$work/nginx"
chmod 755 "$work" "$work/www"
curl -fs -o "$work/www/article.html" "$base$path"
chmod 644 "$work/www/article.html"
nginx_port="$(free_port)"
write_nginx_conf "$work/nginx" "$nginx_port" "$work/www"
"$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/article.html" && break; sleep 0.05; done
page_rps="$(measure "$base$path")"
nginx_rps="$(measure "http://127.0.0.1:$nginx_port/article.html")"
echo "  live article page during the crowd, 8 connections: $page_rps req/s; nginx, same bytes from a file: $nginx_rps req/s; Dateline ÷ nginx = $(awk -v a="$page_rps" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')"
report sqlite "$CROWD_PID"
kill "$server_pid"

if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  pg_database="dateline_live_bench_$$"
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $pg_database" >/dev/null
  pg_url="${BENCH_POSTGRES_URL%/*}/$pg_database"
  echo "== two instances, PostgreSQL: readers on B, the editor on A"
  start a demo --data-dir "$work/a" --database-url "$pg_url"
  a_base=$SERVER_URL
  start b serve --data-dir "$work/b" --database-url "$pg_url"
  b_base=$SERVER_URL
  path="$(live_story_path "$b_base")"
  story="$(sed 's|/article/\([0-9]*\)/.*|\1|' <<<"$path")"
  crowd postgres "$b_base" "$a_base" "$story"
  report postgres "$CROWD_PID"
fi
