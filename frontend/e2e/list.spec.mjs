// E2E spec of the people list's row window (features/list/useRowWindow.ts), registered into
// e2e/run.mjs: only the rows in view (and a few either side) are in the DOM, and when the list
// grows with the window its ResizeObserver brings in the rows now in view, with no scroll to
// prompt it. jsdom lays nothing out and has no ResizeObserver: only a browser checks this path.
import assert from 'node:assert/strict';

const ROW_HEIGHT = 64; // features/list/PeopleList.tsx
const OVERSCAN = 8;

/** The list's visible band and the rows rendered, in viewport pixels. */
function band(page) {
  return page.getByTestId('people-list').evaluate((el) => {
    const box = el.getBoundingClientRect();
    const rows = [...el.querySelectorAll('[data-testid="person-row"]')].map((r) => r.getBoundingClientRect());
    return {
      top: box.top,
      bottom: box.top + el.clientHeight,
      height: el.clientHeight,
      scrollTop: el.scrollTop,
      rows: rows.length,
      rowsTop: Math.min(...rows.map((r) => r.top)),
      rowsBottom: Math.max(...rows.map((r) => r.bottom)),
    };
  });
}

/**
 * Waits until the rendered rows cover the list's whole visible band (a resize is reported by
 * the ResizeObserver before the next paint, so this holds within a frame or two). After the
 * band grew (bounded) it checks too that no more than the rows in view and the overscan are in
 * the DOM; a shrink keeps the rows it had, by design (useRowWindow: onResize).
 */
async function coversItsBand(page, what, { bounded = false } = {}) {
  const covers = (b) => b.rows > 0 && b.rowsTop <= b.top + 1 && b.rowsBottom >= b.bottom - 1;
  let b = await band(page);
  for (const deadline = Date.now() + 3000; !covers(b) && Date.now() < deadline; b = await band(page)) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  }
  assert.ok(covers(b), `${what}: the rows rendered (${b.rowsTop}–${b.rowsBottom}) cover the list's band (${b.top}–${b.bottom}): ${JSON.stringify(b)}`);
  const most = Math.ceil(b.height / ROW_HEIGHT) + 1 + 2 * OVERSCAN;
  assert.ok(!bounded || b.rows <= most, `${what}: ${b.rows} rows in the DOM, at most ${most} for a ${b.height}px band`);
  return b;
}

export default function register({ spec, openTab, count, listSettled }) {
  spec('list: growing the window brings in the rows now in view, without a scroll (ResizeObserver)', async ({ page }) => {
    // A short window first: the first render holds only the rows of a window this high.
    await page.setViewportSize({ width: 1280, height: 420 });
    await page.reload();
    await openTab(page, 'all');
    assert.ok((await count(page, 'all')) >= 1000, 'All counts the demo people');
    const short = await coversItsBand(page, 'a 420 px window', { bounded: true });

    // Taller: the list's band grows past the rows rendered; no scroll happens.
    await page.setViewportSize({ width: 1280, height: 1400 });
    const tall = await coversItsBand(page, 'grown to 1400 px', { bounded: true });
    assert.ok(tall.height > short.height + 10 * ROW_HEIGHT, `the list grew with the window (${short.height} → ${tall.height} px)`);
    assert.equal(tall.scrollTop, 0, 'nothing scrolled');

    // Scrolled into the middle, shorter, then taller again than the overscan covers.
    await page.setViewportSize({ width: 1280, height: 500 });
    await coversItsBand(page, 'shrunk to 500 px');
    // Halfway down the rows loaded, between two rows' edges.
    await page.getByTestId('people-list').evaluate((el, h) => (el.scrollTop = Math.floor(el.scrollHeight / 2 / h) * h + 17), ROW_HEIGHT);
    await listSettled(page);
    const middle = await coversItsBand(page, 'scrolled halfway', { bounded: true });
    assert.ok(middle.scrollTop > 10 * ROW_HEIGHT, `scrolled past the first rows (${middle.scrollTop} px)`);
    await page.setViewportSize({ width: 1280, height: 1600 });
    const scrolled = await coversItsBand(page, 'grown to 1600 px halfway down', { bounded: true });
    assert.equal(scrolled.scrollTop, middle.scrollTop, 'the resize kept the scroll position');
  });
}
