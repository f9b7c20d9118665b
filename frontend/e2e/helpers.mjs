// What every e2e spec file shares: locators and waits on conditions the UI exposes (no fixed
// sleeps). The people list sets aria-busy until its rows and tab counts answer the current query
// and data-search to the search they answer (features/list/PeopleList.tsx).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>Hacker';
const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

export const rows = (page) => page.locator('[data-testid="person-row"]');
// A badge groups thousands ("1,234", "1 234"); only its digits are the count.
export const count = async (page, tab) => Number(((await page.getByTestId(`tab-count-${tab}`).textContent()) || '0').replace(/\D/g, ''));

export async function waitRows(page) {
  await page.getByTestId('person-row').first().waitFor({ timeout: 15000 });
}

/** Waits until the list shows the answer to its current query (rows and counts). */
export async function listSettled(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="people-list"]')?.getAttribute('aria-busy') === 'false');
}

export async function search(page, text) {
  await page.getByTestId('search').fill(text);
  await page.waitForFunction((t) => {
    const el = document.querySelector('[data-testid="people-list"]');
    return el?.getAttribute('data-search') === t && el.getAttribute('aria-busy') === 'false';
  }, text);
}

export async function openTab(page, tab) {
  await page.getByTestId(`tab-${tab}`).click();
  await page.waitForFunction((t) => document.querySelector(`[data-testid="tab-${t}"]`)?.getAttribute('aria-selected') === 'true', tab);
  await listSettled(page);
}

/** Waits until the browser has painted what the last action changed (two animation frames). */
export async function painted(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

export async function openPerson(page, query, name) {
  await openTab(page, 'all');
  await search(page, query);
  await rows(page).filter({ hasText: name }).first().click();
  await page.getByTestId('client-panel').waitFor();
  await page.getByTestId('composer').waitFor();
  await page.locator('[data-testid="history"] [data-testid="message"]').first().waitFor();
}

export const openHostile = (page) => openPerson(page, 'Hacker', 'Hacker');

export async function cardField(page, label) {
  return page.evaluate((lbl) => {
    const dts = [...document.querySelectorAll('[data-testid="client-panel"] dt')];
    const dt = dts.find((d) => d.textContent === lbl);
    return dt?.nextElementSibling?.textContent ?? '';
  }, label);
}

export async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

export async function rowNames(page) {
  return page.locator('[data-testid="row-name"]').allTextContents();
}

/** The history's distance from its end, in pixels. */
export async function gapToEnd(page) {
  return page.getByTestId('history').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
}

/** Removes a connected channel in Settings → Channels (a channel that had chats stays listed, off). */
export async function removeChannel(page, name) {
  if (await page.getByTestId('settings').count()) await page.keyboard.press('Escape');
  await page.getByTestId('open-settings').click();
  const row = page.getByTestId('channel-row').filter({ hasText: name });
  await row.getByTestId('channel-remove').click();
  await page.getByTestId('confirm-yes').click();
  await page.waitForFunction((n) => {
    const r = [...document.querySelectorAll('[data-testid="channel-row"]')].find((x) => x.textContent.includes(n));
    return !r || r.classList.contains('off');
  }, name);
  await page.keyboard.press('Escape');
  await page.getByTestId('settings').waitFor({ state: 'detached' });
  await listSettled(page);
}
