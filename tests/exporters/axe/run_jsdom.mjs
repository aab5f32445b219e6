// Runs axe-core on an HTML file in jsdom, for machines without a system Chromium (a newcomer's
// machine that has only Python, pip and Node). Prints the same JSON report shape as run.mjs:
//   {"engine": "jsdom", "runs": [{"width", "colorScheme", "violations": [...]}], "requests": [...], "errors": [...]}
// jsdom has no layout engine: axe reports colour contrast as "incomplete" there, never as a
// violation, so contrast, overflow and dark mode are only checked by the Chromium run (CI installs
// Chromium) and by the Python contrast test of the page's palette.
// Usage: node run_jsdom.mjs PAGE.html
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JSDOM, ResourceLoader, VirtualConsole } from "jsdom";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const html = readFileSync(process.argv[2], "utf8");

const errors = [];
const requests = [];
const virtualConsole = new VirtualConsole();
virtualConsole.on("jsdomError", (error) => {
  // axe probes canvas support, which jsdom does not implement: that is not the page's error.
  if (!String(error).includes("HTMLCanvasElement.prototype.getContext")) errors.push(String(error));
});

class Loader extends ResourceLoader {
  // jsdom asks the loader for every subresource: record the request and never fetch it.
  fetch(url) {
    requests.push(url);
    return null;
  }
}

const dom = new JSDOM(html, {
  runScripts: "outside-only",
  pretendToBeVisual: true,
  resources: new Loader(),
  virtualConsole,
});
dom.window.eval(axeSource);
const result = await dom.window.axe.run(dom.window.document, {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
  resultTypes: ["violations"],
});
const runs = [
  {
    width: null,
    colorScheme: "light",
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    })),
  },
];
dom.window.close();
process.stdout.write(JSON.stringify({ engine: "jsdom", runs, requests, errors }, null, 1) + "\n");
