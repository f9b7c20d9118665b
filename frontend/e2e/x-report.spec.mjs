// The dialogues report (issue 12), registered into e2e/run.mjs: an admin adds a dialogue type,
// a manager opens a dialogue of it in the demo's hostile client's chat, rates the client 4 and
// closes it; the report (header → Reports) then shows it by type with exactly those figures,
// its totals agree by manager and by type for the demo's own dialogues, the CSV export holds
// one row per cycle with the client's name as text, in English and in Russian.
// Alone: E2E_ONLY=x-report E2E_PORT=… bash scripts/e2e.sh
import assert from 'node:assert/strict';
import { openHostile, shot } from './helpers.mjs';

async function setLocale(page, locale) {
  await page.getByTestId(`lang-${locale}`).click();
  const first = locale === 'ru' ? 'Важные' : 'Important';
  await page.waitForFunction((w) => document.querySelector('[data-testid="tab-important"]')?.textContent?.startsWith(w), first);
}

/** Opens the report with a period and a grouping and waits for its table (or its empty line). */
async function openReport(page, period, by) {
  await page.getByTestId('open-report').click();
  const report = page.getByTestId('report');
  await report.waitFor();
  await report.getByTestId(`report-period-${period}`).click();
  await report.getByTestId(`report-by-${by}`).click();
  await settled(page, by);
  return report;
}

/** Waits until the table shows the chosen grouping's figures (no request under way). */
async function settled(page, by) {
  const header = { manager: ['Manager', 'Менеджер'], type: ['Dialogue type', 'Тип диалога'] }[by];
  await page.waitForFunction((h) => {
    const t = document.querySelector('[data-testid="report-table"]');
    if (document.querySelector('[data-testid="report-empty"]')) return true;
    return t && t.getAttribute('data-loading') === 'false' && h.includes(t.querySelector('thead th')?.textContent);
  }, header);
}

async function closeReport(page) {
  await page.keyboard.press('Escape');
  await page.getByTestId('report').waitFor({ state: 'detached' });
}

/** The table's lines as {name, cells by column test id}. */
async function lines(report, testid = 'report-row') {
  return report.getByTestId(testid).evaluateAll((rows) =>
    rows.map((r) => ({
      name: r.querySelector('[data-testid="report-name"]').textContent,
      cycles: Number(r.querySelector('[data-testid="report-cycles"]').textContent),
      closed: Number(r.querySelector('[data-testid="report-closed"]').textContent),
      firstResponse: r.querySelector('[data-testid="report-first-response"]').textContent,
      resolution: r.querySelector('[data-testid="report-resolution"]').textContent,
      clientRating: r.querySelector('[data-testid="report-client-rating"]').textContent,
      managerRating: r.querySelector('[data-testid="report-manager-rating"]').textContent,
    })),
  );
}

/** A CSV line's cells (RFC 4180 quoting). */
function csvCells(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export default function register({ spec }) {
  spec('report: a dialogue of a new type shows in the dialogues report and its CSV, totals agree, in both languages', async ({ page }) => {
    const stamp = Date.now();
    const type = `Report ${stamp}`;

    // The type, as an admin adds it.
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings').waitFor();
    await page.getByTestId('settings-nav-dialogues').click();
    const lists = page.getByTestId('settings-dialogues');
    await lists.getByTestId('dlg-add-name-type').fill(type);
    await lists.getByTestId('dlg-add-type').click();
    await page.waitForFunction(
      (t) => [...document.querySelectorAll('[data-testid="dlg-list-type"] [data-testid="dlg-option-name"]')].some((i) => i.value === t),
      type,
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('settings').waitFor({ state: 'detached' });

    // A dialogue of it in the hostile client's chat: rated 4 by the manager, closed without a
    // request (the demo's channel has no messenger behind it).
    await openHostile(page);
    const bar = page.getByTestId('dialogue-bar');
    await bar.waitFor();
    const closeWithoutRequest = async () => {
      await bar.getByTestId('dialogue-close').click();
      await page.getByTestId('dialogue-ask-rating').uncheck();
      await page.getByTestId('dialogue-close-confirm').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="dialogue-bar"]')?.getAttribute('data-status') === 'closed');
    };
    if (await bar.getByTestId('dialogue-close').count()) await closeWithoutRequest(); // one left open earlier
    await bar.getByTestId('dialogue-new').click();
    const form = page.getByTestId('dialogue-form');
    await form.getByTestId('dialogue-type').selectOption(type);
    await form.getByTestId('dialogue-status-new').selectOption('in_progress');
    await form.getByTestId('dialogue-save').click();
    await form.waitFor({ state: 'detached' });
    await page.waitForFunction((t) => document.querySelector('[data-testid="dialogue-type-shown"]')?.textContent === t, type);
    await bar.getByTestId('dialogue-rate-4').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="dialogue-manager-rating"]')?.getAttribute('data-score') === '4');
    await closeWithoutRequest();

    // Today, by type: the new type's line holds exactly this dialogue.
    let report = await openReport(page, 'today', 'type');
    let mine = (await lines(report)).find((l) => l.name === type);
    assert.ok(mine, `the report lists ${type}`);
    assert.deepEqual([mine.cycles, mine.closed, mine.clientRating, mine.managerRating], [1, 1, '—', '4.00 over 1']);
    assert.match(mine.resolution, /^\d+ (s|min)$/, `resolution of a dialogue closed at once: ${mine.resolution}`);
    assert.equal(await page.locator('[data-testid="report"] img').count(), 0);
    const bars = await report.getByTestId('report-bar').count();
    assert.equal(bars, (await lines(report)).length, 'one bar per line');
    await shot(page, 'report-01-today-by-type-en');

    // 30 days of the demo's dialogues: the total is the sum of the lines, by manager and by
    // type alike.
    await report.getByTestId('report-period-30d').click();
    await settled(page, 'type');
    const byType = await lines(report);
    const [typeTotal] = await lines(report, 'report-total');
    assert.ok(typeTotal.cycles > 1, `30 days hold the demo's dialogues too (${typeTotal.cycles})`);
    assert.equal(
      byType.reduce((n, l) => n + l.cycles, 0),
      typeTotal.cycles,
    );
    assert.equal(
      byType.reduce((n, l) => n + l.closed, 0),
      typeTotal.closed,
    );
    await report.getByTestId('report-by-manager').click();
    await settled(page, 'manager');
    const byManager = await lines(report);
    const [managerTotal] = await lines(report, 'report-total');
    assert.deepEqual(managerTotal, typeTotal, 'the same total by manager and by type');
    assert.equal(
      byManager.reduce((n, l) => n + l.cycles, 0),
      managerTotal.cycles,
    );
    await shot(page, 'report-02-30-days-by-manager-en');

    // The CSV export's content for today: one row per cycle, this one's figures, the hostile
    // name as text. (The export button hands this text to the native save dialog.)
    const csv = await page.evaluate(async () => {
      const d = new Date();
      const from = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
      const to = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
      return window.go.app.Workspace.DialoguesReportCSV(from, to);
    });
    const csvLines = csv.trim().split(/\r?\n/);
    const head = csvCells(csvLines[0]);
    assert.deepEqual(head.slice(0, 7), ['dialogue_id', 'cycle', 'chat_id', 'client', 'channel', 'type', 'status']);
    const row = csvLines.map(csvCells).find((c) => c[head.indexOf('type')] === type);
    assert.ok(row, `the CSV has a row of ${type}:\n${csv}`);
    const cell = (k) => row[head.indexOf(k)];
    assert.equal(cell('client'), '<img src=x onerror=alert(1)>Hacker');
    assert.equal(cell('status'), 'closed');
    assert.equal(cell('manager_rating'), '4');
    assert.equal(cell('client_rating'), '');
    assert.ok(Number(cell('resolution_s') || '0') >= 0);
    await closeReport(page);

    // In Russian.
    await setLocale(page, 'ru');
    try {
      report = await openReport(page, 'today', 'type');
      assert.equal(await report.locator('h2').textContent(), 'Отчёт по диалогам');
      mine = (await lines(report)).find((l) => l.name === type);
      assert.deepEqual([mine.cycles, mine.closed, mine.clientRating, mine.managerRating], [1, 1, '—', '4,00 по 1']);
      assert.match(mine.resolution, /^\d+ (с|мин)$/);
      assert.deepEqual(await report.locator('thead th').allTextContents(), [
        'Тип диалога',
        'Диалоги',
        'Закрыто',
        'Первый ответ',
        'Решение',
        'Оценка клиента',
        'Оценка менеджера',
      ]);
      assert.equal(await report.getByTestId('report-export').textContent(), 'Экспорт CSV');
      await shot(page, 'report-03-today-by-type-ru');
      await closeReport(page);
    } finally {
      await setLocale(page, 'en');
    }
  });
}
