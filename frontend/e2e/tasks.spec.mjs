// E2E specs of tasks on a person (the card's Tasks section, the Important tab following them) and
// of chat claims (the chat head's owner and take/release, the mine/unassigned filter), in English
// and in Russian. Registered into e2e/run.mjs. Each spec deletes the tasks it created and releases
// what it claimed, so the specs after it see the demo workspace as it was.
import assert from 'node:assert/strict';

/** Today's date as the date input holds it, in the browser's zone (the app's). */
const today = (page) =>
  page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

export default function register({ spec, shot, openTab, rows, count, listSettled, search }) {
  const importantCount = async (page, want) => {
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="tab-count-important"]')?.textContent || '0') === n, want);
  };

  /** Opens, in the All tab, the first person whose card lists no task at all: not Important. */
  async function openPersonWithoutTasks(page) {
    await openTab(page, 'all');
    for (let i = 0; i < 20; i++) {
      const row = rows(page).nth(i);
      const name = (await row.getByTestId('row-name').textContent()) ?? '';
      await row.click();
      await page.waitForFunction((n) => document.querySelector('[data-testid="card-name"]')?.textContent === n, name);
      await page.getByTestId('tasks').waitFor();
      if ((await page.getByTestId('task').count()) === 0 && (await page.getByTestId('tasks-done-toggle').count()) === 0) return name;
    }
    throw new Error('no person without tasks among the first 20');
  }

  async function addTask(page, title, time) {
    await page.getByTestId('task-add').click();
    const form = page.getByTestId('task-form');
    await form.getByTestId('task-title-input').fill(title);
    await form.getByTestId('task-date').fill(await today(page));
    await form.getByTestId('task-time').fill(time);
    await form.getByTestId('task-save').click();
    await form.waitFor({ state: 'detached' });
    const task = page.getByTestId('task').filter({ hasText: title });
    await task.waitFor();
    return task;
  }

  async function taskFlow(page, words) {
    const name = await openPersonWithoutTasks(page);
    const before = await count(page, 'important');

    // An empty title is refused with the backend's code, worded in the form.
    await page.getByTestId('task-add').click();
    await page.getByTestId('task-save').click();
    assert.equal(await page.getByTestId('task-error').textContent(), words.emptyTitle);
    await page.getByTestId('task-form').getByRole('button', { name: words.cancel }).click();

    // Due today (00:05, so already due whatever the hour): the person joins my Important tab, live.
    const title = `${words.title} ${Date.now()}`;
    const task = await addTask(page, title, '00:05');
    assert.equal(await task.getAttribute('data-done'), 'false');
    assert.match((await task.textContent()) ?? '', words.overdue);
    await importantCount(page, before + 1);
    await shot(page, `20-task-added-${words.locale}`);

    // Completed: out of Important, folded under "Done (1)"; undone: back.
    await task.getByTestId('task-done').click();
    await importantCount(page, before);
    const toggle = page.getByTestId('tasks-done-toggle');
    assert.equal(await toggle.textContent(), words.doneToggle);
    await toggle.click();
    const done = page.getByTestId('tasks-done').getByTestId('task').filter({ hasText: title });
    await done.getByTestId('task-done').click();
    await importantCount(page, before + 1);

    // In the Important tab now.
    await search(page, name);
    await openTab(page, 'important');
    assert.ok((await rows(page).getByTestId('row-name').allTextContents()).includes(name), `${name} is Important`);
    await shot(page, `21-important-${words.locale}`);
    await search(page, '');
    await listSettled(page);

    // Edited to tomorrow: not Important today.
    const open = page.getByTestId('task').filter({ hasText: title });
    await open.getByTestId('task-edit').click();
    const tomorrow = await page.evaluate(() => {
      const d = new Date(Date.now() + 86400000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await page.getByTestId('task-date').fill(tomorrow);
    await page.getByTestId('task-save').click();
    await importantCount(page, before);

    // Deleted: gone from the card.
    await open.getByTestId('task-delete').click();
    await page.getByTestId('task-delete-confirm').click();
    await page.getByTestId('task').filter({ hasText: title }).waitFor({ state: 'detached' });
    await importantCount(page, before);
  }

  spec('tasks: create, complete, undo, edit and delete a task; the Important tab follows', async ({ page }) => {
    await taskFlow(page, {
      locale: 'en',
      title: 'E2E call back',
      cancel: 'Cancel',
      emptyTitle: 'A task needs a title (up to 500 characters).',
      overdue: /overdue since/,
      doneToggle: 'Done (1)',
    });
  });

  spec('tasks in Russian: the same flow, worded in Russian', async ({ page }) => {
    try {
      await page.getByTestId('lang-ru').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="tab-important"]')?.textContent?.startsWith('Важные'));
      await taskFlow(page, {
        locale: 'ru',
        title: 'E2E перезвонить',
        cancel: 'Отмена',
        emptyTitle: 'Задаче нужно название (до 500 символов).',
        overdue: /просрочена с/,
        doneToggle: 'Выполненные (1)',
      });
    } finally {
      await page.getByTestId('lang-en').click();
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="tab-important"]')?.textContent?.startsWith('Important'));
  });

  /**
   * Opens, in the All tab, the first person whose open chat has the owner label want (a RegExp),
   * walking the list with Ctrl+Shift+Down (the list is virtualised: rows beyond the screen are
   * not in the page until reached).
   */
  async function openChatOwned(page, want) {
    await openTab(page, 'all');
    await rows(page).first().click();
    const claim = page.getByTestId('claim');
    await claim.waitFor();
    for (let i = 0; i < 80; i++) {
      if (want.test((await page.getByTestId('chat-owner').textContent()) ?? '')) return (await page.getByTestId('card-name').textContent()) ?? '';
      const chatId = await claim.getAttribute('data-chat-id');
      await page.keyboard.press('Control+Shift+ArrowDown');
      await page.waitForFunction((id) => {
        const c = document.querySelector('[data-testid="claim"]');
        const sel = document.querySelector('[data-testid="person-row"][aria-selected="true"] [data-testid="row-name"]');
        return c && c.getAttribute('data-chat-id') !== id && sel?.textContent === document.querySelector('[data-testid="card-name"]')?.textContent;
      }, chatId);
    }
    throw new Error(`no chat whose owner reads ${want} among the first 80 people`);
  }

  const ownerIs = (page, w) => page.waitForFunction((t) => document.querySelector('[data-testid="chat-owner"]')?.textContent === t, w);

  async function claimFlow(page, words) {
    const all = await count(page, 'all');
    const name = await openChatOwned(page, new RegExp(`^${words.unassigned}$`));
    assert.equal(await page.getByTestId('owner-line').count(), 0, 'no owner line in an unassigned chat');

    await page.getByTestId('claim-take').click();
    await ownerIs(page, words.mine);
    assert.equal(await page.getByTestId('owner-line').count(), 0, 'no owner line in my own chat');
    await shot(page, `22-claimed-${words.locale}`);

    // Mine: only this person (the demo's claims are the other managers').
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('filter-owner').selectOption('mine');
    await page.getByTestId('filter-apply').click();
    await listSettled(page);
    assert.deepEqual(await rows(page).getByTestId('row-name').allTextContents(), [name]);
    assert.equal(await count(page, 'all'), 1);

    // Released: the mine list empties live.
    await page.getByTestId('claim-release').click();
    await ownerIs(page, words.unassigned);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="tab-count-all"]')?.textContent || '0') === 0);
    // Unassigned: fewer than everyone (the other managers hold some), this person among them.
    await page.getByTestId('filter-owner').selectOption('unassigned');
    await page.getByTestId('filter-apply').click();
    await listSettled(page);
    const unassigned = await count(page, 'all');
    assert.ok(unassigned > 0 && unassigned < all, `unassigned ${unassigned} of ${all}`);
    await search(page, name);
    assert.ok((await rows(page).getByTestId('row-name').allTextContents()).includes(name), `${name} is unassigned`);
    await search(page, '');
    await page.getByRole('button', { name: words.reset }).click();
    await listSettled(page);
    assert.equal(await count(page, 'all'), all);
  }

  /** Someone else's chat: its owner is named in the head and above the composer; taking it over makes it mine. */
  async function otherOwnerFlow(page, words) {
    await openChatOwned(page, words.ownedBy);
    const label = (await page.getByTestId('chat-owner').textContent()) ?? '';
    const owner = label.replace(words.ownedBy, '');
    const line = page.getByTestId('owner-line');
    await line.waitFor();
    assert.equal(await line.textContent(), words.line(owner));
    assert.equal(await page.getByTestId('claim-take').textContent(), words.takeOver);
    await shot(page, `23-owned-by-other-${words.locale}`);
    await page.getByTestId('claim-take').click();
    await ownerIs(page, words.mine);
    await line.waitFor({ state: 'detached' });
    await page.getByTestId('claim-release').click();
    await ownerIs(page, words.unassigned);
  }

  spec('claims: take and release a chat; the mine and unassigned filters follow', async ({ page }) => {
    await claimFlow(page, { locale: 'en', unassigned: 'Unassigned', mine: 'Your chat', reset: 'Reset' });
  });

  spec('claims: another manager’s chat names its owner above the composer; taking it over', async ({ page }) => {
    await otherOwnerFlow(page, {
      locale: 'en',
      unassigned: 'Unassigned',
      mine: 'Your chat',
      ownedBy: /^Owner: /,
      takeOver: 'Take over',
      line: (name) => `${name} owns this chat: you are replying in someone else’s chat.`,
    });
  });

  spec('claims in Russian', async ({ page }) => {
    try {
      await page.getByTestId('lang-ru').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="tab-important"]')?.textContent?.startsWith('Важные'));
      await claimFlow(page, { locale: 'ru', unassigned: 'Не назначен', mine: 'Ваш чат', reset: 'Сбросить' });
      await otherOwnerFlow(page, {
        locale: 'ru',
        unassigned: 'Не назначен',
        mine: 'Ваш чат',
        ownedBy: /^Ответственный: /,
        takeOver: 'Забрать себе',
        line: (name) => `Ответственный за этот чат — ${name}: вы отвечаете в чужом чате.`,
      });
    } finally {
      await page.getByTestId('lang-en').click();
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="tab-important"]')?.textContent?.startsWith('Important'));
  });
}
