// dossier's browser UI: plain JavaScript, no libraries, nothing fetched from elsewhere.
//
// Safety rule: every string that comes from the database (names, document text,
// evidence, titles) reaches the page through createTextNode or textContent. Elements are
// built with el(); no HTML string is ever parsed.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const MODALITIES = ["asserted", "alleged", "denied", "planned", "attempted", "possible", "negated"];

// ---------- DOM helpers ----------

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** An SVG element. */
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) throw new Error("event handlers go through addEventListener");
    node.setAttribute(k, String(v));
  }
}

function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function on(node, event, fn) {
  node.addEventListener(event, fn);
  return node;
}

/** A link to a route inside the UI. */
function link(route, ...children) {
  return el("a", { href: "#" + route }, ...children);
}

const enc = encodeURIComponent;

// ---------- API ----------

async function api(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== "") qs.set(k, String(v));
  }
  const url = "/api/" + path + (qs.toString() ? "?" + qs : "");
  const resp = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  let body = null;
  try { body = await resp.json(); } catch (_) { body = null; }
  if (!resp.ok) {
    const msg = body && body.error ? body.error.message : resp.status + " " + resp.statusText;
    throw new Error(msg);
  }
  return body;
}

function errorBox(e) {
  return el("p", { class: "error" }, String(e && e.message ? e.message : e));
}

// ---------- small renderers ----------

function typeBadge(type) {
  return el("span", { class: "badge type-" + type }, type);
}

function modalityTag(m) {
  return el("span", { class: "modality m-" + m }, m);
}

function entityLink(node) {
  if (!node) return el("span", { class: "muted" }, "—");
  return link("/entity/" + enc(node.id), node.name);
}

function whenText(w) {
  if (!w) return "";
  return w.value + (w.text && w.text !== w.value ? " (“" + w.text + "”)" : "");
}

/** Text with [start, end) code-point ranges marked: [{start, end, make(textNode) -> Node}]. */
function markedText(text, marks) {
  const chars = Array.from(text);
  const cuts = new Set([0, chars.length]);
  for (const m of marks) { cuts.add(Math.max(0, Math.min(chars.length, m.start))); cuts.add(Math.max(0, Math.min(chars.length, m.end))); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    let node = document.createTextNode(chars.slice(s, e).join(""));
    for (const m of marks) if (m.start <= s && e <= m.end) node = m.make(node);
    out.appendChild(node);
  }
  return out;
}

/** A search snippet: matches lie between U+0002 and U+0003. */
function snippet(s) {
  const out = el("span", { class: "snippet" });
  const parts = String(s).split(/([\u0002\u0003])/);
  let inMark = false;
  for (const p of parts) {
    if (p === "\u0002") { inMark = true; continue; }
    if (p === "\u0003") { inMark = false; continue; }
    if (p) out.appendChild(inMark ? el("mark", {}, p) : document.createTextNode(p));
  }
  return out;
}

/** One evidence sentence, the sentence itself highlighted and its trigger words in bold. */
function evidenceQuote(ev) {
  const rel = ev.trigger ? [{ start: ev.trigger.start - ev.start, end: ev.trigger.end - ev.start, make: (n) => el("strong", {}, n) }] : [];
  const mark = el("mark", { class: "evidence" }, markedText(ev.text, rel));
  return el("blockquote", { class: "evidence-quote" },
    mark,
    el("div", { class: "muted" },
      modalityTag(ev.modality), " ",
      ev.source ? ["according to ", entityLink(ev.source), " · "] : "",
      link("/doc/" + enc(ev.doc) + "/" + ev.start + "/" + ev.end, ev.title || ev.path),
    ));
}

function factLine(f) {
  return el("span", { class: "fact-line" },
    entityLink(f.subject), " ", el("span", { class: "pred" }, f.predicate + (f.mode ? ":" + f.mode : "")),
    f.role ? [" ", el("em", {}, f.role)] : "",
    f.object ? [" ", entityLink(f.object)] : "",
    f.where ? [" in ", entityLink(f.where)] : "",
    f.when ? [" · ", whenText(f.when)] : "",
    f.count !== null && f.count !== undefined ? [" · count ", String(f.count)] : "",
    " ", modalityTag(f.modality),
    f.n_evidence > 1 ? el("span", { class: "muted" }, " · " + f.n_evidence + " sources") : "");
}

function factItem(f) {
  const ev = f.evidence;
  return el("li", { "data-fact": f.id },
    factLine(f),
    ev ? el("span", { class: "evidence-text" }, "“" + ev.text + "” ",
      ev.source ? ["— ", entityLink(ev.source), " "] : "",
      link("/doc/" + enc(ev.doc) + "/" + ev.start + "/" + ev.end, "[" + (ev.title || ev.path) + "]")) : "");
}

// ---------- views ----------

const main = () => document.getElementById("main");

function viewHome() {
  const m = main();
  clear(m);
  append(m, [
    el("h1", {}, "dossier"),
    el("p", {}, "Search for an actor, a place or any words in the documents. Open an actor to see its network, its timeline and its places; click any edge to read the sentence that says it."),
  ]);
}

async function viewSearch(q) {
  const m = main();
  clear(m);
  document.getElementById("q").value = q;
  m.appendChild(el("p", { class: "muted" }, "Searching…"));
  let r;
  try { r = await api("search", { q, limit: 20 }); } catch (e) { clear(m); m.appendChild(errorBox(e)); return; }
  clear(m);
  m.appendChild(el("h1", {}, "Results for “" + q + "”"));
  m.appendChild(el("h2", {}, "Actors and places (" + r.entities.length + ")"));
  m.appendChild(el("ul", { class: "plain", id: "entity-hits" }, r.entities.map((e) =>
    el("li", {}, typeBadge(e.type), el("a", { class: "entity-hit", href: "#/entity/" + enc(e.id) }, e.name),
      el("span", { class: "muted" }, " · " + e.n_mentions + " mentions")))));
  m.appendChild(el("h2", {}, "Sentences (" + r.sentences.length + ")"));
  m.appendChild(el("ul", { class: "plain" }, r.sentences.map((h) =>
    el("li", {}, snippet(h.snippet), " ", link("/doc/" + enc(h.doc) + "/" + h.span.start + "/" + h.span.end, "[" + (h.title || h.path) + "]")))));
  m.appendChild(el("h2", {}, "Documents (" + r.documents.length + ")"));
  m.appendChild(el("ul", { class: "plain" }, r.documents.map((h) =>
    el("li", {}, link("/doc/" + enc(h.doc), h.title || h.path), el("div", { class: "muted" }, snippet(h.snippet))))));
}

async function viewEntity(id) {
  const m = main();
  clear(m);
  let e;
  try { e = await api("entities/" + enc(id), { facts: 200 }); } catch (err) { m.appendChild(errorBox(err)); return; }
  document.title = e.name + " · dossier";
  const head = el("div", { id: "entity", "data-id": e.id },
    el("h1", {}, e.name), typeBadge(e.type), e.kind ? el("span", { class: "badge" }, e.kind) : "",
    el("span", { class: "muted" }, e.n_mentions + " mentions in " + e.n_documents + " documents · " + e.n_facts + " facts"),
    el("p", {},
      link("/timeline/" + enc(e.id), "Timeline"), " · ", link("/map/" + enc(e.id), "Map"),
      e.place ? " · " + e.place.lat.toFixed(3) + ", " + e.place.lon.toFixed(3) + (e.place.country ? " (" + e.place.country + ")" : "") : ""));
  const side = el("div", { class: "panel", id: "side" },
    el("h2", {}, "Aliases"),
    e.aliases.length ? el("ul", { class: "plain", id: "aliases" }, e.aliases.map((a) => el("li", {}, a))) : el("p", { class: "muted" }, "none"),
    el("h2", {}, "Roles"),
    e.roles.length ? el("ul", { class: "plain facts", id: "roles" }, e.roles.map((f) => el("li", {},
      el("em", {}, f.role || "position"), f.object ? [" of ", entityLink(f.object)] : "", f.when ? " · " + whenText(f.when) : "", " ", modalityTag(f.modality))))
      : el("p", { class: "muted" }, "none known"),
    el("h2", {}, "Watchlists"),
    e.watchlists.length ? el("ul", { class: "plain", id: "watchlists" }, e.watchlists.map((w) => el("li", {},
      el("span", { class: "badge" }, w.source), w.name || w.list_id, el("span", { class: "muted" }, " (id " + w.list_id + ", matched “" + w.matched + "”)"))))
      : el("p", { class: "muted" }, "not on an imported list"),
    el("h2", {}, "Evidence"),
    el("div", { id: "evidence" }, el("p", { class: "muted" }, "Click an edge of the graph to read what says it.")));
  const graphBox = el("div", {});
  const cols = el("div", { class: "cols" }, graphBox, side);
  const facts = el("div", {},
    el("h2", {}, "Facts (" + e.facts.length + (e.n_facts > e.facts.length ? " of " + e.n_facts : "") + ")"),
    e.facts.length ? el("ul", { class: "plain facts", id: "facts" }, e.facts.map(factItem)) : el("p", { class: "muted" }, "No facts yet."));
  append(m, [head, cols, pathFinder(e), facts]);
  new Graph(graphBox, e.id, document.getElementById("evidence")).load();
}

/** "How is this actor connected to ...?": shortest paths to another actor named by the user. */
function pathFinder(e) {
  const input = el("input", { type: "text", id: "path-to", placeholder: "another actor, e.g. Putin", maxlength: 200 });
  const out = el("div", { id: "paths" });
  const form = el("form", { class: "filters" }, "Shortest paths from " + e.name + " to ", input, el("button", { type: "submit" }, "Find"));
  on(form, "submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    const q = input.value.trim();
    if (!q) return;
    try {
      const hits = (await api("search", { q, kind: "entities", limit: 1 })).entities;
      if (!hits.length) { out.appendChild(el("p", { class: "muted" }, "No actor called “" + q + "”.")); return; }
      const r = await api("paths", { from: e.id, to: hits[0].id });
      if (!r.paths.length) { out.appendChild(el("p", { class: "muted" }, "No path to " + hits[0].name + " within 4 steps.")); return; }
      const evidence = document.getElementById("evidence");
      out.appendChild(el("ol", {}, r.paths.map((p) => el("li", {}, p.nodes.map((n, i) => [
        i ? [" ", on(el("a", { href: "#", class: "path-edge", "data-fact": p.edges[i - 1] ? p.edges[i - 1].id : "" },
          "—" + (p.edges[i - 1] ? p.edges[i - 1].predicate : "?") + "—"), "click", (ev2) => {
          ev2.preventDefault();
          if (p.edges[i - 1]) showFact(evidence, p.edges[i - 1].id);
        }), " "] : "",
        entityLink(n),
      ])))));
    } catch (err) { out.appendChild(errorBox(err)); }
  });
  return el("div", {}, el("h2", {}, "Connections"), form, out);
}

async function showFact(box, factId) {
  clear(box);
  box.appendChild(el("p", { class: "muted" }, "Loading…"));
  let f;
  try { f = await api("facts/" + enc(factId)); } catch (e) { clear(box); box.appendChild(errorBox(e)); return; }
  clear(box);
  append(box, [
    el("p", { "data-fact": f.id }, factLine(f)),
    f.all_evidence.map(evidenceQuote),
  ]);
}

// ---------- the graph: ego network, force layout, expand on click ----------

class Graph {
  constructor(box, centre, evidenceBox) {
    this.box = box;
    this.centre = centre;
    this.evidenceBox = evidenceBox;
    this.nodes = new Map();
    this.edges = new Map();
    this.expanded = new Set();
    this.filters = { predicate: "", modality: "", from: "", to: "" };
    this.build();
  }

  build() {
    const f = this.filters;
    const predicate = el("input", { type: "text", id: "f-predicate", placeholder: "e.g. CONSULT,leads" });
    const modality = el("select", { id: "f-modality" }, el("option", { value: "" }, "any modality"), MODALITIES.map((m) => el("option", { value: m }, m)));
    const from = el("input", { type: "text", id: "f-from", placeholder: "from YYYY[-MM]" });
    const to = el("input", { type: "text", id: "f-to", placeholder: "to YYYY[-MM]" });
    const apply = on(el("button", { type: "button", id: "f-apply" }, "Apply"), "click", () => {
      f.predicate = predicate.value.trim(); f.modality = modality.value; f.from = from.value.trim(); f.to = to.value.trim();
      this.nodes.clear(); this.edges.clear(); this.expanded.clear();
      this.load();
    });
    this.status = el("span", { class: "muted", id: "graph-status" });
    this.svg = svg("svg", { id: "graph", viewBox: "-450 -280 900 560", "data-state": "loading" });
    this.edgeLayer = svg("g", { class: "edges" });
    this.nodeLayer = svg("g", { class: "nodes" });
    this.svg.appendChild(this.edgeLayer);
    this.svg.appendChild(this.nodeLayer);
    const legend = el("div", { class: "legend" }, MODALITIES.map((m) => el("span", {},
      svg("svg", { width: 30, height: 8 }, svg("line", { x1: 0, y1: 4, x2: 30, y2: 4, class: "edge m-" + m })), " " + m)));
    legend.querySelectorAll("line").forEach((l) => {
      // The legend's lines take the graph's styles through a wrapper id-free class.
      l.setAttribute("stroke", getComputedStyle(document.documentElement).getPropertyValue("--" + l.getAttribute("class").slice(7)).trim() || "#444");
      const dash = { alleged: "7 4", planned: "1.5 4", attempted: "8 3 2 3", possible: "3 3", negated: "5 3" }[l.getAttribute("class").slice(7)];
      if (dash) l.setAttribute("stroke-dasharray", dash);
      l.setAttribute("stroke-width", "2");
    });
    append(this.box, [
      el("h2", {}, "Network"),
      el("div", { class: "filters" }, "Filter: ", predicate, modality, from, to, apply, this.status),
      el("div", { class: "graph-wrap" }, this.svg),
      legend,
      el("p", { class: "muted" }, "Click a node to expand it, double-click to open it; click an edge to read its evidence."),
    ]);
  }

  params() {
    const f = this.filters;
    return { predicate: f.predicate, modality: f.modality, from: f.from, to: f.to, limit: 150 };
  }

  async load() {
    this.svg.setAttribute("data-state", "loading");
    try {
      await this.expand(this.centre, 0, 0);
    } catch (e) {
      clear(this.status);
      this.status.appendChild(errorBox(e));
      this.svg.setAttribute("data-state", "error");
      return;
    }
  }

  async expand(id, x, y) {
    if (this.expanded.has(id)) return;
    this.expanded.add(id);
    const g = await api("neighbourhood/" + enc(id), this.params());
    for (const n of g.nodes) {
      if (!this.nodes.has(n.id)) {
        const a = Math.random() * Math.PI * 2;
        this.nodes.set(n.id, { ...n, x: n.id === id ? x : x + Math.cos(a) * 60, y: n.id === id ? y : y + Math.sin(a) * 60, vx: 0, vy: 0 });
      }
    }
    for (const e of g.edges) this.edges.set(e.id, e);
    const neighbours = this.nodes.size - 1;
    this.status.textContent = neighbours + " neighbours · " + this.edges.size + " edges" + (g.truncated ? " (cut at the limit)" : "");
    this.svg.setAttribute("data-neighbours", String(neighbours));
    this.render();
    this.simulate();
  }

  render() {
    clear(this.edgeLayer);
    clear(this.nodeLayer);
    // Several facts between one pair bend apart.
    const pairCount = new Map();
    this.edgeEls = [];
    for (const e of this.edges.values()) {
      const key = [e.subject, e.object].sort().join("|");
      const k = pairCount.get(key) || 0;
      pairCount.set(key, k + 1);
      const path = svg("path", { class: "edge m-" + e.modality, "data-fact": e.id });
      const hit = svg("path", { class: "edge-hit", "data-fact": e.id, "data-modality": e.modality },
        svg("title", {}, e.predicate + (e.when ? " · " + e.when : "") + " · " + e.modality));
      const label = svg("text", { class: "edge-label" + (this.edges.size > 12 ? " hidden" : "") }, e.predicate);
      on(hit, "click", (ev) => { ev.stopPropagation(); this.select(e.id); });
      this.edgeLayer.appendChild(path);
      this.edgeLayer.appendChild(label);
      this.edgeLayer.appendChild(hit);
      this.edgeEls.push({ e, path, hit, label, bend: k === 0 ? 0 : (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 18 });
    }
    this.nodeEls = [];
    for (const n of this.nodes.values()) {
      const r = n.id === this.centre ? 11 : 7;
      const g = svg("g", { class: "node" + (n.id === this.centre ? " centre" : ""), "data-id": n.id },
        svg("circle", { r, class: "t-" + (["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT"].includes(n.type) ? n.type : "other") }),
        svg("text", { x: r + 3, y: 4 }, n.name),
        svg("title", {}, n.name + " (" + n.type + ")"));
      on(g, "click", () => this.expand(n.id, n.x, n.y).catch((e) => { this.status.textContent = String(e.message || e); }));
      on(g, "dblclick", () => { location.hash = "#/entity/" + enc(n.id); });
      this.nodeLayer.appendChild(g);
      this.nodeEls.push({ n, g });
    }
    this.draw();
  }

  select(factId) {
    for (const { path, label, e } of this.edgeEls) {
      path.classList.toggle("selected", e.id === factId);
      label.classList.toggle("shown", e.id === factId);
    }
    showFact(this.evidenceBox, factId);
  }

  draw() {
    for (const { e, path, hit, label, bend } of this.edgeEls) {
      const a = this.nodes.get(e.subject), b = this.nodes.get(e.object);
      if (!a || !b) continue;
      const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
      const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
      const cx = mx - (dy / len) * bend, cy = my + (dx / len) * bend;
      const d = a.id === b.id
        ? `M ${a.x} ${a.y} c 30 -40 50 0 0 0`
        : `M ${a.x.toFixed(1)} ${a.y.toFixed(1)} Q ${cx.toFixed(1)} ${cy.toFixed(1)} ${b.x.toFixed(1)} ${b.y.toFixed(1)}`;
      path.setAttribute("d", d);
      hit.setAttribute("d", d);
      label.setAttribute("x", ((mx + cx) / 2).toFixed(1));
      label.setAttribute("y", ((my + cy) / 2).toFixed(1));
    }
    for (const { n, g } of this.nodeEls) g.setAttribute("transform", `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`);
  }

  /** A small force layout: springs along edges, repulsion between nodes, a pull to the middle. */
  simulate() {
    if (this.running) { this.alpha = 1; return; }
    this.running = true;
    this.alpha = 1;
    this.svg.setAttribute("data-state", "layout");
    const nodes = [...this.nodes.values()];
    const step = () => {
      const ns = [...this.nodes.values()];
      for (let i = 0; i < ns.length; i++) {
        const a = ns[i];
        for (let j = i + 1; j < ns.length; j++) {
          const b = ns[j];
          let dx = b.x - a.x, dy = b.y - a.y;
          let d2 = dx * dx + dy * dy;
          if (d2 < 1) { dx = Math.random() - .5; dy = Math.random() - .5; d2 = 1; }
          const f = Math.min(9000 / d2, 10) * this.alpha;
          const d = Math.sqrt(d2);
          a.vx -= (dx / d) * f; a.vy -= (dy / d) * f;
          b.vx += (dx / d) * f; b.vy += (dy / d) * f;
        }
      }
      for (const e of this.edges.values()) {
        const a = this.nodes.get(e.subject), b = this.nodes.get(e.object);
        if (!a || !b || a === b) continue;
        const dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy) || 1;
        const f = (d - 170) * 0.02 * this.alpha;
        a.vx += (dx / d) * f; a.vy += (dy / d) * f;
        b.vx -= (dx / d) * f; b.vy -= (dy / d) * f;
      }
      for (const n of ns) {
        if (n.id === this.centre) { n.vx += -n.x * 0.05; n.vy += -n.y * 0.05; }
        n.vx -= n.x * 0.002 * this.alpha; n.vy -= n.y * 0.004 * this.alpha;
        n.vx *= 0.6; n.vy *= 0.6;
        n.x = Math.max(-430, Math.min(430, n.x + n.vx));
        n.y = Math.max(-265, Math.min(265, n.y + n.vy));
      }
      this.draw();
      this.alpha *= 0.975;
      if (this.alpha > 0.02) {
        requestAnimationFrame(step);
      } else {
        this.running = false;
        this.svg.setAttribute("data-state", "ready");
      }
    };
    void nodes;
    requestAnimationFrame(step);
  }
}

// ---------- timeline ----------

/** The first date of an ISO value ("2023-07-15", "2013/2014", "2023-02") as a fractional year, or null. */
function yearOf(value) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
  if (!m) return null;
  return Number(m[1]) + ((m[2] ? Number(m[2]) - 1 : 0) + (m[3] ? (Number(m[3]) - 1) / 31 : 0)) / 12;
}

async function viewTimeline(id) {
  const m = main();
  clear(m);
  let t, name = "all actors";
  try {
    if (id) name = (await api("entities/" + enc(id), { facts: 1 })).name;
    t = await api("timeline", { entity: id || "", limit: 1000 });
  } catch (e) { m.appendChild(errorBox(e)); return; }
  document.title = "Timeline · " + name + " · dossier";
  m.appendChild(el("h1", {}, "Timeline: ", id ? link("/entity/" + enc(id), name) : name));
  const dated = t.facts.map((f) => ({ f, y: yearOf(f.when && f.when.value) })).filter((d) => d.y !== null);
  const chart = svg("svg", { id: "timeline", viewBox: "0 0 1000 150", preserveAspectRatio: "none", "data-events": String(dated.length) });
  m.appendChild(chart);
  const detail = el("div", { id: "evidence", class: "panel" }, el("p", { class: "muted" }, "Click a dot to read its evidence."));
  if (dated.length) {
    let lo = Math.min(...dated.map((d) => d.y)), hi = Math.max(...dated.map((d) => d.y));
    if (hi - lo < 1) { lo = Math.floor(lo); hi = lo + 1; }
    const pad = (hi - lo) * 0.04;
    lo -= pad; hi += pad;
    const x = (y) => 20 + ((y - lo) / (hi - lo)) * 960;
    chart.appendChild(svg("line", { class: "axis", x1: 20, y1: 120, x2: 980, y2: 120 }));
    const span = hi - lo, stepY = span > 40 ? 10 : span > 15 ? 5 : span > 6 ? 2 : 1;
    for (let yr = Math.ceil(lo / stepY) * stepY; yr <= hi; yr += stepY) {
      chart.appendChild(svg("g", { class: "tick" }, svg("line", { class: "axis", x1: x(yr), y1: 116, x2: x(yr), y2: 124 }), svg("text", { x: x(yr) - 12, y: 140 }, String(yr))));
    }
    const stack = new Map();
    for (const { f, y } of dated) {
      const px = Math.round(x(y) / 8);
      const k = stack.get(px) || 0;
      stack.set(px, k + 1);
      const c = svg("circle", { class: "event m-" + f.modality, cx: x(y).toFixed(1), cy: 108 - (k % 12) * 8, r: 4, "data-fact": f.id },
        svg("title", {}, (f.when ? f.when.value : "") + " · " + f.subject.name + " " + f.predicate + (f.object ? " " + f.object.name : "")));
      on(c, "click", () => showFact(detail, f.id));
      chart.appendChild(c);
    }
  } else {
    chart.appendChild(svg("text", { x: 20, y: 80 }, "No dated facts."));
  }
  const list = el("ul", { class: "plain timeline-list facts", id: "timeline-list" }, t.facts.map((f) =>
    el("li", {}, el("span", { class: "date" }, f.when ? f.when.value : "?"), factItem(f))));
  append(m, [el("div", { class: "cols" }, el("div", {}, el("h2", {}, t.facts.length + " dated facts"), list), detail)]);
}

// ---------- map ----------

let worldCache = null;

async function viewMap(id) {
  const m = main();
  clear(m);
  let places, world, near = new Set(), name = null;
  try {
    world = worldCache || (worldCache = await (await fetch("/world.json", { credentials: "same-origin" })).json());
    places = (await api("places", { limit: 2000 })).places;
    if (id) {
      const g = await api("neighbourhood/" + enc(id), { limit: 500 });
      name = g.nodes.length ? g.nodes[0].name : id;
      for (const n of g.nodes) near.add(n.id);
      const e = await api("entities/" + enc(id), { facts: 500 });
      for (const f of e.facts) if (f.where) near.add(f.where.id);
    }
  } catch (e) { m.appendChild(errorBox(e)); return; }
  document.title = "Map · dossier";
  m.appendChild(el("h1", {}, "Places", id ? [" around ", link("/entity/" + enc(id), name)] : ""));
  const W = 1000, H = 500;
  const px = (lon) => ((lon + 180) / 360) * W, py = (lat) => ((90 - lat) / 180) * H;
  const map = svg("svg", { id: "map", viewBox: `0 0 ${W} ${H}`, "data-places": String(places.length) });
  for (let lon = -180; lon <= 180; lon += 30) map.appendChild(svg("line", { class: "grid", x1: px(lon), y1: 0, x2: px(lon), y2: H }));
  for (let lat = -60; lat <= 60; lat += 30) map.appendChild(svg("line", { class: "grid", x1: 0, y1: py(lat), x2: W, y2: py(lat) }));
  const land = svg("g", { class: "world" });
  for (const line of world.lines) {
    // A line that crosses the antimeridian is cut there rather than drawn across the map.
    let pts = [];
    const flush = () => { if (pts.length > 1) land.appendChild(svg("polyline", { class: "land", points: pts.join(" ") })); pts = []; };
    for (let i = 0; i + 1 < line.length; i += 2) {
      if (i >= 2 && Math.abs(line[i] - line[i - 2]) > 1800) flush();
      pts.push(px(line[i] / 10).toFixed(1) + "," + py(line[i + 1] / 10).toFixed(1));
    }
    flush();
  }
  map.appendChild(land);
  const maxFacts = Math.max(1, ...places.map((p) => p.n_facts));
  const shown = places.slice().sort((a, b) => a.n_facts - b.n_facts);
  shown.forEach((p, i) => {
    const c = svg("circle", { class: "place" + (near.has(p.id) ? " highlight" : ""), cx: px(p.lon).toFixed(1), cy: py(p.lat).toFixed(1),
      r: (2.5 + 7 * Math.sqrt(p.n_facts / maxFacts)).toFixed(1), "data-id": p.id },
    svg("title", {}, p.name + " · " + p.n_facts + " facts"));
    on(c, "click", () => { location.hash = "#/entity/" + enc(p.id); });
    map.appendChild(c);
    if (i >= shown.length - 25 || near.has(p.id)) map.appendChild(svg("text", { x: (px(p.lon) + 5).toFixed(1), y: (py(p.lat) + 3).toFixed(1) }, p.name));
  });
  append(m, [map,
    el("p", { class: "credit" }, "World outline: " + world.source + ". " + places.length + " places with coordinates" + (id ? "; red: linked to " + name : "") + "."),
    el("ul", { class: "plain", id: "place-list" }, places.slice(0, 50).map((p) => el("li", {}, entityLink(p), el("span", { class: "muted" }, " · " + p.n_facts + " facts · " + p.lat.toFixed(2) + ", " + p.lon.toFixed(2)))))]);
}

// ---------- document ----------

async function viewDocument(id, focusStart, focusEnd) {
  const m = main();
  clear(m);
  let d;
  try { d = await api("documents/" + enc(id)); } catch (e) { m.appendChild(errorBox(e)); return; }
  document.title = (d.title || d.path) + " · dossier";
  const bySpan = new Map();
  for (const s of d.spans) {
    const k = s.start + ":" + s.end;
    if (!bySpan.has(k)) bySpan.set(k, []);
    bySpan.get(k).push(s);
  }
  const panel = el("div", { id: "evidence", class: "panel" }, el("p", { class: "muted" }, "Highlighted sentences hold facts: click one. Grey text is page furniture (menus, credits, links), never read for facts."));
  const marks = [];
  for (const f of d.furniture) marks.push({ start: f.start, end: f.end, make: (n) => el("span", { class: "furniture", title: "page furniture" }, n) });
  for (const [k, spans] of bySpan) {
    const [start, end] = k.split(":").map(Number);
    const mod = spans[0].modality;
    marks.push({ start, end, make: (n) => on(el("span", { class: "span-evidence ev-" + mod, "data-span": k }, n), "click", () => {
      clear(panel);
      append(panel, spans.map((s) => el("p", { "data-fact": s.fact },
        entityLink(s.subject), " ", el("span", { class: "pred" }, s.predicate), s.object ? [" ", entityLink(s.object)] : "", " ", modalityTag(s.modality),
        s.source ? [" · according to ", entityLink(s.source)] : "", " · ", on(el("a", { href: "#" }, "all evidence"), "click", (ev) => { ev.preventDefault(); showFact(panel, s.fact); }))));
    }) });
    for (const s of spans) if (s.trigger) marks.push({ start: s.trigger.start, end: s.trigger.end, make: (n) => el("span", { class: "trigger" }, n) });
  }
  const hasFocus = Number.isFinite(focusStart) && Number.isFinite(focusEnd) && focusEnd > focusStart;
  if (hasFocus) marks.push({ start: focusStart, end: focusEnd, make: (n) => el("span", { class: "focus" }, n) });
  const text = el("div", { class: "doc-text", id: "doc-text" }, markedText(d.text, marks));
  append(m, [
    el("h1", {}, d.title || d.path),
    el("p", { class: "muted" }, [d.outlet, d.published, d.lang, d.format, d.path].filter(Boolean).join(" · "),
      d.url ? [" · ", el("span", {}, d.url)] : ""),
    el("div", { class: "cols" }, text, panel),
  ]);
  if (hasFocus) {
    const f = text.querySelector(".focus");
    if (f) f.scrollIntoView({ block: "center" });
  }
}

// ---------- routing ----------

async function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").map((p) => { try { return decodeURIComponent(p); } catch (_) { return ""; } });
  const [view, a, b, c] = parts;
  try {
    if (view === "search" && a) await viewSearch(a);
    else if (view === "entity" && a) await viewEntity(a);
    else if (view === "timeline") await viewTimeline(a || "");
    else if (view === "map") await viewMap(a || "");
    else if (view === "doc" && a) await viewDocument(a, Number(b), Number(c));
    else viewHome();
  } catch (e) {
    clear(main());
    main().appendChild(errorBox(e));
  }
  document.body.setAttribute("data-view", view || "home");
}

document.addEventListener("DOMContentLoaded", () => {
  on(document.getElementById("search"), "submit", (ev) => {
    ev.preventDefault();
    const q = document.getElementById("q").value.trim();
    if (q) location.hash = "#/search/" + enc(q);
  });
  window.addEventListener("hashchange", route);
  route();
});
