import { describe, expect, it } from 'vitest';
import { ApiError, BackendMissingError, toApiError } from './api';
import { errorText } from './errors';
import { makeT } from './i18n';

describe('errors', () => {
  it('maps the code of a Wails error object to words in the chosen language', () => {
    const e = toApiError('DeleteMessage', { code: 'delete_window', message: 'delete message: delete window passed' });
    expect(e.code).toBe('delete_window');
    expect(errorText(e, makeT('en'))).toBe('The message can no longer be deleted.');
    expect(errorText(e, makeT('ru'))).toBe('Это сообщение уже нельзя удалить.');
  });
  it('reads a "[code] text" string', () => {
    const e = toApiError('SendText', '[text_too_long] send: text too long');
    expect(e.code).toBe('text_too_long');
    expect(e.message).toBe('send: text too long');
    expect(errorText(e, makeT('en'))).toBe('The text is too long for this messenger.');
  });
  it('shows unknown errors as their text', () => {
    expect(errorText(toApiError('X', { code: 'internal', message: 'store: disk full' }), makeT('en'))).toBe('store: disk full');
    expect(errorText(new ApiError('X', 'plain failure'), makeT('ru'))).toBe('plain failure');
  });
  it('says when the backend is missing', () => {
    expect(errorText(new BackendMissingError(), makeT('en'))).toBe('The app backend is not available.');
  });
});
