#!/usr/bin/env bash
# The API against its own OpenAPI document, with schemathesis (pinned in
# scripts/install-checkers.sh): a demo paper is started on SQLite and on PostgreSQL, and every
# operation of /api/v1/openapi.json is fuzzed from its schema (examples, coverage and fuzzing
# phases, every check: no 5xx, every answer matches its documented status, content type and
# schema, schema-valid requests accepted and invalid ones refused). The write API is fuzzed
# with an editor's key, the wire endpoint with a real source's token and a partner's feed with
# the partner's token, so their documented answers are reached.
#
#   bash scripts/api-contract.sh                 # SQLite, and PostgreSQL with CONTRACT_POSTGRES_URL
#   MAX_EXAMPLES=200 bash scripts/api-contract.sh
#
# It listens on 127.0.0.1 only, stops the servers it started and removes its files.
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_EXAMPLES="${MAX_EXAMPLES:-40}"
VERIFIERS_HOME="${VERIFIERS_HOME:-/opt/verifiers}"
# shellcheck disable=SC1091
. "$VERIFIERS_HOME/env.sh"
command -v schemathesis >/dev/null || { echo "schemathesis is missing: bash scripts/install-checkers.sh" >&2; exit 1; }
cargo build -q --bin dateline
BIN=target/debug/dateline

work="$(mktemp -d)"
pids=()
pg_database=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_database" ]; then psql "$CONTRACT_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# schemathesis keeps a cache of what it found in the folder it runs in: run it in the work
# folder, so nothing lands in the source tree.
st() { (cd "$work" && schemathesis --no-color "$@"); }

check_on() {
  local name="$1"; shift
  local port; port="$(free_port)"
  DATELINE_LOG__LEVEL=warn "$BIN" demo --listen "127.0.0.1:$port" --data-dir "$work/$name" "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
  local out token
  out="$(DATELINE_LOG__LEVEL=warn "$BIN" wire add-source --name "Contract Wire" --slug contract-wire \
    --format ninjs-2.2 --section national --data-dir "$work/$name" "$@")"
  token="$(printf '%s\n' "$out" | sed -n 's/^token: //p')"
  local key
  key="$(DATELINE_LOG__LEVEL=warn "$BIN" api-key add --name "Contract script" --role editor \
    --data-dir "$work/$name" "$@" | sed -n 's/^token: //p')"
  local partner
  partner="$(DATELINE_LOG__LEVEL=warn "$BIN" partner add --name "Contract Partner" --slug contract-partner \
    --embargoed --data-dir "$work/$name" "$@" | sed -n 's/^token: //p')"
  local base="http://127.0.0.1:$port"
  echo "== $name: the content API"
  st run "$base/api/v1/openapi.json" --url "$base" --checks all --max-examples "$MAX_EXAMPLES" \
    --phases examples,coverage,fuzzing --include-tag content --include-tag meta
  echo "== $name: the write API, with an editor's key"
  # A body the schema allows may name a section or author the paper does not have, which is
  # rightly refused (422); positive_data_acceptance is left out for that reason alone.
  st run "$base/api/v1/openapi.json" --url "$base" --checks all \
    --exclude-checks positive_data_acceptance --max-examples "$MAX_EXAMPLES" \
    --phases examples,coverage,fuzzing --include-tag write --exclude-operation-id upload_photo \
    -H "Authorization: Bearer $key"
  echo "== $name: the photo upload, with an editor's key"
  # In multipart/form-data every part is text, so a caption of "12" is a string however it
  # looks; schemathesis counts it as a number that should have been refused
  # (negative_data_rejection), which does not apply to this encoding.
  st run "$base/api/v1/openapi.json" --url "$base" --checks all \
    --exclude-checks positive_data_acceptance,negative_data_rejection --max-examples "$MAX_EXAMPLES" \
    --phases examples,coverage,fuzzing --include-operation-id upload_photo -H "Authorization: Bearer $key"
  echo "== $name: the wire endpoint, with a source's token"
  # The body's schema is the source's agency format, which the document cannot name for every
  # source; so a body the document allows may rightly be refused (positive_data_acceptance is
  # left out), while every other check holds.
  printf '[[operations]]\ninclude-operation-id = "deliver"\nparameters = { source = "contract-wire" }\n' >"$work/wire.toml"
  st --config-file "$work/wire.toml" run "$base/api/v1/openapi.json" --url "$base" \
    --checks all --exclude-checks positive_data_acceptance --max-examples "$MAX_EXAMPLES" \
    --phases examples,coverage,fuzzing --include-operation-id deliver -H "Authorization: Bearer $token"
  echo "== $name: a partner's syndication feed, with the partner's token"
  printf '[[operations]]\ninclude-operation-id = "feed"\nparameters = { partner = "contract-partner" }\n' >"$work/partner.toml"
  st --config-file "$work/partner.toml" run "$base/api/v1/openapi.json" --url "$base" \
    --checks all --max-examples "$MAX_EXAMPLES" \
    --phases examples,coverage,fuzzing --include-operation-id feed -H "Authorization: Bearer $partner"
}

check_on sqlite
if [ -n "${CONTRACT_POSTGRES_URL:-}" ]; then
  pg_database="dateline_contract_$$"
  psql "$CONTRACT_POSTGRES_URL" -qc "CREATE DATABASE $pg_database" >/dev/null
  check_on postgres --database-url "${CONTRACT_POSTGRES_URL%/*}/$pg_database"
fi
