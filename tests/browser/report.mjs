// `cartsim report` in headless Chromium (Debian's chromium, driven by puppeteer-core): for a run, a
// replicate run, a trial, a sweep and a validation folder the page loads from a file with no console errors and
// no request beyond the file itself; every chart has drawn data (its canvas changes when its datasets
// are hidden); a screenshot of the whole page is not blank; the validation table highlights exactly the
// misses of validation.csv; the run page's variable chooser redraws its chart. "Drawn" counts canvas
// pixels in the datasets' own colours with the datasets shown, against the same chart with them hidden.
// Environment (set by CTest): CARTSIM, SOURCE_DIR, CHROMIUM (default /usr/bin/chromium).
import {execFileSync} from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";
import {check, finish, launch, paintedPixels, parseCsv} from "./lib.mjs";

const cartsim = process.env.CARTSIM;
const source = process.env.SOURCE_DIR;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cartsim-report-"));
const run = (...args) => {
  try {
    execFileSync(cartsim, args, {cwd: source, stdio: ["ignore", "ignore", "pipe"]});
  } catch (e) {
    if (!(args[0] === "validate" && e.status === 1)) throw e;  // a calibrated miss at a small size is exit 1
  }
};

run("run", "scenarios/examples/antigen-escape.yaml", "-o", `${tmp}/run`, "-q", "--set", "horizon_days=400");
run("run", "scenarios/examples/antigen-escape.yaml", "-o", `${tmp}/replicates`, "-q", "--replicates", "12",
    "--set", "horizon_days=200", "--set", "hybrid.enabled=false");
run("run", "scenarios/studies/sequencing-cart-vs-bispecific.yaml", "-o", `${tmp}/study`, "-q", "--set", "cohort.size=12",
    "--set", "horizon_days=700");
run("run", "scenarios/studies/escape-sweep.yaml", "-o", `${tmp}/sweep`, "-q", "--set", "cohort.size=3",
    "--set", "horizon_days=300", "--threads", "1");
run("validate", "scenarios/validation/karmma.yaml", "-o", `${tmp}/validation`, "-q", "--size", "24");

const browser = await launch(puppeteer);
try {
  for (const kind of ["run", "replicates", "study", "sweep", "validation"]) {
    const html = `${tmp}/${kind}.html`;
    run("report", `${tmp}/${kind}`, "-o", html);
    const page = await browser.newPage();
    await page.setViewport({width: 1200, height: 900});
    const problems = [];
    page.on("console", m => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on("pageerror", e => problems.push(`page error: ${e.message}`));
    await page.setRequestInterception(true);
    page.on("request", r => {
      if (r.url() === `file://${html}`) r.continue();
      else { problems.push(`request: ${r.url()}`); r.abort(); }
    });
    await page.goto(`file://${html}`, {waitUntil: "load"});
    await page.waitForSelector("body[data-ready='1']", {timeout: 10000});
    check(`${kind}: the page loads with no console errors and no network request`, problems.length === 0, problems.join("; "));

    const charts = await page.evaluate(() => [...document.querySelectorAll("canvas")].map(c => {
      const chart = Chart.getChart(c);
      const points = chart.data.datasets.reduce((n, d) => n + d.data.filter(v => v !== null && v !== undefined).length, 0);
      return {label: c.getAttribute("aria-label"), points};
    }));
    const expected = {run: 2, replicates: 1, study: 5, sweep: 5, validation: 1}[kind];
    check(`${kind}: at least ${expected} charts`, charts.length >= expected, `${charts.length}`);
    for (let i = 0; i < charts.length; i++) {
      const drawn = await page.evaluate(async (index) => {
        const canvas = document.querySelectorAll("canvas")[index];
        canvas.scrollIntoView();
        const chart = Chart.getChart(canvas);
        // Pixels in the datasets' own colours: axes, grid and text do not count.
        const hex = c => (typeof c === "string" && /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(c)
          ? (c.length === 4 ? [...c.slice(1)].map(d => parseInt(d + d, 16)) : [1, 3, 5].map(k => parseInt(c.slice(k, k + 2), 16)))
          : null);
        const colours = chart.data.datasets.flatMap(d => [d.borderColor, d.backgroundColor].flat()).map(hex).filter(Boolean);
        const count = () => {
          const {data} = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
          let n = 0;
          for (let p = 0; p < data.length; p += 4)
            if (data[p + 3] > 0 && colours.some(([r, g, b]) => Math.abs(data[p] - r) + Math.abs(data[p + 1] - g) + Math.abs(data[p + 2] - b) < 40)) n++;
          return n;
        };
        const shown = count();
        chart.data.datasets.forEach((_, k) => chart.setDatasetVisibility(k, false));
        chart.update();
        const hidden = count();
        chart.data.datasets.forEach((_, k) => chart.setDatasetVisibility(k, true));
        chart.update();
        return {shown, hidden};
      }, i);
      check(`${kind}: chart "${charts[i].label}" has ${charts[i].points} data points and draws them`,
            charts[i].points > 0 && drawn.shown - drawn.hidden > 30, JSON.stringify(drawn));
    }

    // The whole page in one viewport (a full-page capture resizes the viewport, and charts caught
    // mid-redraw came out blank), after the charts have redrawn at that size.
    const height = await page.evaluate(() => Math.min(document.documentElement.scrollHeight, 12000));
    await page.setViewport({width: 1200, height});
    await page.evaluate(() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))));
    const shot = await page.screenshot({encoding: "base64"});
    console.log(`     ${kind}: ${height} px tall`);
    fs.writeFileSync(`${tmp}/${kind}.png`, Buffer.from(shot, "base64"));
    const pixels = await paintedPixels(browser, shot);
    console.log(`     ${kind}: ${pixels.nonWhite} of ${pixels.total} pixels not white, ${pixels.colours} colours`);
    check(`${kind}: the screenshot is not blank`, pixels.nonWhite > 0.02 * pixels.total && pixels.colours >= 8,
          JSON.stringify(pixels));

    if (kind === "validation") {
      const misses = parseCsv(fs.readFileSync(`${tmp}/validation/validation.csv`, "utf8")).filter(r => r.inside === "false");
      const highlighted = await page.$$eval("tr.miss", rows => rows.map(r => r.children[1].textContent));
      check("validation: exactly the rows outside their bands in validation.csv are highlighted",
            misses.length > 0 && JSON.stringify(highlighted) === JSON.stringify(misses.map(r => r.quantity)),
            `${highlighted.length} highlighted, ${misses.length} misses`);
    }
    if (kind === "run") {
      const before = await page.evaluate(() => Chart.getChart(document.querySelectorAll("canvas")[1]).data.datasets[0].label);
      await page.select("#variable", "inflammation_index");
      const after = await page.evaluate(() => Chart.getChart(document.querySelectorAll("canvas")[1]).data.datasets[0].label);
      check("run: choosing a variable redraws the chart with it", before !== after && after === "inflammation_index",
            `${before} -> ${after}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`screenshots in ${tmp}`);
finish();
