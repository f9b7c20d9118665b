import { describe, expect, it } from 'vitest';
import { detectLocale, dictionaries, translate } from './i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('has the same keys in every language, none empty', () => {
    const en = Object.keys(dictionaries.en).sort();
    const ru = Object.keys(dictionaries.ru).sort();
    expect(ru).toEqual(en);
    for (const lang of ['en', 'ru'] as const) {
      for (const [k, v] of Object.entries(dictionaries[lang])) {
        expect(v.trim(), `${lang} ${k}`).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const k of Object.keys(dictionaries.en) as (keyof typeof dictionaries.en)[]) {
      expect(placeholders(dictionaries.ru[k]), k).toEqual(placeholders(dictionaries.en[k]));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'composer.tooLong', { n: 5000, max: 4096 })).toBe('The message is too long: 5000 of 4096 characters');
    expect(translate('ru', 'list.unreadCount', { n: 3 })).toBe('непрочитанных: 3');
    expect(translate('en', 'list.unreadCount')).toBe('{n} unread');
  });

  it('translates the Russian UI from the seed wording', () => {
    expect(translate('ru', 'tabs.important')).toBe('Важные');
    expect(translate('en', 'tabs.unread')).toBe('Unread');
  });

  it('detects the first locale from the browser language', () => {
    expect(detectLocale('ru-RU')).toBe('ru');
    expect(detectLocale('en-US')).toBe('en');
    expect(detectLocale(undefined)).toBe('en');
  });
});
