// E2E spec of Settings → Team, registered into e2e/run.mjs. It runs a real hub in this process's
// care: `switchboard-hub user add` makes an admin (password on stdin), `switchboard-hub serve
// --listen 127.0.0.1:<free port>` serves the team API on loopback, and the app under test signs
// in to it through the UI. It ends by leaving the hub, so the app is solo again for later specs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HUB_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/bin/switchboard-hub');
export const ADMIN_EMAIL = 'anna.admin@example.com';
const ADMIN_NAME = 'Анна <img src=x onerror=alert(1)> Admin';
export const ADMIN_PASSWORD = 'e2e admin password 1';

/** Runs the hub binary to completion; stdin is written and closed. */
function hubCommand(args, stdin = '') {
  return new Promise((resolve, reject) => {
    const p = spawn(HUB_BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`switchboard-hub ${args[0]} ${args[1] ?? ''}: exit ${code}\n${out}`))));
    p.stdin.end(stdin);
  });
}

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** A real hub on loopback with one admin; close() stops it and removes its data. */
export async function startHub() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sb-e2e-hub-'));
  await hubCommand(['user', 'add', '--data', dir, '--email', ADMIN_EMAIL, '--name', ADMIN_NAME, '--role', 'admin'], `${ADMIN_PASSWORD}\n`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(HUB_BIN, ['serve', '--data', dir, '--listen', `127.0.0.1:${port}`, '--tokens', 'file'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => (log += d));
  const close = async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/api/v1/version`);
      if (res.ok && (await res.json()).product === 'switchboard-hub') break;
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`the hub did not come up:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, dir, close, users: () => hubCommand(['user', 'list', '--data', dir]) };
}

export default function register({ spec, shot }) {
  const openTeam = async (page) => {
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings').waitFor();
    await page.getByTestId('settings-nav-team').click();
    await page.getByTestId('settings-team').waitFor();
  };
  const closeSettings = async (page) => {
    await page.keyboard.press('Escape');
    await page.getByTestId('settings').waitFor({ state: 'detached' });
  };
  const signIn = async (page, url, email, password) => {
    const form = page.getByTestId('team-connect-form');
    await form.getByTestId('team-url').fill(url);
    await form.getByTestId('team-email').fill(email);
    await form.getByTestId('team-password').fill(password);
    await form.getByTestId('team-connect').click();
  };

  spec('team: connect to a real hub, add a manager, wrong password worded in Russian and English, leave', async ({ page, dialogs }) => {
    const hub = await startHub();
    let connected = false;
    try {
      await openTeam(page);
      await page.getByTestId('team-connect-form').waitFor();
      assert.equal(await page.getByTestId('settings-team').getAttribute('data-mode'), 'solo');

      // A wrong password, in English…
      await signIn(page, hub.url, ADMIN_EMAIL, 'not the password');
      const error = page.getByTestId('team-error');
      await error.waitFor();
      assert.equal(await error.textContent(), 'Wrong e-mail or password, or the account is disabled.');
      await shot(page, 'team-01-wrong-password-en');

      // …and in Russian.
      await closeSettings(page);
      await page.getByTestId('lang-ru').click();
      try {
        await openTeam(page);
        assert.equal(await page.getByTestId('settings-nav-team').textContent(), 'Команда');
        await signIn(page, hub.url, ADMIN_EMAIL, 'тоже не тот пароль');
        await page.waitForFunction(
          () => document.querySelector('[data-testid="team-error"]')?.textContent === 'Неверный e-mail или пароль, либо учётная запись отключена.',
        );
        await shot(page, 'team-02-wrong-password-ru');
        await closeSettings(page);
      } finally {
        await page.getByTestId('lang-en').click();
      }

      // The right password: the connected state names the hub, who and the role.
      await openTeam(page);
      await signIn(page, hub.url, ADMIN_EMAIL, ADMIN_PASSWORD);
      const card = page.getByTestId('team-connected');
      await card.waitFor();
      connected = true;
      assert.equal(await card.getByTestId('team-hub-url').textContent(), hub.url);
      assert.match(await card.getByTestId('team-who').textContent(), new RegExp(ADMIN_NAME.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.equal(await card.getByTestId('team-role').textContent(), 'Administrator');
      assert.equal(await page.locator('[data-testid="settings-team"] img').count(), 0, 'the hostile name is text');
      assert.equal(await page.getByTestId('team-user-row').count(), 1, 'the admin sees the users: only themself');

      // Add a manager with a generated password.
      await page.getByTestId('team-add-user').click();
      const dialog = page.getByTestId('team-add-dialog');
      await dialog.getByTestId('team-new-name').fill('Vera Manager');
      await dialog.getByTestId('team-new-email').fill('vera.e2e@example.com');
      await dialog.getByTestId('team-generate-password').click();
      assert.match(await dialog.getByTestId('team-user-password-input').inputValue(), /^\S{16}$/);
      await dialog.getByTestId('team-new-submit').click();
      await dialog.waitFor({ state: 'detached' });
      const vera = page.locator('[data-testid="team-user-row"][data-email="vera.e2e@example.com"]');
      await vera.waitFor();
      assert.equal(await vera.getByTestId('team-user-role').inputValue(), 'manager');
      assert.match(await page.getByTestId('team-users-notice').textContent(), /Vera Manager can now sign in as vera\.e2e@example\.com/);
      await shot(page, 'team-03-connected-admin');
      // The hub itself has the account.
      assert.match(await hub.users(), /vera\.e2e@example\.com\s+Vera Manager\s+manager\s+active/);

      // Leave: a clear warning first, then solo again.
      await page.getByTestId('team-leave').click();
      const warning = await page.getByTestId('team-leave-warning').textContent();
      assert.match(warning, /returns to solo/);
      assert.match(warning, /stops showing the team’s chats/);
      await shot(page, 'team-04-leave-warning');
      await page.getByTestId('team-leave-confirm').click();
      await page.getByTestId('team-connect-form').waitFor();
      connected = false;
      assert.equal(await page.getByTestId('team-notice').textContent(), 'This desktop works solo again.');
      assert.deepEqual(dialogs, [], 'no dialog fired');
      await closeSettings(page);
    } finally {
      if (connected) {
        // Leave anyway, so later specs meet a solo app.
        await page.evaluate(() => window.go?.app?.Team?.LeaveHub?.()).catch(() => undefined);
      }
      await hub.close();
    }
  });
}
