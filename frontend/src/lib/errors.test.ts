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
  it('tells unreachable, TLS, an error page and a non-Bot-API server apart, in both languages', () => {
    const cases: [string, RegExp, RegExp][] = [
      ['[unreachable] dial tcp: connection refused', /^Cannot reach the server/, /^Не удаётся связаться/],
      ['[tls] x509: certificate signed by unknown authority', /TLS certificate/, /сертификат TLS/],
      [
        '[server_error] HTTP 500: upstream exploded',
        /answered with an error \(HTTP 500: upstream exploded\)/,
        /ответил ошибкой \(HTTP 500: upstream exploded\)/,
      ],
      ['[not_bot_api] HTTP 200, not a Bot API answer: Welcome to nginx!', /not a Bot API server \(HTTP 200.*nginx!\)/, /не сервер Bot API \(HTTP 200/],
    ];
    const seen = new Set<string>();
    for (const [raw, wantEn, wantRu] of cases) {
      const e = toApiError('CheckTelegramToken', raw);
      const words = errorText(e, 'en');
      expect(words).toMatch(wantEn);
      expect(errorText(e, 'ru')).toMatch(wantRu);
      expect(words).not.toContain('x509');
      seen.add(words.slice(0, 30));
    }
    expect(seen.size).toBe(4);
    // A channel's last error is a bare code: the words read whole without the server's.
    expect(errorCodeText('server_error', 'en')).toBe(
      'The server answered with an error: it is reachable but not working; try again later or check the server.',
    );
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
  it("fills a hub error's number and detail from Go's message, never other text", () => {
    expect(errorText(toApiError('ConnectHub', { code: 'hub_rate_limited', message: '42' }), 'en')).toBe('Too many sign-in attempts: try again in 42 s.');
    expect(errorText(toApiError('ConnectHub', { code: 'hub_rate_limited', message: '42' }), 'ru')).toBe('Слишком много попыток входа: попробуйте через 42 с.');
    expect(errorText(toApiError('TeamAddUser', { code: 'hub_password_too_short', message: '10' }), 'en')).toBe(
      'The password is too short: at least 10 characters.',
    );
    expect(errorText(toApiError('ConnectHub', { code: 'hub_other_version', message: '9.0.0' }), 'en')).toContain('another version of Switchboard (9.0.0)');
    expect(errorText(toApiError('ConnectHub', { code: 'hub_server_error', message: '502' }), 'ru')).toContain('ответил ошибкой (502)');
    expect(errorText(toApiError('ConnectHub', { code: 'hub_rate_limited', message: '<b>x</b>' }), 'en')).not.toContain('<b>');
  });
});
