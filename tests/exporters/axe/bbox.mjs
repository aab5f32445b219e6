// Measures the drawn boxes of an SVG's labels and markers in headless Chromium (the system's).
// Prints JSON on standard output: {"texts": [{text, x, y, width, height}], "circles": [...],
// "width": W, "height": H} in the SVG's user units (getBBox), and "requests": [URLs asked for].
// Usage: node bbox.mjs MAP.svg     CHROMIUM overrides the browser path (default /usr/bin/chromium).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const url = pathToFileURL(resolve(process.argv[2])).href;
const profile = mkdtempSync(join(tmpdir(), "bbox-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const requests = [];
await context.route("**/*", (route) => {
  if (route.request().url() === url) return route.continue();
  requests.push(route.request().url());
  return route.abort();
});
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(url);
  const boxes = await page.evaluate(() => {
    const box = (el) => {
      const b = el.getBBox();
      return { text: el.textContent, x: b.x, y: b.y, width: b.width, height: b.height };
    };
    const svg = document.documentElement;
    return {
      texts: [...svg.querySelectorAll("text")].map(box),
      circles: [...svg.querySelectorAll("circle")].map(box),
      width: svg.viewBox.baseVal.width,
      height: svg.viewBox.baseVal.height,
    };
  });
  process.stdout.write(JSON.stringify({ ...boxes, requests }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
