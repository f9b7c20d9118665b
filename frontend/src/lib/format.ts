// Dates, times and sizes through Intl in the chosen locale. `now` is a parameter so the rules
// ("today: HH:MM, else a date") are testable without faking the clock.
import type { Locale } from './types';
import type { TFunc } from './i18n';

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(locale: Locale, opts: Intl.DateTimeFormatOptions, timeZone?: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}|${JSON.stringify(opts)}`;
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { ...opts, timeZone });
    fmtCache.set(key, f);
  }
  return f;
}

/** dayKey is the local calendar day of ms, "YYYY-MM-DD", used to group and compare days. */
export function dayKey(ms: number, timeZone?: string): string {
  const parts = fmt('en', { year: 'numeric', month: '2-digit', day: '2-digit' }, timeZone).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function formatClock(ms: number, locale: Locale, timeZone?: string): string {
  return fmt(locale, { hour: '2-digit', minute: '2-digit', hour12: false }, timeZone).format(ms);
}

/** The people list's time: HH:MM for today, otherwise a short date (with the year if not this year). */
export function formatListTime(ms: number, locale: Locale, now: number = Date.now(), timeZone?: string): string {
  if (!ms) return '';
  if (dayKey(ms, timeZone) === dayKey(now, timeZone)) return formatClock(ms, locale, timeZone);
  const sameYear = dayKey(ms, timeZone).slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  const opts: Intl.DateTimeFormatOptions = sameYear
    ? { day: 'numeric', month: 'short' }
    : { day: '2-digit', month: '2-digit', year: '2-digit' };
  return fmt(locale, opts, timeZone).format(ms).replace(/\.$/, '');
}

/** The history's day separator: Today, Yesterday, or a long date. */
export function formatDay(ms: number, locale: Locale, t: TFunc, now: number = Date.now(), timeZone?: string): string {
  const k = dayKey(ms, timeZone);
  if (k === dayKey(now, timeZone)) return t('history.today');
  if (k === dayKey(now - 86_400_000, timeZone)) return t('history.yesterday');
  const sameYear = k.slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  return fmt(locale, sameYear ? { day: 'numeric', month: 'long' } : { day: 'numeric', month: 'long', year: 'numeric' }, timeZone).format(ms);
}

export function formatDateTime(ms: number, locale: Locale, timeZone?: string): string {
  return fmt(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }, timeZone).format(ms);
}

export function formatSize(bytes: number, t: TFunc): string {
  if (bytes < 1024) return t('size.b', { n: bytes });
  if (bytes < 1024 * 1024) return t('size.kb', { n: Math.round(bytes / 1024) });
  return t('size.mb', { n: (bytes / (1024 * 1024)).toFixed(1) });
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
