// Dates, times and sizes in the chosen language, in the machine's time zone. `now` is a parameter
// so the rules ("today: HH:MM, else a date") are testable without faking the clock.
//
// Written out instead of through Intl.DateTimeFormat: in WebKitGTK the first Intl date format
// loads ICU's calendar code and locale data into the web process (3.6 MB of the app's memory,
// make bench), and a list row asked for two day keys per render, each an array of parts. The
// app speaks two languages; their month names are below.
import type { Locale } from './types';
import type { TFunc } from './i18n';

const MONTHS_SHORT: Record<Locale, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  ru: ['янв.', 'февр.', 'мар.', 'апр.', 'мая', 'июн.', 'июл.', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'],
};
// The day-of-month form: "1 October", "1 октября" (genitive in Russian).
const MONTHS_LONG: Record<Locale, readonly string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  ru: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
};

const two = (n: number) => String(n).padStart(2, '0');

/** dayKey is the local calendar day of ms, "YYYY-MM-DD", used to group and compare days. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The people list's time: HH:MM for today, otherwise a short date (with the year if not this year). */
export function formatListTime(ms: number, locale: Locale, now: number = Date.now()): string {
  if (!ms) return '';
  const d = new Date(ms);
  const n = new Date(now);
  if (dayKey(ms) === dayKey(now)) return formatClock(ms);
  // The list is narrow: "3 мар", not "3 мар.".
  if (d.getFullYear() === n.getFullYear()) return `${d.getDate()} ${MONTHS_SHORT[locale][d.getMonth()]}`.replace(/\.$/, '');
  const sep = locale === 'ru' ? '.' : '/';
  return [two(d.getDate()), two(d.getMonth() + 1), two(d.getFullYear() % 100)].join(sep);
}

/** The history's day separator: Today, Yesterday, or a long date. */
export function formatDay(ms: number, locale: Locale, t: TFunc, now: number = Date.now()): string {
  const k = dayKey(ms);
  if (k === dayKey(now)) return t('history.today');
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (k === dayKey(yesterday.getTime())) return t('history.yesterday');
  const d = new Date(ms);
  const day = `${d.getDate()} ${MONTHS_LONG[locale][d.getMonth()]}`;
  if (d.getFullYear() === new Date(now).getFullYear()) return day;
  return locale === 'ru' ? `${day} ${d.getFullYear()} г.` : `${day} ${d.getFullYear()}`;
}

/** A moment with its date: "21 Nov 2026, 15:30", "21 нояб. 2026 г., 15:30". */
export function formatDateTime(ms: number, locale: Locale): string {
  const d = new Date(ms);
  const date = `${d.getDate()} ${MONTHS_SHORT[locale][d.getMonth()]} ${d.getFullYear()}${locale === 'ru' ? ' г.' : ''}`;
  return `${date}, ${formatClock(ms)}`;
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

/** formatCount groups a count's thousands as the language writes them: 12,500 / 12 500 (a no-break space). */
export function formatCount(n: number, locale: Locale): string {
  const sep = locale === 'ru' ? '\u00a0' : ',';
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}
