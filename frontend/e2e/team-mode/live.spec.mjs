// Team mode in the browser (scripts/e2e-team.sh): the UI is Vera's desktop, a replica of a real
// hub; Oleg's desktop is `switchboard-hub replica` without a window, and Oleg also acts through
// the hub's API with his own session, as his desktop would. Nothing here is faked: the hub polls
// a fake Telegram bot, and every row the UI shows came through the hub's feed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HUB = process.env.E2E_HUB;
const HUB_BIN = process.env.E2E_HUB_BIN;
const OLEG_DATA = process.env.E2E_OLEG_DATA;
const TG_LOG = process.env.E2E_TG_LOG;

/** Oleg's session on the hub (the API his desktop uses). */
async function olegSession() {
  const res = await fetch(`${HUB}/api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'oleg@example.com', password: 'oleg-password-1' }),
  });
  assert.equal(res.status, 200, 'Oleg signs in');
  return (await res.json()).token;
}

/** The hub's state as Oleg's snapshot shows it: people, chats and managers by name. */
async function hubState(token) {
  const res = await fetch(`${HUB}/api/v1/snapshot`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, 'snapshot');
  const { rows } = await res.json();
  const person = (name) => rows.people.find((p) => p.name === name);
  const chatOf = (name) => rows.chats.find((c) => c.personId === person(name)?.id);
  const manager = (name) => rows.managers.find((m) => m.name === name);
  return { rows, person, chatOf, manager };
}

let mutations = 0;
async function mutate(token, m) {
  const res = await fetch(`${HUB}/api/v1/mutations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-oleg-${process.pid}:${++mutations}` },
    body: JSON.stringify(m),
  });
  assert.equal(res.status, 200, `mutation ${m.kind}: ${await res.clone().text()}`);
}

/** Oleg's desktop says what he does in a chat (the hub's presence route, as on the long-poll fallback). */
async function presence(token, chatId, state) {
  const res = await fetch(`${HUB}/api/v1/presence`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'presence', chatId, state }),
  });
  assert.ok(res.status >= 200 && res.status < 300, `presence ${state}: ${res.status} ${await res.text()}`);
}

/** What Oleg's replica holds of a chat, as `switchboard-hub history` prints it. */
async function olegHistory(chatId) {
  const { stdout } = await run(HUB_BIN, ['history', '--data', OLEG_DATA, '--chat', String(chatId), '--limit', '100']);
  return stdout;
}

async function until(what, cond, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function openPerson(page, name) {
  await page.locator('[data-testid="person-row"]', { hasText: name }).first().click();
  await page.getByTestId('composer').waitFor();
}

const historyText = (page) => page.getByTestId('history').innerText();

export default function register({ spec, shot, rowNames }) {
  spec('team: the desktop shows the hub’s clients, not its solo inbox', async ({ page }) => {
    await until('both clients of the hub', async () => (await rowNames(page)).length === 2);
    const names = await rowNames(page);
    assert.deepEqual([...names].sort(), ['Client 1', 'Client 2'], `rows ${names}`);
    await shot(page, 'team-01-list');
  });

  spec('team: a message from the other desktop appears live; a reply reaches it once', async ({ page }) => {
    const token = await olegSession();
    const { chatOf } = await hubState(token);
    const chat = chatOf('Client 1');
    assert.ok(chat, 'Client 1 has a chat at the hub');
    await openPerson(page, 'Client 1');
    // Oleg writes from his desktop: his replica queues it, the hub sends it, the feed brings it here.
    const fromOleg = `Oleg here ${Date.now()}`;
    await run(HUB_BIN, ['send', '--data', OLEG_DATA, '--chat', String(chat.id), '--text', fromOleg]);
    await until('Oleg’s message in the open chat', async () => (await historyText(page)).includes(fromOleg));
    assert.match(await historyText(page), /Oleg/, 'the message is signed with its manager');
    // Vera answers in the UI: once to the client, and once on Oleg's desktop.
    const fromVera = `Vera answers ${Date.now()}`;
    await page.getByTestId('composer-input').fill(fromVera);
    await page.keyboard.press('Control+Enter');
    await until('Vera’s reply on Oleg’s desktop', async () => (await olegHistory(chat.id)).includes(fromVera));
    await until('Vera’s reply sent to the client', async () => (await readFile(TG_LOG, 'utf8')).includes(fromVera));
    const log = await readFile(TG_LOG, 'utf8');
    assert.equal(log.split(fromVera).length - 1, 1, 'the client got the reply exactly once');
    assert.equal((await olegHistory(chat.id)).split(fromVera).length - 1, 1, 'Oleg’s desktop holds it once');
    await shot(page, 'team-02-two-desktops');
  });

  spec('team: a tag from another manager reaches the tagged one; the panel opens the chat (en, ru)', async ({ page }) => {
    const token = await olegSession();
    const { chatOf, manager } = await hubState(token);
    const chat = chatOf('Client 2');
    const vera = manager('Vera');
    assert.ok(chat && vera, 'Client 2 and Vera at the hub');
    const comment = `Vera, please call <b>back</b> ${Date.now()}`;
    await mutate(token, { kind: 'note', chatId: chat.id, text: comment, mentions: [vera.id] });
    await page.getByTestId('notify-count').waitFor();
    await page.getByTestId('notify-bell').click();
    const item = page.getByTestId('notify-item').filter({ hasText: 'Oleg' }).first();
    await item.waitFor();
    assert.match(await item.innerText(), /tagged you/, 'worded as a tag');
    // In Russian too (the language switch is outside the panel, which closes: open it again).
    await page.getByTestId('lang-ru').click();
    await page.getByTestId('notify-bell').click();
    await item.waitFor();
    await until('the panel in Russian', async () => /отметил\(а\) вас/.test(await item.innerText()));
    await shot(page, 'team-03-tag-ru');
    await item.getByTestId('notify-open').click();
    await until('the tagged chat open with the comment as text', async () => (await historyText(page)).includes(comment));
    const note = page.locator('[data-testid="message"][data-kind="note"]', { hasText: 'please call' }).first();
    assert.equal(await note.locator('b').count(), 0, 'the comment renders as text, never HTML');
    await page.getByTestId('lang-en').click();
  });

  spec('team: another manager typing shows above the composer, with mine, and goes (en, ru)', async ({ page }) => {
    const token = await olegSession();
    const { chatOf } = await hubState(token);
    const chat = chatOf('Client 1');
    await openPerson(page, 'Client 1');
    const bar = page.getByTestId('presence-bar');
    const lines = () => page.getByTestId('presence-line').allInnerTexts();
    await presence(token, chat.id, 'typing');
    await until('Oleg typing', async () => (await lines()).includes('Oleg is typing…'));
    // Vera types too: one line names both, her first.
    await page.getByTestId('composer-input').pressSequentially('On it');
    await until('both typing', async () => (await lines()).includes('You, Oleg are typing…'));
    await shot(page, 'team-04-typing');
    await page.getByTestId('lang-ru').click();
    await until('in Russian', async () => (await lines()).includes('Вы, Oleg печатают…'));
    await page.getByTestId('lang-en').click();
    await page.getByTestId('composer-input').fill('');
    // Oleg records a voice note, then stops: the line follows, then goes.
    await presence(token, chat.id, 'recording');
    await until('Oleg recording', async () => (await lines()).includes('Oleg is recording a voice note…'));
    await presence(token, chat.id, 'idle');
    await until('nobody typing', async () => (await bar.count()) === 0 || (await lines()).every((l) => !l.includes('Oleg')));
  });
}
