// racesim serve: the page's script. Plain JavaScript, no library, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  kind: null,        // "scenario" or "record"
  name: null,        // file name in its folder
  original: "",      // the scenario's text as served
  info: null,        // the form's fields as the server describes them
  variants: [],
};

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

async function getJSON(url, opts) {
  const r = await fetch(url, opts);
  let body = null;
  try { body = await r.json(); } catch (_) { body = null; }
  return { ok: r.ok, status: r.status, body };
}

function fmtTime(s) {
  if (s === null || s === undefined || !isFinite(s)) return "–";
  const m = Math.floor(s / 60), r = s - 60 * m;
  return m > 0 ? `${m}:${r.toFixed(2).padStart(5, "0")}` : r.toFixed(2);
}
const pct = (p) => (p === null || p === undefined || !isFinite(p)) ? "–" : (100 * p).toFixed(1);

// ---------------------------------------------------------------- choosing a race

async function loadSources() {
  const [sc, rc] = await Promise.all([getJSON("/api/scenarios"), getJSON("/api/records")]);
  const sel = $("source");
  sel.innerHTML = "";
  sel.append(el("option", { value: "", text: "— choose a scenario or a real race —" }));
  const g1 = el("optgroup", { label: "Scenarios" });
  for (const s of (sc.body && sc.body.scenarios) || []) {
    g1.append(el("option", { value: "scenario:" + s.name, text: (s.title || s.name) + " (" + s.name + ")" }));
  }
  const g2 = el("optgroup", { label: "Real races (built from pre-race information)" });
  for (const s of (rc.body && rc.body.records) || []) {
    g2.append(el("option", { value: "record:" + s.name, text: s.title || s.name }));
  }
  sel.append(g1, g2);
}

async function choose(value) {
  $("results").hidden = true;
  const i = value.indexOf(":");
  if (i < 0) { $("form").hidden = true; return; }
  state.kind = value.slice(0, i);
  state.name = value.slice(i + 1);
  $("toml-error").hidden = true;
  // a real race comes as a scenario too (`racesim scenario from-record`): edited and run alike
  const url = state.kind === "scenario"
    ? "/api/scenarios/" + encodeURIComponent(state.name)
    : "/api/records/" + encodeURIComponent(state.name) + "/toml";
  const r = await fetch(url);
  if (!r.ok) { let e = null; try { e = (await r.json()).error; } catch (_) { /* not JSON */ } showError(e || { message: "HTTP " + r.status }); return; }
  state.original = await r.text();
  $("toml").value = state.original;
  syncGutter();
  $("source-note").textContent = state.kind === "record"
    ? "Built from what was known before the gun (the entrants' marks, the pacers' plan), as validate builds it: the scenario below says which marks, sources and assumptions."
    : "";
  $("form").hidden = false;
  await validate();
}

// ---------------------------------------------------------------- the form

function tacticSelect(tactics, value) {
  const s = el("select", {});
  s.append(el("option", { value: "", text: "default" }));
  for (const t of tactics) s.append(el("option", { value: t, text: t }));
  s.value = value || "";
  return s;
}

function markChanged(input, original) {
  const td = input.parentElement;
  const same = String(input.value) === String(original === null || original === undefined ? "" : original);
  td.classList.toggle("changed", !same);
}

function buildForm(info) {
  const keep = currentForm();
  state.info = info;
  const tb = $("runners").tBodies[0];
  tb.innerHTML = "";
  for (const r of info.runners) {
    const tactic = tacticSelect(info.tactics, r.tactic);
    tactic.dataset.runner = r.name; tactic.dataset.field = "tactic";
    const kick = el("input", { type: "number", min: "1", step: "10", placeholder: "default" });
    kick.dataset.runner = r.name; kick.dataset.field = "kick_m";
    if (r.kick_m !== null && r.kick_m !== undefined) kick.value = r.kick_m;
    const kept = keep.runner[r.name] || {};
    if (kept.tactic !== undefined) tactic.value = kept.tactic;
    if (kept.kick_m !== undefined) kick.value = kept.kick_m;
    const row = el("tr", {}, el("td", { text: r.name }), el("td", {}, tactic), el("td", {}, kick));
    tactic.addEventListener("change", () => markChanged(tactic, r.tactic));
    kick.addEventListener("input", () => markChanged(kick, r.kick_m));
    tb.append(row);
    markChanged(tactic, r.tactic); markChanged(kick, r.kick_m);
  }
  const pb = $("pacers").tBodies[0];
  pb.innerHTML = "";
  $("pacers-box").hidden = info.pacers.length === 0;
  for (const p of info.pacers) {
    const kept = keep.pacer[p.name] || {};
    let paceCell;
    if (p.pace_key) {
      const pace = el("input", { type: "text", size: "8", value: p.pace || "" });
      pace.dataset.pacer = p.name; pace.dataset.field = p.pace_key;
      if (kept[p.pace_key] !== undefined) pace.value = kept[p.pace_key];
      pace.addEventListener("input", () => markChanged(pace, p.pace));
      paceCell = el("td", {}, el("span", { class: "note", text: p.pace_key === "lap" ? "lap " : "finish " }), pace);
      setTimeout(() => markChanged(pace, p.pace));
    } else {
      paceCell = el("td", { class: "note", text: "the plan's splits" });
    }
    const drop = el("input", { type: "number", min: "1", step: "50", value: p.drop_out_m });
    drop.dataset.pacer = p.name; drop.dataset.field = "drop_out_m";
    if (kept.drop_out_m !== undefined) drop.value = kept.drop_out_m;
    drop.addEventListener("input", () => markChanged(drop, p.drop_out_m));
    pb.append(el("tr", {}, el("td", { text: p.name }), paceCell, el("td", {}, drop)));
    markChanged(drop, p.drop_out_m);
  }
  if (info.runs && !$("runs").dataset.touched) $("runs").value = Math.min(info.runs, 20000);
  if (info.seed !== null && info.seed !== undefined && !$("seed").dataset.touched) $("seed").value = info.seed;
  state.variants = ["base"].concat((info.variants || []).map((v) => v.name)).concat(["form"]);
  for (const [id, def] of [["var-a", "base"], ["var-b", "form"]]) {
    const s = $(id), old = s.value;
    s.innerHTML = "";
    for (const v of state.variants) s.append(el("option", { value: v, text: v === "form" ? "the form's settings" : v === "base" ? "as written (base)" : v }));
    s.value = state.variants.includes(old) ? old : def;
  }
}

// The form's changes against the race as written: only what differs is sent.
function currentForm() {
  const form = { runner: {}, pacer: {} };
  if (!state.info) return form;
  for (const r of state.info.runners) {
    for (const f of ["tactic", "kick_m"]) {
      const input = document.querySelector(`[data-runner="${CSS.escape(r.name)}"][data-field="${f}"]`);
      if (!input || !input.parentElement.classList.contains("changed")) continue;
      if (input.value === "") continue;
      (form.runner[r.name] = form.runner[r.name] || {})[f] = f === "kick_m" ? Number(input.value) : input.value;
    }
  }
  for (const p of state.info.pacers) {
    for (const f of ["drop_out_m", "lap", "target"]) {
      const input = document.querySelector(`[data-pacer="${CSS.escape(p.name)}"][data-field="${f}"]`);
      if (!input || !input.parentElement.classList.contains("changed") || input.value === "") continue;
      (form.pacer[p.name] = form.pacer[p.name] || {})[f] = f === "drop_out_m" ? Number(input.value) : input.value;
    }
  }
  return form;
}

// ---------------------------------------------------------------- the TOML editor

function syncGutter(badLine) {
  const n = $("toml").value.split("\n").length;
  const g = $("gutter");
  g.innerHTML = "";
  for (let i = 1; i <= n; i++) {
    g.append(i === badLine ? el("span", { class: "bad", text: String(i) }) : String(i), "\n");
  }
  g.scrollTop = $("toml").scrollTop;
}

function showError(err, where) {
  const box = $("toml-error");
  if (!err) { box.hidden = true; syncGutter(); return; }
  const at = [err.line ? "line " + err.line : null, err.field || null].filter(Boolean).join(", ");
  box.textContent = (where ? where + ": " : "") + (at ? at + ": " : "") + err.message;
  box.hidden = false;
  syncGutter(err.line || undefined);
  if (err.line) {
    $("toml-box").open = true;
    const t = $("toml"), lines = t.value.split("\n");
    const start = lines.slice(0, err.line - 1).join("\n").length + (err.line > 1 ? 1 : 0);
    t.scrollTop = Math.max(0, (err.line - 4) * 18.2);
    $("gutter").scrollTop = t.scrollTop;
    t.dataset.errorStart = start;
    t.dataset.errorEnd = start + (lines[err.line - 1] || "").length;
  }
}

let validateTimer = null;
async function validate() {
  const r = await getJSON("/api/validate", {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ toml: $("toml").value, name: state.name }),
  });
  if (r.ok) { showError(null); buildForm(r.body); return true; }
  showError(r.body && r.body.error ? r.body.error : { message: "HTTP " + r.status });
  return false;
}

// ---------------------------------------------------------------- running

function request() {
  const req = { runs: Number($("runs").value), seed: Number($("seed").value), form: currentForm() };
  req.scenario = state.kind === "record" ? state.name.replace(/\.json$/, ".toml") : state.name;
  req.toml = $("toml").value;
  if ($("compare").checked) req.variants = [$("var-a").value, $("var-b").value];
  else {
    const t = $("targets").value.split(/[,\s]+/).filter((x) => x !== "");
    if (t.length) req.targets = t;
  }
  return req;
}

function permalink(req) {
  const q = new URLSearchParams();
  q.set(state.kind, state.name);
  q.set("runs", req.runs); q.set("seed", req.seed);
  const f = req.form;
  if (Object.keys(f.runner).length || Object.keys(f.pacer).length) q.set("form", JSON.stringify(f));
  if (req.variants) q.set("compare", req.variants.join(","));
  if (req.targets) q.set("targets", req.targets.join(","));
  q.set("run", "1");
  const a = $("permalink");
  a.href = location.pathname + "?" + q.toString();
  $("permalink-note").textContent = $("toml").value !== state.original
    ? "(the scenario text was edited by hand: the link carries the form's changes, not the edits)" : "";
}

async function run() {
  const btn = $("run");
  if (!(await validate())) return;
  const req = request();
  btn.disabled = true;
  $("status").textContent = "starting…";
  const bar = $("progress");
  bar.hidden = false; bar.value = 0;
  const r = await getJSON("/api/jobs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(req) });
  if (!r.ok) {
    btn.disabled = false; bar.hidden = true; $("status").textContent = "";
    showError(r.body && r.body.error ? r.body.error : { message: "HTTP " + r.status }, r.status === 429 ? "busy" : "");
    return;
  }
  showError(null);
  const es = new EventSource(r.body.events);
  const onProgress = (e) => {
    const p = JSON.parse(e.data);
    bar.max = p.total; bar.value = p.done;
    $("status").textContent = p.state === "queued" ? "waiting for the worker…" : `${p.done} / ${p.total} races`;
  };
  es.addEventListener("progress", onProgress);
  es.addEventListener("failed", (e) => {
    es.close(); btn.disabled = false; bar.hidden = true; $("status").textContent = "";
    const p = JSON.parse(e.data);
    showError(p.error && p.error.error ? p.error.error : { message: "the job failed" }, "run");
  });
  es.addEventListener("done", async (e) => {
    es.close();
    onProgress(e);
    const res = await getJSON(r.body.result);
    btn.disabled = false; bar.hidden = true;
    if (!res.ok) { showError(res.body && res.body.error, "run"); $("status").textContent = ""; return; }
    $("status").textContent = "done";
    permalink(req);
    show(res.body);
  });
  es.onerror = () => { /* the server closes the stream after the last event */ };
}

// ---------------------------------------------------------------- results

function cell(text, cls) { return el("td", { class: cls || "", text }); }
function head(cols) { return el("thead", {}, el("tr", {}, ...cols.map(([t, c]) => el("th", { class: c || "", text: t })))); }

function show(res) {
  $("results").hidden = false;
  const t = $("result-table"); t.innerHTML = "";
  const plain = $("plain"); plain.innerHTML = "";
  if (res.kind === "run") {
    const s = res.summary;
    $("result-title").textContent = `${s.scenario}${s.variant ? " (" + s.variant + ")" : ""} — ${s.runs} races, seed ${s.seed}`;
    const targets = s.targets || [];
    t.append(head([["runner"], ["tactic", "wide"], ["kick (m)", "num wide"], ["win %", "num"], ["podium %", "num"], ["median", "num"], ["p10–p90", "num wide"]]
      .concat(targets.map((tg) => ["< " + fmtTime(tg.time_s) + " %", "num target"]))));
    const tb = el("tbody");
    s.runners.forEach((r, i) => {
      const row = el("tr", {}, cell(r.name), cell(r.tactic.kind, "wide"), cell(String(Math.round(r.tactic.kick_m)), "num wide"), cell(pct(r.p_win.p), "num"), cell(pct(r.p_podium.p), "num"),
        cell(fmtTime(r.time_q.p50), "num"), cell(fmtTime(r.time_q.p10) + "–" + fmtTime(r.time_q.p90), "num wide"));
      for (const tg of targets) {
        const p = tg.p_beat[i];
        const td = cell(pct(p.p), "num target");
        td.title = "±" + (100 * p.se).toFixed(1) + " (Monte Carlo standard error)";
        row.append(td);
      }
      tb.append(row);
    });
    t.append(tb);
    if (targets.length) plain.append(el("li", { text: "“< time %”: each runner's chance of finishing faster than that time (hover for its Monte Carlo error)." }));
    for (const a of res.assumptions || []) plain.append(el("li", { text: "Assumed: " + a }));
  } else {
    const c = res.compare;
    const [a, b] = [c.variants[0].label, c.variants[1].label];
    $("result-title").textContent = `${c.scenario} — ${b} against ${a}, ${c.races} races each on common random numbers, seed ${c.seed}`;
    // each measure: the two variants (a → b), then the paired difference b − a [95 % interval];
    // on a phone only the differences (the variants' values are in the words below)
    t.append(head([["runner"], [`win % ${a} → ${b}`, "num wide"], ["Δ win (pts)", "num diff"],
      [`podium % ${a} → ${b}`, "num wide"], ["Δ podium (pts)", "num diff"], [`median ${a} → ${b}`, "num wide"], ["Δ time (s)", "num diff"]]));
    const tb = el("tbody");
    const signed = (v, d) => (v > 0 ? "+" : v < 0 ? "−" : "") + Math.abs(v).toFixed(d);
    // green when the change is better for the runner: more wins and podiums, a shorter time
    const diffCell = (e, d, lowerIsBetter) => {
      const td = el("td", { class: "num diff" }, el("b", { text: signed(e.value, d) }), " ", el("span", { class: "ci", text: `[${signed(e.lo, d)}, ${signed(e.hi, d)}]` }));
      if (e.lo > 0 || e.hi < 0) td.classList.add((e.value > 0) !== Boolean(lowerIsBetter) ? "pos" : "neg");
      return td;
    };
    for (const r of c.runners) {
      const va = r.variants.find((v) => v.variant === a), vb = r.variants.find((v) => v.variant === b);
      const d = r.differences[0];
      const g = (v, k, f) => v ? f(v[k].value) : "–";
      const pair = (k, f) => cell(g(va, k, f) + " → " + g(vb, k, f), "num wide");
      const one = (x) => x.toFixed(1);
      tb.append(el("tr", {}, cell(r.name),
        pair("win_pct", one), d ? diffCell(d.win_pts, 1) : cell("–", "num diff"),
        pair("podium_pct", one), d ? diffCell(d.podium_pts, 1) : cell("–", "num diff"),
        pair("median_s", fmtTime), d ? diffCell(d.time_s, 2, true) : cell("–", "num diff")));
      for (const p of r.plain) plain.append(el("li", { text: p }));
    }
    t.append(tb);
  }
  const charts = $("charts"); charts.innerHTML = "";
  for (const ch of res.charts) {
    const fig = el("figure", { "data-stem": ch.stem }, el("figcaption", { text: ch.heading }));
    // drawn by this server's chart code: the wide drawing, and the narrow one (legend below)
    // that the style sheet shows on a phone instead
    const box = el("div", { class: "wide" });
    box.innerHTML = ch.svg;
    fig.append(box);
    if (ch.svg_narrow) {
      const small = el("div", { class: "narrow" });
      small.innerHTML = ch.svg_narrow;
      fig.append(small);
      fig.classList.add("two");
    }
    charts.append(fig);
  }
}

// ---------------------------------------------------------------- start

async function fromQuery() {
  const q = new URLSearchParams(location.search);
  const kind = q.has("scenario") ? "scenario" : q.has("record") ? "record" : null;
  if (!kind) return;
  const value = kind + ":" + q.get(kind);
  $("source").value = value;
  if ($("source").value !== value) return;
  if (q.has("runs")) { $("runs").value = q.get("runs"); $("runs").dataset.touched = "1"; }
  if (q.has("seed")) { $("seed").value = q.get("seed"); $("seed").dataset.touched = "1"; }
  await choose(value);
  if (q.has("form")) {
    try {
      const f = JSON.parse(q.get("form"));
      for (const [name, fields] of Object.entries(f.runner || {})) {
        for (const [k, v] of Object.entries(fields)) setField("runner", name, k, v);
      }
      for (const [name, fields] of Object.entries(f.pacer || {})) {
        for (const [k, v] of Object.entries(fields)) setField("pacer", name, k, v);
      }
    } catch (_) { /* a damaged link: the form as written */ }
  }
  if (q.has("targets")) $("targets").value = q.get("targets");
  if (q.has("compare")) {
    const [a, b] = q.get("compare").split(",");
    $("compare").checked = true; $("compare-pick").hidden = false;
    $("var-a").value = a; $("var-b").value = b;
  }
  if (q.get("run") === "1") run();
}

function setField(who, name, field, value) {
  const input = document.querySelector(`[data-${who}="${CSS.escape(name)}"][data-field="${field}"]`);
  if (!input) return;
  input.value = value;
  input.dispatchEvent(new Event(input.tagName === "SELECT" ? "change" : "input"));
}

document.addEventListener("DOMContentLoaded", async () => {
  $("source").addEventListener("change", (e) => choose(e.target.value));
  $("run").addEventListener("click", run);
  $("compare").addEventListener("change", (e) => { $("compare-pick").hidden = !e.target.checked; });
  for (const id of ["runs", "seed"]) $(id).addEventListener("input", () => { $(id).dataset.touched = "1"; });
  const t = $("toml");
  t.addEventListener("scroll", () => { $("gutter").scrollTop = t.scrollTop; });
  t.addEventListener("input", () => {
    syncGutter();
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validate, 500);
  });
  await loadSources();
  await fromQuery();
});
