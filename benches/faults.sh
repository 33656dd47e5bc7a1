#!/usr/bin/env bash
# Nothing acknowledged is lost, at full size: runs the kill test of
# crates/dateline/tests/program/durability.rs with many cycles. A real `dateline serve` takes
# a stream of desk stories (created, then published) and agency items over HTTP, is killed
# with SIGKILL at a moment chosen at random, and is started again; every write that got a
# success answer must be there, whole, and no story of the stream may be half-written.
#
#   bash benches/faults.sh                       # 50 cycles on SQLite
#   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres bash benches/faults.sh
#                                                # 50 cycles on SQLite and 50 on PostgreSQL
#   CYCLES=200 bash benches/faults.sh
#
# CI runs the same test with 3 cycles as part of `cargo test`. It prints, per database, the
# cycles and how many acknowledged writes were checked. With BENCH_POSTGRES_URL it also
# restarts the machine's PostgreSQL while desk stories stream in (the server answers 503
# meanwhile and recovers by itself): run it where nothing else uses that server.
set -euo pipefail
cd "$(dirname "$0")/.."
CYCLES="${CYCLES:-50}"
export DATELINE_TEST_FAULT_CYCLES="$CYCLES"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  export DATELINE_TEST_POSTGRES_URL="$BENCH_POSTGRES_URL" DATELINE_TEST_REQUIRE_POSTGRES=1
fi
cargo test -q --locked -p dateline --test program durability -- --nocapture --test-threads=1 2>&1 |
  grep -E "kill cycles|test result|panicked|FAILED|assertion"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  # Then PostgreSQL itself restarts under load (this restarts the machine's cluster: run it
  # where nothing else uses it).
  cargo test -q --locked -p dateline --test program while_postgresql_restarts -- --ignored --nocapture 2>&1 |
    grep -E "restarted under load|test result|panicked|FAILED|assertion"
fi
