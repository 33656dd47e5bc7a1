#!/usr/bin/env bash
# The page cache while the newsroom publishes: readers load article pages, the home page and
# section fronts while a story is published every PUBLISH_EVERY seconds (through the wire
# API of a source that publishes on arrival, the same write path as the desk's "Publish
# now"). Prints requests per second and the page cache's hit rate over the run, read from
# the server's own /metrics, and how many stories went up meanwhile. Run it before and after
# a change to what a publish drops from the cache (issue 13).
#
#   bash benches/publishing.sh           # 2,000 stories, 60 s, release build
#   bash benches/publishing.sh --smoke   # 300 stories, 12 s, debug build
#   DURATION=120 PUBLISH_EVERY=5 bash benches/publishing.sh
#
# It sends traffic only to 127.0.0.1, stops every process it started, and removes its files.
set -euo pipefail
cd "$(dirname "$0")/.."

STORIES="${STORIES:-2000}"
DURATION="${DURATION:-60}"
PUBLISH_EVERY="${PUBLISH_EVERY:-10}"
PROFILE="${PROFILE:-release}"
case "${1:-}" in
  --smoke) STORIES=300; DURATION=12; PUBLISH_EVERY=3; PROFILE=debug ;;
  "") ;;
  *) echo "usage: bash benches/publishing.sh [--smoke]" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (or bash scripts/install-checkers.sh)" >&2; exit 1; }
if [ "$PROFILE" = release ]; then cargo build -q --release --bin dateline; else cargo build -q --bin dateline; fi
BIN="${BIN:-target/$PROFILE/dateline}"

. benches/common.sh
open_work_area

url="sqlite:$work/bench.db"
DATELINE_LOG__LEVEL=warn "$BIN" seed --stories "$STORIES" --seed 7 --database-url "$url" >/dev/null
out="$(DATELINE_LOG__LEVEL=warn "$BIN" wire add-source --name "Bench Wire" --slug bench-wire --format ninjs-1.4 \
  --section national --publish-at-once --database-url "$url")"
token="$(printf '%s\n' "$out" | sed -n 's/^token: //p')"
port="$(free_port)"
DATELINE_LOG__LEVEL=warn DATELINE_DATA_DIR="$work/data" "$BIN" serve --listen "127.0.0.1:$port" \
  --database-url "$url" >"$work/serve.out" 2>"$work/serve.log" &
pids+=("$!")
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done

# What readers load: the 300 newest article pages (from the news sitemap and the month
# sitemaps), the home page and the section fronts, each as often as the others.
python3 - "$port" "$work/paths.lua" <<'PY'
import re, sys, urllib.request
port, out = sys.argv[1], sys.argv[2]
get = lambda path: urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").read().decode()
index = get("/sitemap.xml")
articles = []
for sitemap in re.findall(r"<loc>[^<]*?(/sitemaps/[^<]+)</loc>", index):
    articles += re.findall(r"<loc>[^<]*?(/article/[^<]+)</loc>", get(sitemap))
articles = list(dict.fromkeys(articles))[:300]
fronts = ["/"] + sorted(set(re.findall(r'href="(/[a-z-]+/)"', get("/"))))[:8]
paths = articles + fronts
with open(out, "w") as f:
    f.write("paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
    f.write('request = function() return wrk.format("GET", paths[math.random(#paths)]) end\n')
print(f"{len(articles)} article pages and {len(fronts)} fronts", file=sys.stderr)
PY

# The newsroom: one new story every PUBLISH_EVERY seconds, for the length of the run.
cat > "$work/publish.py" <<'PY'
import http.client, json, sys, time
port, token, every, duration = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
published, n, end = 0, 0, time.monotonic() + duration
while time.monotonic() < end:
    item = {"uri": f"urn:bench:publishing:{n}", "type": "text", "version": "1", "headline": f"Breaking item {n}",
            "byline": "Desk", "body_html": "<p>Officials confirmed the news on Sunday.</p>"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/v1/ingest/bench-wire", json.dumps(item).encode(),
                 {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    response = conn.getresponse(); response.read()
    published += response.status == 201
    n += 1
    time.sleep(every)
print(published)
PY

counter() { curl -fs "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 == name { print $2 }'; }
# Warm the cache once over every path, so the run measures the steady state.
wrk -t1 -c8 -d3s -s "$work/paths.lua" "http://127.0.0.1:$port" >/dev/null
hits_before="$(counter dateline_page_cache_hits_total)"; misses_before="$(counter dateline_page_cache_misses_total)"
python3 "$work/publish.py" "$port" "$token" "$PUBLISH_EVERY" "$DURATION" >"$work/published" &
pids+=("$!")
wrk -t2 -c32 -d"${DURATION}s" -s "$work/paths.lua" "http://127.0.0.1:$port" >"$work/wrk.txt"
wait "${pids[-1]}"
hits=$(( $(counter dateline_page_cache_hits_total) - hits_before ))
misses=$(( $(counter dateline_page_cache_misses_total) - misses_before ))
rps="$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")"
python3 - "$hits" "$misses" "$rps" "$(cat "$work/published")" "$DURATION" "$PUBLISH_EVERY" <<'PY'
import sys
hits, misses, rps, published, duration, every = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
print(f"{duration} s of readers with a story published every {every} s ({published} published): "
      f"{rps:,.0f} requests per second, page cache hit rate {hits / max(1, hits + misses):.1%} "
      f"({hits:,} hits, {misses:,} misses)")
PY
