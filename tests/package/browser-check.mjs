// (b) and (c): open each page in headless Chromium and check that it shows
// the rendered fixture, loaded the wasm as `application/wasm`, ran none of
// the article's script, and logged no error.
// Usage: node browser-check.mjs NAME=URL...   (CHROMIUM: the browser binary)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const expect = JSON.parse(readFileSync(new URL("./expect.json", import.meta.url), "utf8"));
const pages = process.argv.slice(2).map((arg) => arg.split(/=(.*)/s).slice(0, 2));

// Debian's chromium, not a Playwright download (`npx playwright install`
// needs the internet); flags keep it from calling home.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

let failures = 0;
try {
  for (const [name, url] of pages) {
    const check = (what, fn) => {
      try {
        fn();
        console.log(`PASS  ${name}: ${what}`);
      } catch (error) {
        failures += 1;
        console.log(`FAIL  ${name}: ${what}: ${error.message.replace(/\s+/g, " ")}`);
      }
    };

    const page = await browser.newPage();
    const errors = [];
    const wasmTypes = [];
    page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
    page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
    page.on("requestfailed", (r) => errors.push(`request: ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => {
      if (r.status() >= 400) errors.push(`response: ${r.status()} ${r.url()}`);
      if (r.url().endsWith(".wasm")) wasmTypes.push(r.headers()["content-type"]);
    });

    // The page's module sets data-done once the article is in the DOM.
    const done = await page
      .goto(url)
      .then(() => page.waitForSelector("body[data-done]", { timeout: 15_000 }))
      .then(() => true, (e) => errors.push(`load: ${e.message.split("\n")[0]}`) && false);
    const seen = done && await page.evaluate(() => {
      const heading = document.querySelector("#body h2");
      return {
        title: document.querySelector("#out").textContent,
        headingId: heading?.id,
        headingText: heading?.textContent,
        scripts: document.querySelectorAll("#body script").length,
        pwned: window.pwned ?? null,
        documentTitle: document.title,
        zola: document.body.dataset.zola,
      };
    });

    check("renders within 15 s", () => assert.ok(done, errors.join("; ")));
    if (done) {
      check("shows meta.title", () => assert.equal(seen.title, expect.title));
      check("shows the html with the heading and its id", () => {
        assert.equal(seen.headingId, expect.headingId);
        assert.equal(seen.headingText, expect.headingText);
      });
      check("ran none of the article's script", () => {
        assert.equal(seen.scripts, 0, "a <script> reached the DOM");
        assert.equal(seen.pwned, null, "the article's script ran");
        assert.notEqual(seen.documentTitle, "pwned", "the article's script ran");
      });
      check("fetched both wasm modules (the renderer, then the transliterator) as application/wasm", () =>
        assert.ok(wasmTypes.join() === "application/wasm,application/wasm", `wasm responses: ${JSON.stringify(wasmTypes)}`));
      check("Zola's ids: the heading's letters before loadTransliterator(), ASCII after, no warning", () =>
        assert.equal(seen.zola, JSON.stringify(["user-content-привет-мир", "user-content-privet-mir", false])));
    }
    check("logged no error", () => assert.ok(errors.length === 0, errors.join("; ")));
    await page.close();
  }
} finally {
  await browser.close();
}
process.exitCode = failures ? 1 : 0;
