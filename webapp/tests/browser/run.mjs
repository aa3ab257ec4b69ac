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
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
});
context.setDefaultTimeout(Number(process.env.BROWSER_TIMEOUT_MS ?? 15000));

let passed = 0;
let failed = 0;
for (const test of tests.filter((t) => !only || t.name.includes(only))) {
    const page = await context.newPage();
    const logs = [];
    const began = Date.now();
    page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
    // Failed and refused requests, so a failure's log says what the page asked for and what it got.
    page.on('requestfailed', (r) => logs.push(`[requestfailed] ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && logs.push(`[response] ${r.status()} ${r.request().method()} ${r.url()}`));
    try {
        // Tests may take screenshots of intermediate states: shot('rhs-open') → out/<test>-rhs-open.png.
        const shot = (label) => page.screenshot({path: join(outDir, `${test.name.replace(/\W+/g, '_')}-${label}.png`), fullPage: true});
        await test.run(page, baseUrl, shot);
        await shot('done');
        passed++;
        console.log(`ok - ${test.name} (${Date.now() - began} ms)`);
    } catch (err) {
        failed++;
        const shot = join(outDir, `${test.name.replace(/\W+/g, '_')}.png`);
        await page.screenshot({path: shot, fullPage: true}).catch(() => undefined);
        console.log(`not ok - ${test.name} (${Date.now() - began} ms)\n  ${String(err?.stack ?? err).split('\n').join('\n  ')}\n  screenshot: ${shot}\n  page: ${page.url()}`);
        for (const line of logs.slice(-20)) {
            console.log(`  ${line}`);
        }
    } finally {
        await page.close();
    }
}
await context.close();
rmSync(profile, {recursive: true, force: true});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
