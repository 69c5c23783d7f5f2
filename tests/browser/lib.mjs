// Shared by the browser tests: counted checks, launching Debian's chromium, a screenshot's pixels, CSV.
let passed = 0, failed = 0;

export function check(description, ok, detail = "") {
  if (ok) { passed++; console.log(`ok   - ${description}`); }
  else { failed++; console.log(`FAIL - ${description}${detail ? `: ${detail}` : ""}`); }
}

export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

export function launch(puppeteer) {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
  });
}

/// Decodes a PNG screenshot (base64) in a blank page: how many pixels are not white, and how many
/// distinct colours (coarsened to 4 bits per channel) it has.
export async function paintedPixels(browser, base64) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (src) => {
      const image = new Image();
      image.src = src;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d");
      context.drawImage(image, 0, 0);
      const {data} = context.getImageData(0, 0, canvas.width, canvas.height);
      let nonWhite = 0;
      const colours = new Set();
      for (let p = 0; p < data.length; p += 4) {
        if (data[p] < 245 || data[p + 1] < 245 || data[p + 2] < 245) nonWhite++;
        colours.add(((data[p] >> 4) << 8) | ((data[p + 1] >> 4) << 4) | (data[p + 2] >> 4));
      }
      return {total: canvas.width * canvas.height, nonWhite, colours: colours.size};
    }, `data:image/png;base64,${base64}`);
  } finally {
    await page.close();
  }
}

/// Rows of a CSV text as objects (quoted cells with commas and doubled quotes allowed).
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
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
  return rows.map(r => Object.fromEntries(columns.map((c, k) => [c, r[k] ?? ""])));
}
