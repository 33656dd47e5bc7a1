#!/usr/bin/env bash
# Search benchmark: fills a fresh database with `dateline seed` (stories and their search index
# are written together, so the load time is the index build time), then times a mixed set of
# queries (one word, two words, phrases, a section filter, newest-first) and prints the median
# and 95th percentile, on SQLite and, when BENCH_POSTGRES_URL names a server, on
# PostgreSQL.
#
#   bash benches/search.sh                 # 100,000 stories, 1,000 queries, release build
#   bash benches/search.sh --smoke         # 500 stories, 100 queries, debug build (what CI runs)
#   STORIES=20000 QUERIES=500 bash benches/search.sh
#
# It sends nothing over the network but to the databases named; it stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

STORIES="${STORIES:-100000}"
QUERIES="${QUERIES:-1000}"
PROFILE=(--release)
if [ "${1:-}" = "--smoke" ]; then STORIES=500; QUERIES=100; PROFILE=(); fi

cargo build -q "${PROFILE[@]}" --bin dateline --example search_bench
target_dir="target/$([ ${#PROFILE[@]} -gt 0 ] && echo release || echo debug)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

declare -A p95
run() { # name url
  local name="$1" url="$2"
  local started=$SECONDS
  DATELINE_LOG__LEVEL=warn "$target_dir/dateline" seed --stories "$STORIES" --seed 7 --database-url "$url" >/dev/null
  echo "$name: loaded and indexed $STORIES stories in $((SECONDS - started)) s"
  local out; out="$("$target_dir/examples/search_bench" "$url" "$QUERIES")"
  echo "$name: $out"
  p95[$name]="$(sed -n '1s/.*p95 \([0-9.]*\) ms.*/\1/p' <<<"$out")"
}

run sqlite "sqlite:$work/bench.db"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  db="dateline_bench_$$"
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $db"
  pg_url="${BENCH_POSTGRES_URL%/*}/$db"
  run postgres "$pg_url" || true
  psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE $db WITH (FORCE)"
  if [ -n "${p95[postgres]:-}" ] && [ -n "${p95[sqlite]:-}" ]; then
    echo "mixed queries, p95 PostgreSQL ÷ SQLite = $(awk -v a="${p95[postgres]}" -v b="${p95[sqlite]}" 'BEGIN {printf "%.1f", a / b}') (issue 20 wants it near 1)"
  fi
fi
