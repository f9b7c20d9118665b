// The report screen's rules as plain functions: the period a choice means (local days) and how
// figures read.
import { dayKey } from '../../lib/format';
import type { Locale } from '../../lib/types';
import type { ReportLine } from '../../lib/reportApi';

export type PeriodKind = 'today' | '7d' | '30d' | 'custom';
export const PERIODS: PeriodKind[] = ['today', '7d', '30d', 'custom'];

const DAY_COUNT: Record<Exclude<PeriodKind, 'custom'>, number> = { today: 1, '7d': 7, '30d': 30 };

/** The local midnight starting the day of ms. */
export function startOfDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** YYYY-MM-DD of ms's local day (what <input type=date> holds). */
export const dayInput = dayKey;

function parseDay(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isNaN(t) ? null : t;
}

/** The local day after the one starting at dayStart (23, 24 or 25 hours later). */
function nextDay(dayStart: number): number {
  const d = new Date(dayStart);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/**
 * The period [from, to) a choice means, in whole local days ending with today (or, for a
 * custom period, from its first to its last day, both included); null for a custom period whose
 * dates are missing or the wrong way round.
 */
export function periodRange(kind: PeriodKind, now: number, custom: { from: string; to: string }): { from: number; to: number } | null {
  if (kind === 'custom') {
    const from = parseDay(custom.from);
    const last = parseDay(custom.to);
    if (from === null || last === null || last < from) return null;
    return { from, to: nextDay(last) };
  }
  const today = startOfDay(now);
  const d = new Date(today);
  const from = new Date(d.getFullYear(), d.getMonth(), d.getDate() - (DAY_COUNT[kind] - 1)).getTime();
  return { from, to: nextDay(today) };
}

/** A span as its two largest units: "45 s", "5 min", "1 h 20 min", "2 d 3 h". */
export function spanParts(ms: number): Array<{ unit: 'd' | 'h' | 'min' | 's'; n: number }> {
  const s = Math.round(ms / 1000);
  if (s < 60) return [{ unit: 's', n: s }];
  const min = Math.round(s / 60);
  if (min < 60) return [{ unit: 'min', n: min }];
  const h = Math.floor(min / 60);
  if (h < 24)
    return min % 60
      ? [
          { unit: 'h', n: h },
          { unit: 'min', n: min % 60 },
        ]
      : [{ unit: 'h', n: h }];
  const d = Math.floor(h / 24);
  return h % 24
    ? [
        { unit: 'd', n: d },
        { unit: 'h', n: h % 24 },
      ]
    : [{ unit: 'd', n: d }];
}

/** A rating average with two decimals in the locale's way (3.50 / 3,50). */
export function formatRating(v: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
}

/** What the chart can show, each a number per line (0 = nothing to show for it). */
export type ChartMetric = 'cycles' | 'firstResponse' | 'resolution' | 'clientRating';
export const CHART_METRICS: ChartMetric[] = ['cycles', 'firstResponse', 'resolution', 'clientRating'];

export function chartValue(l: ReportLine, m: ChartMetric): number {
  switch (m) {
    case 'cycles':
      return l.cycles;
    case 'firstResponse':
      return l.firstResponseN ? l.firstResponseMs : 0;
    case 'resolution':
      return l.closed ? l.resolutionMs : 0;
    case 'clientRating':
      return l.clientRatingN ? l.clientRating : 0;
  }
}

/** The CSV file name offered in the save dialog. */
export function csvName(from: number, to: number): string {
  return `dialogues-${dayInput(from)}-${dayInput(to - 1)}.csv`;
}
