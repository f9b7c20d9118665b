import { describe, expect, it } from 'vitest';
import { listWords } from '../features/list/list-i18n';
import { detectLocale, dictionaries, registeredWords, translate } from './i18n';

// Every feature's words file, so the checks below cover all of them; a new one is picked up by
// its name (features/<area>/<area>-i18n.ts).
const wordFiles = import.meta.glob('../features/*/*-i18n.ts', { eager: true });

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('every area of words', () => {
  it('finds the words of each feature', () => {
    const areas = registeredWords()
      .map((w) => w.area)
      .sort();
    expect(Object.keys(wordFiles).length).toBeGreaterThanOrEqual(4);
    expect(areas).toEqual(expect.arrayContaining(['app', 'card', 'composer', 'header', 'history', 'list', 'notifications', 'settings']));
    expect(areas.length).toBe(Object.keys(wordFiles).length + 1); // + the app shell's, in lib
  });

  it('has every key in Russian and English, none empty, with the same placeholders', () => {
    for (const w of registeredWords()) {
      const en = Object.keys(w.dictionaries.en).sort();
      expect(Object.keys(w.dictionaries.ru).sort(), w.area).toEqual(en);
      for (const k of en) {
        for (const lang of ['en', 'ru'] as const) {
          expect((w.dictionaries[lang][k] ?? '').trim(), `${w.area} ${lang} ${k}`).not.toBe('');
        }
        expect(placeholders(w.dictionaries.ru[k] ?? ''), `${w.area} ${k}`).toEqual(placeholders(w.dictionaries.en[k] ?? ''));
      }
    }
  });

  it('writes Russian in Cyrillic and English without it', () => {
    // A phrase copied untranslated is the usual slip. Brand names and symbols are allowed in
    // Russian (Telegram, Email, Ctrl+Enter), so a Russian phrase only needs some Cyrillic when it
    // has letters that are not such names.
    const allowedLatin = /\b(Telegram|VK|Email|Switchboard|Ctrl|Shift|Enter|Esc|Alt|https?|ИИ|MB|KB|PayPal|wails|dev|webhook)\b/g;
    for (const w of registeredWords()) {
      for (const [k, en] of Object.entries(w.dictionaries.en)) {
        expect(/[А-Яа-яЁё]/.test(en), `${w.area} en ${k} has Cyrillic: ${en}`).toBe(false);
        const ru = (w.dictionaries.ru[k] ?? '').replace(/\{\w+\}/g, '').replace(allowedLatin, '');
        if (/[A-Za-z]{2,}/.test(ru)) expect(/[А-Яа-яЁё]/.test(ru), `${w.area} ru ${k} is not Russian: ${w.dictionaries.ru[k]}`).toBe(true);
      }
    }
  });

  it('words the logs and indicators after the seed', async () => {
    const { cardWords } = await import('../features/card/card-i18n');
    const { historyWords } = await import('../features/history/history-i18n');
    expect(cardWords.t.ru('card.logs')).toBe('Логи');
    expect(cardWords.t.ru('log.resubscription')).toBe('Переподписка');
    expect(historyWords.t.ru('ind.tunnel')).toBe('Туннель');
    expect(historyWords.t.ru('ind.tunnel_start')).toBe('Туннель: СТАРТ');
    expect(historyWords.t.en('ind.reason.card_declined')).toBe('the card was declined');
  });
});

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
    expect(listWords.t.ru('list.unreadCount', { n: 3 })).toBe('непрочитанных: 3');
    expect(listWords.t.en('list.unreadCount')).toBe('{n} unread');
  });

  it('translates the Russian UI from the seed wording', () => {
    expect(listWords.t.ru('tabs.important')).toBe('Важные');
    expect(listWords.t.en('tabs.unread')).toBe('Unread');
  });

  it('detects the first locale from the browser language', () => {
    expect(detectLocale('ru-RU')).toBe('ru');
    expect(detectLocale('en-US')).toBe('en');
    expect(detectLocale(undefined)).toBe('en');
  });
});
