// `cartsim serve` end to end: the server starts on a free port of 127.0.0.1; headless Chromium
// (Debian's chromium, driven by puppeteer-core) opens the page, which loads with no console errors;
// moving a slider with the keyboard re-runs the lesson and changes the plotted curves; typing an
// impossible value shows the loader's message and leaves the charts as they were; choosing a lesson
// with arms draws one curve per arm. Over HTTP: every slider's ends run (200) with every plotted
// column present, an unknown lesson is 404, a key that is not a slider or a value that is not a number
// is 400. Prints the median latency of a slider move (server run and the page's round trip).
// Environment (set by CTest): CARTSIM, SOURCE_DIR.
import {spawn} from "node:child_process";
import puppeteer from "puppeteer-core";
import {check, finish, launch} from "./lib.mjs";

const server = spawn(process.env.CARTSIM, ["serve", "--port", "0"], {stdio: ["ignore", "pipe", "pipe"]});
let stderr = "";
server.stderr.on("data", d => { stderr += d; });
const url = await new Promise((resolve, reject) => {
  let out = "";
  const timer = setTimeout(() => reject(new Error(`no address from cartsim serve: ${out} ${stderr}`)), 15000);
  server.stdout.on("data", d => {
    out += d;
    const m = out.match(/http:\/\/[0-9.]+:[0-9]+\//);
    if (m) { clearTimeout(timer); resolve(m[0]); }
  });
  server.on("exit", code => reject(new Error(`cartsim serve exited (${code}): ${stderr}`)));
});
check("the server listens on 127.0.0.1 by default", url.startsWith("http://127.0.0.1:"), url);

const get = async (path) => {
  const r = await fetch(url + path);
  return {status: r.status, body: await r.json()};
};
const lessons = (await get("api/lessons")).body;
check("five lessons, each with text, sliders and plotted columns",
      lessons.length === 5 && lessons.every(l => l.text.length > 50 && l.sliders.length >= 2 && l.plot.length >= 2),
      JSON.stringify(lessons.map(l => l.name)));
for (const lesson of lessons) {
  for (const s of lesson.sliders) {
    check(`${lesson.name}: ${s.path} starts inside its slider (${s.value} in ${s.min}-${s.max})`,
          s.value !== null && s.value >= s.min && s.value <= s.max);
    for (const end of [s.min, s.max]) {
      const r = await get(`api/run?lesson=${lesson.name}&${encodeURIComponent(s.path)}=${end}`);
      const complete = r.status === 200 && r.body.arms.length === Math.max(1, lesson.arms.length) &&
        r.body.arms.every(a => lesson.plot.every(c => Array.isArray(a.series[c]) && a.series[c].length > 10));
      check(`${lesson.name}: ${s.path} = ${end} runs and returns every plotted column`, complete,
            `${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
  }
}
const unknown = await get("api/run?lesson=no-such-lesson");
check("an unknown lesson is 404", unknown.status === 404 && /no lesson/.test(unknown.body.error));
const notSlider = await get(`api/run?lesson=${lessons[0].name}&horizon_days=100000`);
check("a key that is not a slider is 400", notSlider.status === 400 && /not a slider/.test(notSlider.body.error));
const notNumber = await get(`api/run?lesson=${lessons[0].name}&${encodeURIComponent(lessons[0].sliders[0].path)}=lots`);
check("a value that is not a number is 400", notNumber.status === 400 && /not a number/.test(notNumber.body.error));

const browser = await launch(puppeteer);
try {
  const page = await browser.newPage();
  await page.setViewport({width: 1300, height: 1000});
  const problems = [];
  page.on("console", m => { if (m.type() === "error" && !/status of 400/.test(m.text())) problems.push(m.text()); });
  page.on("pageerror", e => problems.push(e.message));
  await page.goto(url, {waitUntil: "load"});
  await page.waitForFunction(() => document.body.dataset.runs === "1", {timeout: 20000});
  const lesson = lessons[0];
  const charts = await page.$$eval("canvas", cs => cs.length);
  check(`the page shows lesson 1 with ${lesson.plot.length} charts`, charts === lesson.plot.length, `${charts}`);
  const curve = (k) => page.evaluate(i => JSON.stringify(Chart.getChart(document.querySelectorAll("canvas")[i]).data.datasets.map(d => d.data)), k);
  const beforeCurve = await curve(1);  // tumour_bcma_neg_cells
  const beforeOutcome = await page.$eval("#outcomes", t => t.textContent);

  // Move the BCMA-negative share to its lowest value with the keyboard, as a student would.
  const slider = `#slider-${CSS_ESCAPE(lesson.sliders[0].path)}`;
  await page.focus(slider);
  await page.keyboard.press("Home");
  await page.waitForFunction(() => document.body.dataset.runs === "2", {timeout: 20000});
  const afterCurve = await curve(1);
  const afterOutcome = await page.$eval("#outcomes", t => t.textContent);
  const boxValue = await page.$eval(`#value-${CSS_ESCAPE(lesson.sliders[0].path)}`, b => Number(b.value));
  check("moving the slider sets its value box to the slider's end", Math.abs(boxValue - lesson.sliders[0].min) < 1e-15, `${boxValue}`);
  check("moving the slider re-runs the lesson and changes the curve", beforeCurve !== afterCurve);
  check("and the outcome table", beforeOutcome !== afterOutcome, `${beforeOutcome} -> ${afterOutcome}`);

  // An impossible dose, typed into its value box.
  const dose = lesson.sliders.find(s => s.path.endsWith("dose_cells"));
  const box = `#value-${CSS_ESCAPE(dose.path)}`;
  await page.click(box, {clickCount: 3});
  await page.keyboard.type("-5");
  await page.keyboard.press("Enter");
  await page.$eval(box, b => b.blur());
  await page.waitForFunction(() => document.body.dataset.errors === "1", {timeout: 20000});
  const error = await page.$eval("#error", e => ({hidden: e.hidden, text: e.textContent}));
  check("an impossible value shows the loader's message", !error.hidden && /dose_cells=-5: -5 is out of range: must be >= 0/.test(error.text), error.text);
  check("and leaves the charts as they were", (await curve(1)) === afterCurve);

  // Latency: ten more slider moves, each waited for.
  const times = [], serverTimes = [];
  await page.click(box, {clickCount: 3});
  await page.keyboard.type(String(450e6));
  await page.keyboard.press("Enter");
  await page.$eval(box, b => b.blur());
  await page.waitForFunction(() => document.body.dataset.runs === "3", {timeout: 20000});
  for (let i = 0; i < 10; i++) {
    await page.focus(slider);
    await page.keyboard.press("PageUp");
    await page.waitForFunction(n => document.body.dataset.runs === String(n), {timeout: 20000}, 4 + i);
    times.push(Number(await page.evaluate(() => document.body.dataset.lastMs)));
    serverTimes.push(Number((await page.$eval("#status", s => s.textContent)).match(/ran in ([0-9.e+-]+) ms/)[1]));
  }
  const median = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(`latency of a slider move (lesson 1, ${times.length} moves): median ${median(times).toFixed(1)} ms ` +
              `to the page, of which ${median(serverTimes).toFixed(1)} ms running in the server`);

  // A lesson with arms.
  const withArms = lessons.find(l => l.arms.length >= 3);
  await page.select("#lesson-choice", withArms.name);
  await page.waitForFunction(n => document.querySelectorAll("#outcomes tr").length === n, {timeout: 20000}, withArms.arms.length);
  const curves = await page.evaluate(() => Chart.getChart(document.querySelector("canvas")).data.datasets.length);
  check(`choosing ${withArms.name} draws one curve per arm`, curves === withArms.arms.length, `${curves}`);
  const shot = await page.screenshot({encoding: "base64"});
  check("the page's screenshot is taken", shot.length > 10000);
  check("no console errors on the page", problems.length === 0, problems.join("; "));
} finally {
  await browser.close();
  server.kill("SIGINT");
}
finish();

function CSS_ESCAPE(text) {  // an id with [ ] . for a CSS selector
  return text.replace(/([\[\].\-+])/g, "\\$1");
}
