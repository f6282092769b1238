#!/usr/bin/env python3
"""Writes crates/dossier-export/tests/fixtures/ftm_schema.json from the real
FollowTheMoney schemata, for the `ftm` export's test.

The PyPI package `followthemoney` (MIT) ships its schemata as YAML files; its model
loads them and resolves inheritance. This script installs a pinned version into a
temporary virtualenv, runs itself there, and keeps what the test checks:

    {"version": "...",
     "schemata": {"Person": {"abstract": false, "ancestors": ["LegalEntity", "Person", "Thing"],
                             "properties": {"name": "name", "holder": "entity:Person", ...}}}}

A property's value is its FtM type name, or `entity:<Range>` for entity references.
Reverse (stub) properties are left out: they cannot be written.

Usage: python3 scripts/make_ftm_schema.py   (needs network access to PyPI)
"""
import json
import os
import subprocess
import sys
import tempfile

VERSION = "4.11.2"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "dossier-export", "tests", "fixtures", "ftm_schema.json")


def dump():
    import followthemoney
    from followthemoney import model

    schemata = {}
    for schema in sorted(model.schemata.values(), key=lambda s: s.name):
        props = {}
        for name, prop in sorted(schema.properties.items()):
            if prop.stub:
                continue
            if prop.type.name == "entity":
                props[name] = "entity:" + (prop.range.name if prop.range else "Thing")
            else:
                props[name] = prop.type.name
        schemata[schema.name] = {
            "abstract": bool(schema.abstract),
            "ancestors": sorted(s.name for s in schema.schemata),
            "properties": props,
        }
    doc = {"version": followthemoney.__version__, "schemata": schemata}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}: {len(schemata)} schemata from followthemoney {followthemoney.__version__}")


def main():
    if os.environ.get("MAKE_FTM_SCHEMA_INNER") == "1":
        dump()
        return
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        py = os.path.join(venv, "bin", "python")
        subprocess.run([py, "-m", "pip", "install", "-q", f"followthemoney=={VERSION}"], check=True)
        env = dict(os.environ, MAKE_FTM_SCHEMA_INNER="1")
        subprocess.run([py, os.path.abspath(__file__)], check=True, env=env)


if __name__ == "__main__":
    main()
