// E2E spec of the presence line above the composer (features/presence), in the app under test:
// typing in the composer shows "You are typing…" (in English and in Russian) and it goes a few
// seconds after the typing stops; the Go bindings answer (solo: nobody else, SetPresence accepted).
// Other desktops' presence through a hub is proven by backend/replica/presence_test.go (a hub and
// two replica engines on loopback): the app under `wails dev` becomes a replica only after a
// restart, which this harness cannot do to the process it drives.
import assert from 'node:assert/strict';

export default function register({ spec, shot, openHostile }) {
  const input = (page) => page.getByTestId('composer-input');
  const line = (page) => page.getByTestId('presence-line');

  spec('presence: "You are typing…" above the composer while typing, in English and Russian, gone after typing stops', async ({ page, dialogs }) => {
    await openHostile(page);
    // Solo: Go knows nobody else and takes this desktop's presence without a word.
    const solo = await page.evaluate(async () => {
      const chatId = Number(document.querySelector('[data-testid="person-row"][aria-selected="true"]')?.getAttribute('data-chat-id'));
      await window.go.app.Workspace.SetPresence(chatId, 'typing');
      return window.go.app.Workspace.Presence();
    });
    assert.deepEqual(solo, []);
    assert.equal(await page.getByTestId('presence-bar').count(), 0, 'nothing is said before typing');

    await input(page).pressSequentially('Hello', { delay: 20 });
    await line(page).waitFor();
    assert.equal(await line(page).textContent(), 'You are typing…');
    await shot(page, 'presence-01-typing-en');
    // A few seconds after the last keystroke the line goes by itself.
    const stopped = Date.now();
    await page.getByTestId('presence-bar').waitFor({ state: 'detached', timeout: 10_000 });
    const gone = Date.now() - stopped;
    assert.ok(gone >= 2500, `the line went ${gone} ms after typing stopped, too soon`);

    await page.getByTestId('lang-ru').click();
    try {
      await input(page).pressSequentially(' мир', { delay: 20 });
      await line(page).waitFor();
      assert.equal(await line(page).textContent(), 'Вы печатаете…');
      await shot(page, 'presence-02-typing-ru');
    } finally {
      await page.getByTestId('lang-en').click();
    }
    await input(page).fill('');
    await page.getByTestId('presence-bar').waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(dialogs, []);
  });

  spec('presence: holding the voice button says "You are recording a voice note…"; discarding ends it', async ({ page }) => {
    await openHostile(page);
    const btn = page.getByTestId('voice-button');
    const box = await btn.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    try {
      // The e2e app records from the null audio backend (scripts/e2e.sh), so recording starts.
      await page.waitForFunction(() => document.querySelector('[data-testid="voice-button"]')?.dataset.phase === 'recording', null, { timeout: 8000 });
      await line(page).waitFor();
      assert.equal(await line(page).textContent(), 'You are recording a voice note…');
      await shot(page, 'presence-05-recording-en');
      await page.keyboard.press('Escape');
      await page.getByTestId('presence-bar').waitFor({ state: 'detached', timeout: 5000 });
    } finally {
      await page.mouse.up();
    }
  });

  // The others' presence comes from Go as the "presence:changed" event (replica.Presence, every
  // chat). Here the page raises that event itself, as Go would in team mode, with the demo's
  // managers (2 Анна Смирнова, 4 Emily Carter): the UI side of what presence_test.go proves
  // between two replicas.
  spec('presence: others typing and viewing the chat are named above the composer, in English and Russian', async ({ page, dialogs }) => {
    await openHostile(page);
    const emit = (list) =>
      page.evaluate((list) => {
        const chatId = Number(document.querySelector('[data-testid="person-row"][aria-selected="true"]')?.getAttribute('data-chat-id'));
        window.runtime.EventsEmit(
          'presence:changed',
          list.map((p) => ({ ...p, chatId: p.chatId ?? chatId })),
        );
      }, list);
    await emit([
      { managerId: 2, state: 'typing' },
      { managerId: 4, state: 'viewing' },
      { managerId: 3, state: 'typing', chatId: 999999 },
    ]);
    await line(page).waitFor();
    assert.equal(await line(page).textContent(), 'Анна Смирнова is typing…');
    assert.equal(await page.getByTestId('presence-viewers').textContent(), 'Also viewing:ECEmily Carter');
    await input(page).pressSequentially('On it', { delay: 20 });
    await page.waitForFunction(() => document.querySelector('[data-testid="presence-line"]')?.textContent === 'You, Анна Смирнова are typing…');
    await shot(page, 'presence-03-others-en');
    await page.getByTestId('lang-ru').click();
    try {
      await page.waitForFunction(() => document.querySelector('[data-testid="presence-line"]')?.textContent === 'Вы, Анна Смирнова печатают…');
      await emit([{ managerId: 2, state: 'recording' }]);
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('[data-testid="presence-line"]')].map((e) => e.textContent).join('|') ===
          'Вы печатаете…|Анна Смирнова записывает голосовое сообщение…',
      );
      await shot(page, 'presence-04-others-ru');
    } finally {
      await page.getByTestId('lang-en').click();
    }
    await emit([]);
    await input(page).fill('');
    await page.getByTestId('presence-bar').waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(dialogs, []);
  });
}
