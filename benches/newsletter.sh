#!/usr/bin/env bash
# Newsletter sending benchmark, in one run on this machine:
#   - starts a local SMTP relay (aiosmtpd from the checkers' Python, discarding what it gets);
#   - calibration line: Python's own smtplib sends messages of the same size to the same relay
#     over one connection, which is about as fast as that relay takes mail;
#   - starts the demo paper (SQLite) with [mail] pointed at the relay, adds SUBSCRIBERS confirmed
#     readers and one edition due now, and times the sending worker until every delivery is
#     sent; reports messages a second, Dateline ÷ calibration, and the server's memory
#     (resident before, and its peak while sending);
#   - checks every reader got exactly one delivery marked sent.
#
#   bash benches/newsletter.sh            # 100,000 readers, release build
#   bash benches/newsletter.sh --smoke    # 1,000 readers, debug build (what CI runs)
#   SUBSCRIBERS=20000 bash benches/newsletter.sh
#   DKIM=1 bash benches/newsletter.sh      # every message DKIM-signed with a 2048-bit RSA key
#
# Targets for the note: at least 500 messages a second with the relay on this host, memory
# under 150 MB. It sends only to 127.0.0.1, stops every process it started and removes its files.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh

SUBSCRIBERS="${SUBSCRIBERS:-100000}"
PROFILE=release
case "${1:-}" in
  --smoke) SUBSCRIBERS=1000; PROFILE=debug ;;
  "") ;;
  *) echo "usage: bash benches/newsletter.sh [--smoke]" >&2; exit 2 ;;
esac
PY="${VERIFIERS_HOME:-/opt/verifiers}/venv/bin/python"
"$PY" -c 'import aiosmtpd' 2>/dev/null || { echo "aiosmtpd is missing: bash scripts/install-checkers.sh" >&2; exit 1; }

build_dateline "$PROFILE"

open_work_area

relay_port="$(free_port)"
"$PY" -m aiosmtpd -n -l "127.0.0.1:$relay_port" -c aiosmtpd.handlers.Sink >"$work/relay.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$relay_port") 2>/dev/null && break; sleep 0.05; done

calibration_count=$(( SUBSCRIBERS < 20000 ? SUBSCRIBERS : 20000 ))
calibration="$("$PY" - "$relay_port" "$calibration_count" <<'PY'
import smtplib, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
body = ("Subject: Calibration\r\nFrom: briefing@dateline.example\r\nTo: reader@example.com\r\n\r\n" + "x" * 76 + "\r\n") * 1
body = body + ("y" * 76 + "\r\n") * 150  # about the size of an edition
smtp = smtplib.SMTP("127.0.0.1", port)
start = time.monotonic()
for n in range(count):
    smtp.sendmail("briefing@dateline.example", [f"reader{n}@example.com"], body)
elapsed = time.monotonic() - start
smtp.quit()
print(f"{count / elapsed:.0f}")
PY
)"

signing=()
if [ "${DKIM:-0}" = 1 ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/dkim.pem" 2>/dev/null
  signing=(DATELINE_MAIL__DKIM_DOMAIN=dateline.example DATELINE_MAIL__DKIM_SELECTOR=bench
    DATELINE_MAIL__DKIM_KEY_FILE="$work/dkim.pem")
fi
port="$(free_port)"
env DATELINE_LOG__LEVEL=warn DATELINE_MAIL__RELAY="127.0.0.1:$relay_port" DATELINE_MAIL__CONNECTIONS=4 "${signing[@]}" \
  "$BIN" demo --data-dir "$work/demo" --listen "127.0.0.1:$port" >"$work/server.out" 2>"$work/server.log" &
server=$!
pids+=("$server")
for _ in $(seq 1 1200); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" || { cat "$work/server.log" >&2; exit 1; }
database="$(ls "$work"/demo/*.db | head -1)"
before_mb="$(awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$server/status")"

"$PY" - "$database" "$SUBSCRIBERS" "$server" <<'PY'
import sqlite3, sys, time, datetime
path, count, server = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def stamp(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
db = sqlite3.connect(path, timeout=30)
now = time.time()
stories = [r[0] for r in db.execute("SELECT id FROM articles WHERE status = 'published' ORDER BY id DESC LIMIT 6")]
cur = db.cursor()
cur.execute("INSERT INTO newsletters (slug, name, description, sender_name, sender_address, source, created_at) "
            "VALUES ('bench-briefing', 'The Bench Briefing', '', 'The Dateline', 'briefing@dateline.example', 'by-hand', ?)", (stamp(now),))
newsletter = cur.lastrowid
cur.executemany("INSERT INTO newsletter_subscribers (email, confirmed_at) VALUES (?, ?)",
                ((f"reader{n}@example.com", stamp(now)) for n in range(count)))
cur.execute("INSERT INTO newsletter_subscriptions (subscriber_id, newsletter_id, subscribed_at) "
            "SELECT id, ?, ? FROM newsletter_subscribers", (newsletter, stamp(now)))
db.commit()
start = time.time()
cur.execute("INSERT INTO newsletter_editions (newsletter_id, subject, note, story_ids, state, send_at, created_at) "
            "VALUES (?, 'Bench edition', 'Good morning.', ?, 'scheduled', ?, ?)",
            (newsletter, ",".join(map(str, stories)), stamp(start), stamp(start)))
edition = cur.lastrowid
db.commit()
peak = 0.0
while True:
    time.sleep(0.25)
    for line in open(f"/proc/{server}/status"):
        if line.startswith("VmHWM:"):
            peak = max(peak, int(line.split()[1]) / 1024)
    sent, = db.execute("SELECT COUNT(*) FROM newsletter_deliveries WHERE edition_id = ? AND state = 'sent'", (edition,)).fetchone()
    waiting, = db.execute("SELECT COUNT(*) FROM newsletter_deliveries WHERE edition_id = ? AND state = 'pending'", (edition,)).fetchone()
    if sent == count:
        break
    if time.time() - start > 3600:
        sys.exit(f"only {sent} of {count} sent after an hour")
elapsed = time.time() - start
doubles, = db.execute("SELECT COUNT(*) FROM (SELECT subscriber_id FROM newsletter_deliveries WHERE edition_id = ? "
                      "GROUP BY subscriber_id HAVING COUNT(*) > 1)", (edition,)).fetchone()
if doubles:
    sys.exit(f"{doubles} readers have two deliveries")
with open(sys.argv[1] + ".result", "w") as out:
    out.write(f"{count} {elapsed:.2f} {peak:.1f}\n")
PY
read -r count elapsed peak_mb < "$database.result"
rate="$(python3 -c "print(f'{$count / $elapsed:.0f}')")"
echo "Newsletter sending ($PROFILE build, SQLite, relay aiosmtpd on 127.0.0.1, 4 connections, $(nproc) cores$([ "${DKIM:-0}" = 1 ] && echo ", DKIM-signed")):"
echo "  calibration, Python smtplib to the same relay: $calibration messages/s"
echo "  Dateline: $count messages in ${elapsed} s = $rate messages/s ($(python3 -c "print(f'{$rate / $calibration:.2f}')")× the calibration; target 500/s)"
echo "  server memory: ${before_mb} MB resident before, ${peak_mb} MB peak while sending (target < 150 MB)"
echo "  every reader has exactly one delivery, marked sent"
