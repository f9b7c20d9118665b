// The company's shared settings on a team hub's desktop: a manager reads the chat templates and
// the dialogue lists, an admin (and the one manager of a solo desktop) changes them; a change
// made on another desktop shows without reopening Settings.
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Locale, DialogueOption } from '../../lib/types';
import type { LeadLinkView, Template } from '../../lib/settingsApi';
import type { TeamStatus } from '../../lib/teamApi';
import { fakeGo } from '../../test/bindings';
import { resetSettingsWindow } from '../../test/settings';
import { DialogueListsSection } from '../dialogues/DialogueListsSection';
import { ChannelsSection } from './ChannelsSection';
import { CompanySection } from './CompanySection';
import { LeadLinksSection } from './LeadLinksSection';
import { TemplatesSection } from './TemplatesSection';
import { useChannels, type ChannelsState } from './useChannels';

const HOSTILE = '<img src=x onerror=alert(1)>';

function status(mode: TeamStatus['mode'], role: 'admin' | 'manager'): TeamStatus {
  return {
    mode,
    hubUrl: mode === 'connected' ? 'https://hub.example' : '',
    email: 'bob@example.com',
    problem: '',
    account: { id: 2, name: 'Bob', avatarUrl: '', email: 'bob@example.com', role, disabled: false, createdAt: 0, updatedAt: 0 },
    restartNeeded: false,
    replica: mode === 'connected' ? { state: 'online', pending: 0, seq: 1, done: 0, total: 0, lastError: '' } : null,
  };
}

let emit: (kinds: string[]) => void = () => undefined;

function install(st: TeamStatus, templates: Template[], options: DialogueOption[]) {
  const listeners: ((e: unknown) => void)[] = [];
  emit = (kinds) => {
    for (const cb of listeners) cb({ seq: 1, kinds, chatIds: null, personIds: null });
  };
  const box = { templates, options, links: [LINK], channels: channels.views };
  window.go = fakeGo({
    TeamStatus: async () => st,
    Templates: async () => box.templates,
    DialogueOptions: async () => box.options,
    LeadLinks: async () => box.links,
    KeyringStatus: async () => '',
    SettingsChannels: async () => box.channels,
  });
  window.runtime = {
    EventsOn: (name: string, cb: (e: unknown) => void) => {
      if (name === 'store:changed') listeners.push(cb);
      return () => undefined;
    },
    EventsOff: () => undefined,
  } as never;
  return box;
}

const LINK: LeadLinkView = {
  link: { id: 7, channelId: 1, code: 'spring', plan: 'Webinar', source: HOSTILE, tool: 'Bio link' },
  url: 'https://t.me/shop_bot?start=spring',
};

const channels: ChannelsState = {
  views: [
    {
      channel: { id: 1, kind: 'telegram', name: 'Shop', externalId: '100', username: 'shop_bot', avatarUrl: '', apiUrl: '', enabled: true, createdAt: 0 },
      status: null,
      link: 'https://t.me/shop_bot',
      notify: true,
    },
  ],
  loading: false,
  error: null,
  reload: async () => undefined,
  setNotify: () => undefined,
};

function renderBoth(locale: Locale = 'en') {
  return render(
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <TemplatesSection />
      <DialogueListsSection />
      <LeadLinksSection channels={channels} />
      <ChannelsSection channels={channels} />
      <CompanySection />
    </I18nProvider>,
  );
}

afterEach(resetSettingsWindow);

describe('company settings on a team desktop', () => {
  it('a manager reads them without a way to change them, in both languages', async () => {
    install(status('connected', 'manager'), [{ id: 1, name: 'greeting', value: HOSTILE }], [{ id: 3, kind: 'reason', name: HOSTILE, position: 1 }]);
    const { container } = renderBoth('ru');
    expect((await screen.findByTestId('tpl-read-only')).textContent).toBe('Изменять это может только администратор команды.');
    expect((await screen.findByTestId('dlg-read-only')).textContent).toBe('Изменять это может только администратор команды.');
    await screen.findByTestId('tpl-row');
    expect(screen.getByTestId('settings-templates').dataset.readOnly).toBe('true');
    expect(screen.queryByTestId('tpl-add')).toBeNull();
    expect(screen.queryByTestId('tpl-edit')).toBeNull();
    expect(screen.queryByTestId('tpl-delete')).toBeNull();
    const reasons = screen.getByTestId('dlg-list-reason');
    expect(within(reasons).getByTestId('dlg-option-text').textContent).toBe(HOSTILE);
    expect(screen.queryByTestId('dlg-option-name')).toBeNull();
    expect(screen.queryByTestId('dlg-option-delete')).toBeNull();
    expect(screen.queryByTestId('dlg-add-type')).toBeNull();
    // Lead links: read and copied, never added or removed.
    expect((await screen.findByTestId('ll-read-only')).textContent).toBe('Изменять это может только администратор команды.');
    expect(((await screen.findByTestId('ll-url')) as HTMLInputElement).value).toBe(LINK.url);
    expect(screen.getByTestId('ll-copy')).toBeTruthy();
    expect(screen.queryByTestId('ll-add')).toBeNull();
    expect(screen.queryByTestId('ll-delete')).toBeNull();
    // Channels: listed, never connected or removed from here.
    expect(screen.getByTestId('channels-read-only')).toBeTruthy();
    expect(screen.getAllByTestId('channel-row')).toHaveLength(1);
    expect(screen.queryByTestId('add-telegram')).toBeNull();
    expect(screen.queryByTestId('add-vk')).toBeNull();
    expect(screen.queryByTestId('channel-remove')).toBeNull();
    // "Read all" is a company action: not offered.
    expect(screen.getByTestId('company-read-only')).toBeTruthy();
    expect(screen.queryByTestId('read-all')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    cleanup();
    install(status('connected', 'manager'), [], []);
    renderBoth('en');
    expect((await screen.findByTestId('tpl-read-only')).textContent).toBe('Only an administrator of the team can change these.');
  });

  it('an admin, and a solo desktop, can change them', async () => {
    for (const st of [status('connected', 'admin'), status('solo', 'manager')]) {
      install(st, [{ id: 1, name: 'greeting', value: 'Hello' }], [{ id: 3, kind: 'type', name: 'Sales', position: 1 }]);
      renderBoth();
      await screen.findByTestId('tpl-edit');
      await screen.findByTestId('dlg-option-name');
      expect(screen.getByTestId('tpl-add')).toBeTruthy();
      expect(screen.getByTestId('dlg-add-type')).toBeTruthy();
      await screen.findByTestId('ll-delete');
      expect(screen.getByTestId('ll-add')).toBeTruthy();
      expect(screen.queryByTestId('ll-read-only')).toBeNull();
      expect(screen.getByTestId('add-telegram')).toBeTruthy();
      expect(screen.getByTestId('channel-remove')).toBeTruthy();
      expect(screen.queryByTestId('channels-read-only')).toBeNull();
      expect(screen.getByTestId('read-all')).toBeTruthy();
      expect(screen.queryByTestId('company-read-only')).toBeNull();
      expect(screen.queryByTestId('tpl-read-only')).toBeNull();
      expect(screen.queryByTestId('dlg-read-only')).toBeNull();
      cleanup();
    }
  });

  it("follows an admin's change made on another desktop", async () => {
    const box = install(status('connected', 'manager'), [], []);
    renderBoth();
    await screen.findByTestId('tpl-read-only');
    box.templates = [{ id: 4, name: 'sig', value: 'Best, {manager}' }];
    box.options = [{ id: 5, kind: 'component', name: 'Courier', position: 1 }];
    await screen.findByTestId('ll-row');
    box.links = [];
    act(() => emit(['templates.changed', 'dialogue_options.changed', 'lead_links.changed']));
    await waitFor(() => expect(screen.queryByTestId('ll-row')).toBeNull());
    await waitFor(() => expect(screen.getByTestId('tpl-row-name').textContent).toBe('sig'));
    await waitFor(() => expect(within(screen.getByTestId('dlg-list-component')).getByTestId('dlg-option-text').textContent).toBe('Courier'));
  });

  it('lists a channel an admin connected on another desktop', async () => {
    const box = install(status('connected', 'manager'), [], []);
    function Probe() {
      const { views } = useChannels();
      return <span data-testid="probe">{views.map((v) => v.channel.name).join(',')}</span>;
    }
    render(<Probe />);
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toBe('Shop'));
    box.channels = [...box.channels, { ...box.channels[0]!, channel: { ...box.channels[0]!.channel, id: 2, name: 'Second' } }];
    act(() => emit(['channels.changed']));
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toBe('Shop,Second'));
  });
});
