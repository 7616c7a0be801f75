// patentq dashboard: fetches figures from the JSON API and SVG charts rendered by the report
// module; computes nothing itself. No libraries, no external requests.
"use strict";

const $ = (id) => document.getElementById(id);
const CONTROLS = ["landscape", "by", "counting", "years", "year-basis", "top", "replicates"];
const CI_KEYS = {share: "share_ci", quality_adjusted_share: "qa_share_ci"};
// [key, kind]: n = count, p = percentage, pp = percentage points, f = decimal, r = rank, s = rank shift
const COLUMNS = [
  ["group", null], ["families", "n"], ["share", "p"], ["rank", "r"], ["quality_adjusted_families", "n"],
  ["quality_adjusted_share", "p"], ["quality_adjusted_rank", "r"], ["rank_shift", "s"],
  ["number_over_quality_gap", "pp"], ["share_filed_abroad", "p"], ["share_ip5", "p"], ["share_triadic", "p"],
  ["grant_rate", "p"], ["mean_fwd_cits_5_rel", "f"], ["mean_quality_index_4", "f"], ["mean_claims", "f"],
];
let generation = 0; // answers to an older request are dropped

function fmt(v, kind) {
  if (v === null || v === undefined || (typeof v === "number" && !isFinite(v))) return "–";
  switch (kind) {
    case "p": return (100 * v).toFixed(1) + "%";
    case "pp": return (v >= 0 ? "+" : "") + (100 * v).toFixed(1);
    case "n": return Number.isInteger(v) ? v.toLocaleString("en") : v.toLocaleString("en", {maximumFractionDigits: 1});
    case "f": return v.toFixed(2);
    case "s": return v > 0 ? "+" + v : String(v);
    default: return String(v);
  }
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
    const tr = el("tr");
    for (const [key, kind] of COLUMNS) {
      const td = el("td", fmt(row[key], kind));
      if (kind === "s" && row[key]) td.className = row[key] > 0 ? "up" : "down";
      const ci = row[CI_KEYS[key] || key + "_ci"];
      if (ci && (kind === "p" || kind === "f")) td.append(el("small", `[${fmt(ci[0], kind)}, ${fmt(ci[1], kind)}]`));
      tr.append(td);
    }
    body.append(tr);
  }
  if (!rows.length) body.append(el("tr")).append(el("td", "No groups."));
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
  if (chart) box.prepend(el("p", chart.getAttribute("aria-label"), "caption"));
}

async function refresh() {
  const mine = ++generation;
  const q = query();
  history.replaceState(null, "", "?" + q);
  $("json-link").href = "/api/compare?" + q;
  $("csv-link").href = "/api/export/comparison.csv?" + q;
  $("status").textContent = "Computing…";
  showError(null);
  try {
    const [data, info] = await Promise.all([getJSON("/api/compare?" + q), getJSON("/api/lake")]);
    if (mine !== generation) return;
    renderTable(data.rows);
    renderProvenance(data.conventions, info);
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
    fact(dl, "forward citations (5 y)", f.fwd_cits_5);
    fact(dl, "top 10% of cohort", f.top10_cohort);
    fact(dl, "quality index 4", f.quality_index_4);
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
    $("family-json").textContent = JSON.stringify(f, null, 2);
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
    $("landscape").value = wanted.has("landscape") ? wanted.get("landscape")
      : (lands.landscapes.length ? lands.landscapes[0].name : "");
    $("years").value = wanted.get("years") || d.years;
    $("top").value = wanted.get("top") || d.top;
    $("replicates").value = wanted.get("replicates") || d.replicates;
  } catch (err) {
    showError(err);
    return;
  }
  $("controls").addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  for (const name of ["landscape", "by", "counting", "year-basis"]) $(name).addEventListener("change", refresh);
  $("family-form").addEventListener("submit", lookUpFamily);
  refresh();
}

document.addEventListener("DOMContentLoaded", start);
