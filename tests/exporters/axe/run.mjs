// Runs axe-core on HTML files in headless Chromium (the system's, never a downloaded one) and
// prints one JSON report on standard output:
//   {"runs": [{"page", "width", "colorScheme", "violations": [...], "viewport", "scrollWidth",
//              "overflow", "clipped": [...], "styled"}], "requests": [...], "errors": [...]}
// Every page is checked 1280 and 360 px wide, in light and dark mode:
// - "overflow" is document.documentElement.scrollWidth minus the viewport's width (0: the page
//   never scrolls sideways);
// - "clipped" lists the SVG texts (timeline and map labels) whose drawn box reaches outside their
//   drawing or outside the viewport, out of "svgTexts" measured;
// - "styled" is true when the page's inline stylesheet took effect (its CSP hash matched); pages
//   without a <style> of their own (a plain chooser page) report null.
// Usage: node run.mjs PAGE.html [PAGE.html ...] [--screenshots DIR]
// With --screenshots, every run is saved as DIR/<name>-<width>-<scheme>.png (and <name>-print.png),
// where <name> is the file's name without .html, prefixed by its folder's when two pages share one.
// CHROMIUM overrides the browser path (default /usr/bin/chromium).
import { readFileSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const args = process.argv.slice(2);
const shotIndex = args.indexOf("--screenshots");
const shots = shotIndex >= 0 ? args[shotIndex + 1] : null;
const files = args.filter((arg, i) => shotIndex < 0 || (i !== shotIndex && i !== shotIndex + 1));
if (files.length === 0) {
  process.stderr.write("usage: node run.mjs PAGE.html [PAGE.html ...] [--screenshots DIR]\n");
  process.exit(2);
}
if (shots) mkdirSync(shots, { recursive: true });
const stems = files.map((file) => basename(file).replace(/\.html$/, ""));
const names = files.map((file, i) =>
  stems.filter((stem) => stem === stems[i]).length > 1
    ? `${basename(dirname(resolve(file)))}-${stems[i]}`
    : stems[i],
);
const urls = files.map((file) => pathToFileURL(resolve(file)).href);

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
// Record every request but the pages themselves, and let none of them reach the network.
await context.route("**/*", (route) => {
  const wanted = route.request().url();
  if (urls.includes(wanted)) return route.continue();
  requests.push(wanted);
  return route.abort();
});

// What the page looks like: measured in the page, after layout.
function measure() {
  const root = document.documentElement;
  const viewport = window.innerWidth;
  const clipped = [];
  const texts = document.querySelectorAll("svg text");
  for (const text of texts) {
    const box = text.getBoundingClientRect();
    const frame = text.ownerSVGElement.getBoundingClientRect();
    const outside =
      box.left < frame.left - 0.5 ||
      box.right > frame.right + 0.5 ||
      box.top < frame.top - 0.5 ||
      box.bottom > frame.bottom + 0.5 ||
      box.left < -0.5 ||
      box.right > viewport + 0.5;
    if (outside) clipped.push(text.textContent);
  }
  const style = document.querySelector("head style");
  return {
    viewport,
    scrollWidth: root.scrollWidth,
    overflow: root.scrollWidth - viewport,
    clipped,
    svgTexts: texts.length,
    // body { margin: 0 } comes from the page's stylesheet; a browser's default is 8px.
    styled: style ? getComputedStyle(document.body).marginTop === "0px" : null,
  };
}

const runs = [];
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on("request", (request) => {
    const wanted = request.url();
    if (!urls.includes(wanted) && !requests.includes(wanted)) requests.push(wanted);
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  for (const [index, url] of urls.entries()) {
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
          runOnly: {
            type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
          },
          resultTypes: ["violations"],
        }),
      );
      runs.push({
        page: files[index],
        width,
        colorScheme,
        ...(await page.evaluate(measure)),
        violations: result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => n.target.join(" ")),
        })),
      });
      if (shots) {
        const path = join(shots, `${names[index]}-${width}-${colorScheme}.png`);
        await page.screenshot({ path, fullPage: true });
      }
    }
    if (shots) {
      await page.setViewportSize({ width: 800, height: 900 });
      await page.emulateMedia({ media: "print", colorScheme: "light" });
      await page.screenshot({ path: join(shots, `${names[index]}-print.png`), fullPage: true });
    }
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify({ runs, requests, errors }, null, 1) + "\n");
