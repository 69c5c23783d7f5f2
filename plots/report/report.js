// The page of `cartsim report` (src/cli/report_command.cpp inlines this file, Chart.js and the data):
// a run's summary and time series; a study's summary, Kaplan-Meier curves with numbers at risk,
// swimmer, waterfall and relapse types; a replicate run's outcomes; a validation table with its misses.
// Charts draw without animation; `document.body.dataset.ready` is "1" once everything is drawn.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("cartsim-data").textContent);
  const root = document.getElementById("report");
  const DAYS_PER_MONTH = 30.4375;
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                   "#bcbd22", "#17becf"];
  const responseColour = {sCR: "#08519c", CR: "#3182bd", VGPR: "#6baed6", PR: "#9ecae1", MR: "#fdae6b",
                          SD: "#fd8d3c", PD: "#d62728"};

  // ---- helpers ----
  function parseCsv(text) {
    const rows = [];
    let row = [], cell = "", quoted = false;
    for (let i = 0; i < (text || "").length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
        else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { row.push(cell); cell = ""; }
      else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; }
      else if (c !== "\r") cell += c;
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    const columns = rows.shift() || [];
    return {columns, rows: rows.map(r => Object.fromEntries(columns.map((c, k) => [c, r[k] ?? ""])))};
  }
  const num = v => (v === "" || v === undefined || v === null ? NaN : Number(v));
  const fmt = v => (typeof v !== "number" || !isFinite(v) ? "–" : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-2)
    ? v.toExponential(2) : String(Number(v.toPrecision(3))));
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  function section(title, note) {
    const s = el("section", {}, el("h2", {}, title));
    if (note) s.append(el("p", {class: "note"}, note));
    root.append(s);
    return s;
  }
  function table(headers, rows, rowClass) {
    const t = el("table", {}, el("thead", {}, el("tr", {}, ...headers.map(h => el("th", {}, h)))));
    const body = el("tbody");
    rows.forEach((r, i) => body.append(el("tr", rowClass ? {class: rowClass(i)} : {}, ...r.map(c => el("td", {}, c)))));
    t.append(body);
    return t;
  }
  function chart(parent, config, caption) {
    const canvas = el("canvas", {"aria-label": caption, role: "img"});
    parent.append(el("figure", {class: "chart"}, canvas, el("figcaption", {}, caption)));
    config.options = Object.assign({animation: false, responsive: true, maintainAspectRatio: false}, config.options);
    return new Chart(canvas, config);
  }
  const estimate = e => (e && typeof e === "object" ? `${fmt(e.value)} (${fmt(e.ci_low)}–${fmt(e.ci_high)})` : fmt(e));
  const percent = e => (e && typeof e === "object"
    ? `${fmt(100 * e.value)}% (${fmt(100 * e.ci_low)}–${fmt(100 * e.ci_high)})` : "–");
  const toMonths = d => (d === null || d === undefined ? NaN : d / DAYS_PER_MONTH);
  const months = e => (e && typeof e === "object"
    ? (e.value === null ? "not reached" : estimate({value: toMonths(e.value), ci_low: toMonths(e.ci_low), ci_high: toMonths(e.ci_high)}))
    : "–");
  const logAxis = title => ({type: "logarithmic", title: {display: true, text: title}});
  const positive = v => (v > 0 ? v : null);

  function header() {
    const titles = {run: "Single run", replicates: "Replicate runs", study: "Study", validation: "Validation"};
    const name = (data.summary && (data.summary.study || data.summary.scenario)) || data.folder.split("/").pop();
    root.append(el("h1", {}, `${titles[data.kind]}: ${name}`));
    const m = data.manifest || {};
    root.append(el("p", {class: "note"}, `Folder ${data.folder}; written by cartsim ${m.cartsim_version || ""} ` +
      `${m.git_commit ? "(" + m.git_commit + ")" : ""}${m.scenario_file ? " from " + m.scenario_file : ""}; ` +
      `report by cartsim ${data.cartsim}.`));
  }

  // ---- a single run ----
  function runPage() {
    const s = data.summary || {};
    const keys = ["best_response", "mrd_negative", "progression_day", "relapse_type", "death_day", "death_cause",
                  "cart_peak_blood_cells_per_ul", "cart_peak_day", "crs_grade", "crs_onset_day"];
    section("Summary").append(table(["endpoint", "value"], keys.filter(k => k in s).map(k => [k,
      typeof s[k] === "number" ? fmt(s[k]) : s[k] === null ? "none" : String(s[k])])));
    const ts = parseCsv(data.files["timeseries.csv"]);
    const t = ts.rows.map(r => num(r.time_day));
    const series = (column, axis, colour, hidden) => ({label: column, yAxisID: axis, borderColor: colour,
      backgroundColor: colour, pointRadius: 0, borderWidth: 1.5, hidden,
      data: ts.rows.map((r, i) => ({x: t[i], y: positive(num(r[column]))}))});
    const cart = ts.columns.filter(c => c.endsWith("_blood_cells_per_ul"));
    const tumour = ts.columns.filter(c => c.startsWith("tumour_") && c.endsWith("_cells"));
    const s1 = section("Tumour and CAR-T", "Click a legend entry to show or hide it; cells on the left axis, " +
      "CAR-T in blood (cells/µL) on the right.");
    chart(s1, {type: "line", data: {datasets: [
      ...tumour.map((c, k) => series(c, "cells", palette[k % palette.length], k > 0 && c !== "tumour_total_cells")),
      ...cart.map((c, k) => series(c, "blood", palette[(k + 5) % palette.length], false))]},
      options: {parsing: false, scales: {x: {type: "linear", title: {display: true, text: "day"}},
        cells: Object.assign(logAxis("tumour cells"), {position: "left"}),
        blood: Object.assign(logAxis("CAR-T in blood (cells/µL)"), {position: "right", grid: {drawOnChartArea: false}})}}},
      "Tumour cells by clone and CAR-T in blood");
    const s2 = section("Any variable", "Every column of timeseries.csv; units are in the names.");
    const select = el("select", {id: "variable"}, ...ts.columns.slice(1).map(c => el("option", {value: c}, c)));
    select.value = ts.columns.includes("mprotein_g_per_dl") ? "mprotein_g_per_dl" : ts.columns[1];
    s2.append(el("label", {}, "variable ", select));
    const variable = chart(s2, {type: "line", data: {datasets: [series(select.value, "y", palette[0], false)]},
      options: {parsing: false, scales: {x: {type: "linear", title: {display: true, text: "day"}}, y: {type: "linear"}}}},
      "The chosen variable over time");
    select.addEventListener("change", () => {
      variable.data.datasets = [series(select.value, "y", palette[0], false)];
      variable.update();
    });
    if (s.events && s.events.length)
      section("Events").append(table(["day", "event"], s.events.map(e => [fmt(e.day), e.event || JSON.stringify(e)])));
  }

  // ---- a study ----
  function kmCharts(groupColumn) {
    const km = parseCsv(data.files["km.csv"]);
    const column = km.columns[0];  // km.csv names its groups (arms or sweep points) in its first column
    const endpoints = [...new Set(km.rows.map(r => r.endpoint))];
    for (const endpoint of endpoints) {
      const rows = km.rows.filter(r => r.endpoint === endpoint);
      const groups = [...new Set(rows.map(r => r[column]))];
      const s = section(`Kaplan-Meier: ${endpoint.toUpperCase()}`, "Step curves with the numbers at risk below.");
      chart(s, {type: "line", data: {datasets: groups.map((g, k) => ({label: g, stepped: "after", pointRadius: 0,
        borderWidth: 2, borderColor: palette[k % palette.length], backgroundColor: palette[k % palette.length],
        data: rows.filter(r => r[column] === g).map(r => ({x: num(r.time_days) / DAYS_PER_MONTH, y: num(r.survival)}))}))},
        options: {parsing: false, scales: {x: {type: "linear", title: {display: true, text: "months"}},
          y: {min: 0, max: 1, title: {display: true, text: "share without event"}}}}}, `${endpoint} by ${groupColumn}`);
      const last = Math.max(...rows.map(r => num(r.time_days))) / DAYS_PER_MONTH;
      const ticks = [];
      for (let m = 0; m <= last; m += last > 36 ? 12 : 6) ticks.push(m);
      s.append(el("h3", {}, "Numbers at risk"), table([groupColumn, ...ticks.map(m => `${m} mo`)], groups.map(g => {
        const own = rows.filter(r => r[column] === g);
        return [g, ...ticks.map(m => {
          const before = own.filter(r => num(r.time_days) / DAYS_PER_MONTH <= m);
          return before.length ? before[before.length - 1].at_risk : own[0].at_risk;
        })];
      })));
    }
  }

  function studyPage() {
    const s = data.summary || {};
    const groups = s.arms || s.points || {};
    const groupColumn = s.points ? "point" : "arm";
    const patients = parseCsv(data.files["patients.csv"]).rows;
    // Groups in the study's order (km.csv lists them so; patients.csv follows the threads), not
    // summary.json's alphabetical order.
    const km = data.files["km.csv"] ? parseCsv(data.files["km.csv"]) : {columns: [], rows: []};
    const names = [...new Set([...km.rows.map(r => r[km.columns[0]]), ...patients.map(p => p[groupColumn]),
                               ...Object.keys(groups)])].filter(g => g in groups);
    section("Summary", `${s.kind || "study"}: ${s.patients} patients per ${groupColumn}, ${s.runs} runs, ` +
      `${s.errors} errors; intervals are ${100 * (s.confidence_level || 0.95)}% confidence intervals.`).append(
      table([groupColumn, "n", "ORR", "≥CR", "MRD-negative", "median PFS (months)", "median OS (months)"],
        names.map(g => [g, groups[g]]).map(([g, a]) => [g, a.n, percent(a.orr), percent(a.cr_or_better),
          percent(a.mrd_negative), months(a.median_pfs_days), months(a.median_os_days)])));
    if (s.comparisons && s.comparisons.length)
      section("Comparisons").append(table(["arm", "reference", "endpoint", "hazard ratio (95% CI)", "log-rank p"],
        s.comparisons.map(c => [c.arm, c.reference_arm, c.endpoint, estimate(c.hazard_ratio), fmt(c.logrank_p)])));
    if (data.files["km.csv"]) kmCharts(groupColumn);
    const colourOf = g => palette[Math.max(0, names.indexOf(g)) % palette.length];

    const perGroup = Math.max(1, Math.floor(40 / Math.max(1, names.length)));
    const swim = names.flatMap(g => patients.filter(p => p[groupColumn] === g).slice(0, perGroup));
    const sw = section("Swimmer", `The first ${perGroup} patients of each ${groupColumn}: a bar to death or the end ` +
      "of follow-up, a mark at progression.");
    chart(sw, {type: "bar", data: {labels: swim.map(p => `${p[groupColumn]} #${p.patient}`), datasets: [
      {type: "bar", label: "follow-up (months)", data: swim.map(p => [0, num(p.os_days) / DAYS_PER_MONTH]),
       backgroundColor: swim.map(p => colourOf(p[groupColumn]))},
      {type: "scatter", label: "progression", pointStyle: "triangle", pointRadius: 5, backgroundColor: "#000",
       data: swim.map((p, i) => ({x: num(p.progression_day) / DAYS_PER_MONTH, y: i})).filter(d => isFinite(d.x))}]},
      options: {indexAxis: "y", maintainAspectRatio: false,
        scales: {x: {type: "linear", title: {display: true, text: "months"}}, y: {type: "category", ticks: {autoSkip: false, font: {size: 9}}}}}},
      "Swimmer plot");
    sw.querySelector("figure").style.height = `${120 + 14 * swim.length}px`;

    const wf = section("Waterfall", "Best change of M-protein from baseline per patient, coloured by best response.");
    for (const g of names.slice(0, 6)) {
      const own = patients.filter(p => p[groupColumn] === g && isFinite(num(p.best_mprotein_change_percent)))
        .sort((a, b) => num(b.best_mprotein_change_percent) - num(a.best_mprotein_change_percent));
      if (!own.length) continue;
      chart(wf, {type: "bar", data: {labels: own.map(p => p.patient), datasets: [{label: "best M-protein change (%)",
        data: own.map(p => Math.max(-100, Math.min(100, num(p.best_mprotein_change_percent)))),
        backgroundColor: own.map(p => responseColour[p.best_response] || "#999")}]},
        options: {plugins: {legend: {display: false}}, scales: {x: {ticks: {display: false}, title: {display: true, text: "patients"}},
          y: {min: -100, max: 100, title: {display: true, text: "% change"}}}}}, `Waterfall: ${g}`);
    }

    const types = [...new Set(Object.values(groups).flatMap(a => Object.keys(a.relapse_types || {})))];
    if (types.length)
      chart(section("Relapse types", "Counts per type of relapse (none: no progression)."), {type: "bar", data: {
        labels: names, datasets: types.map((t, k) => ({label: t, backgroundColor: palette[k % palette.length],
          data: names.map(g => ((groups[g].relapse_types || {})[t] || {}).count || 0)}))},
        options: {scales: {x: {stacked: true}, y: {stacked: true, title: {display: true, text: "patients"}}}}}, "Relapse types");
  }

  // ---- replicates ----
  function replicatesPage() {
    const rows = parseCsv(data.files["replicates.csv"]).rows;
    const column = rows.length && "outcome" in rows[0] ? "outcome" : Object.keys(rows[0] || {})[1];
    const counts = {};
    for (const r of rows) counts[r[column]] = (counts[r[column]] || 0) + 1;
    const s = section("Outcomes", `${rows.length} replicates (seeds).`);
    s.append(table(["outcome", "replicates", "share"], Object.entries(counts).map(([k, v]) => [k, v, fmt(v / rows.length)])));
    chart(s, {type: "bar", data: {labels: Object.keys(counts), datasets: [{label: "replicates",
      data: Object.values(counts), backgroundColor: palette[0]}]}}, "Outcome counts");
  }

  // ---- validation ----
  function validationPage() {
    const rows = parseCsv(data.files["validation.csv"]).rows;
    const miss = r => r.inside === "false";
    const statuses = [...new Set(rows.map(r => r.status))];
    const s = section("Validation", "Each target with its band and the model's value; a target outside its band is " +
      "highlighted. Only counted targets (not assumed bands or input checks) enter the counts.");
    chart(s, {type: "bar", data: {labels: statuses, datasets: [
      {label: "inside", backgroundColor: "#2ca02c", data: statuses.map(st => rows.filter(r => r.status === st && r.counted === "true" && !miss(r)).length)},
      {label: "outside", backgroundColor: "#d62728", data: statuses.map(st => rows.filter(r => r.status === st && r.counted === "true" && miss(r)).length)}]},
      options: {scales: {x: {stacked: true}, y: {stacked: true, title: {display: true, text: "counted targets"}}}}},
      "Counted targets inside and outside their bands, by status");
    s.append(table(["status", "quantity", "trial", "clinical", "band", "model (95% CI)", "inside", "note"],
      rows.map(r => [r.status, r.quantity, r.trial, fmt(num(r.clinical_value)), `${fmt(num(r.band_low))}–${fmt(num(r.band_high))}`,
        `${fmt(num(r.model_value))} (${fmt(num(r.model_ci_low))}–${fmt(num(r.model_ci_high))})`, r.inside, r.note || ""]),
      i => (miss(rows[i]) ? "miss" : rows[i].counted === "true" ? "inside" : "uncounted")));
  }

  header();
  ({run: runPage, study: studyPage, replicates: replicatesPage, validation: validationPage})[data.kind]();
  document.body.dataset.ready = "1";
})();
