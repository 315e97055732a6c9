// Debian's Chromium, headless, driven by playwright-core: no sandbox (tests
// run as root), no GPU, nothing that reaches the network on its own, and a
// fresh profile each time.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "contend-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"],
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// Records what a page says went wrong: console errors, uncaught exceptions,
// and every request that would leave the machine (aborted).
function watch(page) {
  const seen = { errors: [], requests: [] };
  page.on("console", (m) => { if (m.type() === "error") seen.errors.push(m.text()); });
  page.on("pageerror", (e) => seen.errors.push(String(e)));
  page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    seen.requests.push(url);
    return route.abort();
  });
  return seen;
}

module.exports = { launch, watch };
