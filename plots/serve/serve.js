// The page of `cartsim serve` (src/cli/serve_command.cpp inlines it with Chart.js): a lesson chooser,
// the lesson's text, a slider and a number box per parameter it names, and one chart per plotted
// column with a curve per arm. Every change re-runs the lesson in the server (GET /api/run); a value
// the loader refuses shows its message in the error box and leaves the charts as they were.
// `document.body.dataset.runs` counts the runs drawn, `dataset.errors` the refusals shown.
"use strict";
(function () {
  const app = document.getElementById("app");
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
  let lessons = [], lesson = null, charts = [], pending = null, generation = 0;
  document.body.dataset.runs = "0";
  document.body.dataset.errors = "0";

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  const fmt = v => (v === null || v === undefined ? "none" : typeof v !== "number" ? String(v)
    : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-2) ? v.toExponential(2) : String(Number(v.toPrecision(3))));
  // A slider runs over 0..1000; on a log scale it moves the value's logarithm.
  const toValue = (s, pos) => (s.log_scale ? Math.exp(Math.log(s.min) + (Math.log(s.max) - Math.log(s.min)) * pos / 1000)
    : s.min + (s.max - s.min) * pos / 1000);
  const toPosition = (s, v) => Math.round(1000 * (s.log_scale ? (Math.log(v) - Math.log(s.min)) / (Math.log(s.max) - Math.log(s.min))
    : (v - s.min) / (s.max - s.min)));
  const shortValue = v => Number(v.toPrecision(4));

  function showError(message) {
    const box = document.getElementById("error");
    box.textContent = message;
    box.hidden = !message;
    if (message) document.body.dataset.errors = String(Number(document.body.dataset.errors) + 1);
  }

  function request() {
    const query = new URLSearchParams({lesson: lesson.name});
    for (const s of lesson.sliders) query.append(s.path, document.getElementById(`value-${s.path}`).value);
    const mine = ++generation;
    document.getElementById("status").textContent = "running…";
    const started = performance.now();
    fetch(`/api/run?${query}`).then(r => r.json().then(body => ({ok: r.ok, body}))).then(({ok, body}) => {
      if (mine !== generation) return;  // a newer request is on its way
      if (!ok) {
        showError(body.error || "the server refused the request");
        document.getElementById("status").textContent = "refused";
        return;
      }
      showError("");
      draw(body);
      const ms = performance.now() - started;
      document.getElementById("status").textContent =
        `ran in ${fmt(body.milliseconds)} ms in the server, ${fmt(ms)} ms to this page`;
      document.body.dataset.lastMs = String(ms);
      document.body.dataset.runs = String(Number(document.body.dataset.runs) + 1);
    }).catch(e => showError(`no answer from the server: ${e}`));
  }
  function schedule() {  // at most one request per 150 ms while a slider is dragged
    clearTimeout(pending);
    pending = setTimeout(request, 150);
  }

  function draw(result) {
    result.plot.forEach((column, k) => {
      const chart = charts[k];
      chart.data.datasets = result.arms.map((arm, a) => ({
        label: arm.name, borderColor: palette[a % palette.length], backgroundColor: palette[a % palette.length],
        pointRadius: 0, borderWidth: 1.5,
        data: (arm.series[column] || []).map((y, i) => ({x: arm.series.time_day[i], y: y > 0 ? y : null}))}));
      chart.update();
    });
    const rows = result.arms.map(a => el("tr", {}, el("td", {}, a.name), el("td", {}, fmt(a.summary.best_response)),
      el("td", {}, fmt(a.summary.progression_day)), el("td", {}, fmt(a.summary.relapse_type)),
      el("td", {}, fmt(a.summary.cart_peak_blood_cells_per_ul))));
    document.getElementById("outcomes").replaceChildren(...rows);
  }

  function open(name) {
    lesson = lessons.find(l => l.name === name);
    charts.forEach(c => c.destroy());
    charts = [];
    const body = document.getElementById("lesson");
    body.replaceChildren(el("h2", {}, lesson.title), el("p", {class: "text"}, lesson.text));
    const controls = el("div", {class: "controls"});
    for (const s of lesson.sliders) {
      const value = s.value === null ? s.min : s.value;
      const slider = el("input", {type: "range", min: "0", max: "1000", step: "1", id: `slider-${s.path}`,
                                  value: String(toPosition(s, value)), "aria-label": s.label});
      const box = el("input", {type: "number", id: `value-${s.path}`, value: String(shortValue(value)), step: "any",
                               "aria-label": `${s.label} (value)`});
      slider.addEventListener("input", () => { box.value = String(shortValue(toValue(s, Number(slider.value)))); schedule(); });
      box.addEventListener("change", () => {
        const v = Number(box.value);
        if (isFinite(v) && v >= s.min && v <= s.max) slider.value = String(toPosition(s, v));
        request();  // any value goes to the server; the loader decides
      });
      controls.append(el("div", {class: "slider"}, el("label", {for: `slider-${s.path}`}, `${s.label} (${s.unit})`),
        slider, box, el("code", {}, s.path)));
    }
    body.append(controls, el("p", {id: "status", class: "note"}, ""));
    body.append(el("table", {}, el("thead", {}, el("tr", {}, ...["arm", "best response", "progression day",
      "relapse type", "CAR-T peak (cells/µL)"].map(h => el("th", {}, h)))), el("tbody", {id: "outcomes"})));
    const grid = el("div", {class: "charts"});
    body.append(grid);
    for (const column of lesson.plot) {
      const canvas = el("canvas", {"aria-label": column, role: "img"});
      grid.append(el("figure", {class: "chart"}, canvas, el("figcaption", {}, column)));
      charts.push(new Chart(canvas, {type: "line", data: {datasets: []}, options: {animation: false, parsing: false,
        responsive: true, maintainAspectRatio: false,
        scales: {x: {type: "linear", title: {display: true, text: "day"}}, y: {type: "logarithmic", title: {display: true, text: column}}}}}));
    }
    request();
  }

  app.append(el("h1", {}, "cartsim lessons"),
    el("p", {class: "note"}, "Move a slider or type a value: the lesson runs again in the server and the charts follow."));
  const chooser = el("select", {id: "lesson-choice", "aria-label": "lesson"});
  app.append(el("label", {}, "lesson ", chooser), el("div", {id: "error", class: "error", role: "alert", hidden: ""}),
             el("div", {id: "lesson"}));
  fetch("/api/lessons").then(r => r.json()).then(list => {
    lessons = list;
    for (const l of list) chooser.append(el("option", {value: l.name}, l.title));
    chooser.addEventListener("change", () => open(chooser.value));
    open(list[0].name);
  }).catch(e => showError(`cannot list the lessons: ${e}`));
})();
