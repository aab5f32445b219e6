// Loads every page of the built HTML docs in headless Chromium (the system's, never a downloaded
// one) at each width, and prints one JSON report on standard output:
//   {"runs": [{"page", "width", "scrollWidth", "viewport", "clipped", "split", "images"}],
//    "requests": [every request that left the folder, aborted]}
// - scrollWidth > viewport: the page scrolls sideways (something is wider than the screen);
// - clipped: a <pre> whose content is wider than the block, yet the block cannot scroll, or a
//   <pre> that itself runs past the right edge of the screen;
// - split: an inline literal word (an option such as --locale) broken over two lines;
// - images: the images that did not load.
// A screenshot of each page at each width goes to SHOTS/<width>/<page>.png.
// Usage: node check.mjs HTML_DIR SHOTS_DIR WIDTH...   (SHOTS_DIR "-": no screenshots)
// CHROMIUM overrides the browser path (default /usr/bin/chromium).
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [htmlDir, shotsDir, ...widthArgs] = process.argv.slice(2);
const widths = widthArgs.map(Number);
// Every page, in subfolders too ("howto/maps.html"), but not Sphinx's own folders ("_static").
const pages = readdirSync(htmlDir, { recursive: true })
  .filter((name) => name.endsWith(".html") && !name.split("/").some((part) => part.startsWith("_")))
  .sort();

const profile = mkdtempSync(join(tmpdir(), "docs-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
});
// The docs are offline: nothing may leave the folder (fonts, analytics, ...).
const root = pathToFileURL(resolve(htmlDir)).href;
const requests = [];
await context.route("**/*", (route) => {
  const wanted = route.request().url();
  if (wanted.startsWith(root)) return route.continue();
  requests.push(wanted);
  return route.abort();
});

const runs = [];
try {
  const page = context.pages()[0] || (await context.newPage());
  for (const width of widths) {
    if (shotsDir !== "-") mkdirSync(join(shotsDir, String(width)), { recursive: true });
    await page.setViewportSize({ width, height: 900 });
    for (const name of pages) {
      await page.goto(pathToFileURL(resolve(htmlDir, name)).href, { waitUntil: "load" });
      const found = await page.evaluate(() => {
        const viewport = document.documentElement.clientWidth;
        const where = (element) => {
          const anchor = element.closest("[id]");
          return `${anchor ? "#" + anchor.id : ""} ${element.textContent.trim().slice(0, 60)}`;
        };
        const clipped = [];
        for (const pre of document.querySelectorAll("pre")) {
          const box = pre.getBoundingClientRect();
          if (box.width === 0) continue; // not displayed
          const scrolls = ["auto", "scroll"].includes(getComputedStyle(pre).overflowX);
          const wider = pre.scrollWidth > pre.clientWidth + 1;
          if ((wider && !scrolls) || box.right > viewport + 1) clipped.push(where(pre));
        }
        const split = [];
        for (const word of document.querySelectorAll("code span.pre")) {
          if (word.getClientRects().length > 1) split.push(where(word));
        }
        const images = [...document.images]
          .filter((image) => image.naturalWidth === 0)
          .map((image) => image.getAttribute("src"));
        return {
          scrollWidth: document.documentElement.scrollWidth,
          images,
          viewport,
          clipped,
          split,
        };
      });
      if (shotsDir !== "-") await page.screenshot({
        path: join(shotsDir, String(width), name.replace(/\.html$/, ".png")),
        fullPage: true,
      });
      runs.push({ page: name, width, ...found });
    }
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify({ runs, requests }) + "\n");
