// Browser specs of the rich composer: templates, emoji, the message constructor, reply quote,
// the message menu (edit/delete), drafts across a reload, pasted images and the voice button.
// They run against the demo workspace (switchboard-hub demo --seed 1) through `wails dev`,
// from run.mjs (which loads e2e/*.spec.mjs through the default export) or alone:
// E2E_ONLY=composer E2E_PORT=… bash scripts/e2e.sh   (run.mjs filters by file or name)
import assert from 'node:assert/strict';
import { openHostile, openTab, rows } from './helpers.mjs';

const input = (page) => page.getByTestId('composer-input');

/** Waits until the open chat's draft on disk is text (asked of Go; the composer saves debounced). */
async function draftStored(page, text) {
  const stored = () =>
    page.evaluate(async () => {
      const chatId = Number(document.querySelector('[data-testid="person-row"][aria-selected="true"]')?.getAttribute('data-chat-id'));
      return chatId ? (await window.go.app.Composer.Draft(chatId)).text : null;
    });
  const until = Date.now() + 10000;
  let last = await stored();
  while (last !== text) {
    assert.ok(Date.now() < until, `the draft on disk is ${JSON.stringify(last)}, not ${JSON.stringify(text)}`);
    // Go is asked again on the page's next frames: polling a condition, not a fixed wait.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    last = await stored();
  }
}

/** Each spec: { name, fn({ page, dialogs }) }. */
export const composerSpecs = [
  {
    name: 'composer: a template shows its value on hover and inserts at the caret with the name filled in',
    fn: async ({ page, dialogs }) => {
      await openHostile(page);
      await input(page).fill('Start. End');
      // Caret after "Start. ".
      await input(page).evaluate((el) => el.setSelectionRange(7, 7));
      await page.getByTestId('templates-button').click();
      const item = page.getByTestId('template-item').filter({ hasText: /^Hello$/ });
      await item.hover();
      assert.equal(await page.getByTestId('template-tooltip').textContent(), 'Hello, {name}!');
      await item.click();
      await page.waitForFunction(() => document.querySelector('[data-testid="composer-input"]').value.includes('Hello,'));
      assert.equal(await input(page).inputValue(), `Start. Hello, ${'<img src=x onerror=alert(1)>Hacker'}!End`);
      assert.equal(await page.locator('[data-testid="composer"] img').count(), 0, 'the name stays text');
      assert.deepEqual(dialogs, []);
      await input(page).fill('');
    },
  },
  {
    name: 'composer: the emoji grid is keyboard accessible and inserts at the caret',
    fn: async ({ page }) => {
      await openHostile(page);
      await input(page).fill('Thanks ');
      await page.getByTestId('emoji-button').click();
      await page.getByTestId('emoji-grid').waitFor();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await page.getByTestId('emoji-grid').waitFor({ state: 'detached' });
      assert.equal(await input(page).inputValue(), 'Thanks 😃');
      await input(page).fill('');
    },
  },
  {
    name: 'composer: the constructor builds a message from parts, reorders them and sends it',
    fn: async ({ page }) => {
      await openHostile(page);
      await page.getByTestId('constructor-button').click();
      const dlg = page.getByTestId('constructor');
      await dlg.waitFor();
      // Start empty even if an earlier run left an unfinished message in the draft.
      while ((await dlg.getByTestId('part-remove').count()) > 0) await dlg.getByTestId('part-remove').first().click();
      const stamp = Date.now();
      await dlg.getByTestId('add-link').click();
      await dlg.getByTestId('part-url').fill(`https://example.com/catalog/${stamp}`);
      await dlg.getByTestId('part-title').fill('Catalog');
      await dlg.getByTestId('add-text').click();
      await dlg.getByTestId('part-text').fill(`constructor text ${stamp}`);
      await dlg.getByTestId('add-file').click();
      await dlg.getByTestId('part-file').setInputFiles({ name: 'price list.txt', mimeType: 'text/plain', buffer: Buffer.from('prices\n') });
      await dlg.getByTestId('part-preview').filter({ hasText: 'price list.txt' }).waitFor();
      // Text first: move it up above the link.
      await dlg.getByTestId('part-up').nth(1).click();
      const kinds = await dlg.getByTestId('part').evaluateAll((els) => els.map((e) => e.dataset.kind));
      assert.deepEqual(kinds, ['text', 'link', 'file']);
      // Closing keeps it as a draft; reopening shows it again.
      await dlg.getByTestId('modal-close').click();
      await dlg.waitFor({ state: 'detached' });
      await page.getByTestId('constructor-button').click();
      assert.equal(await dlg.getByTestId('part').count(), 3, 'the unfinished message survived closing');
      await dlg.getByTestId('constructor-save').click();
      await dlg.waitFor({ state: 'detached' });
      const sent = page.locator('[data-testid="message"]').filter({ hasText: `constructor text ${stamp}` });
      await sent.waitFor({ timeout: 8000 });
      const link = page.locator('[data-testid="message"]').filter({ hasText: `https://example.com/catalog/${stamp}` });
      await link.waitFor();
      assert.ok(['queued', 'sending', 'failed', 'sent'].includes(await sent.getByTestId('msg-status').getAttribute('data-status')));
      // Text + link join into one message; the file rides on it.
      assert.equal(await sent.getByTestId('attachment').count(), 1, 'the file is attached to the text');
    },
  },
  {
    name: 'composer: reply shows the quoted message until cancelled or sent',
    fn: async ({ page }) => {
      await openHostile(page);
      const target = page.locator('[data-testid="history"] [data-testid="message"][data-kind="message"]').last();
      const quoted = (await target.getByTestId('msg-text').textContent()) ?? '';
      await target.hover();
      await target.getByTestId('msg-reply').click();
      const quote = page.getByTestId('composer-reply');
      await quote.waitFor();
      assert.ok((await quote.textContent()).includes(quoted.slice(0, 20)), 'the quote shows the message');
      await input(page).focus();
      await page.keyboard.press('Escape');
      await quote.waitFor({ state: 'detached' });
      await target.hover();
      await target.getByTestId('msg-reply').click();
      await quote.waitFor();
      const text = `reply e2e ${Date.now()}`;
      await input(page).fill(text);
      await page.keyboard.press('Control+Enter');
      await quote.waitFor({ state: 'detached' });
      const sent = page.locator('[data-testid="message"]').filter({ hasText: text });
      await sent.waitFor();
      assert.equal(await sent.getByTestId('quote').count(), 1, 'the sent message carries the quote');
    },
  },
  {
    name: 'composer: the message menu offers edit and delete within the windows',
    fn: async ({ page }) => {
      // A chat with a message of ours that reached the messenger (queued ones have nothing to
      // edit yet): the first such among the first people of All.
      await openTab(page, 'all');
      const ours = page
        .locator('[data-testid="history"] [data-testid="message"][data-kind="message"]:not([data-sender="client"])')
        .filter({ has: page.locator('[data-testid="msg-status"][data-status="sent"]') });
      let n = 0;
      for (let i = 0; i < 15 && n === 0; i++) {
        const pid = await rows(page).nth(i).getAttribute('data-person-id');
        await rows(page).nth(i).click();
        // The card of the person clicked is in, and so is their history.
        await page.waitForFunction(
          (id) => document.querySelector('[data-testid="person-row"][aria-selected="true"]')?.getAttribute('data-person-id') === id,
          pid,
        );
        await page.locator('[data-testid="history"]:not([aria-busy]) [data-testid="message"]').first().waitFor();
        n = await ours.count();
      }
      assert.ok(n > 0, 'a chat with sent messages of ours');
      const m = ours.last();
      await m.hover();
      await m.getByTestId('msg-menu').click();
      const menu = m.getByRole('menu');
      await menu.waitFor();
      const edit = menu.getByRole('menuitem', { name: 'Edit' });
      const del = menu.getByRole('menuitem', { name: 'Delete' });
      assert.equal(await edit.count(), 1);
      assert.equal(await del.count(), 1);
      if (await del.isDisabled()) {
        assert.match(await menu.textContent(), /48|24|cannot|can't|no longer|not/i, 'a disabled delete says why');
      }
      if (await edit.isEnabled()) {
        await edit.click();
        const dlg = page.getByTestId('edit-dialog');
        await dlg.waitFor();
        const text = `edited e2e ${Date.now()}`;
        await dlg.locator('textarea').fill(text);
        await dlg.getByRole('button', { name: 'Save' }).click();
        await page.locator('[data-testid="message"]').filter({ hasText: text }).waitFor({ timeout: 8000 });
      } else {
        await page.keyboard.press('Escape');
      }
    },
  },
  {
    name: 'composer: a draft survives a reload and marks the person in the list',
    fn: async ({ page }) => {
      await openHostile(page);
      const text = `draft e2e ${Date.now()}`;
      await input(page).fill(text);
      // Saved (debounced) once Go has it on disk; then a full reload of the page.
      await draftStored(page, text);
      const hostileRow = () => rows(page).filter({ hasText: 'Hacker' }).first();
      await page.reload();
      await rows(page).first().waitFor({ timeout: 15000 });
      await openHostile(page);
      await page.waitForFunction((t) => document.querySelector('[data-testid="composer-input"]')?.value === t, text, { timeout: 5000 });
      const row = rows(page).filter({ hasText: 'Hacker' }).first();
      assert.equal(await row.getByTestId('row-draft').count(), 1, 'the draft mark shows');
      // Clearing removes the draft and its mark.
      await input(page).fill('');
      await draftStored(page, '');
      await page.reload();
      await rows(page).first().waitFor({ timeout: 15000 });
      await openHostile(page);
      assert.equal(await hostileRow().getByTestId('row-draft').count(), 0);
      assert.equal(await input(page).inputValue(), '');
    },
  },
  {
    name: 'composer: a pasted image goes to the tray and is sent with the text as its caption',
    fn: async ({ page }) => {
      await openHostile(page);
      await input(page).focus();
      await page.evaluate(async () => {
        const c = document.createElement('canvas');
        c.width = 16;
        c.height = 16;
        const g = c.getContext('2d');
        g.fillStyle = '#2f6fed';
        g.fillRect(0, 0, 16, 16);
        const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
        const dt = new DataTransfer();
        dt.items.add(new File([blob], 'image.png', { type: 'image/png' }));
        const ev = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
        document.querySelector('[data-testid="composer-input"]').dispatchEvent(ev);
      });
      const item = page.getByTestId('tray-item');
      await item.waitFor();
      assert.equal(await item.getAttribute('data-kind'), 'photo');
      const text = `caption e2e ${Date.now()}`;
      await input(page).fill(text);
      await page.keyboard.press('Control+Enter');
      const sent = page.locator('[data-testid="message"]').filter({ hasText: text });
      await sent.waitFor({ timeout: 8000 });
      assert.equal(await sent.locator('[data-testid="attachment"][data-kind="photo"]').count(), 1);
      // The picture itself shows, read from the data directory through /media/.
      const img = sent.locator('img.att-img');
      await img.waitFor();
      assert.match(await img.getAttribute('src'), /^\/media\/\d+\/0$/);
      await page.waitForFunction((el) => el.complete && el.naturalWidth === 16, await img.elementHandle());
      assert.equal(await page.getByTestId('tray-item').count(), 0, 'the tray empties after sending');
    },
  },
  {
    name: 'composer: a file dropped on the composer is attached; removing it empties the tray',
    fn: async ({ page }) => {
      await openHostile(page);
      await page.evaluate(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['a,b\n1,2\n'], '../../report.csv', { type: 'text/csv' }));
        const target = document.querySelector('[data-testid="composer"]');
        target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      const item = page.getByTestId('tray-item');
      await item.waitFor();
      // The name is only a label: staged under uploads/ without the path.
      assert.equal(await item.locator('.cx-tray-name').textContent(), 'report.csv');
      await item.getByTestId('tray-remove').click();
      await item.waitFor({ state: 'detached' });
    },
  },
  {
    name: 'composer: the voice button records or says clearly that there is no microphone',
    fn: async ({ page }) => {
      await openHostile(page);
      const btn = page.getByTestId('voice-button');
      const box = await btn.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      // Either the native recorder starts (a machine with a microphone) or a clear error shows.
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="voice-button"]')?.dataset.phase === 'recording' || !!document.querySelector('[data-testid="composer-error"]'),
        null,
        { timeout: 8000 },
      );
      if ((await btn.getAttribute('data-phase')) === 'recording') {
        // Elapsed time and a level meter while held; Esc discards.
        await page.getByTestId('voice-status').waitFor();
        await page.getByTestId('voice-meter').waitFor();
        await page.keyboard.press('Escape');
        await page.waitForFunction(() => document.querySelector('[data-testid="voice-button"]')?.dataset.phase === 'idle');
        await page.mouse.up();
        const before = await page.getByTestId('audio-player').count();
        // Hold ~1.5 s and release: the note is sent and plays back in the history.
        await page.mouse.down();
        await page.waitForFunction(() => document.querySelector('[data-testid="voice-button"]')?.dataset.phase === 'recording');
        await page.waitForFunction(() => /^0:01/.test(document.querySelector('[data-testid="voice-elapsed"]')?.textContent ?? ''), null, { timeout: 5000 });
        await page.mouse.up();
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid="audio-player"]').length > n, before, { timeout: 8000 });
        const player = page.getByTestId('audio-player').last();
        assert.equal(await player.getAttribute('data-state'), null, 'the note is on disk');
        const src = await player.getAttribute('data-src');
        assert.match(src, /^\/media\/\d+\/0$/);
        const res = await page.request.get(new globalThis.URL(src, page.url()).href);
        assert.equal(res.status(), 200);
        assert.equal(res.headers()['content-type'], 'audio/ogg');
        assert.equal((await res.body()).subarray(0, 4).toString(), 'OggS');
        await player.getByTestId('audio-progress').waitFor();
      } else {
        await page.mouse.up();
        assert.match(await page.getByTestId('composer-error').textContent(), /microphone/i);
      }
    },
  },
];

/** run.mjs registers feature specs through this. */
export default function register({ spec }) {
  for (const s of composerSpecs) spec(s.name, s.fn);
}
