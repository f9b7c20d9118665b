import { describe, expect, it } from 'vitest';
import { ApiError, BackendMissingError, toApiError } from './api';
import { goErrorCodes } from './errorCodes';
import { errorCodeText, errorText, errorWords, failureText } from './errors';

describe('errors', () => {
  it('words every code Go can return in Russian and English', () => {
    for (const code of goErrorCodes) {
      const w = errorWords[code];
      expect(w, code).toBeDefined();
      expect(w.en.trim(), `${code} en`).not.toBe('');
      expect(w.ru, `${code} ru`).toMatch(/[а-яё]/i);
      expect(w.en, `${code} en`).not.toMatch(/[а-яё]/i);
    }
  });
  it('maps the code of a Wails error object to words in the chosen language', () => {
    const e = toApiError('DeleteMessage', { code: 'delete_window', message: 'delete message: delete window passed' });
    expect(e.code).toBe('delete_window');
    expect(errorText(e, 'en')).toBe('The message can no longer be deleted.');
    expect(errorText(e, 'ru')).toBe('Это сообщение уже нельзя удалить.');
  });
  it('reads a "[code] text" string', () => {
    const e = toApiError('SendText', '[text_too_long] send: text too long');
    expect(e.code).toBe('text_too_long');
    expect(e.message).toBe('send: text too long');
    expect(errorText(e, 'en')).toBe('The text is too long for this messenger.');
  });
  it("never shows Go's own text, not even for an unknown code", () => {
    const e = toApiError('X', { code: 'internal', message: 'store: disk full' });
    expect(errorText(e, 'en')).not.toContain('disk full');
    expect(errorText(new ApiError('X', 'plain failure'), 'ru')).toBe(errorWords.internal.ru);
    expect(errorCodeText('no_such_code', 'en')).toBe(errorWords.internal.en);
    expect(errorCodeText('voice_empty', 'ru')).toBe('Ничего не записалось.');
  });
  it('says when the backend is missing', () => {
    expect(errorText(new BackendMissingError(), 'en')).toBe('The app backend is not available.');
  });
});

describe('failure reasons', () => {
  it('words a failed send, a refused edit and a refused delete in either language', () => {
    expect(failureText('blocked', 'en')).toBe('The client has blocked the bot or does not accept its messages.');
    expect(failureText('blocked', 'ru')).toBe('Клиент заблокировал бота или не принимает от него сообщения.');
    expect(failureText('edit:not_editable', 'en')).toBe('Edit not delivered: this message cannot be changed.');
    expect(failureText('delete:delete_window', 'ru')).toBe('Не удалено: это сообщение уже нельзя удалить.');
    // A value this build does not know reads as a general failure, never as raw text.
    expect(failureText('Forbidden: something new', 'ru')).toBe(errorWords.internal.ru);
  });
});
