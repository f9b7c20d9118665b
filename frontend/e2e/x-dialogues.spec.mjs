// Dialogues (issue 12), registered into e2e/run.mjs: an admin fills the lists in Settings →
// Dialogues, a manager opens a dialogue in a client's chat from them, closes it with a one-tap
// rating request, the client taps 5 (then 2: the first tap wins) in the messenger, and the chat
// shows the client's rating, in English and in Russian; the manager rates the client too.
// The client's side is a fake Telegram Bot API served from this process: it records the
// request's inline keyboard and delivers taps as callback_query updates, as Telegram does, and
// expects them answered (answerCallbackQuery). The bot is removed at the end, as in
// x-daily.spec.mjs. Alone: E2E_ONLY=dialogues E2E_PORT=… bash scripts/e2e.sh
import assert from 'node:assert/strict';
import http from 'node:http';
import { listSettled, openTab, removeChannel, rows, search, shot } from './helpers.mjs';

const TOKEN = '525252:AAE-e2e-dialogues-token_abcdefghijk';
const BOT_NAME = 'E2E Dialogues Bot';

/** A fake Bot API: getUpdates serves pushed updates by offset; sendMessage and
 * answerCallbackQuery are recorded. */
async function fakeBot() {
  const updates = [];
  const waiting = new Set();
  const sent = [];
  const answered = [];
  let nextMessageId = 1;
  const push = (u) => {
    updates.push({ update_id: updates.length + 1, ...u });
    for (const w of [...waiting]) w();
  };
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
      if (method === 'getMe') return send(200, { ok: true, result: { id: 525252, is_bot: true, first_name: BOT_NAME, username: 'e2e_dialogues_bot' } });
      if (method === 'getWebhookInfo') return send(200, { ok: true, result: { url: '', has_custom_certificate: false, pending_update_count: 0 } });
      if (method === 'getUpdates') {
        const offset = Number(params.get('offset') || '0');
        const answer = () => send(200, { ok: true, result: updates.filter((u) => u.update_id >= offset).slice(0, 100) });
        if (updates.some((u) => u.update_id >= offset)) return answer();
        const w = () => {
          waiting.delete(w);
          answer();
        };
        waiting.add(w);
        setTimeout(w, 1000);
        return;
      }
      if (method === 'sendMessage') {
        const chatId = Number(params.get('chat_id'));
        const markup = params.get('reply_markup') ? JSON.parse(params.get('reply_markup')) : null;
        const msg = {
          message_id: 1000 + nextMessageId++,
          from: { id: 525252, is_bot: true, first_name: BOT_NAME },
          chat: { id: chatId, type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: params.get('text'),
        };
        sent.push({ ...msg, reply_markup: markup });
        return send(200, { ok: true, result: msg });
      }
      if (method === 'answerCallbackQuery') {
        const id = params.get('callback_query_id');
        const first = !answered.includes(id);
        answered.push(id);
        return first
          ? send(200, { ok: true, result: true })
          : send(400, { ok: false, error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
      }
      return send(400, { ok: false, error_code: 400, description: `Bad Request: method ${method} is not served by this fake` });
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  let nextQuery = 4382961540000;
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    sent,
    answered,
    pushText(fromId, firstName, text) {
      push({
        message: {
          message_id: nextMessageId++,
          from: { id: fromId, is_bot: false, first_name: firstName, language_code: 'en' },
          chat: { id: fromId, first_name: firstName, type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text,
        },
      });
    },
    /** The client taps the button labelled label under the bot's message msg. */
    tap(fromId, firstName, msg, label) {
      const button = msg.reply_markup.inline_keyboard.flat().find((b) => b.text === label);
      assert.ok(button, `the request has a button ${label}`);
      const id = String(nextQuery++);
      push({
        callback_query: {
          id,
          from: { id: fromId, is_bot: false, first_name: firstName, language_code: 'en' },
          message: { ...msg, reply_markup: msg.reply_markup },
          chat_instance: '-8835216723432216161',
          data: button.callback_data,
        },
      });
      return id;
    },
    close: () => new Promise((r) => srv.close(r)),
  };
}

/** Polls a condition of this process (the fake's records) until it holds. */
async function until(what, cond, timeout = 15000) {
  const deadline = Date.now() + timeout;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setLocale(page, locale) {
  await page.getByTestId(`lang-${locale}`).click();
  const first = locale === 'ru' ? 'Важные' : 'Important';
  await page.waitForFunction((w) => document.querySelector('[data-testid="tab-important"]')?.textContent?.startsWith(w), first);
}

async function openSettings(page, section) {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings').waitFor();
  await page.getByTestId(`settings-nav-${section}`).click();
}

async function closeSettings(page) {
  await page.keyboard.press('Escape');
  await page.getByTestId('settings').waitFor({ state: 'detached' });
}

export default function register({ spec }) {
  spec('dialogues: open from the admin’s lists, close with a rating request, the client’s tap shows in both languages', async ({ page }) => {
    const api = await fakeBot();
    const stamp = Date.now();
    const client = `Vera E2E ${stamp}`;
    const fromId = 710000000 + (stamp % 10000000);
    const type = `Billing ${stamp}`;
    let connected = false;
    try {
      // The bot.
      await openSettings(page, 'channels');
      await page.getByTestId('add-telegram').click();
      const dialog = page.getByTestId('add-channel-dialog');
      await dialog.getByTestId('token-input').fill(TOKEN);
      await dialog.getByTestId('api-url-input').fill(api.url);
      await dialog.getByTestId('check-token').click();
      await dialog.getByTestId('bot-info').waitFor();
      await dialog.getByTestId('connect-channel').click();
      assert.equal(await page.getByTestId('keyring-warning').count(), 0, 'this spec needs the desktop session’s keyring');
      await dialog.waitFor({ state: 'detached' });
      connected = true;

      // The lists, as an admin fills them.
      await page.getByTestId('settings-nav-dialogues').click();
      const lists = page.getByTestId('settings-dialogues');
      for (const [kind, name] of [
        ['type', type],
        ['reason', 'Double charge'],
        ['component', 'Checkout'],
      ]) {
        await lists.getByTestId(`dlg-add-name-${kind}`).fill(name);
        await lists.getByTestId(`dlg-add-${kind}`).click();
        await lists.getByTestId(`dlg-list-${kind}`).locator('[data-testid="dlg-option-name"]').first().waitFor();
      }
      await shot(page, 'dialogues-01-settings-lists');
      await closeSettings(page);

      // The client writes; the manager opens their chat and a dialogue in it.
      await openTab(page, 'all');
      await search(page, client);
      api.pushText(fromId, client, `My card was charged twice ${stamp}`);
      await rows(page).filter({ hasText: client }).first().waitFor({ timeout: 15000 });
      await rows(page).filter({ hasText: client }).first().click();
      const bar = page.getByTestId('dialogue-bar');
      await bar.getByText('No dialogue in this chat').waitFor();
      await bar.getByTestId('dialogue-new').click();
      const form = page.getByTestId('dialogue-form');
      await form.getByTestId('dialogue-type').selectOption(type);
      await form.getByTestId('dialogue-reasons').getByLabel('Double charge').check();
      await form.getByTestId('dialogue-components').getByLabel('Checkout').check();
      await form.getByTestId('dialogue-status-new').selectOption('in_progress');
      await form.getByTestId('dialogue-save').click();
      await form.waitFor({ state: 'detached' });
      await page.waitForFunction(() => document.querySelector('[data-testid="dialogue-bar"]')?.getAttribute('data-status') === 'in_progress');
      assert.equal(await bar.getByTestId('dialogue-type-shown').textContent(), type);
      assert.match(await bar.getByTestId('dialogue-reasons-shown').textContent(), /Double charge/);

      // Close it with the rating request; the bot sends it with buttons 1–5.
      await bar.getByTestId('dialogue-close').click();
      const close = page.getByTestId('dialogue-close-form');
      assert.ok(await close.getByTestId('dialogue-ask-rating').isChecked(), 'asking for a rating is the default');
      await close.getByTestId('dialogue-request-text').fill(`How did we do? ${stamp}`);
      await close.getByTestId('dialogue-close-confirm').click();
      await close.waitFor({ state: 'detached' });
      await until('the rating request sent', () => api.sent.some((m) => m.text === `How did we do? ${stamp}`));
      const request = api.sent.find((m) => m.text === `How did we do? ${stamp}`);
      assert.deepEqual(
        request.reply_markup.inline_keyboard.flat().map((b) => b.text),
        ['1', '2', '3', '4', '5'],
      );
      await page.waitForFunction(() => document.querySelector('[data-testid="dialogue-bar"]')?.getAttribute('data-status') === 'closed');
      assert.equal(await bar.getByTestId('dialogue-client-rating').textContent(), 'asked, no answer yet');

      // The client taps 5, then 2: the first tap wins; both taps are answered.
      const first = api.tap(fromId, client, request, '5');
      await page.waitForFunction(() => document.querySelector('[data-testid="dialogue-client-rating"]')?.getAttribute('data-score') === '5', null, {
        timeout: 15000,
      });
      const again = api.tap(fromId, client, request, '2');
      await until('both taps answered', () => api.answered.includes(first) && api.answered.includes(again));
      const indicator = page.locator('[data-testid="history"] [data-testid="indicator"].ind-client_rating');
      await indicator.waitFor();
      assert.equal(await indicator.count(), 1, 'one rating shown: the repeated tap changed nothing');
      assert.equal(await indicator.getByTestId('ind-score').getAttribute('data-score'), '5');
      assert.match(await indicator.textContent(), /The client rated the dialogue/);
      assert.match(await bar.getByTestId('dialogue-client-rating').textContent(), /5 of 5/);

      // The manager rates the client.
      await bar.getByTestId('dialogue-rate-4').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="dialogue-manager-rating"]')?.getAttribute('data-score') === '4');
      await shot(page, 'dialogues-02-rated-en');

      // The same, in Russian.
      await setLocale(page, 'ru');
      try {
        await page.waitForFunction(() => /Оценка клиента/.test(document.querySelector('[data-testid="dialogue-bar"]')?.textContent ?? ''));
        assert.match(await bar.getByTestId('dialogue-client-rating').textContent(), /5 из 5/);
        assert.match(await bar.getByTestId('dialogue-status').inputValue(), /^closed$/);
        assert.match(await bar.textContent(), /Закрыт/);
        assert.match(await indicator.textContent(), /Клиент оценил диалог/);
        assert.match(await indicator.getByTestId('ind-score').textContent(), /5 из 5/);
        await shot(page, 'dialogues-03-rated-ru');
      } finally {
        await setLocale(page, 'en');
      }

      // Reopening starts a new cycle of the same dialogue, unrated.
      await bar.getByTestId('dialogue-reopen').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="dialogue-bar"]')?.getAttribute('data-status') === 'open');
      assert.match(await bar.textContent(), /cycle 2/);
      assert.equal(await bar.getByTestId('dialogue-client-rating').textContent(), 'not rated');
      // Each cycle keeps its own ratings.
      await bar.getByTestId('dialogue-history-toggle').click();
      const cycles = bar.getByTestId('dialogue-history-row');
      await cycles.nth(1).waitFor();
      assert.deepEqual(await cycles.evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-cycle'), r.getAttribute('data-client-score')])), [
        ['2', '0'],
        ['1', '5'],
      ]);
      assert.match(await cycles.nth(1).textContent(), /5 of 5.*4 of 5/);
      await shot(page, 'dialogues-04-cycles');

      // The "open dialogue" filter: the reopened dialogue lists the client, closing it drops them.
      await page.getByTestId('filters-toggle').click();
      await page.getByTestId('filter-more').click();
      await page.getByTestId('filter-active-dialogues').check();
      await page.getByTestId('filter-apply').click();
      await listSettled(page);
      assert.deepEqual(
        await rows(page)
          .allTextContents()
          .then((ts) => ts.filter((x) => x.includes(client)).length),
        1,
      );
      await bar.getByTestId('dialogue-close').click();
      await page.getByTestId('dialogue-ask-rating').uncheck();
      await page.getByTestId('dialogue-close-confirm').click();
      await page.waitForFunction((name) => ![...document.querySelectorAll('[data-testid="person-row"]')].some((r) => r.textContent.includes(name)), client);
      assert.equal(api.sent.length, 1, 'closing without a request sends nothing');
    } finally {
      // Leave no bot polling: the channel is removed (it had chats, so it stays listed, off).
      if (connected) await removeChannel(page, BOT_NAME).catch((e) => console.log(`     cleanup: ${e.message}`));
      await api.close();
    }
  });
}
