// The UI in a real browser: Debian's chromium, headless, driven by playwright-core.
// Run through run.sh, which ingests the seed corpus and sets the environment:
//   DOSSIER_BIN  the dossier binary      DOSSIER_DB   the database to serve
//   SCREENSHOTS  where to save PNGs      CHROMIUM     the browser (default /usr/bin/chromium)
//   MIN_NEIGHBOURS  neighbours the Wagner graph must show (default 8)
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const bin = process.env.DOSSIER_BIN;
const db = process.env.DOSSIER_DB;
const shots = process.env.SCREENSHOTS || "screenshots";
const minNeighbours = Number(process.env.MIN_NEIGHBOURS || 8);
if (!bin || !db) {
  console.error("browser.mjs: DOSSIER_BIN and DOSSIER_DB must be set (use run.sh)");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok - ${name}`); }
  else { failed++; console.log(`not ok - ${name}${detail ? ": " + detail : ""}`); }
  return ok;
}

/** Starts `dossier serve` on a free loopback port; resolves to its origin. */
function startServer() {
  const env = { ...process.env };
  delete env.DOSSIER_TOKEN;
  const child = spawn(bin, ["--db", db, "serve", "--bind", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"], env });
  return new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error("dossier serve did not start: " + err)), 30000);
    child.stderr.on("data", (d) => {
      err += d;
      const m = /on (http:\/\/127\.0\.0\.1:\d+)\//.exec(err);
      if (m) { clearTimeout(timer); resolve({ child, origin: m[1] }); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`dossier serve exited with ${code}: ${err}`)); });
  });
}

const { child, origin } = await startServer();
console.log(`# serving ${db} at ${origin}`);
const profile = mkdtempSync(join(tmpdir(), "dossier-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(20000);
const dialogs = [], pageErrors = [], foreign = [];
page.on("dialog", async (d) => { dialogs.push(d.type() + ": " + d.message()); await d.dismiss(); });
page.on("pageerror", (e) => pageErrors.push(String(e)));
page.on("console", (m) => { if (m.type() === "error") pageErrors.push("console: " + m.text()); });
await page.route("**/*", (route) => {
  const url = route.request().url();
  if (url.startsWith(origin + "/") || url.startsWith("data:")) return route.continue();
  foreign.push(url);
  return route.abort();
});

async function shot(name) {
  await page.screenshot({ path: join(shots, name + ".png"), fullPage: false });
}

try {
  // 1. Search "Wagner" and open the entity.
  await page.goto(origin + "/");
  await page.fill("#q", "Wagner");
  await page.press("#q", "Enter");
  const hit = page.locator("a.entity-hit", { hasText: "Wagner" }).first();
  await hit.waitFor();
  await shot("1-search");
  check("search finds a Wagner entity", (await hit.textContent()).includes("Wagner"));
  await hit.click();
  await page.waitForSelector("#entity h1");
  const entityId = await page.getAttribute("#entity", "data-id");
  check("entity page opens", /Wagner/.test(await page.textContent("#entity h1")), await page.textContent("#entity h1"));

  // 2. The ego network.
  await page.waitForSelector("svg#graph[data-state=ready], svg#graph[data-state=error]", { timeout: 30000 });
  const neighbours = Number(await page.getAttribute("svg#graph", "data-neighbours") || 0);
  await shot("2-graph");
  check(`graph shows at least ${minNeighbours} neighbours`, neighbours >= minNeighbours, `${neighbours} neighbours`);

  // 3. Click an edge: its evidence sentence shows, highlighted.
  const edges = await page.locator("path.edge-hit").count();
  if (check("graph has edges", edges > 0, `${edges} edges`)) {
    const edge = page.locator("path.edge-hit").first();
    const fact = await edge.getAttribute("data-fact");
    await edge.dispatchEvent("click");
    const mark = page.locator("#evidence mark.evidence").first();
    await mark.waitFor();
    const text = (await mark.textContent()).trim();
    const bg = await mark.evaluate((m) => getComputedStyle(m).backgroundColor);
    await shot("3-evidence");
    check("clicking an edge shows its evidence sentence highlighted", text.length > 10 && bg !== "rgba(0, 0, 0, 0)", `fact ${fact}: ${JSON.stringify(text)} on ${bg}`);
    check("the clicked edge is selected", await page.locator(`path.edge.selected[data-fact="${fact}"]`).count() === 1);

    // 4. From the evidence to the document, the sentence in focus and furniture greyed.
    await page.locator("#evidence blockquote a").first().click();
    await page.waitForSelector(".doc-text .focus");
    const focus = (await page.textContent(".doc-text .focus")).trim();
    await shot("4-document");
    check("the document view highlights the evidence span", focus.length > 0 && text.startsWith(focus.slice(0, 20)), JSON.stringify([focus.slice(0, 40), text.slice(0, 40)]));
  }

  // 5. Shortest paths to another actor.
  await page.goto(`${origin}/#/entity/${encodeURIComponent(entityId)}`);
  await page.waitForSelector("#path-to");
  await page.fill("#path-to", "Putin");
  await page.press("#path-to", "Enter");
  await page.waitForSelector("#paths li, #paths p");
  const paths = await page.locator("#paths li").count();
  await page.locator("#paths").scrollIntoViewIfNeeded();
  await shot("5-paths");
  check("paths to Putin are found", paths > 0, (await page.textContent("#paths")).slice(0, 120));

  // 6. Timeline: of Wagner's alleged boss, Prigozhin, whose calls and indictment the
  // seeds date (the seeds give no date for what Wagner itself did), reached by search.
  await page.goto(origin + "/");
  await page.fill("#q", "Prigozhin");
  await page.press("#q", "Enter");
  const boss = page.locator("a.entity-hit", { hasText: "Prigozhin" }).first();
  await boss.waitFor();
  await boss.click();
  await page.waitForSelector("#entity h1");
  const bossId = await page.getAttribute("#entity", "data-id");
  await page.goto(`${origin}/#/timeline/${encodeURIComponent(bossId)}`);
  await page.waitForSelector("svg#timeline");
  const events = Number(await page.getAttribute("svg#timeline", "data-events") || 0);
  await shot("6-timeline");
  check("timeline draws dated facts", events > 0, `${events} dated facts`);

  // 7. Map, offline outline.
  await page.goto(`${origin}/#/map/${encodeURIComponent(entityId)}`);
  await page.waitForSelector("svg#map polyline.land");
  const outline = await page.locator("svg#map polyline.land").count();
  const places = await page.locator("svg#map circle.place").count();
  await shot("7-map");
  check("map draws the world outline", outline > 100, `${outline} polylines`);
  check("map draws places", places > 0, `${places} places`);

  // 8. Hostile text stays text.
  await page.goto(`${origin}/#/search/${encodeURIComponent("onerror")}`);
  const sentence = page.locator("#main li", { hasText: "onerror" }).first();
  await sentence.waitFor();
  await sentence.locator("a").last().click();
  await page.waitForSelector("#doc-text");
  const docText = await page.textContent("#doc-text");
  const injected = await page.locator("#doc-text script, #doc-text img, #main img, #main script").count();
  await shot("8-xss");
  check("markup in a document shows literally", docText.includes("<script>alert(1)</script>") && docText.includes("<img src=x onerror=alert(1)>"), JSON.stringify(docText.slice(0, 120)));
  check("markup in a document makes no elements", injected === 0, `${injected} elements`);
  await page.waitForTimeout(300);
  check("no alert fired", dialogs.length === 0, dialogs.join("; "));
  check("no script errors", pageErrors.length === 0, pageErrors.join("; "));
  check("nothing fetched from elsewhere", foreign.length === 0, foreign.join(" "));
} catch (e) {
  check("browser run", false, String(e && e.stack || e));
  await shot("failure").catch(() => {});
} finally {
  await context.close().catch(() => {});
  child.kill("SIGTERM");
  rmSync(profile, { recursive: true, force: true });
}
console.log(`# screenshots in ${shots}`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
