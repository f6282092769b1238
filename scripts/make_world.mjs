#!/usr/bin/env node
// Builds crates/dossier-serve/assets/world.json, the offline world outline of the UI's map,
// from the npm package world-atlas (ISC licence; Natural Earth 1:110m, public domain).
//
//   cd crates/dossier-serve/tests/browser && npm ci && cd - && node scripts/make_world.mjs
//
// Every TopoJSON arc of countries-110m (coastlines and borders) becomes one polyline of
// longitude/latitude pairs in tenths of a degree (integers), so the file is small and
// the output is the same bytes for the same package version.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkgDir = join(root, "crates/dossier-serve/tests/browser/node_modules/world-atlas");
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const topo = JSON.parse(readFileSync(join(pkgDir, "countries-110m.json"), "utf8"));
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;

const lines = [];
for (const arc of topo.arcs) {
  let x = 0, y = 0;
  const line = [];
  let px = null, py = null;
  for (const [dx, dy] of arc) {
    x += dx; y += dy;
    const lon = Math.round((x * sx + tx) * 10);
    const lat = Math.round((y * sy + ty) * 10);
    if (lon === px && lat === py) continue;
    line.push(lon, lat);
    px = lon; py = lat;
  }
  if (line.length >= 4) lines.push(line);
}

const out = {
  source: `world-atlas ${pkg.version} countries-110m.json (ISC); Natural Earth 1:110m, public domain`,
  units: "tenths of a degree: [lon, lat, lon, lat, ...]",
  lines,
};
const target = join(root, "crates/dossier-serve/assets/world.json");
writeFileSync(target, JSON.stringify(out) + "\n");
console.log(`${target}: ${lines.length} lines, ${lines.reduce((n, l) => n + l.length / 2, 0)} points`);
