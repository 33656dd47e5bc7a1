#!/usr/bin/env bash
# The archive at a million stories (issue 20, item 4), in one run on this machine:
#   - seeds a scratch database with `dateline seed --stories 1000000` and prints how long it
#     took (or measures an archive seeded before, named by MILLION_DATABASE_URL, and keeps it);
#   - starts `dateline serve` twice on it, with the page cache at its default bound and with it
#     off, prints each one's cold start (process start to the first home page), and measures
#     each page one request at a time (wrk, one connection, DURATION seconds a page), so p99 is
#     the page's own time and not a queue's: the home page, a section front, an article from
#     2008, the sitemap index and one month's sitemap, a section's RSS feed, /corrections, and
#     an author's page (first and a deep page; each staff reporter has about 15,000 stories);
#   - prints each server's peak memory (VmHWM) after the run;
#   - with ARCHIVE=1, times `dateline export` of the whole paper and `dateline import` of the
#     file into a new scratch database, with each one's peak memory.
#
#   bash benches/million.sh                                     # PostgreSQL, scratch database
#   MILLION_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dateline_m1 bash benches/million.sh
#   MILLION_DATABASE_URL=sqlite:/tmp/m1/paper.db bash benches/million.sh
#   STORIES=200000 DURATION=5 ARCHIVE=1 bash benches/million.sh
#
# Not in CI: the seed alone takes about a quarter of an hour. It sends traffic only to
# 127.0.0.1, stops every process it started, and drops the databases it made.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh

STORIES="${STORIES:-1000000}"
DURATION="${DURATION:-10}"
POSTGRES_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (or bash scripts/install-checkers.sh)" >&2; exit 1; }
build_dateline release
open_work_area "$POSTGRES_URL"
now_ms() { date +%s%3N; }
peak_memory() { awk '/^VmHWM:/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }

if [ -n "${MILLION_DATABASE_URL:-}" ]; then
  url="$MILLION_DATABASE_URL"
  echo "measuring the archive at ${url%%\?*}"
else
  pg_database="dateline_million_bench_$$"
  psql "$POSTGRES_URL" -qc "CREATE DATABASE $pg_database"
  url="${POSTGRES_URL%/*}/$pg_database"
  started=$SECONDS
  DATELINE_LOG__LEVEL=warn "$BIN" seed --stories "$STORIES" --seed 7 --database-url "$url" >/dev/null
  echo "seeded $STORIES stories on PostgreSQL in $((SECONDS - started)) s"
fi

# start_server NAME [ENV=VALUE...]: starts a server on the archive and prints its cold start.
start_server() {
  local name="$1"; shift
  local port; port="$(free_port)"
  local started; started="$(now_ms)"
  env DATELINE_LOG__LEVEL=warn DATELINE_DATA_DIR="$work/data-$name" "$@" \
    "$BIN" serve --listen "127.0.0.1:$port" --database-url "$url" >"$work/$name.out" 2>"$work/$name.log" &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  SERVER_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 1200); do
    if curl -fs -o /dev/null "$SERVER_URL/"; then
      echo "$name: cold start to the first home page: $(( $(now_ms) - started )) ms"
      return 0
    fi
    sleep 0.05
  done
  echo "$name did not start:" >&2; cat "$work/$name.out" "$work/$name.log" >&2; exit 1
}

# one_at_a_time URL: "P50 P99 REQUESTS" for one connection asking again and again.
one_at_a_time() {
  local out
  out="$(wrk -t1 -c1 -d"${DURATION}s" --latency "$1")"
  if grep -q "Non-2xx or 3xx responses" <<<"$out"; then echo "error responses from $1" >&2; exit 1; fi
  echo "$(awk '$1 == "50%" {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out") $(awk '/requests in/ {print $1}' <<<"$out")"
}

start_server cached
cached_pid=$SERVER_PID; cached_url=$SERVER_URL
start_server uncached DATELINE_CACHE__PAGE_CACHE_MB=0
uncached_pid=$SERVER_PID; uncached_url=$SERVER_URL

# The pages, found the way a reader or a crawler would find them.
old_month="$(curl -fs "$cached_url/sitemap.xml" | grep -o 'articles-2008-0[0-9]\.xml' | head -1)"
[ -n "$old_month" ] || { echo "the archive reaches no further back than 2008: seed more stories" >&2; exit 1; }
old_article="$(curl -fs "$cached_url/sitemaps/$old_month" | grep -o '/article/[0-9]*/[a-z0-9-]*' | head -1)"
author="$(curl -fs "$cached_url$old_article" | grep -o '/author/[a-z0-9-]*' | grep -v 'yonhap\|afp' | head -1)"
[ -n "$old_article" ] && [ -n "$author" ] || { echo "no article from 2008 with a staff byline found" >&2; exit 1; }
declare -A paths=([home]="/" [section]="/national/" [article_2008]="$old_article" [sitemap_index]="/sitemap.xml"
  [sitemap_month]="/sitemaps/$old_month" [section_rss]="/national/rss.xml" [corrections]="/corrections"
  [author]="$author" [author_deep]="$author?page=500")
order=(home section article_2008 sitemap_index sitemap_month section_rss corrections author author_deep)
declare -A cached_goal=([home]=5 [section]=5 [article_2008]=5)
declare -A uncached_goal=([home]=20 [section]=20 [article_2008]=5 [sitemap_index]=200 [sitemap_month]=200
  [section_rss]=20 [corrections]=20 [author]=20 [author_deep]=20)

echo
echo "page            path                                       cached p50 / p99         uncached p50 / p99 (goal)"
for page in "${order[@]}"; do
  curl -fs -o /dev/null "$cached_url${paths[$page]}"
  read -r c50 c99 _ < <(one_at_a_time "$cached_url${paths[$page]}")
  read -r u50 u99 _ < <(one_at_a_time "$uncached_url${paths[$page]}")
  printf '%-15s %-42s %9s / %-9s %s   %9s / %-9s (p99 under %s ms)\n' "$page" "${paths[$page]:0:42}" "$c50" "$c99" \
    "${cached_goal[$page]:+(goal ${cached_goal[$page]} ms)}" "$u50" "$u99" "${uncached_goal[$page]}"
done
echo "author page size: $(curl -fs "$cached_url$author" | grep -o '/article/[0-9]*/' | sort -u | wc -l) stories listed"
echo "peak memory: cached server $(peak_memory "$cached_pid"), uncached server $(peak_memory "$uncached_pid")"
kill "$cached_pid" "$uncached_pid"

if [ "${ARCHIVE:-0}" = 1 ]; then
  started=$SECONDS
  /usr/bin/time -f "%M" -o "$work/export.mem" env DATELINE_LOG__LEVEL=warn DATELINE_DATA_DIR="$work/data-export" \
    "$BIN" export --database-url "$url" "$work/paper.dateline" >/dev/null
  echo "export: $((SECONDS - started)) s, $(du -h "$work/paper.dateline" | cut -f1), peak memory $(( $(cat "$work/export.mem") / 1024 )) MB"
  import_database="dateline_million_import_$$"
  psql "$POSTGRES_URL" -qc "CREATE DATABASE $import_database"
  started=$SECONDS
  /usr/bin/time -f "%M" -o "$work/import.mem" env DATELINE_LOG__LEVEL=warn DATELINE_DATA_DIR="$work/data-import" \
    "$BIN" import --database-url "${POSTGRES_URL%/*}/$import_database" "$work/paper.dateline" >/dev/null \
    || { psql "$POSTGRES_URL" -qc "DROP DATABASE $import_database"; exit 1; }
  echo "import into PostgreSQL: $((SECONDS - started)) s, peak memory $(( $(cat "$work/import.mem") / 1024 )) MB"
  psql "$POSTGRES_URL" -qc "DROP DATABASE $import_database WITH (FORCE)"
fi
