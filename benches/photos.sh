#!/usr/bin/env bash
# Photos: what making the smaller copies in the background costs and saves, on the demo paper
# (SQLite), all figures from one run:
#   - upload to usable: a 24-megapixel JPEG (6000 × 4000) posted to /api/v1/photos, until 201;
#   - time to all copies: from that answer until its row records every format and its crops;
#   - peak memory of the server while 20 such photos are uploaded at once and their copies
#     made (the target is under 400 MB);
#   - reader pages a second on an article page, idle and while those copies are being made
#     (the target: within 20% of idle);
#   - bytes: the demo's photos as stored against their copies in each format, and the lead
#     photo an article page makes a 640-pixel-wide screen download, as JPEG (every browser
#     before) and as AVIF (a browser that reads it, now).
#
#   bash benches/photos.sh              # release build, 20 photos
#   bash benches/photos.sh --smoke      # debug build, 3 photos of 6 megapixels
#   IMAGE_WORKERS=1 bash benches/photos.sh   # uploads.image_workers (2 by default)
#
# It sends traffic only to 127.0.0.1, stops every process it started, and removes its files.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=release BURST=20 SIDE="6000 4000" DURATION=10
case "${1:-}" in
  --smoke) PROFILE=debug BURST=3 SIDE="3000 2000" DURATION=3 ;;
  "") ;;
  *) echo "usage: bash benches/photos.sh [--smoke]" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (or bash scripts/install-checkers.sh)" >&2; exit 1; }
. benches/common.sh
build_dateline "$PROFILE"
if [ "$PROFILE" = release ]; then cargo build -q --release --example news_photo; else cargo build -q --example news_photo; fi
PHOTO_MAKER="$PWD/target/$PROFILE/examples/news_photo"
open_work_area

# shellcheck disable=SC2086
"$PHOTO_MAKER" "$work/frame.jpg" $SIDE
data="$work/data"
db="$data/dateline.db"
port="$(free_port)"
base="http://127.0.0.1:$port"
DATELINE_UPLOADS__IMAGE_WORKERS="${IMAGE_WORKERS:-2}" DATELINE_LOG__LEVEL=warn "$BIN" demo --listen "127.0.0.1:$port" --data-dir "$data" >"$work/server.out" 2>"$work/server.log" &
server=$!
pids+=("$server")
for _ in $(seq 1 600); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.1; done
curl -fs -o /dev/null "$base/healthz" || { echo "the demo did not start" >&2; cat "$work/server.log" >&2; exit 1; }

waiting() { python3 -c "import sqlite3,sys; c=sqlite3.connect('file:$db?mode=ro', uri=True); print(c.execute(\"SELECT count(*) FROM media WHERE variant_formats <> 'avif webp jpeg crops'\").fetchone()[0])"; }
until_copied() { # seconds to wait at most
  local limit=$((SECONDS + $1))
  while [ "$(waiting)" != 0 ]; do
    [ "$SECONDS" -lt "$limit" ] || { echo "copies still waiting after $1 s" >&2; return 1; }
    sleep 0.05
  done
}
until_copied 600

# The demo's photos: bytes as stored, and their copies in each format.
python3 - "$db" "$data/media" <<'PY'
import os, sqlite3, sys
db, media = sys.argv[1], sys.argv[2]
rows = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(
    "SELECT storage_key, width FROM media WHERE storage_key LIKE 'demo/%'").fetchall()
def size(key):
    path = os.path.join(media, key)
    return os.path.getsize(path) if os.path.exists(path) else 0
def copy(key, width, ext):
    return f"{key.rsplit('.', 1)[0]}-w{width}.{ext}"
originals = sum(size(k) for k, _ in rows)
print(f"demo photos: {len(rows)}, {originals / 1024:.0f} KB as stored")
for width in (640, 1280):
    line = []
    for ext in ("jpg", "webp", "avif"):
        total = sum(size(copy(k, width, ext)) for k, w in rows if w > width)
        line.append(f"{ext} {total / 1024:.0f} KB")
    print(f"  copies {width} px wide: " + ", ".join(line))
jpeg = sum(size(copy(k, 640, "jpg")) for k, w in rows if w > 640)
avif = sum(size(copy(k, 640, "avif")) for k, w in rows if w > 640)
n = sum(1 for _, w in rows if w > 640)
if n:
    print(f"article page's lead photo on a 640-pixel screen: {jpeg / n / 1024:.1f} KB as JPEG before, "
          f"{avif / n / 1024:.1f} KB as AVIF now ({100 * (1 - avif / jpeg):.0f}% less)")
PY

token="$(DATELINE_LOG__LEVEL=warn "$BIN" api-key add --name "Photo bench" --role editor --data-dir "$data" | sed -n 's/^token: //p')"
upload() { # prints seconds to the answer; fails on anything but 201
  local out code seconds
  out="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST "$base/api/v1/photos" \
    -H "Authorization: Bearer $token" -F "file=@$work/frame.jpg;type=image/jpeg" \
    -F "caption=A harbour at dusk, photographed for the benchmark" -F "credit=Dateline" -F "alt_text=A harbour at dusk")"
  read -r code seconds <<<"$out"
  [ "$code" = 201 ] || { echo "upload answered $code" >&2; return 1; }
  echo "$seconds"
}

# One photo: upload to usable, then to all copies.
usable="$(upload)"
started=$(date +%s.%N)
until_copied 600
copied="$(python3 -c "print(f'{$(date +%s.%N) - $started:.2f}')")"
echo "a $(echo "$SIDE" | tr ' ' x) JPEG of $(($(stat -c %s "$work/frame.jpg") / 1024)) KB: usable after ${usable} s (the upload's answer); every copy (AVIF, WebP, JPEG at each width) ${copied} s later"

# Readers idle, then while a burst of photos is taken in and copied.
article="$(curl -fs "$base/rss.xml" | grep -o '/article/[0-9]*/[a-z0-9-]*' | head -1)"
curl -fs -o /dev/null "$base$article"
idle="$(wrk -t2 -c16 -d"${DURATION}s" "$base$article" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')"
echo 5 >"/proc/$server/clear_refs" # the peak below is this burst's
rss() { awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$server/status"; }
before="$(rss)"
burst_started=$SECONDS
for _ in $(seq 1 "$BURST"); do upload >/dev/null & done
wait_uploads() { local job; for job in $(jobs -p); do [ "$job" = "$server" ] || wait "$job"; done; }
wait_uploads
uploads_took=$((SECONDS - burst_started))
busy="$(wrk -t2 -c16 -d"${DURATION}s" "$base$article" | awk '/^Requests/ {printf "%.0f", $2}')"
still_waiting="$(waiting)"
until_copied 1800
all_copied=$((SECONDS - burst_started))
peak="$(awk '/^VmHWM:/ {printf "%.0f", $2/1024}' "/proc/$server/status")"
echo "burst of $BURST photos (image_workers = ${IMAGE_WORKERS:-2}): uploads answered within ${uploads_took} s, every copy made within ${all_copied} s; server memory ${before} MB before, peak ${peak} MB (target under 400 MB)"
echo "article page, 16 connections: ${idle} req/s idle, ${busy} req/s while copies were made (${still_waiting} photos still waiting at the end of it): $(python3 -c "print(f'{$busy / $idle:.2f}')")× idle (target at least 0.80)"
