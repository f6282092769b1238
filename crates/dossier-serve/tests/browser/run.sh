#!/usr/bin/env bash
# The browser test: ingest the seed corpus (and one hostile document) into a temporary
# database, serve it with `dossier serve` on a free loopback port, and drive Debian's
# chromium headless through it (browser.mjs). Screenshots go to target/screenshots/.
#
#   crates/dossier-serve/tests/browser/run.sh                   # the seeds as ingested
#   crates/dossier-serve/tests/browser/run.sh --fixture-facts   # plus co-occurrence facts
#
# --fixture-facts (or DOSSIER_BROWSER_FIXTURE=1) adds stand-in facts and place coordinates
# (examples/synth.rs cooccurrence) for developing the UI while `dossier ingest` stores
# neither; without it the test needs ingest to store facts (>= 8 Wagner neighbours, dated
# facts) and coordinates (places on the map). Needs: chromium at /usr/bin/chromium (or
# $CHROMIUM), node and npm; ../shared/seeds beside the checkout (or $DOSSIER_SHARED).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
fixture=0
[ "${1:-}" = "--fixture-facts" ] && fixture=1
[ "${DOSSIER_BROWSER_FIXTURE:-}" = "1" ] && fixture=1

shared="${DOSSIER_SHARED:-$root/../shared}"
if [ ! -d "$shared/seeds" ]; then
    if [ "${CI:-}" = "true" ]; then
        echo "browser test: the seed corpus is missing at $shared/seeds (CI=true)" >&2
        exit 1
    fi
    echo "note: $shared/seeds missing; skipping the browser test"
    exit 0
fi

cd "$root"
# $DOSSIER_BIN: a dossier binary already built (.ci/run passes the one `cargo test` built).
if [ -n "${DOSSIER_BIN:-}" ]; then
    bin="$DOSSIER_BIN"
else
    cargo build --locked -q -p dossier-cli
    bin="$target/debug/dossier"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
db="$tmp/seeds.db"
cat > "$tmp/hostile.txt" <<'DOC'
A test page that quotes markup

The page quoted the string <script>alert(1)</script> in its body, and a reader posted <img src=x onerror=alert(1)> below it.

Both must show as text.
DOC
status=0
"$bin" --db "$db" -q ingest "$shared/seeds" "$tmp/hostile.txt" || status=$?
if [ "$status" -gt 1 ]; then
    echo "browser test: ingest failed ($status)" >&2
    exit 1
fi
if [ "$fixture" = 1 ]; then
    cargo run --locked -q -p dossier-serve --example synth -- cooccurrence --db "$db"
fi

cd "$here"
if [ ! -d node_modules/playwright-core ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
DOSSIER_BIN="$bin" DOSSIER_DB="$db" SCREENSHOTS="$root/target/screenshots" node browser.mjs
