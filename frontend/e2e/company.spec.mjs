// E2E spec of the company's settings on a team desktop, registered into e2e/run.mjs: signed in
// to a real hub as a manager (not an admin), Settings shows the chat templates, the dialogue
// lists, the lead links and the channels read-only and offers no "read all", worded in English
// and Russian; the hub would refuse a manager's change anyway. It leaves the hub at the end, so
// later specs meet a solo app.
import assert from 'node:assert/strict';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startHub } from './team.spec.mjs';

const MANAGER = { email: 'mila.e2e@example.com', name: 'Mila Manager', password: 'e2e manager password 1' };
const NOTE = {
  en: 'Only an administrator of the team can change these.',
  ru: 'Изменять это может только администратор команды.',
};

/** Adds the manager's account through the hub's API, as its admin. */
async function addManager(hubUrl) {
  const json = { 'Content-Type': 'application/json' };
  const login = await fetch(`${hubUrl}/api/v1/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  assert.equal(login.status, 200, 'the admin signs in');
  const { token } = await login.json();
  const res = await fetch(`${hubUrl}/api/v1/users`, {
    method: 'POST',
    headers: { ...json, Authorization: `Bearer ${token}` },
    body: JSON.stringify({ email: MANAGER.email, name: MANAGER.name, avatarUrl: '', role: 'manager', password: MANAGER.password }),
  });
  assert.equal(res.status, 201, 'the manager is added');
}

export default function register({ spec, shot }) {
  const openSection = async (page, id) => {
    await page.getByTestId(`settings-nav-${id}`).click();
  };

  spec('company settings: a team manager reads templates, dialogue lists, lead links and channels without changing them', async ({ page, dialogs }) => {
    const hub = await startHub();
    let connected = false;
    try {
      await addManager(hub.url);
      await page.getByTestId('open-settings').click();
      await page.getByTestId('settings').waitFor();
      // Solo: the one manager of this desktop changes everything.
      await openSection(page, 'templates');
      await page.getByTestId('tpl-add').waitFor();

      await openSection(page, 'team');
      const form = page.getByTestId('team-connect-form');
      await form.getByTestId('team-url').fill(hub.url);
      await form.getByTestId('team-email').fill(MANAGER.email);
      await form.getByTestId('team-password').fill(MANAGER.password);
      await form.getByTestId('team-connect').click();
      await page.getByTestId('team-connected').waitFor();
      connected = true;
      assert.equal(await page.getByTestId('team-role').textContent(), 'Manager');

      const readOnly = async (locale) => {
        for (const [section, note, gone] of [
          ['templates', 'tpl-read-only', ['tpl-add', 'tpl-edit', 'tpl-delete']],
          ['dialogues', 'dlg-read-only', ['dlg-add-type', 'dlg-option-delete']],
          ['leadLinks', null, ['ll-add', 'll-delete']],
          ['channels', 'channels-read-only', ['add-telegram', 'add-vk', 'channel-remove']],
          ['company', 'company-read-only', ['read-all']],
        ]) {
          await openSection(page, section);
          if (note) assert.equal(await page.getByTestId(note).textContent(), NOTE[locale], `${section}: the note`);
          for (const id of gone) assert.equal(await page.getByTestId(id).count(), 0, `${section}: ${id} is not offered`);
        }
      };
      await readOnly('en');
      await openSection(page, 'templates');
      await page.getByTestId('tpl-read-only').waitFor();
      await shot(page, 'company-01-read-only-en');

      await page.keyboard.press('Escape');
      await page.getByTestId('settings').waitFor({ state: 'detached' });
      await page.getByTestId('lang-ru').click();
      try {
        await page.getByTestId('open-settings').click();
        await page.getByTestId('settings').waitFor();
        await readOnly('ru');
        await openSection(page, 'dialogues');
        await page.getByTestId('dlg-read-only').waitFor();
        await shot(page, 'company-02-read-only-ru');
      } finally {
        await page.keyboard.press('Escape');
        await page.getByTestId('lang-en').click();
      }

      // Leave the hub: solo again, everything can be changed again.
      await page.getByTestId('open-settings').click();
      await page.getByTestId('settings').waitFor();
      await openSection(page, 'team');
      await page.getByTestId('team-leave').click();
      await page.getByTestId('team-leave-confirm').click();
      await page.getByTestId('team-connect-form').waitFor();
      connected = false;
      await page.keyboard.press('Escape');
      await page.getByTestId('settings').waitFor({ state: 'detached' });
      await page.getByTestId('open-settings').click();
      await openSection(page, 'templates');
      await page.getByTestId('tpl-add').waitFor();
      assert.deepEqual(dialogs, [], 'no dialog fired');
      await page.keyboard.press('Escape');
    } finally {
      if (connected) await page.evaluate(() => window.go?.app?.Team?.LeaveHub?.()).catch(() => undefined);
      await hub.close();
    }
  });
}
