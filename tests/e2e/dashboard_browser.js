// dashboard_browser.js — the dashboard in a real browser: Debian's chromium
// (/usr/bin/chromium, headless) driven by playwright-core, run by
// tests/e2e/test_dashboard.py against its test fleet (RS_BASE, RS_USERS,
// RS_SHOTS: where screenshots go, or empty). Only loopback is reachable: every other
// request is aborted and fails the test. Prints "ok N - what" per check;
// exits 1 on the first failure.
"use strict";
const { chromium } = require("playwright-core");

const base = process.env.RS_BASE;
const users = JSON.parse(process.env.RS_USERS);
const shots = process.env.RS_SHOTS;
let n = 0;

function ok(cond, what) {
  if (!cond) throw new Error("not ok - " + what);
  n++;
  console.log(`ok ${n} - ${what}`);
}

async function newSession(browser, errors, offsite) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
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
  return { context, page };
}

async function login(page, user) {
  await page.goto(base + "/overview");
  ok(new URL(page.url()).pathname === "/login", `${user}: no session → the login page`);
  await page.fill('input[name="user"]', user);
  await page.fill('input[name="password"]', users[user]);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  ok(new URL(page.url()).pathname === "/overview", `${user}: logged in`);
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
    // ---- admin: every page renders with the test fleet's data
    const { context, page } = await newSession(browser, errors, offsite);
    await page.goto(base + "/login");
    await shot(page, "login");
    await login(page, "alice");
    ok((await page.textContent("#hosts-total .n")).trim() === "3", "overview: 3 hosts");
    ok((await page.locator("svg.trend polyline").count()) === 1, "overview: the 90-day trend is drawn");
    ok((await page.locator("text=CVE-2024-6387").count()) >= 1, "overview: newest critical finding listed");
    await shot(page, "overview");

    await page.click('nav a[href="/hosts"]');
    ok((await page.locator("#hosts tbody tr").count()) === 3, "hosts: 3 rows");
    await page.fill('input[name="group"]', "web");
    await Promise.all([page.waitForNavigation(), page.click('#host-filter button[type="submit"]')]);
    ok((await page.locator("#hosts tbody tr").count()) === 2, "hosts: group filter leaves 2");
    await page.goto(base + "/hosts");
    await page.fill('input[name="os"]', "ubuntu");
    await Promise.all([page.waitForNavigation(), page.click('#host-filter button[type="submit"]')]);
    ok((await page.locator("#hosts tbody tr").count()) === 1, "hosts: OS filter leaves 1");
    await page.goto(base + "/hosts");
    // sorted by name already: the first click turns the order round
    await Promise.all([page.waitForNavigation(), page.click("#sort-hostname")]);
    const names = await page.locator("#hosts tbody tr td:first-child").allTextContents();
    ok(JSON.stringify(names) === JSON.stringify(["web-2", "web-1", "db-1"]), `hosts: sorted by name, descending (${names})`);
    await page.goto(base + "/hosts");
    await shot(page, "hosts");

    await page.click("text=web-1");
    ok((await page.textContent("#hostname")).includes("web-1"), "host: its page");
    ok((await page.locator("#facts").textContent()).includes("debian"), "host: facts");
    ok((await page.locator("#scans tbody tr").count()) >= 5, "host: scan history");
    ok((await page.locator("#host-vulns").textContent()).includes("openssh-server"), "host: vulnerable packages");
    ok((await page.locator("svg.trend circle").count()) >= 4, "host: score trend points");
    await Promise.all([page.waitForNavigation(), page.click("#scan-now button")]);
    ok((await page.locator("#queued").count()) === 1, "host: scan now queues a task");
    await shot(page, "host");

    await page.goto(base + "/findings");
    ok((await page.locator("#findings tbody tr").count()) >= 3, "findings: grouped by rule");
    const xss = await page.locator("text=<img src=x onerror=alert(1)>").count();
    ok(xss >= 1, "findings: a title with markup shows as text");
    await page.selectOption('select[name="severity"]', "critical");
    await Promise.all([page.waitForNavigation(), page.click('#finding-filter button[type="submit"]')]);
    ok((await page.locator("#findings tbody tr").count()) === 1, "findings: severity filter");
    await shot(page, "findings");
    for (const fmt of ["csv", "json"]) {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#export-${fmt}`)]);
      const path = await download.path();
      const text = require("fs").readFileSync(path, "utf8");
      if (fmt === "csv") {
        const lines = text.trim().split(/\r?\n/);
        ok(lines[0] === "rule,module,severity,title,host,hostname" && lines.length === 4,
           `findings: CSV export (${lines.length} lines)`);
      } else {
        const doc = JSON.parse(text);
        ok(doc.groups.length === 1 && Object.keys(doc.groups[0].hosts).length === 3, "findings: JSON export");
      }
    }

    await page.goto(base + "/vulns");
    ok((await page.locator("#vulns").textContent()).includes("1:9.2p1-2+deb12u3"), "vulnerabilities: fixed version");
    await shot(page, "vulns");
    await page.goto(base + "/compliance");
    ok((await page.locator("#compliance-hosts tbody tr").count()) === 3, "compliance: per host");
    ok((await page.locator("#compliance-checks").textContent()).includes("sca:cis_debian12:5.2.7"), "compliance: per check");
    await shot(page, "compliance");
    await page.goto(base + "/incidents");
    // on PostgreSQL from the server's --incidents store
    ok((await page.locator("#incidents tbody tr").count()) === 1, "incidents: the record is listed");
    await shot(page, "incidents");
    await page.goto(base + "/tasks");
    ok((await page.locator("#tasks tbody tr").count()) >= 2, "tasks: listed");
    await page.goto(base + "/tokens");
    await page.fill('input[name="group"]', "lab");
    await page.click("#token-create-button");
    await page.waitForSelector("#new-token");
    ok((await page.textContent("#new-token")).startsWith("rst1."), "tokens: created from the dashboard");
    const before = await page.locator("#tokens form").count();
    await Promise.all([page.waitForNavigation(), page.locator("#tokens form button").first().click()]);
    ok((await page.locator("#tokens form").count()) === before - 1, "tokens: revoked");
    await shot(page, "tokens");
    await page.goto(base + "/users");
    ok((await page.locator("#users tbody tr").count()) >= 3, "users: listed");
    await page.goto(base + "/audit");
    ok((await page.locator("#audit").textContent()).includes("token_revoke"), "audit: the revocation is logged");
    await shot(page, "audit");
    await Promise.all([page.waitForNavigation(), page.click("#lang")]);
    ok((await page.textContent("h1")).includes("Nhật ký"), "language switch: Vietnamese");
    await page.goto(base + "/overview");
    await shot(page, "overview-vi");
    await Promise.all([page.waitForNavigation(), page.click("#lang")]);
    ok((await page.textContent("h1")).includes("Overview"), "language switch: back to English");

    // ---- the session cookie is not readable by scripts
    ok((await page.evaluate(() => document.cookie)).indexOf("rs_session") < 0, "session cookie is HttpOnly");
    await Promise.all([page.waitForNavigation(), page.click("#logout")]);
    await page.goto(base + "/hosts");
    ok(new URL(page.url()).pathname === "/login", "after logout: back to the login page");
    await context.close();

    // ---- viewer: reads, cannot change anything
    ok(errors.length === 0, `admin pages: no console errors (${errors.join(" | ")})`);
    const v = await newSession(browser, errors, offsite);
    await login(v.page, "vic");
    await v.page.goto(base + "/hosts");
    await v.page.click("text=db-1");
    ok((await v.page.locator("#scan-now").count()) === 0, "viewer: no scan-now button");
    ok((await v.page.locator('nav a[href="/users"]').count()) === 0, "viewer: no users link");
    // the page's CSP forbids scripts from fetching (connect-src 'none'), so
    // post with the browser context's own cookies from outside the page
    const csrf = await v.page.getAttribute('input[name="csrf"]', "value");
    const id = new URL(v.page.url()).searchParams.get("id");
    let r = await v.context.request.post(base + "/host/scan", { form: { csrf, id }, maxRedirects: 0 });
    ok(r.status() === 403, `viewer: POST /host/scan with its own CSRF token is 403 (${r.status()})`);
    r = await v.context.request.post(base + "/logout", { form: { x: "1" }, maxRedirects: 0 });
    ok(r.status() === 403, `a POST without the CSRF token is 403 (${r.status()})`);
    r = await v.context.request.post(base + "/host/scan", { form: { csrf: "0".repeat(64), id }, maxRedirects: 0 });
    ok(r.status() === 403, `a POST with a wrong CSRF token is 403 (${r.status()})`);
    const blocked = await v.page.evaluate(() => fetch("/overview").then(() => "fetched", () => "blocked"));
    ok(blocked === "blocked", "CSP: page scripts cannot fetch");
    const usersPage = await v.page.goto(base + "/users");
    ok(usersPage.status() === 403, "viewer: GET /users is 403");
    // the 403 pages log a console error for the failed resource; clear those
    // (and the fetch the CSP blocked) — expected here, not errors of the pages
    errors.splice(0, errors.length, ...errors.filter((e) => !/status of 403|Content Security Policy|Failed to fetch/.test(e)));
    await v.context.close();

    ok(offsite.length === 0, `no request left loopback (${offsite.join(" ")})`);
    ok(errors.length === 0, `no console errors (${errors.join(" | ")})`);
  } finally {
    await browser.close();
  }
}

main().then(() => process.exit(0), (e) => { console.log(String(e && e.stack || e)); process.exit(1); });
