import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { DialoguesReport, ReportGroupBy, ReportLine } from '../../lib/reportApi';
import { ToastProvider } from '../../lib/toast';
import type { Locale } from '../../lib/types';
import { fakeGo } from '../../test/bindings';
import { ReportScreen } from './ReportScreen';
import { csvName, dayInput, periodRange, spanParts } from './model';

// 10 March 2026, 15:00 local time.
const now = new Date(2026, 2, 10, 15, 0).getTime();
const min = 60_000;

const line = (over: Partial<ReportLine>): ReportLine => ({
  managerId: 0,
  name: '',
  cycles: 0,
  closed: 0,
  firstResponseMs: 0,
  firstResponseN: 0,
  resolutionMs: 0,
  clientRating: 0,
  clientRatingN: 0,
  managerRating: 0,
  managerRatingN: 0,
  ...over,
});

const anna = line({
  managerId: 2,
  name: '<img src=x onerror=alert(1)>Анна',
  cycles: 3,
  closed: 2,
  firstResponseMs: 5 * min,
  firstResponseN: 2,
  resolutionMs: 80 * min,
  clientRating: 4.5,
  clientRatingN: 2,
});
const nobody = line({ managerId: 0, name: '', cycles: 1 });
const total = line({ cycles: 4, closed: 2, firstResponseMs: 5 * min, firstResponseN: 2, resolutionMs: 80 * min, clientRating: 4.5, clientRatingN: 2 });
const billing = line({ name: 'Billing', cycles: 4, closed: 2, firstResponseMs: 45_000, firstResponseN: 1 });

interface Calls {
  reports: Array<{ from: number; to: number; groupBy: ReportGroupBy }>;
  exports: Array<[number, number, string, string]>;
}

function renderScreen(locale: Locale, empty = false): Calls {
  const calls: Calls = { reports: [], exports: [] };
  window.go = fakeGo({
    DialoguesReport: async (q: { from: number; to: number; groupBy: ReportGroupBy }): Promise<DialoguesReport> => {
      calls.reports.push(q);
      if (empty) return { ...q, lines: [], total: line({}) };
      return q.groupBy === 'manager' ? { ...q, lines: [anna, nobody], total } : { ...q, lines: [billing], total };
    },
    ExportDialoguesReport: async (from: number, to: number, title: string, name: string) => {
      calls.exports.push([from, to, title, name]);
      return '/home/olga/dialogues.csv';
    },
  });
  render(
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <ToastProvider>
        <ReportScreen onClose={() => undefined} now={now} />
      </ToastProvider>
    </I18nProvider>,
  );
  return calls;
}

afterEach(() => {
  delete window.go;
});

describe('periodRange', () => {
  it('means whole local days ending today, and a custom range with both ends included', () => {
    const today = new Date(2026, 2, 10).getTime();
    const tomorrow = new Date(2026, 2, 11).getTime();
    expect(periodRange('today', now, { from: '', to: '' })).toEqual({ from: today, to: tomorrow });
    expect(periodRange('7d', now, { from: '', to: '' })).toEqual({ from: new Date(2026, 2, 4).getTime(), to: tomorrow });
    expect(periodRange('30d', now, { from: '', to: '' })).toEqual({ from: new Date(2026, 1, 9).getTime(), to: tomorrow });
    expect(periodRange('custom', now, { from: '2026-03-01', to: '2026-03-01' })).toEqual({
      from: new Date(2026, 2, 1).getTime(),
      to: new Date(2026, 2, 2).getTime(),
    });
    expect(periodRange('custom', now, { from: '2026-03-02', to: '2026-03-01' })).toBeNull();
    expect(periodRange('custom', now, { from: '', to: '2026-03-01' })).toBeNull();
    expect(dayInput(now)).toBe('2026-03-10');
    expect(csvName(today, tomorrow)).toBe('dialogues-2026-03-10-2026-03-10.csv');
  });

  it('writes spans in their two largest units', () => {
    expect(spanParts(45_000)).toEqual([{ unit: 's', n: 45 }]);
    expect(spanParts(5 * min)).toEqual([{ unit: 'min', n: 5 }]);
    expect(spanParts(80 * min)).toEqual([
      { unit: 'h', n: 1 },
      { unit: 'min', n: 20 },
    ]);
    expect(spanParts(51 * 60 * min)).toEqual([
      { unit: 'd', n: 2 },
      { unit: 'h', n: 3 },
    ]);
  });
});

describe('ReportScreen', () => {
  it('shows the last 7 days by manager in English, names as text, dashes for what has no figure', async () => {
    const calls = renderScreen('en');
    await screen.findByTestId('report-table');
    expect(calls.reports[0]).toEqual({ from: new Date(2026, 2, 4).getTime(), to: new Date(2026, 2, 11).getTime(), groupBy: 'manager' });
    const rows = screen.getAllByTestId('report-row');
    expect(rows.map((r) => within(r).getByTestId('report-name').textContent)).toEqual(['<img src=x onerror=alert(1)>Анна', 'Nobody']);
    expect(document.querySelector('img')).toBeNull();
    expect(within(rows[0]!).getByTestId('report-first-response').textContent).toBe('5 min over 2');
    expect(within(rows[0]!).getByTestId('report-resolution').textContent).toBe('1 h 20 min');
    expect(within(rows[0]!).getByTestId('report-client-rating').textContent).toBe('4.50 over 2');
    expect(within(rows[0]!).getByTestId('report-manager-rating').textContent).toBe('—');
    expect(within(rows[1]!).getByTestId('report-first-response').textContent).toBe('—');
    expect(within(screen.getByTestId('report-total')).getByTestId('report-cycles').textContent).toBe('4');
    // The chart: one bar per line, the longest for the busiest.
    const bars = screen.getAllByTestId('report-bar');
    expect(bars.map((b) => b.getAttribute('data-value'))).toEqual(['3', '1']);
    expect(Number(bars[0]!.querySelector('rect')!.getAttribute('width'))).toBeGreaterThan(Number(bars[1]!.querySelector('rect')!.getAttribute('width')));
    fireEvent.change(screen.getByTestId('report-chart-metric'), { target: { value: 'firstResponse' } });
    const shown = screen
      .getAllByTestId('report-bar')
      .map((b) => [
        b.querySelector('title')!.textContent,
        b.querySelector('.report-chart-name')!.textContent,
        b.querySelector('.report-chart-label')!.textContent,
      ]);
    expect(shown).toEqual([
      ['<img src=x onerror=alert(1)>Анна', '<img src=x onerror=aler…', '5 min'],
      ['Nobody', 'Nobody', '—'],
    ]);
  });

  it('regroups by type, switches the period, refuses a reversed custom period, in Russian', async () => {
    const calls = renderScreen('ru');
    await screen.findByTestId('report-table');
    fireEvent.click(screen.getByTestId('report-by-type'));
    await waitFor(() => expect(screen.getAllByTestId('report-name')[0]!.textContent).toBe('Billing'));
    expect(within(screen.getByTestId('report-row')).getByTestId('report-first-response').textContent).toBe('45 с по 1');
    expect(screen.getByRole('columnheader', { name: 'Тип диалога' })).toBeTruthy();
    expect(within(screen.getByTestId('report-total')).getByTestId('report-client-rating').textContent).toBe('4,50 по 2');
    fireEvent.click(screen.getByTestId('report-period-today'));
    await waitFor(() => expect(calls.reports.at(-1)).toEqual({ from: new Date(2026, 2, 10).getTime(), to: new Date(2026, 2, 11).getTime(), groupBy: 'type' }));
    fireEvent.click(screen.getByTestId('report-period-custom'));
    fireEvent.input(screen.getByTestId('report-from'), { target: { value: '2026-03-09' } });
    fireEvent.input(screen.getByTestId('report-to'), { target: { value: '2026-03-01' } });
    expect(screen.getByTestId('report-bad-period').textContent).toBe('Дата начала должна быть не позже даты конца.');
    expect((screen.getByTestId('report-export') as HTMLButtonElement).disabled).toBe(true);
    const asked = calls.reports.length;
    fireEvent.input(screen.getByTestId('report-from'), { target: { value: '2026-02-20' } });
    await waitFor(() => expect(calls.reports.length).toBe(asked + 1));
    expect(calls.reports.at(-1)).toEqual({ from: new Date(2026, 1, 20).getTime(), to: new Date(2026, 2, 2).getTime(), groupBy: 'type' });
  });

  it('exports the period as CSV through the save dialog and says where', async () => {
    const calls = renderScreen('en');
    await screen.findByTestId('report-table');
    fireEvent.click(screen.getByTestId('report-export'));
    await screen.findByTestId('report-saved');
    expect(calls.exports).toEqual([
      [new Date(2026, 2, 4).getTime(), new Date(2026, 2, 11).getTime(), 'Save the dialogues report', 'dialogues-2026-03-04-2026-03-10.csv'],
    ]);
    expect(screen.getByTestId('report-saved').textContent).toBe('Saved: /home/olga/dialogues.csv');
  });

  it('says when no dialogue was opened in the period', async () => {
    renderScreen('en', true);
    expect((await screen.findByTestId('report-empty')).textContent).toBe('No dialogues were opened in this period.');
    expect(screen.queryByTestId('report-chart')).toBeNull();
  });

  it('is loading from a click until the report asked for comes, and a failed one ends it too', async () => {
    const pending: Array<{ q: { from: number; to: number; groupBy: ReportGroupBy }; answer: (r: DialoguesReport) => void; fail: (e: unknown) => void }> = [];
    window.go = fakeGo({
      DialoguesReport: (q: { from: number; to: number; groupBy: ReportGroupBy }) =>
        new Promise<DialoguesReport>((answer, fail) => pending.push({ q, answer, fail })),
    });
    render(
      <I18nProvider value={{ locale: 'en', t: makeT('en') }}>
        <ToastProvider>
          <ReportScreen onClose={() => undefined} now={now} />
        </ToastProvider>
      </I18nProvider>,
    );
    expect(screen.getByText('Loading…')).toBeTruthy();
    const first = pending.shift()!;
    await act(async () => first.answer({ ...first.q, lines: [anna], total }));
    const table = screen.getByTestId('report-table');
    expect(table.getAttribute('data-loading')).toBe('false');
    // Another period: the last report stays on screen, marked as loading, until its own comes.
    fireEvent.click(screen.getByTestId('report-period-30d'));
    expect(screen.getByTestId('report-table').getAttribute('data-loading')).toBe('true');
    await waitFor(() => expect(pending).toHaveLength(1));
    const second = pending.shift()!;
    await act(async () => second.answer({ ...second.q, lines: [anna, nobody], total }));
    expect(screen.getByTestId('report-table').getAttribute('data-loading')).toBe('false');
    expect(screen.getAllByTestId('report-row')).toHaveLength(2);
    // A failure ends the loading: the toast says why and the last report stays.
    fireEvent.click(screen.getByTestId('report-period-7d'));
    expect(screen.getByTestId('report-table').getAttribute('data-loading')).toBe('true');
    await waitFor(() => expect(pending).toHaveLength(1));
    await act(async () => pending.shift()!.fail({ code: 'db_busy' }));
    await waitFor(() => expect(screen.getByTestId('report-table').getAttribute('data-loading')).toBe('false'));
    expect(screen.getAllByTestId('report-row')).toHaveLength(2);
  });
});
