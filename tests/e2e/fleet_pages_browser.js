// fleet_pages_browser.js — the dashboard's fleet-size and task pages in a
// real browser (Debian's chromium, headless, driven by playwright-core), run
// by tests/e2e/test_fleet_pages_browser.py against its fleet of a few hundred
// hosts (RS_BASE, RS_USERS, RS_AGENT: the agent with policy history,
// RS_LAST_PAGE and RS_LAST_ROWS: the hosts list's last page, RS_PLAN_TOKEN,
// RS_SHOTS: where screenshots go, or empty). Paging of the hosts and findings pages,
// the compliance history, the task form and a respond plan's approval; no
// console error, no request off loopback. Prints "ok N - what"; exits 1 on
// the first failure.
"use strict";
const { chromium } = require("playwright-core");

const base = process.env.RS_BASE;
const users = JSON.parse(process.env.RS_USERS);
const agent = process.env.RS_AGENT;
const shots = process.env.RS_SHOTS;
let n = 0;

function ok(cond, what) {
  if (!cond) throw new Error("not ok - " + what);
  n++;
  console.log(`ok ${n} - ${what}`);
}

async function session(browser, errors, offsite, user) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.hostname !== "127.0.0.1") {
      offsite.push(u.href);
      return route.abort();
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => d.accept());
  await page.goto(base + "/login");
  await page.fill('input[name="user"]', user);
  await page.fill('input[name="password"]', users[user]);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  ok(new URL(page.url()).pathname === "/overview", `${user}: logged in`);
  return { context, page };
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--disable-default-apps"],
  });
  const errors = [];
  const offsite = [];
  try {
    const { context, page } = await session(browser, errors, offsite, "ann");
    // hosts: 100 a page, the pager's links
    await page.goto(base + "/hosts?sort=hostname");
    ok((await page.locator("#hosts tbody tr").count()) === 100, "hosts: 100 on the first page");
    ok(await page.locator("#pager").isVisible(), "hosts: the pager is shown");
    await shot(page, "hosts-paged");
    await Promise.all([page.waitForNavigation(), page.locator("#pager a", { hasText: /^2$/ }).click()]);
    const u = new URL(page.url());
    ok(u.searchParams.get("page") === "2" && u.searchParams.get("sort") === "hostname", "hosts: page 2, sort kept");
    ok((await page.locator("#hosts tbody tr").count()) === 100, "hosts: 100 on page 2");
    const last = process.env.RS_LAST_PAGE;
    await Promise.all([page.waitForNavigation(), page.locator("#pager a", { hasText: new RegExp(`^${last}$`) }).click()]);
    ok((await page.locator("#hosts tbody tr").count()) === Number(process.env.RS_LAST_ROWS),
       "hosts: the last page holds the rest");
    // findings: a rule's hosts beyond 50 are a link to the hosts having it
    await page.goto(base + "/findings");
    const more = page.locator("#findings a.more").first();
    ok(await more.isVisible(), "findings: a link to the rest of a rule's hosts");
    await Promise.all([page.waitForNavigation(), more.click()]);
    ok(/^120 /.test(await page.locator("#host-count").textContent()), "findings → hosts having the rule: 120");
    // compliance over time
    await page.goto(base + "/compliance?days=7");
    ok(await page.locator("#compliance-trend svg").isVisible(), "compliance: the fleet's pass-rate chart");
    ok((await page.locator("#compliance-host-trend svg.spark").count()) >= 1, "compliance: a host's line");
    ok((await page.locator("#compliance-check-trend tbody tr").count()) === 2, "compliance: two checks over time");
    await shot(page, "compliance-history");
    await Promise.all([page.waitForNavigation(), page.locator("#compliance-days a", { hasText: "90" }).click()]);
    ok((await page.locator("#compliance-days .current").textContent()) === "90", "compliance: the 90-day window");
    // the task form: a scan of one module for the agent
    await page.goto(base + "/tasks");
    await page.fill('#task-form input[name="host"]', agent);
    await page.selectOption('#task-form select[name="type"]', "scan");
    await page.fill('#task-form input[name="modules"]', "persist, audit");
    await Promise.all([page.waitForNavigation(), page.click('#task-form button[type="submit"]')]);
    ok(new URL(page.url()).searchParams.get("queued") === "1", "tasks: the form queues the task");
    ok((await page.locator("#tasks tbody tr").first().textContent()).includes('{"modules":["persist","audit"]}'),
       "tasks: the new task with its modules");
    // a bad task is refused with the reason
    await page.fill('#task-form input[name="group"]', "web");
    await page.selectOption('#task-form select[name="type"]', "drill");
    await Promise.all([page.waitForNavigation(), page.click('#task-form button[type="submit"]')]);
    ok((await page.locator("p.error").textContent()).includes("scenario"), "tasks: a drill without scenario refused");
    // a respond plan waits for an admin; the admin approves it in the browser
    const plan = JSON.stringify({ type: "plan", version: 1, scan: null, host: "pol", root: "/nonexistent-root", actions: [] });
    await page.goto(base + "/tasks");
    await page.fill('#task-form input[name="host"]', agent);
    await page.selectOption('#task-form select[name="type"]', "respond");
    await page.fill('#task-form textarea[name="plan"]', plan);
    await page.fill('#task-form input[name="token"]', process.env.RS_PLAN_TOKEN);
    await Promise.all([page.waitForNavigation(), page.click('#task-form button[type="submit"]')]);
    ok((await page.locator("#tasks .state-approval").count()) === 1, "tasks: the respond task awaits approval");
    ok((await page.locator('form[action="/tasks/approve"]').count()) === 0, "tasks: no approve button for an analyst");
    await shot(page, "tasks");
    await context.close();
    const admin = await session(browser, errors, offsite, "alice");
    await admin.page.goto(base + "/tasks");
    await Promise.all([admin.page.waitForNavigation(),
                       admin.page.locator('form[action="/tasks/approve"] button').first().click()]);
    ok(new URL(admin.page.url()).searchParams.get("approved") === "1", "tasks: approved by the admin");
    ok((await admin.page.locator("#tasks .state-approval").count()) === 0, "tasks: none awaits approval");
    await admin.context.close();
    ok(offsite.length === 0, `no request left loopback (${offsite.join(" ")})`);
    ok(errors.length === 0, `no console errors (${errors.join(" | ")})`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.log(String(e && e.message ? e.message : e));
  process.exit(1);
});
