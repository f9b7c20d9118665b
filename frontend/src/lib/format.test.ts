import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../test/tz';
import { dayKey, formatDateTime, formatDay, formatCount, formatDuration, formatListTime, formatSize } from './format';
import { makeT } from './i18n';

const now = Date.UTC(2026, 10, 21, 15, 30); // 21 Nov 2026 15:30 UTC

describe('formatListTime', () => {
  it('shows HH:MM for today', () => {
    expect(formatListTime(Date.UTC(2026, 10, 21, 9, 5), 'en', now)).toBe('09:05');
    expect(formatListTime(Date.UTC(2026, 10, 21, 0, 0), 'ru', now)).toBe('00:00');
  });
  it('shows a date for another day this year, in the chosen language', () => {
    expect(formatListTime(Date.UTC(2026, 10, 20, 23, 59), 'en', now)).toBe('20 Nov');
    expect(formatListTime(Date.UTC(2026, 2, 3, 12, 0), 'ru', now)).toBe('3 мар');
  });
  it('adds the year for an earlier year', () => {
    expect(formatListTime(Date.UTC(2025, 0, 2, 12, 0), 'en', now)).toBe('02/01/25');
  });
  it('shows nothing without a time', () => {
    expect(formatListTime(0, 'en', now)).toBe('');
  });
  it('shows the earlier year the way each language writes it', () => {
    expect(formatListTime(Date.UTC(2025, 0, 2, 12, 0), 'ru', now)).toBe('02.01.25');
  });
  it('decides "today" in the machine\'s time zone', () => {
    const late = Date.UTC(2026, 10, 20, 22, 0); // 21 Nov 01:00 in Moscow
    inTimeZone('Europe/Moscow', () => {
      expect(dayKey(late)).toBe('2026-11-21');
      expect(formatListTime(late, 'en', now)).toBe('01:00');
    });
    expect(dayKey(late)).toBe('2026-11-20');
  });
});

describe('formatDay', () => {
  it('names today and yesterday, dates otherwise', () => {
    const t = makeT('en');
    expect(formatDay(now - 3600_000, 'en', t, now)).toBe('Today');
    expect(formatDay(now - 86_400_000, 'en', t, now)).toBe('Yesterday');
    expect(formatDay(Date.UTC(2026, 9, 1), 'en', t, now)).toBe('1 October');
    expect(formatDay(Date.UTC(2026, 9, 1), 'ru', makeT('ru'), now)).toBe('1 октября');
    expect(formatDay(Date.UTC(2024, 9, 1), 'en', t, now)).toBe('1 October 2024');
    expect(formatDay(Date.UTC(2024, 4, 9), 'ru', makeT('ru'), now)).toBe('9 мая 2024 г.');
  });
  it('counts yesterday by the calendar, across a month', () => {
    expect(formatDay(Date.UTC(2026, 10, 30, 23, 0), 'en', makeT('en'), Date.UTC(2026, 11, 1, 8, 0))).toBe('Yesterday');
  });
});

describe('formatDateTime', () => {
  it('writes the date and time in the chosen language', () => {
    expect(formatDateTime(Date.UTC(2026, 10, 21, 15, 30), 'en')).toBe('21 Nov 2026, 15:30');
    expect(formatDateTime(Date.UTC(2026, 10, 21, 15, 30), 'ru')).toBe('21 нояб. 2026 г., 15:30');
    expect(formatDateTime(Date.UTC(2026, 4, 1, 9, 5), 'ru')).toBe('1 мая 2026 г., 09:05');
  });
});

describe('sizes and durations', () => {
  it('formats sizes in the chosen language', () => {
    expect(formatSize(512, makeT('en'))).toBe('512 B');
    expect(formatSize(2048, makeT('en'))).toBe('2 KB');
    expect(formatSize(5 * 1024 * 1024, makeT('ru'))).toBe('5.0 МБ');
  });
  it('formats durations', () => {
    expect(formatDuration(7)).toBe('0:07');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});

describe('formatCount', () => {
  it('groups thousands as each language writes them', () => {
    expect(formatCount(0, 'en')).toBe('0');
    expect(formatCount(999, 'en')).toBe('999');
    expect(formatCount(1000, 'en')).toBe('1,000');
    expect(formatCount(1234567, 'en')).toBe('1,234,567');
    expect(formatCount(1000, 'ru')).toBe('1\u00a0000');
    expect(formatCount(25000, 'ru')).toBe('25\u00a0000');
  });
});
