#!/usr/bin/env bash
# Moving-in benchmark: a WordPress export of POSTS posts (benches/wxr.py: nested categories,
# tags, authors, bodies with a news archive's length spread, featured and body images from a
# local uploads folder) imported with `dateline import-wordpress`, on SQLite and, with
# BENCH_POSTGRES_URL set (a server URL; a database is created and dropped), on PostgreSQL.
# Prints the wall time, posts per second and the peak memory (RSS) of each run, then the time
# of a second run of the same file (which changes nothing).
#
#   bash benches/import.sh            # 100,000 posts, release build
#   bash benches/import.sh --smoke    # 300 posts, debug build (what CI runs)
#   POSTS=20000 PHOTOS=2000 bash benches/import.sh
#
# It starts no server, writes only under a temporary folder, and removes its files.
set -euo pipefail
cd "$(dirname "$0")/.."

POSTS="${POSTS:-100000}"
PROFILE=release
case "${1:-}" in
  --smoke) POSTS=300; PROFILE=debug ;;
  "") ;;
  *) echo "usage: bash benches/import.sh [--smoke]" >&2; exit 2 ;;
esac
PHOTOS="${PHOTOS:-$((POSTS / 20 > 10 ? POSTS / 20 : 10))}"
. benches/common.sh
build_dateline "$PROFILE"
export DATELINE_LOG__LEVEL=warn

open_work_area "${BENCH_POSTGRES_URL:-}"

python3 benches/wxr.py "$POSTS" "$work/export.xml" "$work/uploads" "$PHOTOS"
printf 'export: %s posts, %s photos, %s MB\n' "$POSTS" "$PHOTOS" "$(( $(stat -c %s "$work/export.xml") / 1048576 ))"

# Runs a command; prints its wall time in seconds and its peak memory in MB (the child's RSS),
# with nothing but Python's standard library.
timed() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
started = time.monotonic()
with open(sys.argv[1], "w") as out:
    code = subprocess.call(sys.argv[2:], stdout=out)
seconds = time.monotonic() - started
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(f"{seconds:.1f} {peak_mb}")
sys.exit(code)
PY
}

measure() {
  local name="$1"; shift
  local seconds megabytes again
  read -r seconds megabytes < <(timed "$work/$name.report" "$BIN" import-wordpress "$work/export.xml" \
    --uploads "$work/uploads" --data-dir "$work/$name" "$@")
  grep -q "story: $POSTS imported" "$work/$name.report" || { cat "$work/$name.report"; exit 1; }
  python3 -c "import sys; p, s, m = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]; print(f'{sys.argv[4]:<10} {s:6.1f} s  {p / s:8.0f} posts/s  peak memory {m:>5} MB')" \
    "$POSTS" "$seconds" "$megabytes" "$name"
  read -r again _ < <(timed "$work/$name.again" "$BIN" import-wordpress "$work/export.xml" \
    --uploads "$work/uploads" --data-dir "$work/$name" "$@")
  grep -q "story: 0 imported, 0 updated, $POSTS unchanged" "$work/$name.again" \
    || { echo "the second run changed something:"; cat "$work/$name.again"; exit 1; }
  printf '%-10s %6s s  (a second run of the same file: nothing changes)\n' "$name" "$again"
}

measure sqlite
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  pg_database="dateline_import_bench_$$"
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $pg_database" >/dev/null
  measure postgres --database-url "${BENCH_POSTGRES_URL%/*}/$pg_database"
fi
