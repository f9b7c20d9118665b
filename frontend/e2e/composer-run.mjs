// Runs only the composer's browser specs (e2e/composer.spec.mjs) against a running app:
//   E2E_URL=http://localhost:34115 node e2e/composer-run.mjs [filter]
// run.mjs runs them too, with every other spec.
import { chromium } from 'playwright-core';
import { composerSpecs } from './composer.spec.mjs';

const URL = process.env.E2E_URL || 'http://localhost:34115';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const only = process.argv[2] || '';

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
let passed = 0;
const failed = [];
try {
  for (const s of composerSpecs) {
    if (only && !s.name.includes(only)) continue;
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light' });
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    const dialogs = [];
    const errors = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => undefined);
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const t0 = Date.now();
    try {
      await page.goto(URL);
      await page.getByTestId('person-row').first().waitFor({ timeout: 15000 });
      await s.fn({ page, dialogs });
      if (errors.length) throw new Error(`uncaught page errors: ${errors.join('; ')}`);
      passed++;
      console.log(`ok   ${s.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed.push(s.name);
      console.log(`FAIL ${s.name} (${Date.now() - t0} ms)\n     ${String(e?.message ?? e).split('\n').join('\n     ')}`);
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`\n${passed} passed, ${failed.length} failed`);
if (failed.length) process.exit(1);
