// Daily use (issue 13), registered into e2e/run.mjs: what was sent is shown, a queued message says
// why it waits, the newest message's menu stays inside the history, a list that starts empty
// shows a new client live, and client messages arriving while the manager reads older ones show
// a "New messages" marker instead of moving the view.
// The arrival spec connects its own bot to a fake Telegram Bot API served from this process
// (getMe, getWebhookInfo, and getUpdates long-polling a queue the spec fills), then removes it.
// Its file sorts after settings.spec.mjs: a removed channel that had chats stays listed (disabled),
// and the settings specs count the demo's two. Alone: E2E_ONLY=daily E2E_PORT=… bash scripts/e2e.sh
import assert from 'node:assert/strict';
import http from 'node:http';
import { gapToEnd, openTab, removeChannel, rows, search, shot } from './helpers.mjs';

const TOKEN = '515151:AAE-e2e-daily-token_abcdefghijklmnop';

/** A fake Bot API whose getUpdates serves the messages pushed with pushText, by offset. */
async function fakeBotWithClients() {
  const updates = [];
  const waiting = new Set();
  const messageIds = new Map();
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      const params = new URLSearchParams(body);
      for (const [k, v] of url.searchParams) params.set(k, v);
      const send = (status, b) => {
        if (res.writableEnded) return;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(b));
      };
      if (!m || m[1] !== TOKEN) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = m[2];
      if (method === 'getMe') return send(200, { ok: true, result: { id: 515151, is_bot: true, first_name: 'E2E Daily Bot', username: 'e2e_daily_bot' } });
      if (method === 'getWebhookInfo') return send(200, { ok: true, result: { url: '', has_custom_certificate: false, pending_update_count: 0 } });
      if (method === 'getUpdates') {
        const offset = Number(params.get('offset') || '0');
        const answer = () => send(200, { ok: true, result: updates.filter((u) => u.update_id >= offset).slice(0, 100) });
        if (updates.some((u) => u.update_id >= offset)) return answer();
        // Long poll: answer when something is pushed, or empty after a second.
        const w = () => {
          waiting.delete(w);
          answer();
        };
        waiting.add(w);
        setTimeout(w, 1000);
        return;
      }
      return send(400, { ok: false, error_code: 400, description: `Bad Request: method ${method} is not served by this fake` });
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    pushText(fromId, firstName, text) {
      const id = (messageIds.get(fromId) ?? 0) + 1;
      messageIds.set(fromId, id);
      updates.push({
        update_id: updates.length + 1,
        message: {
          message_id: id,
          from: { id: fromId, is_bot: false, first_name: firstName, language_code: 'en' },
          chat: { id: fromId, first_name: firstName, type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text,
        },
      });
      for (const w of [...waiting]) w();
    },
    close: () => new Promise((r) => srv.close(r)),
  };
}

/** The box of an element, and of the history it is in. */
const box = (locator) =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom };
  });

export default function register({ spec }) {
  spec('daily: sending scrolls to the message sent, which says why it waits; its menu stays inside the history', async ({ page }) => {
    // The demo says it is one.
    await page.getByTestId('demo-pill').waitFor();
    // A chat whose history is taller than the pane, so "not at the end" means something.
    await openTab(page, 'all');
    let found = false;
    for (let i = 0; i < 20 && !found; i++) {
      await rows(page).nth(i).click();
      await page.locator('[data-testid="history"] [data-testid="message"]').first().waitFor();
      found = await page.getByTestId('history').evaluate((el) => el.scrollHeight - el.clientHeight > 400);
    }
    assert.ok(found, 'a chat with a long history among the first people of All');
    // Away from the end, as after a language switch or reading older messages.
    await page.getByTestId('history').evaluate((el) => (el.scrollTop = 0));
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="history"]');
      return el && el.scrollHeight - el.scrollTop - el.clientHeight > 300;
    });

    const text = `e2e shown ${Date.now()}`;
    await page.getByTestId('composer-input').fill(text);
    await page.keyboard.press('Control+Enter');
    const msg = page.locator('[data-testid="history"] [data-testid="message"]').filter({ hasText: text });
    await msg.waitFor({ timeout: 8000 });
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="history"]');
      return el && el.scrollHeight - el.scrollTop - el.clientHeight < 60;
    });
    const hist = await box(page.getByTestId('history'));
    const sent = await box(msg);
    assert.ok(sent.top >= hist.top && sent.bottom <= hist.bottom + 1, `the message sent is in view (${JSON.stringify({ sent, hist })})`);

    // The demo channels have no token: the queued message says so, not just a clock.
    assert.equal(await msg.getByTestId('msg-status').getAttribute('data-status'), 'queued');
    assert.match(await msg.getByTestId('msg-wait').textContent(), /is not connected \(no token or stopped\)/);
    assert.match(await msg.getByTestId('msg-status').getAttribute('title'), /^Queued: .*not connected/);

    // Its "…" menu opens upwards: both items are inside the history.
    await msg.hover();
    await msg.getByTestId('msg-menu').click();
    const menu = msg.getByTestId('msg-menu-popup');
    await menu.waitFor();
    assert.equal(await menu.getAttribute('data-placement'), 'up');
    for (const name of ['Edit', 'Delete']) {
      const b = await box(menu.getByRole('menuitem', { name }));
      assert.ok(b.top >= hist.top && b.bottom <= hist.bottom, `${name} is inside the history (${JSON.stringify({ b, hist })})`);
    }
    await shot(page, 'daily-01-sent-menu');
    await page.keyboard.press('Escape');
  });

  spec('daily: an empty list shows a new client live; their messages follow the end, or show "New messages" while reading older ones', async ({ page }) => {
    const api = await fakeBotWithClients();
    const stamp = Date.now();
    const client = `Olga E2E ${stamp}`;
    const fromId = 700000000 + (stamp % 100000000);
    let connected = false;
    try {
      await page.getByTestId('open-settings').click();
      await page.getByTestId('settings').waitFor();
      await page.getByTestId('add-telegram').click();
      const dialog = page.getByTestId('add-channel-dialog');
      await dialog.getByTestId('token-input').fill(TOKEN);
      await dialog.getByTestId('api-url-input').fill(api.url);
      await dialog.getByTestId('check-token').click();
      await dialog.getByTestId('bot-info').waitFor();
      await dialog.getByTestId('connect-channel').click();
      // Without a keyring nothing can be connected (the settings specs cover that case).
      assert.equal(await page.getByTestId('keyring-warning').count(), 0, 'this spec needs the desktop session’s keyring');
      await dialog.waitFor({ state: 'detached' });
      connected = true;
      await page.waitForFunction(
        () =>
          /Receiving messages|Connected/.test(
            [...document.querySelectorAll('[data-testid="channel-row"]')]
              .find((r) => r.textContent.includes('E2E Daily Bot'))
              ?.querySelector('[data-testid="channel-status"]')?.textContent ?? '',
          ),
        null,
        { timeout: 15000 },
      );
      await page.keyboard.press('Escape');
      await page.getByTestId('settings').waitFor({ state: 'detached' });

      // A list that starts empty (nobody by that name yet) shows the client live when they write
      // a long first conversation, without switching tabs.
      await openTab(page, 'all');
      await search(page, client);
      assert.equal(await rows(page).count(), 0, 'nobody by that name yet');
      await page.getByTestId('people-list').getByText('Nobody here').waitFor();
      for (let i = 1; i <= 40; i++) api.pushText(fromId, client, `message ${i} of ${stamp}`);
      await rows(page).filter({ hasText: client }).first().waitFor({ timeout: 15000 });
      await rows(page).filter({ hasText: client }).first().click();
      const history = page.locator('[data-testid="history"] [data-testid="message"]');
      await history.filter({ hasText: `message 40 of ${stamp}` }).waitFor({ timeout: 15000 });
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="history"]');
        return el && el.scrollHeight - el.clientHeight > 400 && el.scrollHeight - el.scrollTop - el.clientHeight < 60;
      });

      // At the end: an arrival scrolls.
      api.pushText(fromId, client, `at the end ${stamp}`);
      await history.filter({ hasText: `at the end ${stamp}` }).waitFor({ timeout: 15000 });
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="history"]');
        return el && el.scrollHeight - el.scrollTop - el.clientHeight < 60;
      });
      assert.equal(await page.getByTestId('new-messages').count(), 0, 'no marker at the end');

      // Reading older messages: an arrival does not move the view, a marker says it came.
      await page.getByTestId('history').evaluate((el) => (el.scrollTop = 0));
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="history"]');
        return el && el.scrollTop === 0 && el.scrollHeight - el.clientHeight > 300;
      });
      api.pushText(fromId, client, `while reading ${stamp}`);
      const marker = page.getByTestId('new-messages');
      await marker.waitFor({ timeout: 15000 });
      assert.match(await marker.textContent(), /New messages/);
      assert.ok((await gapToEnd(page)) > 300, 'the view stayed where the manager reads');
      await shot(page, 'daily-02-new-messages');
      await marker.click();
      await marker.waitFor({ state: 'detached' });
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="history"]');
        return el && el.scrollHeight - el.scrollTop - el.clientHeight < 60;
      });
      await history.filter({ hasText: `while reading ${stamp}` }).waitFor();
    } finally {
      // Leave no bot polling: the channel is removed (it had chats, so it stays listed, off).
      if (connected) await removeChannel(page, 'E2E Daily Bot').catch((e) => console.log(`     cleanup: ${e.message}`));
      await api.close();
    }
  });
}
