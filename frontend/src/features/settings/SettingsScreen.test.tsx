// The Settings screen against a fake window.go (a test double of the Wails bindings, for unit
// tests only): every assertion is about what the manager sees and which Go calls are made.
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Channel, ChannelStatus, Locale, ThemeSetting } from '../../lib/types';
import type { ChannelView, LeadLinkView, Template } from '../../lib/settingsApi';
import { SettingsScreen, type SettingsSectionId } from './SettingsScreen';
import { setValue } from '../../test/fields';
import { fakeGo } from '../../test/bindings';
import { resetSettingsWindow } from '../../test/settings';
import type { TeamStatus } from '../../lib/teamApi';

const BAD = '123456:BAD-token-never-shown';
const GOOD = '654321:GOOD-token-never-shown';

function channel(id: number, name: string, kind: Channel['kind'] = 'telegram'): Channel {
  return { id, kind, name, externalId: String(id * 100), username: `${name.toLowerCase()}_bot`, avatarUrl: '', apiUrl: '', enabled: true, createdAt: 0 };
}

interface Fake {
  calls: { method: string; args: unknown[] }[];
  channels: ChannelView[];
  templates: Template[];
  links: LeadLinkView[];
  keyring: string;
  warning: string;
  webhookSet: boolean;
  emit: (name: string, data: unknown) => void;
  clipboard: string[];
  /** Team.TeamStatus's answer; none: an app without the Team service (solo). */
  team: TeamStatus | null;
  /** When set, Team.TeamStatus answers through it (a read held back). */
  teamRead?: () => Promise<TeamStatus>;
}

function install(): Fake {
  const listeners = new Map<string, ((...d: unknown[]) => void)[]>();
  const fake: Fake = {
    calls: [],
    channels: [],
    templates: [],
    links: [],
    keyring: '',
    warning: '',
    webhookSet: false,
    clipboard: [],
    team: null,
    emit: (name, data) => {
      for (const cb of listeners.get(name) ?? []) cb(data);
    },
  };
  const reject = (code: string, message: string) => Promise.reject({ code, message });
  const impl: Record<string, (...a: never[]) => Promise<unknown>> = {
    SettingsChannels: async () => fake.channels,
    TeamStatus: async () => (fake.teamRead ? fake.teamRead() : (fake.team ?? reject('not_available', 'TeamStatus'))),
    KeyringStatus: async () => fake.keyring,
    CheckTelegramToken: async (token: string) => {
      if (token !== GOOD) return reject('token_rejected', 'telegram getMe: Unauthorized');
      return { externalId: '777', name: 'Sales Bot', username: 'sales_bot', avatarUrl: '', webhook: fake.webhookSet };
    },
    AddTelegramChannel: async (token: string, apiUrl: string) => {
      if (token !== GOOD) return reject('token_rejected', 'Unauthorized');
      if (fake.webhookSet) return reject('webhook', 'webhook is set');
      const ch = { ...channel(9, 'Sales Bot'), apiUrl };
      fake.channels = [...fake.channels, { channel: ch, status: null, link: 'https://t.me/sales_bot', notify: true }];
      return ch;
    },
    DeleteTelegramWebhook: async () => {
      fake.webhookSet = false;
    },
    RemoveChannel: async (id: number) => {
      fake.channels = fake.channels.filter((v) => v.channel.id !== id);
    },
    DeleteChannelWebhook: async () => undefined,
    ReconnectChannel: async () => undefined,
    SetChannelNotify: async () => undefined,
    LeadLinks: async (channelId: number) => fake.links.filter((l) => l.link.channelId === channelId),
    AddLeadLink: async (l: LeadLinkView['link']) => {
      const code = l.code || 'gen3rated';
      const v = { link: { ...l, id: fake.links.length + 1, code }, url: `https://t.me/sales_bot?start=${code}` };
      fake.links = [...fake.links, v];
      return v;
    },
    DeleteLeadLink: async (id: number) => {
      fake.links = fake.links.filter((l) => l.link.id !== id);
    },
    Templates: async () => fake.templates,
    SaveTemplate: async (t: Template) => {
      const saved = { ...t, id: t.id || fake.templates.length + 1 };
      fake.templates = [...fake.templates.filter((x) => x.id !== saved.id), saved];
      return saved;
    },
    DeleteTemplate: async (id: number) => {
      fake.templates = fake.templates.filter((x) => x.id !== id);
    },
    MarkAllRead: async () => 42,
    DesktopSettings: async () => ({ muted: false, closeToTray: true, warning: fake.warning }),
    SetNotificationsMuted: async () => undefined,
    SetCloseToTray: async () => undefined,
    SetSetting: async () => undefined,
  };
  const recorded: Record<string, (...a: unknown[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(impl)) {
    recorded[name] = (...args: unknown[]) => {
      fake.calls.push({ method: name, args });
      return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  window.go = fakeGo(recorded);
  window.runtime = {
    EventsOn: (name: string, cb: (...d: unknown[]) => void) => {
      listeners.set(name, [...(listeners.get(name) ?? []), cb]);
      return () =>
        listeners.set(
          name,
          (listeners.get(name) ?? []).filter((x) => x !== cb),
        );
    },
    EventsOff: (name: string) => listeners.delete(name),
    ClipboardSetText: async (text: string) => {
      fake.clipboard.push(text);
      return true;
    },
  } as never;
  return fake;
}

const called = (f: Fake, method: string) => f.calls.filter((c) => c.method === method);

function Harness({ section, onClose = () => undefined, onAllRead }: { section?: SettingsSectionId; onClose?: () => void; onAllRead?: () => void }) {
  const [locale, setLocale] = useState<Locale>('en');
  const [theme, setTheme] = useState<ThemeSetting>('system');
  return (
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <span data-testid="shell-locale">{locale}</span>
      <span data-testid="shell-theme">{theme}</span>
      <SettingsScreen onClose={onClose} theme={theme} onLocale={setLocale} onTheme={setTheme} onAllRead={onAllRead} initialSection={section} />
    </I18nProvider>
  );
}

let fake: Fake;
beforeEach(() => {
  fake = install();
});
afterEach(resetSettingsWindow);

describe('Channels', () => {
  it('rejects a bad token with a clear message, stores nothing and never shows the token', async () => {
    render(<Harness />);
    await screen.findByTestId('channels-empty');
    fireEvent.click(screen.getByTestId('add-telegram'));
    const dialog = screen.getByTestId('add-channel-dialog');
    const input = within(dialog).getByTestId('token-input') as HTMLInputElement;
    expect(input.type).toBe('password');
    setValue(input, BAD);
    fireEvent.click(within(dialog).getByTestId('check-token'));
    expect(await within(dialog).findByTestId('add-error')).toHaveProperty('textContent', 'The messenger rejected the token: check it and paste it again.');
    expect(called(fake, 'CheckTelegramToken')[0]?.args).toEqual([BAD, '']);
    expect(called(fake, 'AddTelegramChannel')).toHaveLength(0);
    expect(document.body.textContent).not.toContain(BAD);
  });

  it('checks the token, shows the bot, then connects and lists it with the custom server', async () => {
    render(<Harness />);
    await screen.findByTestId('channels-empty');
    fireEvent.click(screen.getByTestId('add-telegram'));
    setValue(screen.getByTestId('token-input'), GOOD);
    setValue(screen.getByTestId('api-url-input'), 'http://127.0.0.1:8081');
    fireEvent.click(screen.getByTestId('check-token'));
    const info = await screen.findByTestId('bot-info');
    expect(info.textContent).toContain('Sales Bot');
    expect(info.textContent).toContain('@sales_bot');
    expect(called(fake, 'AddTelegramChannel')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('connect-channel'));
    const row = await screen.findByTestId('channel-row');
    expect(called(fake, 'AddTelegramChannel')[0]?.args).toEqual([GOOD, 'http://127.0.0.1:8081']);
    expect(screen.queryByTestId('add-channel-dialog')).toBeNull();
    expect(row.textContent).toContain('Sales Bot');
    expect(row.textContent).toContain('Bot API server: http://127.0.0.1:8081');
    expect(document.body.textContent).not.toContain(GOOD);
  });

  it('refuses a server address that is not http(s) before calling Go', async () => {
    render(<Harness />);
    await screen.findByTestId('channels-empty');
    fireEvent.click(screen.getByTestId('add-telegram'));
    setValue(screen.getByTestId('token-input'), GOOD);
    setValue(screen.getByTestId('api-url-input'), 'javascript:alert(1)');
    fireEvent.click(screen.getByTestId('check-token'));
    expect((await screen.findByTestId('add-error')).textContent).toMatch(/http:\/\/ or https:\/\//);
    expect(called(fake, 'CheckTelegramToken')).toHaveLength(0);
  });

  it('explains a webhook and removes it before connecting', async () => {
    fake.webhookSet = true;
    render(<Harness />);
    await screen.findByTestId('channels-empty');
    fireEvent.click(screen.getByTestId('add-telegram'));
    setValue(screen.getByTestId('token-input'), GOOD);
    fireEvent.click(screen.getByTestId('check-token'));
    const callout = await screen.findByTestId('webhook-callout');
    expect(callout.textContent).toMatch(/webhook has to be removed/);
    expect((screen.getByTestId('connect-channel') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('remove-webhook'));
    await waitFor(() => expect(screen.queryByTestId('webhook-callout')).toBeNull());
    expect(called(fake, 'DeleteTelegramWebhook')[0]?.args).toEqual([GOOD, '']);
    expect((screen.getByTestId('connect-channel') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows live status changes and counts the retry down', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      fake.channels = [{ channel: channel(1, 'Support'), status: null, link: 'https://t.me/support_bot', notify: true }];
      render(<Harness />);
      const pill = await screen.findByTestId('channel-status');
      expect(pill.textContent).toBe('Starting…');
      const now = Date.now();
      const offline: ChannelStatus = { channelId: 1, state: 'offline', retryIn: 5, lastError: 'offline', webhook: false, at: now };
      act(() => fake.emit('channel:status', offline));
      expect(screen.getByTestId('channel-status').textContent).toBe('Offline — retrying in 5 s');
      expect(screen.getByTestId('channel-last-error').textContent).toBe(
        'Last error: Cannot reach the server: check the network or the Bot API server address.',
      );
      await act(async () => {
        await vi.advanceTimersByTimeAsync(2100);
      });
      expect(screen.getByTestId('channel-status').textContent).toBe('Offline — retrying in 3 s');
      act(() => fake.emit('channel:status', { ...offline, state: 'conflict', webhook: false, lastError: 'conflict', retryIn: 0 }));
      expect(screen.getByTestId('channel-status').textContent).toBe('Conflict: another program is polling this bot');
      expect(screen.queryByTestId('channel-remove-webhook')).toBeNull();
      fireEvent.click(screen.getByTestId('channel-retry'));
      await waitFor(() => expect(called(fake, 'ReconnectChannel')[0]?.args).toEqual([1]));
      act(() => fake.emit('channel:status', { ...offline, state: 'conflict', webhook: true, lastError: '', retryIn: 0 }));
      expect(screen.getByTestId('channel-status').textContent).toBe('Webhook set: polling is blocked');
      fireEvent.click(screen.getByTestId('channel-remove-webhook'));
      await waitFor(() => expect(called(fake, 'DeleteChannelWebhook')[0]?.args).toEqual([1]));
    } finally {
      vi.useRealTimers();
    }
  });

  it('removes a channel only after confirmation', async () => {
    fake.channels = [{ channel: channel(1, 'Support'), status: null, link: '', notify: true }];
    render(<Harness />);
    fireEvent.click(await screen.findByTestId('channel-remove'));
    expect(screen.getByTestId('remove-channel-dialog').textContent).toContain('Remove “Support”?');
    fireEvent.click(screen.getByTestId('confirm-cancel'));
    expect(called(fake, 'RemoveChannel')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('channel-remove'));
    fireEvent.click(screen.getByTestId('confirm-yes'));
    await screen.findByTestId('channels-empty');
    expect(called(fake, 'RemoveChannel')[0]?.args).toEqual([1]);
  });

  it('lists a disconnected channel after the connected ones, without Remove', async () => {
    fake.channels = [
      { channel: { ...channel(1, 'Old'), enabled: false }, status: null, link: '', notify: true },
      { channel: channel(2, 'Live'), status: { channelId: 2, state: 'polling', retryIn: 0, lastError: '', webhook: false, at: 0 }, link: '', notify: true },
    ];
    render(<Harness />);
    await screen.findAllByTestId('channel-row');
    const rows = screen.getAllByTestId('channel-row');
    expect(rows.map((r) => r.getAttribute('data-channel-id'))).toEqual(['2', '1']);
    expect(within(rows[0]!).getByTestId('channel-status').textContent).toBe('Receiving messages');
    expect(within(rows[1]!).getByTestId('channel-status').textContent).toBe('Not connected — its chats stay readable');
    expect(within(rows[1]!).queryByTestId('channel-remove')).toBeNull();
  });

  it('says plainly when there is no keyring and how to fix it; connecting then fails in words', async () => {
    fake.keyring = 'no_keyring';
    render(<Harness />);
    const warn = await screen.findByTestId('keyring-warning');
    expect(warn.textContent).toMatch(/No system keyring/);
    expect(warn.textContent).toMatch(/gnome-keyring/);
    expect(warn.textContent).not.toContain('no_keyring');
    window.go!.app!.Settings!.AddTelegramChannel = (async () => Promise.reject({ code: 'no_keyring', message: 'keyring write: …' })) as never;
    fireEvent.click(screen.getByTestId('add-telegram'));
    setValue(screen.getByTestId('token-input'), GOOD);
    fireEvent.click(screen.getByTestId('check-token'));
    fireEvent.click(await screen.findByTestId('connect-channel'));
    expect((await screen.findByTestId('add-error')).textContent).toMatch(/^No system keyring: tokens cannot be stored/);
  });

  it('renders hostile channel names and errors as text', async () => {
    fake.channels = [
      {
        channel: channel(1, '<img src=x onerror=alert(1)>Evil'),
        status: { channelId: 1, state: 'revoked', retryIn: 0, lastError: '<b>Unauthorized</b>', webhook: false, at: 0 },
        link: '',
        notify: true,
      },
    ];
    render(<Harness />);
    const row = await screen.findByTestId('channel-row');
    expect(row.textContent).toContain('<img src=x onerror=alert(1)>Evil');
    expect(row.querySelector('img')).toBeNull();
    expect(row.querySelector('b')).toBeNull();
  });
});

describe('Company → Read all messages', () => {
  it('does nothing on cancel and needs the word typed before it marks everything read', async () => {
    const onAllRead = vi.fn();
    render(<Harness section="company" onAllRead={onAllRead} />);
    fireEvent.click(await screen.findByTestId('read-all'));
    const dialog = screen.getByTestId('read-all-dialog');
    expect(dialog.textContent).toMatch(/cannot be undone/);
    fireEvent.click(within(dialog).getByTestId('read-all-cancel'));
    expect(screen.queryByTestId('read-all-dialog')).toBeNull();
    expect(called(fake, 'MarkAllRead')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('read-all'));
    const confirm = screen.getByTestId('read-all-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    setValue(screen.getByTestId('read-all-input'), 'REA');
    expect(confirm.disabled).toBe(true);
    setValue(screen.getByTestId('read-all-input'), ' read ');
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    expect((await screen.findByTestId('read-all-done')).textContent).toBe('All chats are marked read (42).');
    expect(called(fake, 'MarkAllRead')).toHaveLength(1);
    expect(onAllRead).toHaveBeenCalledTimes(1);
  });
});

describe('Chat templates', () => {
  it('adds, edits and deletes a template, hinting the placeholders it uses', async () => {
    render(<Harness section="templates" />);
    await screen.findByText('No chat templates yet.');
    fireEvent.click(screen.getByTestId('tpl-add'));
    fireEvent.click(screen.getByTestId('tpl-save'));
    expect(screen.getByRole('alert').textContent).toBe('A template needs a name and a text.');
    setValue(screen.getByTestId('tpl-name'), 'Greeting <script>');
    setValue(screen.getByTestId('tpl-value'), 'Hello, {first_name}! I am {manager}.');
    expect(screen.getByTestId('tpl-used').textContent).toBe('{first_name}{manager}');
    fireEvent.click(screen.getByTestId('tpl-save'));
    const row = await screen.findByTestId('tpl-row');
    expect(called(fake, 'SaveTemplate')[0]?.args).toEqual([{ id: 0, name: 'Greeting <script>', value: 'Hello, {first_name}! I am {manager}.' }]);
    expect(within(row).getByTestId('tpl-row-name').textContent).toBe('Greeting <script>');

    fireEvent.click(within(row).getByTestId('tpl-edit'));
    setValue(screen.getByTestId('tpl-value'), 'Bye');
    fireEvent.click(screen.getByTestId('tpl-save'));
    await waitFor(() => expect(screen.getByTestId('tpl-row').textContent).toContain('Bye'));
    expect(called(fake, 'SaveTemplate')[1]?.args).toEqual([{ id: 1, name: 'Greeting <script>', value: 'Bye' }]);

    fireEvent.click(screen.getByTestId('tpl-delete'));
    fireEvent.click(screen.getByTestId('confirm-yes'));
    await screen.findByText('No chat templates yet.');
    expect(called(fake, 'DeleteTemplate')[0]?.args).toEqual([1]);
  });
});

describe('Lead-generation links', () => {
  it('creates a named link for the chosen channel and copies its deep link', async () => {
    fake.channels = [{ channel: channel(3, 'Sales'), status: null, link: 'https://t.me/sales_bot', notify: true }];
    render(<Harness section="leadLinks" />);
    await screen.findByText('No links for this channel yet.');
    fireEvent.click(screen.getByTestId('ll-add'));
    expect(screen.getByRole('alert').textContent).toBe('Fill in at least a sales plan, a source or a tool.');
    setValue(screen.getByTestId('ll-plan'), 'Spring sale');
    setValue(screen.getByTestId('ll-code'), 'bad code!');
    fireEvent.click(screen.getByTestId('ll-add'));
    expect(screen.getByRole('alert').textContent).toMatch(/A–Z a–z 0–9/);
    setValue(screen.getByTestId('ll-code'), '');
    setValue(screen.getByTestId('ll-source'), 'Instagram');
    fireEvent.click(screen.getByTestId('ll-add'));
    const url = (await screen.findByTestId('ll-url')) as HTMLInputElement;
    expect(url.value).toBe('https://t.me/sales_bot?start=gen3rated');
    expect(called(fake, 'AddLeadLink')[0]?.args).toEqual([{ id: 0, channelId: 3, code: '', plan: 'Spring sale', source: 'Instagram', tool: '' }]);
    fireEvent.click(screen.getByTestId('ll-copy'));
    await waitFor(() => expect(fake.clipboard).toEqual(['https://t.me/sales_bot?start=gen3rated']));
  });
});

describe('Preferences', () => {
  it('switches language and theme in the shell and saves them', async () => {
    render(<Harness section="preferences" />);
    fireEvent.click(screen.getByTestId('pref-locale-ru'));
    expect(screen.getByTestId('shell-locale').textContent).toBe('ru');
    expect(await screen.findByText('Язык')).toBeTruthy();
    fireEvent.click(screen.getByTestId('pref-theme-dark'));
    expect(screen.getByTestId('shell-theme').textContent).toBe('dark');
    await waitFor(() =>
      expect(called(fake, 'SetSetting').map((c) => c.args)).toEqual([
        ['locale', 'ru'],
        ['theme', 'dark'],
      ]),
    );
  });

  it('toggles quiet mode, per-channel notifications and close-to-tray, and shows the desktop warning', async () => {
    fake.warning = 'notifications_unavailable';
    fake.channels = [{ channel: channel(1, 'Support'), status: null, link: '', notify: true }];
    render(<Harness section="preferences" />);
    expect((await screen.findByTestId('notify-warning')).textContent).toMatch(
      /^Desktop notifications are unavailable: the system’s notification service did not answer\./,
    );
    const perChannel = (await screen.findByTestId('pref-channel-notify')) as HTMLInputElement;
    expect(perChannel.checked).toBe(true);
    fireEvent.click(perChannel);
    await waitFor(() => expect(called(fake, 'SetChannelNotify')[0]?.args).toEqual([1, false]));
    expect((screen.getByTestId('pref-channel-notify') as HTMLInputElement).checked).toBe(false);
    const tray = screen.getByTestId('pref-tray') as HTMLInputElement;
    expect(tray.checked).toBe(true);
    fireEvent.click(tray);
    fireEvent.click(screen.getByTestId('pref-mute'));
    await waitFor(() => expect(called(fake, 'SetNotificationsMuted')[0]?.args).toEqual([true]));
    expect(called(fake, 'SetCloseToTray')[0]?.args).toEqual([false]);
    // Quiet mode silences everything: the per-channel switches wait until it is off.
    expect((screen.getByTestId('pref-channel-notify') as HTMLInputElement).disabled).toBe(true);
  });
});

describe('Esc', () => {
  it('closes the innermost dialog first, then Settings', async () => {
    const onClose = vi.fn();
    render(<Harness section="company" onClose={onClose} />);
    fireEvent.click(await screen.findByTestId('read-all'));
    fireEvent.keyDown(screen.getByTestId('read-all-input'), { key: 'Escape' });
    expect(screen.queryByTestId('read-all-dialog')).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe('Team status', () => {
  const account = { id: 2, name: 'Anna', avatarUrl: '', email: 'anna@example.com', disabled: false, createdAt: 0, updatedAt: 0 };
  const member = (role: 'admin' | 'manager'): TeamStatus => ({
    mode: 'connected',
    hubUrl: 'https://hub.example.com',
    email: 'anna@example.com',
    account: { ...account, role },
    problem: '',
    restartNeeded: false,
    replica: { state: 'online', pending: 0, seq: 1, done: 0, total: 0, lastError: '' },
  });
  const replica = (state: string, lastError = '', pending = 0) =>
    act(() => fake.emit('replica:status', { state, pending, seq: 1, done: 0, total: 0, lastError }));

  it('is read once for every section opened, then follows Go’s team:status events without reading again', async () => {
    fake.team = member('admin');
    render(<Harness section="company" />);
    await screen.findByTestId('read-all');
    for (const s of ['channels', 'leadLinks', 'templates', 'dialogues', 'preferences', 'company'] as const) {
      fireEvent.click(screen.getByTestId(`settings-nav-${s}`));
    }
    await screen.findByTestId('read-all');
    expect(called(fake, 'TeamStatus')).toHaveLength(1);

    // The hub made Anna a manager; her desktop hears it: the section she has open says so.
    act(() => fake.emit('team:status', member('manager')));
    expect(await screen.findByTestId('company-read-only')).toBeTruthy();
    expect(screen.queryByTestId('read-all')).toBeNull();
    // The replica's own events (its queue, its connection) ask nothing: team:status says it all.
    replica('online', '', 1);
    replica('offline', 'hub_unreachable');
    act(() => fake.emit('team:status', member('admin')));
    expect(await screen.findByTestId('read-all')).toBeTruthy();
    expect(called(fake, 'TeamStatus')).toHaveLength(1);
  });

  it('drops a read answered after a newer team:status', async () => {
    fake.team = member('admin');
    let answer: (s: TeamStatus) => void = () => undefined;
    fake.teamRead = () => new Promise<TeamStatus>((resolve) => (answer = resolve));
    render(<Harness section="company" />);
    act(() => fake.emit('team:status', member('manager')));
    expect(await screen.findByTestId('company-read-only')).toBeTruthy();
    await act(async () => answer(member('admin')));
    expect(screen.getByTestId('company-read-only')).toBeTruthy();
    expect(screen.queryByTestId('read-all')).toBeNull();
  });
});
