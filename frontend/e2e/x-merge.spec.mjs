// E2E spec of "merge people" in the full client card, registered into e2e/run.mjs. It changes the
// demo workspace (two people become one), so its file sorts after the others.
import assert from 'node:assert/strict';

export default function register({ spec, shot, openTab, rows, search }) {
  spec('merge people: the full card merges another person and takes their chats', async ({ page }) => {
    await openTab(page, 'all');
    const keepName = (await rows(page).nth(0).getByTestId('row-name').textContent()) ?? '';
    const otherName = (await rows(page).nth(1).getByTestId('row-name').textContent()) ?? '';
    assert.notEqual(keepName, otherName);
    // Demo names repeat: count the people called otherName before and after.
    const exact = async () => (await page.locator('[data-testid="row-name"]').allTextContents()).filter((n) => n === otherName).length;
    await search(page, otherName);
    const before = await exact();
    await search(page, '');
    await rows(page).filter({ hasText: keepName }).first().click();
    await page.getByTestId('client-panel').waitFor();
    await page.keyboard.press('Control+Shift+S');
    const card = page.getByTestId('full-card');
    await card.waitFor();
    const chatsBefore = await card.locator('.chats-table tr').count();

    await card.getByTestId('merge-open').click();
    await card.getByTestId('merge-search').fill(otherName);
    const candidate = card.getByTestId('merge-candidate').filter({ hasText: otherName }).first();
    await candidate.waitFor();
    await candidate.click();
    await card.getByTestId('merge-confirm').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="full-card"] .chats-table tr').length > n, chatsBefore);
    await shot(page, '14-merged');
    await page.keyboard.press('Escape');

    // One person called otherName fewer in the list.
    await search(page, otherName);
    assert.equal(await exact(), before - 1, `people called ${otherName}`);
  });
}
