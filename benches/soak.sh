#!/usr/bin/env bash
# Soak: a long run of mixed reader load (home, fronts, articles, feeds, search) with a story
# published every 10 s and an agency item delivered every 5 s, against one `dateline serve`
# on SQLite. Fails on any error answer or socket error; prints the server's memory at the
# start, once warm (a third of the way in: the page cache filled), its peak and at the end,
# and its open file descriptors; fails when memory grows past half again its warm figure
# (plus 64 MB) or descriptors grow by more than 20, so a leak fails the run.
#
#   bash benches/soak.sh              # 30 minutes, release build
#   bash benches/soak.sh --smoke      # 1 minute, debug build
#   DURATION=3600 bash benches/soak.sh
#
# It sends traffic only to 127.0.0.1, stops every process it started, and removes its files.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-1800}"
PROFILE=release
case "${1:-}" in
  --smoke) DURATION="${SMOKE_DURATION:-60}"; PROFILE=debug ;;
  "") ;;
  *) echo "usage: bash benches/soak.sh [--smoke]" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (or bash scripts/install-checkers.sh)" >&2; exit 1; }
. benches/common.sh
build_dateline "$PROFILE"
open_work_area

url="sqlite:$work/soak.db"
DATELINE_LOG__LEVEL=warn "$BIN" seed --stories 2000 --seed 3 --database-url "$url" >/dev/null
token_of() {
  DATELINE_LOG__LEVEL=warn "$BIN" wire add-source --name "$1" --slug "$2" --format ninjs-1.4 --section national \
    --publish-at-once --database-url "$url" | sed -n 's/^token: //p'
}
news_token="$(token_of "Soak Desk" soak-desk)"
wire_token="$(token_of "Soak Wire" soak-wire)"
port="$(free_port)"
DATELINE_LOG__LEVEL=warn DATELINE_DATA_DIR="$work/data" "$BIN" serve --listen "127.0.0.1:$port" --database-url "$url" \
  >"$work/server.out" 2>"$work/server.log" &
server=$!
pids+=("$server")
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.1; done

memory() { awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$server/status"; }
peak() { awk '/^VmHWM:/ {printf "%.0f", $2/1024}' "/proc/$server/status"; }
descriptors() { ls "/proc/$server/fd" | wc -l; }

# Readers: a rotation of page kinds, as a real audience mixes them.
articles="$(curl -fs "$base/rss.xml" | grep -o '/article/[0-9]*/[a-z0-9-]*' | head -20 | tr '\n' ' ')"
cat >"$work/readers.lua" <<LUA
local paths = { "/", "/national/", "/business/", "/rss.xml", "/sitemap.xml", "/search?q=budget" }
for path in string.gmatch("$articles", "%S+") do table.insert(paths, path) end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
LUA

deliver() { # SOURCE TOKEN N
  local item
  item="{\"uri\":\"urn:soak:$1:$3\",\"type\":\"text\",\"version\":\"1\",\"headline\":\"Soak $1 story $3\",\"body_html\":\"<p>Item $3 of the soak.</p>\"}"
  curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/v1/ingest/$1" -H "Authorization: Bearer $2" \
    -H 'Content-Type: application/json' --data "$item"
}
writes() { # published stories every 10 s, agency items every 5 s, until the run ends
  local n=0 failures=0 code
  local until=$((SECONDS + DURATION))
  while [ "$SECONDS" -lt "$until" ]; do
    n=$((n + 1))
    code="$(deliver soak-wire "$wire_token" "$n")"; [ "$code" = 201 ] || failures=$((failures + 1))
    if [ $((n % 2)) = 0 ]; then
      code="$(deliver soak-desk "$news_token" "$n")"; [ "$code" = 201 ] || failures=$((failures + 1))
    fi
    sleep 5
  done
  echo "$n $failures" >"$work/writes.result"
}

start_memory="$(memory)"; start_fds="$(descriptors)"
writes &
writer=$!
pids+=("$writer")
(sleep $((DURATION / 3)); memory >"$work/warm.memory") &
pids+=("$!")
out="$(wrk -t2 -c32 -d"${DURATION}s" --latency -s "$work/readers.lua" "$base")"
wait "$writer"
read -r rounds write_failures <"$work/writes.result"
end_memory="$(memory)"; end_fds="$(descriptors)"
rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
requests="$(awk '/requests in/ {print $1}' <<<"$out")"
errors="$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")"
socket_errors="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")"
warm_memory="$(cat "$work/warm.memory" 2>/dev/null || echo "$start_memory")"
echo "soak, ${DURATION} s: $requests reader requests ($rps req/s, 32 connections), $((rounds / 2)) stories published and $rounds agency items delivered"
echo "memory: start ${start_memory} MB, warm ${warm_memory} MB, peak $(peak) MB, end ${end_memory} MB; open file descriptors: start $start_fds, end $end_fds"
echo "error answers to readers: ${errors:-0}; socket errors: ${socket_errors:-0}; writes not taken: $write_failures"
failed=0
if [ -n "$errors" ] || [ "${socket_errors:-0}" != 0 ] || [ "$write_failures" != 0 ]; then failed=1; fi
if [ "$end_memory" -gt $((warm_memory * 3 / 2 + 64)) ]; then
  echo "memory grew from ${warm_memory} MB once warm to ${end_memory} MB" >&2; failed=1
fi
if [ "$end_fds" -gt $((start_fds + 20)) ]; then
  echo "open file descriptors grew from $start_fds to $end_fds" >&2; failed=1
fi
exit "$failed"
