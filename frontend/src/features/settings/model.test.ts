import { describe, expect, it } from 'vitest';
import { ApiError, BackendMissingError, toApiError } from '../../lib/api';
import type { ChannelStatus } from '../../lib/types';
import {
  isWebhookError,
  normaliseGroupId,
  remainingRetry,
  settingsErrorText,
  statusView,
  usedPlaceholders,
  validApiUrl,
  validLeadCode,
} from './model';
import { settingsDictionaries, translateSettings, type SettingsT } from './settings-i18n';

const en: SettingsT = (k, v) => translateSettings('en', k, v);
const ru: SettingsT = (k, v) => translateSettings('ru', k, v);
const st = (p: Partial<ChannelStatus>): ChannelStatus => ({ channelId: 1, state: 'polling', retryIn: 0, lastError: '', webhook: false, at: 0, ...p });

describe('statusView', () => {
  it('reads every poller state in words with a tone', () => {
    expect(statusView(st({ state: 'connected' }), true, en)).toMatchObject({ text: 'Connected', tone: 'ok', webhook: false });
    expect(statusView(st({ state: 'polling' }), true, en).tone).toBe('ok');
    expect(statusView(st({ state: 'offline', retryIn: 12 }), true, en).text).toBe('Offline — retrying in 12 s');
    expect(statusView(st({ state: 'offline', retryIn: 0 }), true, en).text).toBe('Offline — retrying');
    expect(statusView(st({ state: 'rate_limited', retryIn: 30 }), true, en)).toMatchObject({ text: 'Rate-limited — waiting 30 s', tone: 'warn' });
    expect(statusView(st({ state: 'revoked' }), true, en)).toMatchObject({ tone: 'error', explain: 'ch.revokedExplain' });
    expect(statusView(st({ state: 'stopped' }), true, en).tone).toBe('muted');
    expect(statusView(st({ state: 'offline', retryIn: 7 }), true, ru).text).toBe('Нет связи — повтор через 7 с');
  });

  it('tells a webhook from another poller, and offers to remove only the webhook', () => {
    const conflict = statusView(st({ state: 'conflict' }), true, en);
    expect(conflict.text).toBe('Conflict: another program is polling this bot');
    expect(conflict.webhook).toBe(false);
    expect(conflict.retry).toBe(true);
    const hook = statusView(st({ state: 'conflict', webhook: true }), true, en);
    expect(hook.text).toBe('Webhook set: polling is blocked');
    expect(hook.webhook).toBe(true);
    expect(hook.explain).toBe('ch.webhookExplain');
  });

  it('says "starting" before the first report and "removed" for a disabled channel', () => {
    expect(statusView(null, true, en).text).toBe('Starting…');
    expect(statusView(st({ state: 'connected' }), false, en).text).toBe('Not connected — its chats stay readable');
  });
});

describe('remainingRetry', () => {
  it('counts down from the moment the status was reported, never below zero', () => {
    const s = st({ state: 'offline', retryIn: 10, at: 1_000_000 });
    expect(remainingRetry(s, 1_000_000)).toBe(10);
    expect(remainingRetry(s, 1_003_500)).toBe(7);
    expect(remainingRetry(s, 1_020_000)).toBe(0);
    expect(remainingRetry(s, 999_000)).toBe(10);
  });
});

describe('errors', () => {
  const fallback = (e: unknown) => `fallback:${e instanceof Error ? e.message : String(e)}`;

  it('turns the formatter object and "[code] text" strings into coded ApiErrors', () => {
    const a = toApiError('AddTelegramChannel', { code: 'token_rejected', message: 'telegram getMe: Unauthorized' });
    expect(a).toBeInstanceOf(ApiError);
    expect(a.code).toBe('token_rejected');
    expect(a.message).toBe('telegram getMe: Unauthorized');
    const b = toApiError('X', '[webhook] webhook is set');
    expect(b.code).toBe('webhook');
    expect(toApiError('X', 'plain').code).toBe('');
  });

  it('gives known codes words that say nothing was stored, in both languages', () => {
    const rejected = new ApiError('AddTelegramChannel', '[token_rejected] Unauthorized');
    expect(settingsErrorText(rejected, en, fallback)).toMatch(/rejected.*Nothing was stored/);
    expect(settingsErrorText(rejected, ru, fallback)).toMatch(/Токен отклонён/);
    const offline = new ApiError('CheckTelegramToken', '[offline] dial tcp: connection refused');
    expect(settingsErrorText(offline, en, fallback)).toMatch(/^Cannot reach the server/);
    expect(settingsErrorText(new ApiError('X', '[no_keyring] x'), en, fallback)).toMatch(/keyring/i);
    expect(settingsErrorText(new ApiError('X', '[rejected] Forbidden: bot is not a member'), en, fallback)).toBe(
      'The messenger refused: Forbidden: bot is not a member',
    );
  });

  it('tells unreachable, TLS, an error page and a non-Bot-API server apart, in both languages', () => {
    const cases: [string, RegExp, RegExp][] = [
      ['[unreachable] dial tcp: connection refused', /^Cannot reach the server/, /^Не удаётся связаться/],
      ['[tls] x509: certificate signed by unknown authority', /TLS certificate/, /сертификат TLS/],
      ['[server_error] HTTP 500: upstream exploded', /answered with an error \(HTTP 500: upstream exploded\)/, /ответил ошибкой \(HTTP 500: upstream exploded\)/],
      ['[not_bot_api] HTTP 200, not a Bot API answer: Welcome to nginx!', /not a Bot API server \(HTTP 200.*nginx!\)/, /не сервер Bot API \(HTTP 200/],
    ];
    const seen = new Set<string>();
    for (const [raw, wantEn, wantRu] of cases) {
      const e = new ApiError('CheckTelegramToken', raw);
      const words = settingsErrorText(e, en, fallback);
      expect(words).toMatch(wantEn);
      expect(settingsErrorText(e, ru, fallback)).toMatch(wantRu);
      seen.add(words.slice(0, 30));
    }
    expect(seen.size).toBe(4);
  });

  it('leaves unknown errors to the shell', () => {
    expect(settingsErrorText(new ApiError('X', 'boom'), en, fallback)).toBe('fallback:boom');
    expect(settingsErrorText(new BackendMissingError(), en, fallback)).toMatch(/^fallback:/);
    expect(isWebhookError(new ApiError('X', '[webhook] set'))).toBe(true);
    expect(isWebhookError(new ApiError('X', '[conflict] set'))).toBe(false);
  });
});

describe('form checks', () => {
  it('accepts deep-link codes exactly as Telegram does', () => {
    expect(validLeadCode('spring_sale-2026')).toBe(true);
    expect(validLeadCode('a'.repeat(64))).toBe(true);
    expect(validLeadCode('a'.repeat(65))).toBe(false);
    expect(validLeadCode('')).toBe(false);
    expect(validLeadCode('with space')).toBe(false);
    expect(validLeadCode('кириллица')).toBe(false);
  });

  it('accepts only http(s) Bot API servers, or none', () => {
    expect(validApiUrl('')).toBe(true);
    expect(validApiUrl('http://127.0.0.1:8081')).toBe(true);
    expect(validApiUrl('https://tg.example.com/')).toBe(true);
    expect(validApiUrl('ftp://x')).toBe(false);
    expect(validApiUrl('javascript:alert(1)')).toBe(false);
    expect(validApiUrl('not a url')).toBe(false);
  });

  it('normalises VK community ids', () => {
    expect(normaliseGroupId(' 123456 ')).toBe('123456');
    expect(normaliseGroupId('club123')).toBe('123');
    expect(normaliseGroupId('-42')).toBe('42');
    expect(normaliseGroupId('durov')).toBeNull();
    expect(normaliseGroupId('')).toBeNull();
  });

  it('lists the known placeholders a template uses, in a stable order', () => {
    expect(usedPlaceholders('Hi {first_name}, I am {manager}. {name} {unknown} {first_name}')).toEqual(['name', 'first_name', 'manager']);
    expect(usedPlaceholders('no placeholders')).toEqual([]);
  });
});

describe('settings dictionaries', () => {
  it('have the same keys, none empty, and Russian is translated', () => {
    const enKeys = Object.keys(settingsDictionaries.en).sort();
    expect(Object.keys(settingsDictionaries.ru).sort()).toEqual(enKeys);
    for (const l of ['en', 'ru'] as const) {
      for (const k of enKeys) expect(settingsDictionaries[l][k as keyof typeof settingsDictionaries.en].trim(), `${l}:${k}`).not.toBe('');
    }
    const same = enKeys.filter((k) => settingsDictionaries.ru[k as keyof typeof settingsDictionaries.en] === settingsDictionaries.en[k as keyof typeof settingsDictionaries.en]);
    expect(same).toEqual([]);
  });

  it('keeps placeholders without a value as written (the template hint shows {name})', () => {
    expect(en('tpl.placeholders')).toContain('{name}');
    expect(en('ch.lastError', { text: '<b>x</b>' })).toBe('Last error: <b>x</b>');
  });
});
