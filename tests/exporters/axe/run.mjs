// Runs axe-core on an HTML file in headless Chromium (the system's, never a downloaded one) and
// prints one JSON report on standard output:
//   {"runs": [{"width", "colorScheme", "violations": [...]}], "requests": [...], "errors": [...]}
// Usage: node run.mjs PAGE.html [--screenshots DIR]
// CHROMIUM overrides the browser path (default /usr/bin/chromium).
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const args = process.argv.slice(2);
const page_path = args[0];
const shotIndex = args.indexOf("--screenshots");
const shots = shotIndex >= 0 ? args[shotIndex + 1] : null;
const url = pathToFileURL(resolve(page_path)).href;

const profile = mkdtempSync(join(tmpdir(), "axe-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // The page's CSP stays in force (no bypassCSP): axe is evaluated through the DevTools protocol,
  // which CSP does not govern, so a style the CSP blocked would show up in the report.
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
});

const requests = [];
const errors = [];
// Record every request but the page itself, and let none of them reach the network.
await context.route("**/*", (route) => {
  const wanted = route.request().url();
  if (wanted === url) return route.continue();
  requests.push(wanted);
  return route.abort();
});

const runs = [];
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on("request", (request) => {
    if (request.url() !== url && !requests.includes(request.url())) requests.push(request.url());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  for (const [width, colorScheme] of [
    [1280, "light"],
    [360, "light"],
    [1280, "dark"],
    [360, "dark"],
  ]) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme, media: "screen" });
    await page.goto(url, { waitUntil: "load" });
    await page.evaluate(axeSource);
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        resultTypes: ["violations"],
      }),
    );
    // The inline style applies only when its CSP hash matches: check the stylesheet took effect.
    const styled = await page.evaluate(
      () => getComputedStyle(document.querySelector("dl.facts")).display,
    );
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    runs.push({
      width,
      colorScheme,
      overflow,
      styled,
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ")),
      })),
    });
    if (shots) {
      await page.screenshot({ path: join(shots, `page-${width}-${colorScheme}.png`), fullPage: true });
    }
  }
  if (shots) {
    await page.setViewportSize({ width: 800, height: 900 });
    await page.emulateMedia({ media: "print", colorScheme: "light" });
    await page.screenshot({ path: join(shots, "page-print.png"), fullPage: true });
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify({ runs, requests, errors }, null, 1) + "\n");
