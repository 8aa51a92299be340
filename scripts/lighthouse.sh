#!/usr/bin/env bash
# Lighthouse scores of the example site (or another site), served by a plain static server
# as any host would serve the output: performance, accessibility, best practices and SEO
# for the home page, a report, a person, a city, /figures/ and /search/. Prints a Markdown
# table on stdout (progress on stderr) and, under it, every audit that did not pass.
#
#   scripts/lighthouse.sh                     # the example site
#   ROOT=path/to/site PAGES="/ reports/x/" scripts/lighthouse.sh
#   BIN=path/to/communique LH_DIR=path/with/node_modules scripts/lighthouse.sh
#
# Needs Node.js and npm, Debian's Chromium (apt-get install -y chromium) and Python 3 (its
# http.server is the static server). Lighthouse 12.2.3 is installed with `npm i -E` into
# target/lighthouse/ the first time (newer majors need Node 22). Audits only a host
# controls (text compression, cache lifetimes) are listed but not counted as faults:
# docs/deploy.md gives the nginx, Apache and Caddy settings for them.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
ROOT=${ROOT:-$REPO}
PAGES=${PAGES:-"/ reports/weihai-city-committee/ people/vladimir-norov/ cities/weihai/ figures/ search/"}
LH_DIR=${LH_DIR:-$REPO/target/lighthouse}
OUT=$(mktemp -d)
trap 'kill "${server_pid:-0}" 2>/dev/null || true; rm -rf "$OUT"' EXIT

log() { echo "$*" >&2; }
die() { log "lighthouse.sh: $*"; exit 1; }
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROMIUM" ] || die "no Chromium on PATH (apt-get install -y chromium)"
command -v npm >/dev/null || die "no npm on PATH (apt-get install -y npm)"
command -v python3 >/dev/null || die "no python3 on PATH"

if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
  log "installing lighthouse@12.2.3 into $LH_DIR"
  mkdir -p "$LH_DIR"
  npm i -E --prefix "$LH_DIR" --no-audit --no-fund --loglevel=error lighthouse@12.2.3 >&2
fi

if [ -z "${BIN:-}" ]; then
  log "building the release binary"
  cargo build --release --quiet --bin communique
  BIN=$REPO/target/release/communique
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log "building $ROOT"
"$BIN" build --root "$ROOT" --output "$OUT/site" --base-url "http://127.0.0.1:$port/" > "$OUT/build.log" 2>&1 \
  || { cat "$OUT/build.log" >&2; die "the build failed"; }
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$OUT/site" >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done

# Audits decided by the server's configuration, not by the site's files.
HOST_AUDITS="uses-text-compression uses-long-cache-ttl"
echo "# Lighthouse 12.2.3, $(date -u '+%Y-%m-%d %H:%M UTC'), $("$CHROMIUM" --version 2>/dev/null | head -1)"
echo
echo "| page | performance | accessibility | best practices | SEO |"
echo "| --- | ---: | ---: | ---: | ---: |"
faults=""
for page in $PAGES; do
  page=${page#/}
  log "lighthouse /$page"
  report=$OUT/report.json
  "$LH_DIR/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$page" --quiet \
    --chrome-path="$CHROMIUM" --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$report" >&2
  node -e '
    const r = require(process.argv[1]), page = process.argv[2], host = process.argv[3].split(" ");
    const score = id => Math.round(r.categories[id].score * 100);
    console.log(`| /${page} | ${score("performance")} | ${score("accessibility")} | ${score("best-practices")} | ${score("seo")} |`);
    const failed = Object.values(r.audits)
      .filter(a => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual")
      .map(a => `- /${page}: ${a.id} (${a.score})${host.includes(a.id) ? " [host]" : ""}: ${a.title}`);
    if (failed.length) console.error(failed.join("\n"));
  ' "$report" "$page" "$HOST_AUDITS" > "$OUT/row" 2> "$OUT/faults"
  cat "$OUT/row"
  faults+=$(cat "$OUT/faults")$'\n'
done
echo
if [ -n "${faults//$'\n'/}" ]; then
  echo "Audits that did not pass ([host]: set by the server, see docs/deploy.md):"
  echo
  printf '%s' "$faults" | sed '/^$/d'
else
  echo "Every audit passed."
fi
