#!/usr/bin/env python3
"""Build dossier's event-trigger lexicon from the CAMEO verb dictionary (PETRARCH2 /
Phoenix, MIT) and the CAMEO -> PLOVER table of the PLOVER codebook (CC BY-SA 4.0).

usage: scripts/make_triggers.py DATA_DIR OUT.tsv
  DATA_DIR is ../shared/data (holds petrarch2-phoenix/ and plover/).

Output, one row per (verb, pattern): `lemma<TAB>cues<TAB>TYPE<TAB>mode`, where lemma is
the verb's base form (lowercase; a multi-word verb keeps its particle, "meet with"),
cues are the pattern's lowercase content words (all must occur near the verb for the
row to apply; empty for the verb's default), TYPE is one of the 16 POLECAT/PLOVER
event types (PLOVER's DEMAND counts as REQUEST, DISAPPROVE and INVESTIGATE as ACCUSE,
FIGHT as ASSAULT, as POLECAT does) and mode the PLOVER mode, or the context for AID and
COOPERATE (military, economic, humanitarian, intelligence). CAMEO codes that PLOVER does
not map to an event (statements, 01x) are left out. Rows are sorted, so the output is
deterministic.
"""
import re
import sys

TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
COLLAPSE = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
CONTEXT_MODES = {"military", "economic", "humanitarian", "intelligence"}
# Light verbs whose CAMEO default code is too broad to read on its own: kept only with cues.
FUNCTION = {"to", "of", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "upon", "over", "under", "about",
            "against", "as", "the", "a", "an", "and", "or", "out", "off", "up", "down", "away", "back", "that", "it", "its",
            "their", "his", "her", "be", "is", "are", "was", "were", "been", "not", "no", "this", "these", "those", "than",
            "through", "between", "behind", "before", "after", "during", "within", "without", "s"}
LIGHT = {"have", "make", "take", "give", "get", "do", "be", "go", "come", "put", "set", "use", "see", "say", "tell"}


def cameo_to_plover(path):
    table = {}
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d+):\s*(.*)$", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        t = COLLAPSE.get(parts[0], parts[0])
        if t not in TYPES:
            continue
        mode = parts[1] if len(parts) > 1 else ""
        ctx = parts[2].split(";")[0].strip() if len(parts) > 2 else ""
        if not mode and t in ("AID", "COOPERATE") and ctx in CONTEXT_MODES:
            mode = ctx
        if t == "CONSULT" and mode == "third-party":
            mode = "meeting"
        if t == "CONSULT" and not mode and ctx == "diplomatic" and m.group(1) == "045":
            mode = "mediate"
        table[m.group(1)] = (t, mode.replace(" ", ""))
    return table


def lookup(table, code):
    code = code.split(":")[0].strip()
    while code:
        if code in table:
            return table[code]
        code = code[:-1] if len(code) > 3 else ""
    return None


def main(data, out):
    table = cameo_to_plover(f"{data}/plover/CAMEO2PLOVER-2021.txt")
    lines = open(f"{data}/petrarch2-phoenix/dictionaries/CAMEO.2.0.txt", encoding="utf-8").read().splitlines()
    synsets, cur = {}, None
    rows = set()
    block_default, verbs = None, []
    in_verbs = False
    for raw in lines:
        line = raw.split("#", 1)[0].rstrip()
        if "VERB PATTERNS" in raw:
            in_verbs = True
            continue
        if not in_verbs:
            if line.startswith("&"):
                cur = line[1:].strip().rstrip("_")
                synsets[cur] = []
            elif line.startswith("+") and cur:
                synsets[cur].append(line[1:].strip().replace("_", " ").lower())
            continue
        m = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---", line)
        if m:
            block_default, verbs = m.group(2), []
            code = lookup(table, block_default) if block_default and block_default != "---" else None
            block_default = code
            continue
        if not line.strip():
            continue
        if line.startswith("-"):
            pm = re.match(r"^-\s*(.*?)\s*\[([^\]]*)\]", line)
            if not pm or not verbs:
                continue
            code = lookup(table, pm.group(2)) if pm.group(2) not in ("---", "") else None
            if not code:
                continue
            cues = []
            for w in re.findall(r"&?[A-Z][A-Z_\-']*", pm.group(1)):
                if w.startswith("&"):
                    syn = synsets.get(w[1:].rstrip("_"), [])
                    if syn:
                        cues.append(syn[0].split()[0])
                else:
                    cues.extend(p.lower() for p in w.replace("_", " ").split())
            cues = [c for c in cues if len(c) > 1 and c not in FUNCTION]
            if not cues:
                continue
            for v in verbs:
                rows.add((v, " ".join(sorted(set(cues))), code[0], code[1]))
            continue
        # a verb form line: BASE {FORMS}
        tok = line.split("{", 1)[0].strip().split()
        if not tok:
            continue
        base = tok[0].lstrip("+").replace("_", " ").lower()
        if not re.match(r"^[a-z][a-z' \-]*$", base):
            continue
        verbs.append(base)
        if block_default and base.split()[0] not in LIGHT:
            rows.add((base, "", block_default[0], block_default[1]))
    with open(out, "w", encoding="utf-8") as f:
        f.write("# lemma\tcues\ttype\tmode  (scripts/make_triggers.py; CAMEO verbs, PETRARCH2/Phoenix MIT; CAMEO2PLOVER, PLOVER CC BY-SA 4.0)\n")
        for r in sorted(rows):
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} rows, {len({r[0] for r in rows})} verbs", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
