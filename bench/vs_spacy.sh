#!/usr/bin/env bash
# Our full NLP pipeline against spaCy en_core_web_sm's, on the same text, in one run, each
# pinned to one core. Prints words/s for each and ends with one JSON line:
#   {"ours_wps": N, "peer_wps": N, "ratio": X, "ours_peak_rss_mb": N}
# usage: bench/vs_spacy.sh [WORDS] [FILES...]   (default: 200000 words of ../shared/seeds/*.txt)
# The peer is installed by ../shared/tools/peer/setup.sh (a venv from PyPI).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${DOSSIER_SHARED:-$root/../shared}"
words="${1:-200000}"
shift || true
files=("$@")
if [ ${#files[@]} -eq 0 ]; then files=("$shared"/seeds/*.txt); fi
venv="${PEER_VENV:-$HOME/.cache/dossier-peer/venv}"
if [ ! -x "$venv/bin/python" ]; then
  bash "$shared/tools/peer/setup.sh" "$venv" >&2
fi
cargo build --release --quiet -p dossier-cli --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/dossier"
cpu=0
[ "$(nproc)" -gt 1 ] && cpu=1

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Ours: tokens, sentences, tags, lemmas, parse, NER, values, then facts; one thread, one core.
/usr/bin/time -f '%M' -o "$tmp/rss" taskset -c "$cpu" "$bin" nlp bench --words "$words" "${files[@]}" > "$tmp/ours.json"
# Peer: spaCy sm, full pipeline, one core.
OMP_NUM_THREADS=1 taskset -c "$cpu" "$venv/bin/python" "$shared/tools/peer/spacy_peer.py" bench --model sm --words "$words" "${files[@]}" > "$tmp/peer.json"

python3 - "$tmp/ours.json" "$tmp/peer.json" "$tmp/rss" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
peer = json.load(open(sys.argv[2]))
rss_kb = int(open(sys.argv[3]).read().split()[-1])
print(f"ours:  {int(ours['words_per_sec']):>10,} words/s  ({ours['words']:,} words in {ours['secs']} s; {ours.get('entities', '?')} entities; "
      f"{ours.get('claims', '?')} claims; the fact stage took {ours.get('facts_secs', '?')} s, +{round(100 * ours.get('facts_overhead', 0), 1)}% over NLP)")
print(f"spaCy: {peer['words_per_sec']:>10,} words/s  ({peer['words']:,} words in {peer['secs']} s; {peer.get('entities', '?')} entities; {'+'.join(peer['pipes'])})")
print(json.dumps({"ours_wps": int(ours["words_per_sec"]), "peer_wps": peer["words_per_sec"],
                  "ratio": round(ours["words_per_sec"] / peer["words_per_sec"], 2),
                  "ours_peak_rss_mb": round(rss_kb / 1024, 1),
                  "facts_overhead": ours.get("facts_overhead")}))
PY
