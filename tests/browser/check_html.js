// Opens a report written by contend-report -f html in headless Chromium
// and prints, as JSON, what a reader sees: the summary's totals, the top
// lock, the flame graph's frames (before and after clicking one), the time
// line's bars and phases, the footer, and anything that went wrong (console
// errors, exceptions, requests that would leave the machine).
//   node check_html.js REPORT.html [SCREENSHOT.png]
"use strict";
const path = require("path");
const { launch, watch } = require("./chromium");

async function main() {
  const [report, screenshot] = process.argv.slice(2);
  const { context, close } = await launch();
  const out = {};
  try {
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto("file://" + path.resolve(report), { waitUntil: "load" });
    await page.waitForSelector("#flamegraph .frame, #flamegraph .empty", { timeout: 15000 });
    const text = (sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.trim()));
    out.title = await page.title();
    out.program = (await text("#program"))[0] || "";
    out.facts = {};
    for (const id of ["wall", "threads", "acquisitions", "contended", "wait", "contention", "efficiency"])
      out.facts[id] = (await text("#" + id))[0];
    out.lock_headers = await text("#lock-table th");
    out.lock_rows = await page.$$eval("#lock-table tbody tr", (rows) =>
      rows.map((r) => Array.from(r.cells).map((c) => c.textContent.trim())));
    out.lock_details = await text("details.lock summary .lock-name");
    out.sites = await text("details.lock[open] table.sites td:last-child");
    out.frames = await text("#flamegraph .frame");
    out.flame_height = await page.$eval("#flamegraph", (e) => e.getBoundingClientRect().height);
    // Interactive: a click on a frame zooms the graph to it.
    const narrow = await page.$$eval("#flamegraph .frame", (els) =>
      els.findIndex((e) => parseFloat(e.style.width) < 99 && parseFloat(e.style.width) > 5));
    if (narrow >= 0) {
      const target = page.locator("#flamegraph .frame").nth(narrow);
      const name = (await target.textContent()).trim();
      const before = await target.evaluate((e) => e.style.width);
      await target.click();
      const width = await page.$$eval("#flamegraph .frame", (els, n) => {
        const f = els.find((e) => e.textContent.trim() === n);
        return f ? f.style.width : "";
      }, name);
      out.zoom = { frame: name, before, after: width };
      await page.locator("#flamegraph .frame").first().click();  // back out
    }
    out.bars = await page.$$eval("#timeline-chart rect.bar", (bars) => bars.length);
    out.bar_titles = await page.$$eval("#timeline-chart rect.bar title", (t) => t.map((x) => x.textContent));
    out.phases = await page.$$eval("#phase-table tbody tr", (rows) => rows.map((r) => r.cells[0].textContent.trim()));
    out.quality = await text("#quality li");
    out.scripts_with_src = await page.$$eval("script[src], link[href], img[src]", (els) => els.length);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    out.errors = seen.errors;
    out.requests = seen.requests;
  } finally {
    await close();
  }
  process.stdout.write(JSON.stringify(out, null, 1) + "\n");
}

main().catch((e) => {
  console.error(String(e && e.stack || e));
  process.exit(1);
});
