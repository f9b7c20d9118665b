// The store speaks data, the UI speaks words: over the demo workspace, the system text a manager
// reads (person logs, indicators, failed-send notes, statuses, toasts, the card's labels, day
// separators) is in the chosen language only. Registered into e2e/run.mjs.
//
// Client content in the demo is both Russian and English (names, messages, sales plans such as
// "Onboarding"), so only system areas are read, and inside them the company's and the client's
// names — marked data-param by the UI — are left out: what remains are our words.
import assert from 'node:assert/strict';

const CYRILLIC = /[А-Яа-яЁё]/;
// Latin words that are Russian UI words too: brand and product names, key names.
const LATIN_IN_RUSSIAN = /\b(Telegram|Email|Switchboard|Ctrl|Shift|Enter|Esc|Alt)\b/g;

/** [area, words] of every system-text element on the page, data and times removed. */
async function systemTexts(page) {
  return page.evaluate(async () => {
    // Channel names are the company's data; a queued message's status names its channel.
    const views = (await window.go.app.Settings.SettingsChannels()) || [];
    const channelNames = views.map((v) => v.channel.name).filter(Boolean);
    const withoutChannels = (t) => channelNames.reduce((acc, n) => acc.split(n).join(''), t);
    const words = (el) => {
      const c = el.cloneNode(true);
      c.querySelectorAll('[data-param], .msg-time').forEach((e) => e.remove());
      return (c.textContent || '').replace(/\s+/g, ' ').trim();
    };
    const areas = {
      log: '[data-testid="log"] .log-text',
      indicator: '[data-testid="indicator"]',
      failure: '[data-testid="msg-error"]',
      toast: '[data-testid="toast"]',
      day: '[data-testid="day-separator"]',
      card: '[data-testid="client-panel"] dt, [data-testid="client-panel"] h3, [data-testid="client-panel"] .status-pill, [data-testid="client-panel"] .switch span, [data-testid="client-panel"] button',
      fullCard: '[data-testid="full-card"] dt, [data-testid="full-card"] h3',
      dialogue: '[data-testid="dialogue-bar"]',
    };
    const out = [];
    for (const [area, sel] of Object.entries(areas)) {
      for (const el of document.querySelectorAll(sel)) {
        const t = words(el) || el.getAttribute('aria-label') || '';
        if (t) out.push([area, t]);
      }
    }
    for (const el of document.querySelectorAll('[data-testid="msg-status"]')) out.push(['status', withoutChannels(el.getAttribute('aria-label') || '')]);
    return out;
  });
}

function foreign(locale, text) {
  if (locale === 'en') return CYRILLIC.test(text);
  return /[A-Za-z]{2,}/.test(text.replace(LATIN_IN_RUSSIAN, ''));
}

/** Walks people of the demo in locale and asserts their system text is in it. */
async function walk(page, h, locale) {
  const seen = new Map(); // area → how many texts were read
  const kinds = new Set(); // indicator types and log kinds read
  const bad = [];
  const collect = async (where) => {
    for (const k of await page.evaluate(() => [
      ...[...document.querySelectorAll('[data-testid="indicator"]')].map((e) => e.className),
      ...[...document.querySelectorAll('[data-testid="log"]')].map((e) => `log ${e.getAttribute('data-kind')}`),
    ]))
      kinds.add(k);
    for (const [area, text] of await systemTexts(page)) {
      seen.set(area, (seen.get(area) || 0) + 1);
      if (foreign(locale, text)) bad.push(`${where} ${area}: ${text}`);
    }
  };
  await h.openTab(page, 'all');
  const people = Math.min(await h.rows(page).count(), 16);
  assert.ok(people >= 10, `the demo lists people (${people})`);
  for (let i = 0; i < people; i++) {
    const row = h.rows(page).nth(i);
    const name = await row.getByTestId('row-name').textContent();
    await row.click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="card-name"]')?.textContent === n, name);
    await page.locator('[data-testid="history"] [data-testid="message"]').first().waitFor();
    await page.getByTestId('logs').or(page.locator('[data-testid="client-panel"] .muted')).first().waitFor();
    await collect(`person ${i}`);
    // Older history holds more indicators: scroll to the top a few times, reading each page.
    for (let up = 0; up < 3; up++) {
      const n = await page.locator('[data-testid="history"] [data-testid="message"]').count();
      await page.getByTestId('history').evaluate((el) => el.scrollTo(0, 0));
      await page
        .waitForFunction((k) => document.querySelectorAll('[data-testid="history"] [data-testid="message"]').length !== k, n, { timeout: 700 })
        .catch(() => undefined); // the start of the chat: nothing older to load
      await collect(`person ${i} (older ${up + 1})`);
    }
  }
  // The full card: every log of the last person.
  await page.getByTestId('open-full-card').click();
  await page.getByTestId('full-card').waitFor();
  await collect('full card');
  await page.keyboard.press('Escape');
  await page.getByTestId('full-card').waitFor({ state: 'detached' });

  // Logs written now, by this version: the chat switches, off and on again.
  for (const sw of ['tunnel-off', 'bot-off']) {
    for (let flip = 0; flip < 2; flip++) {
      const turnsOff = !(await page.getByTestId(sw).isChecked()); // a demo chat may start switched off
      const kind = `${sw === 'tunnel-off' ? 'tunnel' : 'bot'}_${turnsOff ? 'off' : 'on'}`;
      const before = await page.locator(`[data-testid="log"][data-kind="${kind}"]`).count();
      await page.getByTestId(sw).click();
      await page.waitForFunction(([k, n]) => document.querySelectorAll(`[data-testid="log"][data-kind="${k}"]`).length > n, [kind, Math.min(before, 7)]);
    }
  }
  await collect('after switching');
  const fresh = await page.locator('[data-testid="log"][data-kind^="tunnel_"] [data-param]').first().textContent();
  assert.ok(fresh, 'a switch log names its channel, as data');

  assert.deepEqual(bad, [], `system text in ${locale === 'ru' ? 'Russian' : 'English'} only`);
  for (const area of ['log', 'indicator', 'card', 'day', 'status', 'dialogue']) {
    assert.ok((seen.get(area) || 0) > 0, `the walk read some ${area} text (${JSON.stringify([...seen])})`);
  }
  // The demo has every indicator type; a walk that read only a few would prove little.
  const indicatorTypes = [...kinds].filter((k) => k.startsWith('indicator'));
  assert.ok(indicatorTypes.length >= 5, `indicator types read: ${indicatorTypes}`);
  console.log(`     ${locale}: read ${JSON.stringify(Object.fromEntries(seen))}; ${[...kinds].sort().join(', ')}`);
}

async function setLocale(page, locale) {
  await page.getByTestId(`lang-${locale}`).click();
  const first = locale === 'ru' ? 'Важные' : 'Important';
  await page.waitForFunction((w) => document.querySelector('[data-testid="tab-important"]')?.textContent?.startsWith(w), first);
}

export default function register(h) {
  h.spec('words: a demo workspace in Russian shows no English system text', async ({ page }) => {
    await setLocale(page, 'ru');
    try {
      await walk(page, h, 'ru');
      await h.shot(page, 'words-ru');
    } finally {
      await setLocale(page, 'en');
    }
  });

  h.spec('words: a demo workspace in English shows no Russian system text', async ({ page }) => {
    await setLocale(page, 'en');
    await walk(page, h, 'en');
    await h.shot(page, 'words-en');
  });
}
