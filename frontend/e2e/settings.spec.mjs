// E2E specs of the Settings screen, registered into e2e/run.mjs (which loads e2e/*.spec.mjs after
// its own specs). They run against the live app on the demo workspace. The token specs start
// their own fake Telegram Bot API server in this process (same JSON envelopes and error strings
// as api.telegram.org) and point the dialog's custom Bot API server field at it; the app under
// test reaches it over localhost, so no real network is needed.
// "Read all messages" clears every unread chat of the workspace: it is registered last.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';

const GOOD_TOKEN = '424242:AAE-e2e-good-token_abcdefghijklmnop';
const BAD_TOKEN = '424242:AAE-e2e-wrong-token_zyxwvutsrqponm';

/** A fake Bot API server: getMe/getWebhookInfo for GOOD_TOKEN, 401 Unauthorized for any other. */
async function fakeBotAPI() {
  const calls = [];
  const srv = http.createServer((req, res) => {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url, 'http://x').pathname);
    const send = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      if (!m) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token, method] = m;
      calls.push(method);
      if (token !== GOOD_TOKEN) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      if (method === 'getMe') return send(200, { ok: true, result: { id: 424242, is_bot: true, first_name: 'E2E Sales Bot', username: 'e2e_sales_bot' } });
      if (method === 'getWebhookInfo') return send(200, { ok: true, result: { url: '', has_custom_certificate: false, pending_update_count: 0 } });
      if (method === 'getUpdates') return setTimeout(() => send(200, { ok: true, result: [] }), 1000);
      return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${srv.address().port}`, calls, close: () => new Promise((r) => srv.close(r)) };
}

/** A local address nothing listens on: connections are refused at once. */
async function deadAddress() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

export default function register({ spec, shot, openTab, count, rows, listSettled }) {
  const open = async (page, section) => {
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings').waitFor();
    if (section) await page.getByTestId(`settings-nav-${section}`).click();
  };
  const close = async (page) => {
    await page.keyboard.press('Escape');
    await page.getByTestId('settings').waitFor({ state: 'detached' });
  };

  spec('settings: the gear opens every section; Esc closes it', async ({ page }) => {
    await open(page);
    // The demo's channels have no token: listed as not connected.
    const status = page.getByTestId('channel-status').first();
    await status.waitFor();
    assert.match(await status.textContent(), /Not connected/);
    await shot(page, 'settings-01-channels');
    for (const s of ['leadLinks', 'templates', 'company', 'preferences']) {
      await page.getByTestId(`settings-nav-${s}`).click();
      await page.getByTestId(`settings-${s.toLowerCase()}`).waitFor();
      assert.equal(await page.getByTestId(`settings-nav-${s}`).getAttribute('aria-current'), 'page');
      await shot(page, `settings-02-${s}`);
    }
    await close(page);
    assert.equal((await rows(page).count()) > 0, true, 'the workspace is back');
  });

  spec('settings: add a Telegram bot — bad token, unreachable server, good token', async ({ page }) => {
    const api = await fakeBotAPI();
    try {
      await open(page, 'channels');
      await page.getByTestId('add-telegram').click();
      const dialog = page.getByTestId('add-channel-dialog');
      assert.equal(await dialog.getByTestId('token-input').getAttribute('type'), 'password');

      await dialog.getByTestId('token-input').fill(BAD_TOKEN);
      await dialog.getByTestId('api-url-input').fill(api.url);
      await dialog.getByTestId('check-token').click();
      const err = dialog.getByTestId('add-error');
      await err.waitFor();
      assert.equal(await err.textContent(), 'The messenger rejected the token: check it and paste it again.');
      assert.ok(api.calls.includes('getMe'), 'the token was checked with getMe');
      await shot(page, 'settings-03-bad-token');

      await dialog.getByTestId('api-url-input').fill(await deadAddress());
      await dialog.getByTestId('check-token').click();
      await page.waitForFunction(() => /Cannot reach the server/.test(document.querySelector('[data-testid="add-error"]')?.textContent ?? ''));
      await shot(page, 'settings-04-unreachable');

      await dialog.getByTestId('token-input').fill(GOOD_TOKEN);
      await dialog.getByTestId('api-url-input').fill(api.url);
      await dialog.getByTestId('check-token').click();
      const info = dialog.getByTestId('bot-info');
      await info.waitFor();
      assert.match(await info.textContent(), /E2E Sales Bot.*@e2e_sales_bot/);
      await shot(page, 'settings-05-token-accepted');

      const body = await page.locator('body').textContent();
      assert.ok(!body.includes(GOOD_TOKEN) && !body.includes(BAD_TOKEN), 'no token is shown anywhere');
      const before = await page.getByTestId('channel-row').count();
      assert.equal(before, 2, 'checking stored nothing: only the two demo channels');

      // Connect. Without a keyring (a bare CI session) that fails in plain words and stores
      // nothing; with one, the bot is listed and its poller's live status arrives.
      await dialog.getByTestId('connect-channel').click();
      if (await page.getByTestId('keyring-warning').count()) {
        await page.waitForFunction(() => /^No system keyring/.test(document.querySelector('[data-testid="add-error"]')?.textContent ?? ''));
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        assert.equal(await page.getByTestId('channel-row').count(), before, 'nothing stored without a keyring');
      } else {
        await dialog.waitFor({ state: 'detached' });
        const row = page.getByTestId('channel-row').filter({ hasText: 'E2E Sales Bot' });
        await row.waitFor();
        await page.waitForFunction(
          () =>
            /Receiving messages|Connected/.test(
              [...document.querySelectorAll('[data-testid="channel-row"]')]
                .find((r) => r.textContent.includes('E2E Sales Bot'))
                ?.querySelector('[data-testid="channel-status"]')?.textContent ?? '',
            ),
          null,
          { timeout: 15000 },
        );
        assert.ok(api.calls.includes('getUpdates'), 'the new channel polls the fake Bot API');
        await shot(page, 'settings-05b-connected');
        await row.getByTestId('channel-remove').click();
        await page.getByTestId('confirm-yes').click();
        await row.waitFor({ state: 'detached' });
      }
    } finally {
      await api.close();
    }
  });

  spec('settings: lead-generation link with a copyable deep link', async ({ page }) => {
    await open(page, 'leadLinks');
    const plan = `E2E plan ${Date.now()}`;
    await page.getByTestId('ll-plan').fill(plan);
    await page.getByTestId('ll-source').fill('Instagram');
    await page.getByTestId('ll-add').click();
    const row = page.getByTestId('ll-row').filter({ hasText: plan });
    await row.waitFor();
    const url = await row.getByTestId('ll-url').inputValue();
    assert.match(url, /^https:\/\/(t\.me\/[A-Za-z0-9_]+\?start=|vk\.me\/[A-Za-z0-9_]+\?ref=)[A-Za-z0-9_-]{1,64}$/, url);
    await shot(page, 'settings-06-lead-link');
    await row.getByTestId('ll-delete').click();
    await page.getByTestId('confirm-yes').click();
    await row.waitFor({ state: 'detached' });
  });

  spec('settings: add a chat template', async ({ page }) => {
    await open(page, 'templates');
    const name = `E2E greeting ${Date.now()}`;
    await page.getByTestId('tpl-add').click();
    await page.getByTestId('tpl-name').fill(name);
    await page.getByTestId('tpl-value').fill('Hello, {first_name}! This is {manager}. <b>not bold</b>');
    assert.equal(await page.getByTestId('tpl-used').textContent(), '{first_name}{manager}');
    await page.getByTestId('tpl-save').click();
    const row = page.getByTestId('tpl-row').filter({ hasText: name });
    await row.waitFor();
    assert.match(await row.textContent(), /<b>not bold<\/b>/, 'the value shows as text');
    assert.equal(await row.locator('b').count(), 0);
    await shot(page, 'settings-07-template');
    // It survives closing Settings and a reload: it is in the store, not in the page.
    await close(page);
    await page.reload();
    await rows(page).first().waitFor();
    await open(page, 'templates');
    await page.getByTestId('tpl-row').filter({ hasText: name }).waitFor();
  });

  spec('settings: language and theme from Preferences', async ({ page }) => {
    await open(page, 'preferences');
    try {
      await page.getByTestId('pref-locale-ru').check();
      await page.waitForFunction(() => document.querySelector('[data-testid="settings"] h1')?.textContent === 'Настройки');
      assert.equal(await page.getByTestId('settings-nav-channels').textContent(), 'Каналы связи');
      await page.getByTestId('pref-theme-dark').check();
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      await shot(page, 'settings-08-ru-dark');
      // Saved: a reload comes back in Russian.
      await page.reload();
      await rows(page).first().waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="tab-important"]')?.textContent?.startsWith('Важные'));
      await open(page, 'preferences');
    } finally {
      await page.getByTestId('pref-theme-system').check();
      await page.getByTestId('pref-locale-en').check();
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="settings"] h1')?.textContent === 'Settings');
    await close(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="tab-important"]')?.textContent?.startsWith('Important'));
  });

  // Last: it marks every chat of the demo workspace read.
  spec('settings: read all messages — cancel keeps unread, confirm clears the Unread tab', async ({ page }) => {
    await openTab(page, 'unread');
    const before = await count(page, 'unread');
    assert.ok(before > 0, 'the demo has unread chats');

    await open(page, 'company');
    await page.getByTestId('read-all').click();
    const dialog = page.getByTestId('read-all-dialog');
    assert.match(await dialog.textContent(), /cannot be undone/);
    assert.equal(await page.getByTestId('read-all-confirm').isDisabled(), true, 'needs the word typed');
    await shot(page, 'settings-09-read-all-confirm');
    await page.getByTestId('read-all-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    await close(page);
    await listSettled(page);
    assert.equal(await count(page, 'unread'), before, 'cancel keeps every unread chat');

    await open(page, 'company');
    await page.getByTestId('read-all').click();
    await page.getByTestId('read-all-input').fill('READ');
    await page.getByTestId('read-all-confirm').click();
    const done = page.getByTestId('read-all-done');
    await done.waitFor({ timeout: 20000 });
    assert.match(await done.textContent(), /All chats are marked read \(\d+\)/);
    await close(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="tab-count-unread"]')?.textContent === '0', null, { timeout: 10000 });
    await openTab(page, 'unread');
    assert.equal(await rows(page).count(), 0, 'the Unread tab is empty');
    await shot(page, 'settings-10-all-read');
  });
}
