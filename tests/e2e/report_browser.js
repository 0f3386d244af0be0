// report_browser.js — the HTML report in a real browser: Debian's chromium
// (/usr/bin/chromium, headless) driven by playwright-core, run by
// tests/e2e/test_report_browser.py on a report file (RS_REPORT). At common
// screen widths the page has no horizontal overflow, the findings table
// fits its card, a grouped rule's object list opens, the filter works, no
// console error, nothing is fetched from anywhere. RS_SHOT, when set, is
// where a screenshot at 1400 px goes (the README's). Prints "ok N - what";
// exits 1 on the first failure.
"use strict";
const { chromium } = require("playwright-core");

const report = process.env.RS_REPORT;
let n = 0;

function ok(cond, what) {
  if (!cond) throw new Error("not ok - " + what);
  n++;
  console.log(`ok ${n} - ${what}`);
}

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox"] });
  try {
    for (const width of [1400, 1280, 1024]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const fetched = [];
      await context.route("**/*", (route) => {
        const u = new URL(route.request().url());
        if (u.protocol !== "file:") { fetched.push(u.href); return route.abort(); }
        return route.continue();
      });
      const page = await context.newPage();
      const errors = [];
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto("file://" + report);
      const dims = await page.evaluate(() => {
        const t = document.getElementById("findings");
        const card = t.closest(".card");
        return { doc: document.documentElement.scrollWidth, view: window.innerWidth,
                 table: t.getBoundingClientRect().right, card: card.getBoundingClientRect().right };
      });
      ok(dims.doc <= dims.view, `${width}px: no horizontal overflow (page ${dims.doc} px)`);
      ok(dims.table <= dims.card + 1, `${width}px: the findings table fits its card (${dims.table} ≤ ${dims.card})`);
      const details = page.locator("tr.group details.paths").first();
      ok(await details.count() === 1, `${width}px: a grouped rule`);
      await details.locator("summary").click();
      ok(await details.evaluate((d) => d.open) && await details.locator("li").count() >= 40,
         `${width}px: its objects open`);
      const rows = await page.locator("#findings tbody tr").count();
      await page.fill("#q", "shell.php");
      const shown = await page.locator("#findings tbody tr:not([hidden])").count();
      ok(shown === 1 && rows > shown, `${width}px: the filter narrows ${rows} rows to ${shown}`);
      await page.fill("#q", "");
      if (width === 1400 && process.env.RS_SHOT)
        await page.screenshot({ path: process.env.RS_SHOT, fullPage: false });
      ok(errors.length === 0, `${width}px: no console error ${JSON.stringify(errors)}`);
      ok(fetched.length === 0, `${width}px: nothing fetched ${JSON.stringify(fetched)}`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
})().catch((e) => { console.log(e.message); process.exit(1); });
