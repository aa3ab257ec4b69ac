// Browser tests against a running dev host (DEVHOST_URL): headless Debian Chromium driven by playwright-core.
import {chromium} from 'playwright-core';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {tests} from './devhost.tests.mjs';

const baseUrl = process.env.DEVHOST_URL;
if (!baseUrl) {
    console.error('DEVHOST_URL is not set (e.g. DEVHOST_URL=http://127.0.0.1:8065 npm run test:browser)');
    process.exit(2);
}
const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(outDir, {recursive: true});
const only = process.argv[2];

const profile = mkdtempSync(join(tmpdir(), 'devhost-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // The same language and time zone whatever the machine says, so texts and dates read the same on every run.
    locale: 'en-US',
    timezoneId: 'UTC',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
});
context.setDefaultTimeout(Number(process.env.BROWSER_TIMEOUT_MS ?? 15000));

// A scenario that fails is run once more on a fresh page (Playwright's usual setting on CI): a failure that repeats
// fails the run, and one that does not is reported as `retry - <name>` with its error, and counted as flaky.
const ATTEMPTS = 1 + Number(process.env.BROWSER_RETRIES ?? 1);

/** Runs `test` on a new page; prints its outcome (with the error, a screenshot and the page's last log lines when it fails). */
async function attempt(test, last) {
    const page = await context.newPage();
    const logs = [];
    const began = Date.now();
    page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
    // Failed and refused requests, so a failure's log says what the page asked for and what it got.
    page.on('requestfailed', (r) => logs.push(`[requestfailed] ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && logs.push(`[response] ${r.status()} ${r.request().method()} ${r.url()}`));
    const file = test.name.replace(/\W+/g, '_');
    try {
        // Tests may take screenshots of intermediate states: shot('rhs-open') → out/<test>-rhs-open.png.
        const shot = (label) => page.screenshot({path: join(outDir, `${file}-${label}.png`), fullPage: true});
        await test.run(page, baseUrl, shot);
        await shot('done');
        return {ok: true, ms: Date.now() - began};
    } catch (err) {
        const shot = join(outDir, last ? `${file}.png` : `${file}-first-attempt.png`);
        await page.screenshot({path: shot, fullPage: true}).catch(() => undefined);
        console.log(`${last ? 'not ok' : 'retry'} - ${test.name} (${Date.now() - began} ms)\n  ${String(err?.stack ?? err).split('\n').join('\n  ')}\n  screenshot: ${shot}\n  page: ${page.url()}`);
        for (const line of logs.slice(-20)) {
            console.log(`  ${line}`);
        }
        return {ok: false};
    } finally {
        await page.close();
    }
}

let passed = 0;
let failed = 0;
let flaky = 0;
for (const test of tests.filter((t) => !only || t.name.includes(only))) {
    for (let n = 1; n <= ATTEMPTS; n++) {
        const outcome = await attempt(test, n === ATTEMPTS);
        if (outcome.ok) {
            passed++;
            flaky += n > 1 ? 1 : 0;
            console.log(`ok - ${test.name} (${outcome.ms} ms${n > 1 ? `, passed on attempt ${n}` : ''})`);
            break;
        }
        failed += n === ATTEMPTS ? 1 : 0;
    }
}
await context.close();
rmSync(profile, {recursive: true, force: true});
console.log(`${passed} passed, ${failed} failed, ${flaky} passed only on a retry`);
process.exit(failed ? 1 : 0);
