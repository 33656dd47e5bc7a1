#!/usr/bin/env bash
# Reader-page benchmark, in one run on this machine:
#   - fills a SQLite paper with `dateline seed` (10,000 stories by default; bodies follow the
#     length spread of real news);
#   - starts `dateline serve` as in production (page cache on at its default bound, security
#     headers, compression negotiation, metrics, logging at info to a file) and measures, with wrk on 127.0.0.1, requests per
#     second and p50/p99 latency for an article page, the home page, a section front, a feed,
#     a search, and the content API's story list and one story as JSON, at 8 and 64 connections;
#   - serves the same bytes as each cached page measured (article, home, section, feed and the
#     two JSON answers) from files with nginx
#     (Debian's package, started in the foreground with a temporary config on 127.0.0.1 only)
#     and prints Dateline ÷ nginx for each;
#   - calibrates: a bare axum handler (crates/dateline/examples/bare_handler.rs) serves the
#     article's bytes from memory, and the run prints bare ÷ nginx (what this machine and the
#     stack allow) and Dateline ÷ bare (what Dateline's own layers cost);
#   - starts a second server with the cache switched off (DATELINE_CACHE__PAGE_CACHE_MB=0) and
#     measures the uncached article render at 8 connections; with BENCH_POSTGRES_URL set, the
#     same on a PostgreSQL paper seeded alike (a scratch database, dropped at the end);
#   - prints the cold-start time (process start to the first home page) and the server's
#     peak memory (VmHWM).
#
#   bash benches/pages.sh            # 10,000 stories, 10 s per measurement, release build
#   bash benches/pages.sh --big      # also 100,000 stories: cold start, home page, memory
#   bash benches/pages.sh --smoke    # 300 stories, 1 s, 8 connections, debug build (what CI runs)
#   STORIES=20000 DURATION=20 bash benches/pages.sh
#   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres bash benches/pages.sh  # also PostgreSQL
#
# It installs nginx from Debian's packages when it is missing, without letting it start its
# default site. It sends traffic only to 127.0.0.1, stops every process it started, and
# removes its files.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh

STORIES="${STORIES:-10000}"
DURATION="${DURATION:-10}"
CONNECTIONS=(8 64)
PROFILE=release
BIG=0
case "${1:-}" in
  --smoke) STORIES=300; DURATION=1; CONNECTIONS=(8); PROFILE=debug ;;
  --big) BIG=1 ;;
  "") ;;
  *) echo "usage: bash benches/pages.sh [--smoke|--big]" >&2; exit 2 ;;
esac

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (or bash scripts/install-checkers.sh)" >&2; exit 1; }
ensure_nginx

build_dateline "$PROFILE"
build_bare_handler "$PROFILE"

open_work_area "${BENCH_POSTGRES_URL:-}"

now_ms() { date +%s%3N; }

# start_server NAME DB_URL [ENV=VALUE...]: starts a server, waits for its home page, and
# prints how long that took. Sets SERVER_PID and SERVER_URL.
start_server() {
  local name="$1" url="$2"; shift 2
  local port; port="$(free_port)"
  local started; started="$(now_ms)"
  env DATELINE_LOG__LEVEL=info DATELINE_DATA_DIR="$work/data-$name" "$@" \
    "$BIN" serve --listen "127.0.0.1:$port" --database-url "$url" >"$work/$name.out" 2>"$work/$name.log" &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  SERVER_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do
    if curl -fs -o /dev/null "$SERVER_URL/"; then
      echo "$name: cold start to the first home page: $(( $(now_ms) - started )) ms"
      return 0
    fi
    sleep 0.05
  done
  echo "$name did not start:" >&2; cat "$work/$name.out" "$work/$name.log" >&2; exit 1
}

# measure URL CONNECTIONS: prints "RPS P50 P99" from wrk.
measure() {
  local out
  out="$(wrk -t2 -c"$2" -d"${DURATION}s" --latency "$1")"
  local rps p50 p99
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  local errors; errors="$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")"
  if [ -n "$errors" ]; then echo "wrk saw $errors error responses from $1" >&2; exit 1; fi
  echo "$rps $p50 $p99"
}

peak_memory() { awk '/^VmHWM:/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }

db="$work/paper.db"
started=$SECONDS
DATELINE_LOG__LEVEL=warn "$BIN" seed --stories "$STORIES" --seed 11 --database-url "sqlite:$db" >/dev/null
echo "seeded $STORIES stories in $((SECONDS - started)) s"

start_server cached "sqlite:$db"
cached_pid=$SERVER_PID; cached_url=$SERVER_URL
article="$(curl -fs "$cached_url/rss.xml" | grep -o '/article/[0-9]*/[a-z0-9-]*' | head -1)"
[ -n "$article" ] || { echo "no article found in the feed" >&2; exit 1; }
story_id="$(sed 's|/article/\([0-9]*\)/.*|\1|' <<<"$article")"
declare -A paths=([article]="$article" [home]="/" [section]="/national/" [feed]="/rss.xml" [search]="/search?q=housing+budget"
  [api_list]="/api/v1/stories" [api_story]="/api/v1/stories/$story_id")
order=(article home section feed search api_list api_story)
# Pages measured against nginx serving the same bytes from a file (each page its own bytes).
compared=(article home section feed api_list api_story)
for page in "${order[@]}"; do curl -fs -o /dev/null "$cached_url${paths[$page]}"; done

# nginx serves the same bytes as Dateline's article page, from a file.
mkdir -p "$work/www" "$work/nginx"
# nginx's workers drop root for an unprivileged user, who must be able to read the page.
chmod 755 "$work" "$work/www"
for page in "${compared[@]}"; do
  curl -fs -o "$work/www/$page.html" "$cached_url${paths[$page]}"
  chmod 644 "$work/www/$page.html"
done
nginx_port="$(free_port)"
write_nginx_conf "$work/nginx" "$nginx_port" "$work/www"
"$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/article.html" && break; sleep 0.05; done
cmp -s "$work/www/article.html" <(curl -fs "http://127.0.0.1:$nginx_port/article.html") \
  || { echo "nginx does not serve the same bytes" >&2; exit 1; }
bare_port="$(free_port)"
"$BARE" "$work/www/article.html" "$bare_port" &
pids+=($!)
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$bare_port/" && break; sleep 0.05; done
cmp -s "$work/www/article.html" <(curl -fs "http://127.0.0.1:$bare_port/") \
  || { echo "the bare handler does not serve the same bytes" >&2; exit 1; }

echo
echo "page       conns   req/s      p50        p99        (Dateline, page cache on, $STORIES stories)"
for conns in "${CONNECTIONS[@]}"; do
  for page in "${order[@]}"; do
    read -r rps p50 p99 < <(measure "$cached_url${paths[$page]}" "$conns")
    printf '%-10s %5s %9s %10s %10s\n' "$page" "$conns" "$rps" "$p50" "$p99"
    if [[ " ${compared[*]} " == *" $page "* ]]; then
      read -r nginx_rps nginx_p50 nginx_p99 < <(measure "http://127.0.0.1:$nginx_port/$page.html" "$conns")
      printf '%-10s %5s %9s %10s %10s   Dateline ÷ nginx = %s\n' "nginx" "$conns" "$nginx_rps" "$nginx_p50" "$nginx_p99" \
        "$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')"
    fi
    if [ "$page" = article ]; then
      read -r bare_rps bare_p50 bare_p99 < <(measure "http://127.0.0.1:$bare_port/" "$conns")
      printf '%-10s %5s %9s %10s %10s   bare ÷ nginx = %s, Dateline ÷ bare = %s (calibration: the same bytes from memory)\n' \
        "bare axum" "$conns" "$bare_rps" "$bare_p50" "$bare_p99" \
        "$(awk -v a="$bare_rps" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')" \
        "$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN {printf "%.2f", a / b}')"
    fi
  done
done
# A flood of unique junk in the query (?utm_source=<n>) must be answered from the one kept
# front, not rendered and kept anew each time: the same front, plain and flooded, in one run.
cat >"$work/flood.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/national/?utm_source=flood-" .. n .. "&fbclid=" .. n)
end
LUA
read -r plain_rps _ _ < <(measure "$cached_url/national/" "${CONNECTIONS[0]}")
flood_out="$(wrk -t2 -c"${CONNECTIONS[0]}" -d"${DURATION}s" -s "$work/flood.lua" "$cached_url")"
flood_rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$flood_out")"
if grep -q "Non-2xx or 3xx responses" <<<"$flood_out"; then echo "the flood got error responses" >&2; exit 1; fi
echo "section front under a flood of unique ?utm= values, ${CONNECTIONS[0]} connections: $flood_rps req/s (the same front plain: $plain_rps req/s; flooded ÷ plain = $(awk -v a="$flood_rps" -v b="$plain_rps" 'BEGIN {printf "%.2f", a / b}'))"
echo "article page: $(wc -c <"$work/www/article.html") bytes"
echo "peak memory (cached server): $(peak_memory "$cached_pid")"

kill "$cached_pid"
start_server logged "sqlite:$db" DATELINE_LOG__ACCESS=true
read -r rps p50 p99 < <(measure "$SERVER_URL$article" "${CONNECTIONS[0]}")
echo "article with an access-log line per request, ${CONNECTIONS[0]} connections: $rps req/s, p50 $p50, p99 $p99 ($(wc -l <"$work/logged.log") lines logged)"
kill "$SERVER_PID"

start_server uncached "sqlite:$db" DATELINE_CACHE__PAGE_CACHE_MB=0
read -r rps p50 p99 < <(measure "$SERVER_URL$article" 8)
echo "uncached article render, 8 connections: $rps req/s, p50 $p50, p99 $p99 (÷ 10,000, issue 20's goal = $(awk -v a="$rps" 'BEGIN {printf "%.2f", a / 10000}'))"
kill "$SERVER_PID"

# The same on PostgreSQL (issue 20's goal there is 5,000 a second), when a server is given.
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  pg_database="dateline_pages_bench_$$"
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $pg_database"
  pg_url="${BENCH_POSTGRES_URL%/*}/$pg_database"
  started=$SECONDS
  DATELINE_LOG__LEVEL=warn "$BIN" seed --stories "$STORIES" --seed 11 --database-url "$pg_url" >/dev/null
  echo "seeded $STORIES stories on PostgreSQL in $((SECONDS - started)) s"
  start_server uncached-postgres "$pg_url" DATELINE_CACHE__PAGE_CACHE_MB=0
  pg_article="$(curl -fs "$SERVER_URL/rss.xml" | grep -o '/article/[0-9]*/[a-z0-9-]*' | head -1)"
  read -r rps p50 p99 < <(measure "$SERVER_URL$pg_article" 8)
  echo "uncached article render on PostgreSQL, 8 connections: $rps req/s, p50 $p50, p99 $p99 (÷ 5,000, issue 20's goal = $(awk -v a="$rps" 'BEGIN {printf "%.2f", a / 5000}'))"
fi

if [ "$BIG" = 1 ]; then
  big="$work/big.db"
  started=$SECONDS
  DATELINE_LOG__LEVEL=warn "$BIN" seed --stories 100000 --seed 11 --database-url "sqlite:$big" >/dev/null
  echo
  echo "seeded 100000 stories in $((SECONDS - started)) s"
  start_server big "sqlite:$big"
  curl -fs -o /dev/null "$SERVER_URL/"
  read -r rps p50 p99 < <(measure "$SERVER_URL/" 8)
  echo "home page at 100,000 stories, 8 connections: $rps req/s, p50 $p50, p99 $p99"
  read -r rps p50 p99 < <(measure "$SERVER_URL$(curl -fs "$SERVER_URL/rss.xml" | grep -o '/article/[0-9]*/[a-z0-9-]*' | head -1)" 64)
  echo "article page at 100,000 stories, 64 connections: $rps req/s, p50 $p50, p99 $p99"
  echo "peak memory with 100,000 stories: $(peak_memory "$SERVER_PID")"
fi
