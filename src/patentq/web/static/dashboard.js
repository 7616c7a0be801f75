// patentq dashboard: fetches figures from the JSON API and SVG charts rendered by the report
// module; computes nothing itself. No libraries, no external requests.
"use strict";

const $ = (id) => document.getElementById(id);
const CONTROLS = ["landscape", "by", "counting", "years", "year-basis", "top", "replicates", "window", "min-families",
  "unknown"];
const CI_KEYS = {share: "share_ci", quality_adjusted_share: "qa_share_ci"};
// [key, kind]: n = count, p = percentage, pp = percentage points, f = decimal, r = rank, s = rank shift
const COLUMNS = [
  ["group", null], ["families", "n"], ["share", "p"], ["rank", "r"], ["share_matched", "p"],
  ["quality_adjusted_families", "n"], ["quality_adjusted_share", "p"], ["quality_adjusted_rank", "r"],
  ["rank_shift", "s"], ["number_over_quality_gap", "pp"], ["top1_families", "n"], ["rta", "f"],
  ["share_filed_abroad", "p"], ["share_ip5", "p"], ["share_triadic", "p"],
  ["grant_rate", "p"], ["mean_fwd_cits_5_rel", "f"], ["mean_quality_index_4", "f"], ["mean_claims", "f"],
];
const CI_KINDS = new Set(["p", "f", "pp", "r", "s"]);
let generation = 0; // answers to an older request are dropped

function fmt(v, kind) {
  if (v === null || v === undefined || (typeof v === "number" && !isFinite(v))) return "–";
  switch (kind) {
    case "p": return (100 * v).toFixed(1) + "%";
    case "pp": return (v >= 0 ? "+" : "") + (100 * v).toFixed(1);
    case "n": return Number.isInteger(v) ? v.toLocaleString("en") : v.toLocaleString("en", {maximumFractionDigits: 1});
    case "f": return v.toFixed(2);
    case "f3": return v.toFixed(3);
    case "r": return String(Math.round(v));
    case "s": return v > 0 ? "+" + Math.round(v) : String(Math.round(v));
    case "b": return v ? "yes" : "no";
    default:
      if (typeof v === "boolean") return v ? "yes" : "no";
      if (typeof v === "number" && !Number.isInteger(v)) return v.toLocaleString("en", {maximumFractionDigits: 3});
      if (Array.isArray(v)) return v.map((x) => fmt(x)).join(", ");
      if (typeof v === "object") return JSON.stringify(v);
      return String(v);
  }
}

// progress for anything over a second: a bar and the seconds waited
let busySince = null;
let busyTimer = null;
function busy(on, what) {
  clearInterval(busyTimer);
  $("progress").hidden = true;
  if (!on) { busySince = null; return; }
  busySince = performance.now();
  $("status").textContent = what + "…";
  busyTimer = setInterval(() => {
    const s = (performance.now() - busySince) / 1000;
    if (s >= 1) {
      $("progress").hidden = false;
      $("status").textContent = `${what}… ${s.toFixed(0)} s (uncached: the server computes the bootstrap; the answer is then cached)`;
    }
  }, 250);
}

async function getJSON(url) {
  const response = await fetch(url, {headers: {Accept: "application/json"}});
  const data = await response.json();
  if (!response.ok) throw Object.assign(new Error(data.error || response.statusText), {hint: data.hint});
  return data;
}

async function getText(url) {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) {
    let data = {};
    try { data = JSON.parse(text); } catch (e) { /* not JSON */ }
    throw Object.assign(new Error(data.error || response.statusText), {hint: data.hint});
  }
  return text;
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function showError(err) {
  $("error").hidden = !err;
  $("error-text").textContent = err ? err.message : "";
  $("error-hint").textContent = err && err.hint ? "hint: " + err.hint : "";
}

function query() {
  const params = new URLSearchParams();
  for (const name of CONTROLS) params.set(name, $(name).value.trim());
  return params.toString();
}

function fillSelect(select, values, current) {
  for (const v of values) select.append(new Option(v, v, false, v === current));
}

function renderTable(rows) {
  const body = document.querySelector("#compare-table tbody");
  body.replaceChildren();
  for (const row of rows) {
    const tr = el("tr", null, row.ranked === false ? "unranked" : "");
    tr.dataset.group = String(row.group);
    tr.title = "show the families of " + row.group;
    for (const [key, kind] of COLUMNS) {
      const td = el("td", fmt(row[key], kind));
      // a rank shift is coloured only when its interval excludes 0 (a finding, not noise)
      const ci = row[CI_KEYS[key] || key + "_ci"];
      if (kind === "s" && row[key] && (!ci || ci[0] > 0 || ci[1] < 0)) td.className = row[key] > 0 ? "up" : "down";
      if (ci && CI_KINDS.has(kind)) td.append(el("small", `[${fmt(ci[0], kind)}, ${fmt(ci[1], kind)}]`));
      tr.append(td);
    }
    tr.addEventListener("click", () => drillDown(String(row.group), tr));
    body.append(tr);
  }
  if (!rows.length) body.append(el("tr")).append(el("td", "No groups."));
}

function renderWindowNote(conv) {
  const sets = conv.family_sets || {};
  const count = sets.count || {}, quality = sets.quality || {};
  if (!quality.families) {
    $("window-note").textContent = noQualityReason(conv);
  } else if (sets.window === "matched") {
    $("window-note").textContent = `Matched families: the gap, rank shift and scatter set the count share over the ` +
      `${quality.families.toLocaleString("en")} families with a complete 5-year citation window ` +
      `(${quality.years.join("–")}) against quality over the same families; families, share and rank count all ` +
      `${count.families.toLocaleString("en")}.`;
  } else {
    $("window-note").textContent = `Window all: the gap sets the share of all ${count.families.toLocaleString("en")} ` +
      `families against quality over the ${quality.families.toLocaleString("en")} with a complete window.`;
  }
}

// why there is no quality-adjusted comparison: the lake profile's measure status and reason
function noQualityReason(conv) {
  const m = (conv.measures || {}).share_top10_cohort || {};
  if (m.status === "absent") {
    return "No quality-adjusted comparison: the cohort measures (top 10% by 5-year forward citations) are not " +
      `measurable on this lake: ${m.reason || "their inputs are not in the data"}. The charts set count against reach instead.`;
  }
  return "No family has a complete 5-year citation window" +
    (conv.data_end_date ? ` by the data end date ${conv.data_end_date}` : "") +
    ": no quality-adjusted comparison; the charts set count against reach instead.";
}

// the title, or "" when the data put the publication number in its place (Lens: "CN 103225552 B")
function knownTitle(f) {
  const title = (f.title || "").trim();
  const squash = (s) => String(s || "").toUpperCase().replace(/[^0-9A-Z]/g, "");
  const number = squash(f.publication_number);
  if (title && number && (squash(title) === number || number.startsWith(squash(title)))) return "";
  return title;
}

function renderConcentration(c) {
  if (!c || c.hhi === null || c.hhi === undefined) { $("concentration").textContent = ""; return; }
  const ci = (k, kind) => c[k + "_ci"] ? ` [${fmt(c[k + "_ci"][0], kind)}, ${fmt(c[k + "_ci"][1], kind)}]` : "";
  $("concentration").textContent = `Concentration over ${c.groups} known groups (fractional counts, UNKNOWN excluded): ` +
    `HHI ${c.hhi.toFixed(3)}${ci("hhi", "f3")}, CR4 ${fmt(c.cr4, "p")}${ci("cr4", "p")}, ` +
    `top-${c.top_k} ${fmt(c.top_k_share, "p")}${ci("top_k_share", "p")}.`;
}

async function drillDown(group, tr) {
  document.querySelectorAll("#compare-table tr.selected").forEach((r) => r.classList.remove("selected"));
  if (tr) tr.classList.add("selected");
  $("drill").hidden = false;
  $("drill-group").textContent = group;
  $("drill-note").textContent = "Loading…";
  const body = document.querySelector("#drill-table tbody");
  body.replaceChildren();
  try {
    const data = await getJSON("/api/families?" + query() + "&group=" + encodeURIComponent(group));
    $("drill-measure").textContent = data.sorted_by;
    $("drill-note").textContent = `${data.families.length} families with the highest ${data.sorted_by} ` +
      `(the active quality measure)` + (data.conventions.synthetic ? "; no links: the lake is synthetic." : ".");
    for (const f of data.families) {
      const row = el("tr");
      const cells = [f.position, f.publication_number || f.family_id, knownTitle(f).slice(0, 90), f.year,
                     fmt(f[data.sorted_by], "f"), fmt(f.top10_cohort, "b"), (f.offices || []).join(", ")];
      cells.forEach((v, i) => row.append(el("td", v === null || v === undefined ? "–" : String(v),
                                            i === 2 ? "title" : "")));
      const links = el("td");
      for (const [name, url] of Object.entries(f.links || {})) {
        const a = el("a", name.split("_")[0]);
        a.href = url;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        links.append(a, " ");
      }
      if (!f.links) links.textContent = "–";
      row.append(links);
      body.append(row);
    }
    $("drill").scrollIntoView({block: "nearest"});
  } catch (err) {
    $("drill-note").textContent = err.message + (err.hint ? " (hint: " + err.hint + ")" : "");
  }
}

function renderProvenance(conv, info) {
  const d = conv.landscape_definition;
  $("definition").textContent = d
    ? `landscape ${d.definition} version ${d.version} (definition hash ${String(d.definition_hash).slice(0, 12)})`
    : "all families in the lake (no landscape)";
  const years = conv.years ? conv.years.join("–") : "all";
  $("conventions").textContent = `Grouped by ${conv.by}, ${conv.counting} counting, ${conv.year_basis} years ${years}, ` +
    `unit ${conv.unit} family, top ${conv.top || "all"}; ${conv.replicates} bootstrap replicates (seed ${conv.seed}). ` +
    `QA = quality-adjusted: ${conv.quality_adjusted_count}. Lake manifest ${conv.lake_manifest_hash}.`;
  $("synthetic").hidden = !(info.synthetic || conv.synthetic);
}

function renderSensitivity(sens) {
  const head = document.querySelector("#sensitivity-table thead");
  const body = document.querySelector("#sensitivity-table tbody");
  head.replaceChildren();
  body.replaceChildren();
  const tr = el("tr");
  tr.append(el("th", "group"));
  for (const v of sens.variants) tr.append(el("th", v.variant));
  head.append(tr);
  for (const g of sens.groups) {
    const row = el("tr");
    row.append(el("td", String(g)));
    for (const v of sens.variants) {
      const td = el("td", v.available ? fmt(v.ranks[g], "r") : "–");
      if (v.available) td.append(el("small", fmt(v.families[g], "n") + " fam."));
      row.append(td);
    }
    body.append(row);
  }
  const tau = el("tr");
  tau.append(el("th", "Kendall's tau"));
  for (const v of sens.variants) {
    tau.append(el("td", v.kendall_tau !== null && v.kendall_tau !== undefined ? v.kendall_tau.toFixed(2) : (v.note || "–")));
  }
  body.append(tau);
}

function putChart(box, svg) {
  box.innerHTML = svg; // SVG written by patentq.report.charts (labels escaped there)
  const chart = box.querySelector("svg");
  if (!chart) return;
  if (chart.classList.contains("empty")) {  // nothing to draw: one line saying why, not an empty frame
    const why = chart.querySelector("text") ? chart.querySelector("text").textContent : "no data";
    box.replaceChildren(el("p", `${chart.getAttribute("aria-label")}: ${why}.`, "note absent"));
    box.classList.add("absent");
    return;
  }
  box.prepend(el("p", chart.getAttribute("aria-label"), "caption"));
}

async function refresh() {
  const mine = ++generation;
  const q = query();
  history.replaceState(null, "", "?" + q);
  $("json-link").href = "/api/compare?" + q;
  $("csv-link").href = "/api/export/comparison.csv?" + q;
  busy(true, "Computing");
  showError(null);
  $("drill").hidden = true;
  try {
    const [data, info] = await Promise.all([getJSON("/api/compare?" + q), getJSON("/api/lake")]);
    if (mine !== generation) return;
    busy(false);
    renderTable(data.rows);
    renderProvenance(data.conventions, info);
    renderWindowNote(data.conventions);
    renderConcentration(data.concentration);
    $("notes").replaceChildren(...data.notes.map((n) => el("li", n)));
    const boxes = [...document.querySelectorAll("#main-charts .chart-box")];
    const svgs = await Promise.all(boxes.map((b) => getText(`/api/chart/${b.dataset.chart}?` + q)));
    if (mine !== generation) return;
    boxes.forEach((b, i) => putChart(b, svgs[i]));
    const names = (await getJSON("/api/charts?" + q)).charts;
    const extra = names.filter((n) => !boxes.some((b) => b.dataset.chart === n));
    const extraSvgs = await Promise.all(extra.map((n) => getText(`/api/chart/${encodeURIComponent(n)}?` + q)));
    if (mine !== generation) return;
    $("breakdowns").replaceChildren(...extra.map((n, i) => {
      const box = el("div", null, "chart-box");
      box.dataset.chart = n;
      putChart(box, extraSvgs[i]);
      return box;
    }));
    $("status").textContent = `${data.totals.families.toLocaleString("en")} families compared; ${data.rows.length} groups shown.`;
    const sens = await getJSON("/api/sensitivity?" + q);
    if (mine !== generation) return;
    renderSensitivity(sens.sensitivity);
  } catch (err) {
    if (mine !== generation) return;
    busy(false);
    $("status").textContent = "";
    showError(err);
  }
}

function fact(dl, name, value) {
  dl.append(el("dt", name), el("dd", value === null || value === undefined ? "–" : String(value)));
}

async function lookUpFamily(event) {
  event.preventDefault();
  const number = $("family-number").value.trim();
  if (!number) return;
  $("family-error").hidden = true;
  try {
    const f = await getJSON("/api/family/" + encodeURIComponent(number));
    const dl = $("family-facts");
    dl.replaceChildren();
    fact(dl, "family", f.family_id);
    fact(dl, "offices", (f.offices || []).join(", "));
    fact(dl, "first published", f.first_publication_date);
    fact(dl, "priority", `${f.priority_date || "–"} (${f.priority_office || "–"})`);
    fact(dl, "granted", f.granted);
    fact(dl, "inventor countries", (f.inventor_countries || []).join(", "));
    fact(dl, "applicant groups", (f.applicant_groups || []).map((g) => g.group_name).join("; "));
    if (f.fwd_cits_5 === null && f.fwd_cits_total !== null && f.fwd_cits_total !== undefined) {
      // no windowed count (no citation lists): the lifetime count, saying where it comes from
      const source = {reported: "reported by the source", computed: "computed from the lake's citations"}[
        f.fwd_cits_source] || "source unknown";
      fact(dl, "forward citations (lifetime)", `${f.fwd_cits_total} (${source}; no 5-year count)`);
    } else {
      fact(dl, "forward citations (5 y)", f.fwd_cits_5);
    }
    fact(dl, "top 10% of cohort", fmt(f.top10_cohort));
    fact(dl, "quality index 4", fmt(f.quality_index_4, "f"));
    fact(dl, "cohort", f.cohort ? `${f.cohort.priority_year} × ${f.cohort.field_name || f.cohort.field}` : null);
    const body = document.querySelector("#family-members tbody");
    body.replaceChildren();
    for (const m of f.members_list || []) {
      const tr = el("tr");
      for (const v of [m.publication_number, m.country_code, m.kind_code, m.publication_date, m.is_grant, m.claims_count]) {
        tr.append(el("td", v === null || v === undefined ? "–" : String(v)));
      }
      body.append(tr);
    }
    const skip = new Set(["query", "members_list", "applicant_groups", "attribution", "cohort", "family_id"]);
    const ind = document.querySelector("#family-indicators tbody");
    ind.replaceChildren();
    for (const [k, v] of Object.entries(f)) {
      if (skip.has(k)) continue;
      const tr = el("tr");
      tr.append(el("td", k.replaceAll("_", " ")), el("td", fmt(v)));
      ind.append(tr);
    }
    $("family-result").hidden = false;
  } catch (err) {
    $("family-result").hidden = true;
    $("family-error").textContent = err.message + (err.hint ? " (hint: " + err.hint + ")" : "");
    $("family-error").hidden = false;
  }
}

async function start() {
  try {
    const [info, options, lands] = await Promise.all([getJSON("/api/lake"), getJSON("/api/options"), getJSON("/api/landscapes")]);
    $("lake-path").textContent = info.lake;
    $("lake-hash").textContent = info.manifest_hash;
    $("lake-schema").textContent = info.schema_version;
    $("lake-version").textContent = info.patentq_version || "–";
    $("lake-families").textContent = Number(info.families).toLocaleString("en");
    $("synthetic").hidden = !info.synthetic;
    const wanted = new URLSearchParams(location.search);
    const d = options.defaults;
    for (const l of lands.landscapes) $("landscape").append(new Option(`${l.name} (${l.families} families)`, l.name));
    fillSelect($("by"), options.by, wanted.get("by") || d.by);
    fillSelect($("counting"), options.counting, wanted.get("counting") || d.counting);
    fillSelect($("year-basis"), options["year-basis"], wanted.get("year-basis") || d["year-basis"]);
    fillSelect($("window"), options.window, wanted.get("window") || d.window);
    fillSelect($("unknown"), options.unknown, wanted.get("unknown") || d.unknown);
    $("min-families").value = wanted.get("min-families") || d["min-families"];
    $("landscape").value = wanted.has("landscape") ? wanted.get("landscape") : "";  // all families first
    $("years").value = wanted.get("years") || d.years;
    $("top").value = wanted.get("top") || d.top;
    $("replicates").value = wanted.get("replicates") || d.replicates;
  } catch (err) {
    showError(err);
    return;
  }
  $("controls").addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  for (const name of ["landscape", "by", "counting", "year-basis", "window", "unknown"]) {
    $(name).addEventListener("change", refresh);
  }
  $("family-form").addEventListener("submit", lookUpFamily);
  refresh();
}

document.addEventListener("DOMContentLoaded", start);
