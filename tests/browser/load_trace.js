// Loads a trace-event JSON file (contend-report -f perfetto) into
// speedscope, a trace viewer, in headless Chromium, the way its own
// command line does (a script that hands it the file), and prints what the
// viewer made of it as JSON: the importer it chose, one profile per thread
// track with its name and total, and the slice names of the first profile.
//   node load_trace.js TRACE.json [SCREENSHOT.png]
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { launch, watch } = require("./chromium");

async function main() {
  const [tracePath, screenshot] = process.argv.slice(2);
  const app = path.join(path.dirname(require.resolve("speedscope/package.json")), "dist/release/index.html");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "contend-speedscope-"));
  const loader = path.join(dir, "profile.js");
  const data = fs.readFileSync(tracePath).toString("base64");
  fs.writeFileSync(loader, `speedscope.loadFileFromBase64(${JSON.stringify(path.basename(tracePath))}, "${data}")`);
  const { context, close } = await launch();
  const result = { importer: "", profiles: [], symbols: [], errors: [], requests: [] };
  try {
    const page = await context.newPage();
    const seen = watch(page);
    page.on("console", (m) => {
      if (m.text().startsWith("Importing as ")) result.importer = m.text().slice("Importing as ".length);
    });
    await page.goto("file://" + app + "#localProfilePath=" + loader);
    // The toolbar says "(1/N)" once a profile is shown.
    await page.waitForFunction(() => /\(1\/\d+\)/.test(document.body.innerText), null, { timeout: 30000 });
    // The profile list: "#  Name  Total Weight" rows.
    await page.getByText(/\(1\/\d+\)/).click();
    const rows = await page.evaluate(() => document.body.innerText.split("\n"));
    for (const row of rows) {
      const m = /^(\d+)\t(.*)\t([\d.]+)(ns|µs|ms|s)$/.exec(row);
      if (!m) continue;
      const scale = { ns: 1, "µs": 1e3, ms: 1e6, s: 1e9 }[m[4]];
      result.profiles.push({ name: m[2], total_ns: Math.round(parseFloat(m[3]) * scale), shown: m[3] + m[4] });
    }
    await page.keyboard.press("Escape");
    await page.getByText("Sandwich").click();
    await page.waitForTimeout(500);
    const text = await page.evaluate(() => document.body.innerText);
    result.symbols = text.split("\n").filter((l) => l.startsWith("\t")).map((l) => l.trim());
    if (screenshot) {
      await page.getByText("Time Order").click();
      await page.waitForTimeout(500);
      await page.screenshot({ path: screenshot });
    }
    result.errors = seen.errors;
    result.requests = seen.requests;
  } finally {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result, null, 1) + "\n");
}

main().catch((e) => {
  console.error(String(e && e.stack || e));
  process.exit(1);
});
