// Rendered timings for `make bench` (scripts/bench.sh runs this against `wails dev` on the big
// dataset). Not a test: frontend/e2e/run.mjs never loads this folder.
//
//   search_keypress        the last keypress (or text input) in the search box -> the list shows the result
//   search_after_debounce  the moment the UI asks Go for that search -> the list shows it
//   history_render         click on a person -> the chat's newest page is in the DOM and painted
//
// Times come from performance.now() inside the page: a keydown / click listener marks the start,
// a MutationObserver sees the DOM reach the expected state, and the next animation frame marks
// "on screen". The expected state is what the app's own binding call answered (window.go.app.Workspace
// is wrapped to record it), so no extra query warms SQLite's cache before the timed one.
//
//   BENCH_URL=http://localhost:34115 BENCH_OUT=out.jsonl node e2e/bench/ui-bench.mjs
import { chromium } from 'playwright-core';
import { appendFile } from 'node:fs/promises';

const URL = process.env.BENCH_URL || 'http://localhost:34115';
const OUT = process.env.BENCH_OUT || 'ui-bench.jsonl';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SEARCHES = Number(process.env.BENCH_SEARCHES || 60);
const CHATS = Number(process.env.BENCH_CHATS || 100);
let seed = Number(process.env.BENCH_SEED || 1) >>> 0 || 1;

// xorshift32: a seeded choice of inputs, so runs are comparable.
function rand() {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 2 ** 32;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

async function put(id, unit, samples, note) {
  await appendFile(OUT, JSON.stringify({ id, unit, samples, note }) + '\n');
  const s = [...samples].sort((a, b) => a - b);
  const p = (q) => s[Math.max(0, Math.ceil((q / 100) * s.length) - 1)];
  console.log(`ui-bench: ${id} n=${s.length} median=${p(50)?.toFixed(1)} p95=${p(95)?.toFixed(1)} ${unit}`);
}

// Installed in the page before the app's scripts: the probes and the binding wrappers.
function probes() {
  const w = window;
  w.__bench = { keyAt: 0, clickAt: 0, issuedAt: 0, wantSearch: null, listIds: null, wantChat: 0, chatIds: null, chatEmpty: false };
  // keydown for typed keys; input too, because characters outside the keyboard layout (Cyrillic
  // here) arrive as text input without a keydown, as they do from an input method.
  for (const type of ['keydown', 'input']) {
    document.addEventListener(
      type,
      (e) => {
        if (e.target instanceof HTMLElement && e.target.dataset.testid === 'search') w.__bench.keyAt = performance.now();
      },
      true,
    );
  }
  document.addEventListener(
    'click',
    (e) => {
      if (e.target instanceof Element && e.target.closest('[data-testid="person-row"]')) w.__bench.clickAt = performance.now();
    },
    true,
  );
  // Wrap the bindings once Wails has installed them.
  const wrap = () => {
    const app = w.go?.app?.Workspace;
    if (!app || !app.ListPeople || app.__wrapped) return !!app?.__wrapped;
    const list = app.ListPeople;
    app.ListPeople = (q) => {
      const p = list(q);
      if (w.__bench.wantSearch !== null && q.search === w.__bench.wantSearch && !q.cursor && !w.__bench.issuedAt) {
        w.__bench.issuedAt = performance.now();
        p.then((r) => {
          w.__bench.listIds = (r?.rows ?? []).slice(0, 5).map((row) => String(row.personId));
        });
      }
      return p;
    };
    const hist = app.History;
    app.History = (q) => {
      const p = hist(q);
      if (q.chatId === w.__bench.wantChat && !q.before) {
        p.then((r) => {
          const ms = r?.messages ?? [];
          w.__bench.chatIds = new Set(ms.map((m) => String(m.id)));
          w.__bench.chatEmpty = ms.length === 0;
        });
      }
      return p;
    };
    app.__wrapped = true;
    return true;
  };
  const timer = setInterval(() => {
    if (wrap()) clearInterval(timer);
  }, 5);
}

// waitFor(check): resolves with the time of the first animation frame after the DOM mutation
// that made check() true — the frame that paints it.
function waitForPaint(page, check, arg, timeout = 10000) {
  return page.evaluate(
    ({ src, arg, timeout }) =>
      new Promise((resolve, reject) => {
        const fn = new Function('arg', `return (${src})(arg)`);
        let done = false;
        const finish = () => {
          if (done || !fn(arg)) return;
          done = true;
          obs.disconnect();
          clearTimeout(to);
          requestAnimationFrame(() => resolve(performance.now()));
        };
        const obs = new MutationObserver(finish);
        obs.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
        const to = setTimeout(() => {
          obs.disconnect();
          reject(new Error('timed out waiting for the expected DOM'));
        }, timeout);
        finish();
      }),
    { src: check.toString(), arg, timeout },
  );
}

const call = (page, method, ...args) => page.evaluate(({ method, args }) => window.go.app.Workspace[method](...args), { method, args });

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('ui-bench: page error:', e.message));
  await page.addInitScript(probes);
  await page.goto(URL);
  await page.getByTestId('person-row').first().waitFor({ timeout: 120000 });
  await page.waitForFunction(() => window.go?.app?.Workspace?.__wrapped === true);
  await page.getByTestId('tab-all').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="tab-all"]')?.getAttribute('aria-selected') === 'true');
  await page.waitForTimeout(500);

  // Search inputs from people across the list: a name word or its first letters, phone digits,
  // an e-mail's start. Found through the bindings, before any timing.
  const pool = [];
  let cursor = '';
  for (let i = 0; i < 10; i++) {
    const pg = await call(page, 'ListPeople', { tab: 'all', search: '', filter: {}, oldestFirst: false, cursor, limit: 200 });
    pool.push(...(pg.rows ?? []));
    if (!pg.nextCursor) break;
    cursor = pg.nextCursor;
  }
  const inputs = [];
  for (let i = 0; inputs.length < SEARCHES + 5 && i < SEARCHES * 10; i++) {
    const row = pick(pool);
    const kind = inputs.length % 3;
    if (kind === 0) {
      const words = row.name.split(/\s+/).filter((w) => w.length >= 3);
      if (!words.length) continue;
      const w = pick(words);
      inputs.push(rand() < 0.5 ? w : w.slice(0, 3 + Math.floor(rand() * (w.length - 2))));
    } else {
      const card = await call(page, 'ClientCard', row.personId);
      if (kind === 1) {
        const d = (card.person.phone || '').replace(/\D/g, '');
        if (d.length < 7) continue;
        const k = 4 + Math.floor(rand() * 4);
        const at = Math.floor(rand() * (d.length - k + 1));
        inputs.push(d.slice(at, at + k));
      } else {
        const local = (card.person.email || '').split('@')[0];
        if (local.length < 3) continue;
        inputs.push(local.slice(0, 3 + Math.floor(rand() * (local.length - 2))));
      }
    }
  }

  // ---- keypress -> rendered result ----
  const box = page.getByTestId('search');
  const keypress = [];
  const afterDebounce = [];
  for (let i = 0; i < inputs.length; i++) {
    const q = inputs[i];
    const current = await page.evaluate(() => document.querySelector('[data-testid="search"]')?.value ?? '');
    if (current === q) continue; // the same text again would not search again
    await box.click();
    await page.keyboard.press('Control+A');
    await page.evaluate((q) => {
      window.__bench.wantSearch = q;
      window.__bench.issuedAt = 0;
      window.__bench.listIds = null;
      window.__bench.keyAt = 0;
    }, q);
    // Done when the list shows the first rows of what the UI's own ListPeople call answered.
    const painted = waitForPaint(
      page,
      (q) => {
        const b = window.__bench;
        const box = document.querySelector('[data-testid="search"]');
        if (!box || box.value !== q || !b.listIds) return false;
        const ids = [...document.querySelectorAll('[data-testid="people-list"] [data-testid="person-row"]')].map((r) => r.getAttribute('data-person-id'));
        if (b.listIds.length === 0) return ids.length === 0 && !!document.querySelector('[data-testid="people-list"] .empty');
        return b.listIds.every((id, k) => ids[k] === id);
      },
      q,
    );
    await page.keyboard.type(q);
    let at;
    try {
      at = await painted;
    } catch (e) {
      console.error(`ui-bench: search "${q}" did not render: ${e.message}`);
      continue;
    }
    const b = await page.evaluate(() => window.__bench);
    if (process.env.BENCH_DEBUG) console.log(JSON.stringify({ q, at, keyAt: b.keyAt, issuedAt: b.issuedAt }));
    if (i >= 5) {
      // the first five warm the page up
      keypress.push(at - b.keyAt);
      afterDebounce.push(at - b.issuedAt);
    }
  }
  await put(
    'search_keypress',
    'ms',
    keypress,
    'Chromium on wails dev: last keydown in the search box -> the first rows of the expected result painted (includes the UI search debounce)',
  );
  await put('search_after_debounce', 'ms', afterDebounce, 'the UI calling ListPeople for the typed text -> the expected rows painted');

  // ---- click a person -> the chat's first page rendered ----
  await box.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.waitForTimeout(600);
  const list = page.getByTestId('people-list');
  const opened = new Set();
  const history = [];
  for (let i = 0; history.length < CHATS && i < CHATS * 3; i++) {
    // Scroll somewhere in what is loaded (scrolling near the end loads more), then pick a row.
    await list.evaluate((el, f) => {
      el.scrollTop = f * Math.max(0, el.scrollHeight - el.clientHeight);
    }, rand());
    await page.waitForTimeout(120);
    const candidates = await page.evaluate(() => {
      const box = document.querySelector('[data-testid="people-list"]').getBoundingClientRect();
      return [...document.querySelectorAll('[data-testid="person-row"]')]
        .filter((r) => {
          const b = r.getBoundingClientRect();
          return b.top >= box.top && b.bottom <= box.bottom && r.getAttribute('aria-selected') !== 'true';
        })
        .map((r) => ({ person: r.getAttribute('data-person-id'), chat: Number(r.getAttribute('data-chat-id')) }));
    });
    const fresh = candidates.filter((c) => !opened.has(c.chat) && c.chat > 0);
    if (!fresh.length) continue;
    const c = pick(fresh);
    opened.add(c.chat);
    await page.evaluate((chat) => {
      window.__bench.wantChat = chat;
      window.__bench.chatIds = null;
      window.__bench.chatEmpty = false;
      window.__bench.clickAt = 0;
    }, c.chat);
    const painted = waitForPaint(page, () => {
      const b = window.__bench;
      if (!b.clickAt) return false;
      if (b.chatEmpty) return !!document.querySelector('[data-testid="history"] .empty');
      if (!b.chatIds) return false;
      for (const el of document.querySelectorAll('[data-testid="history"] [data-testid="message"]')) {
        if (b.chatIds.has(el.getAttribute('data-id'))) return true;
      }
      return false;
    });
    await page.locator(`[data-testid="person-row"][data-person-id="${c.person}"]`).click();
    let at;
    try {
      at = await painted;
    } catch (e) {
      console.error(`ui-bench: chat ${c.chat} did not render: ${e.message}`);
      continue;
    }
    const clickAt = await page.evaluate(() => window.__bench.clickAt);
    if (i >= 3) history.push(at - clickAt);
  }
  await put('history_render', 'ms', history, 'Chromium on wails dev: click on a person row -> a message of the chat\u2019s newest page painted in the history');
  await browser.close();
}

main().catch((e) => {
  console.error('ui-bench:', e);
  process.exit(1);
});
