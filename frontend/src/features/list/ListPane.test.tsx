// The empty workspace leads somewhere (issue 13): with no channel, to Settings → Channels; with
// one, it says the inbox waits for the first client; the first client then shows up live.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Bootstrap, Channel, ListRow } from '../../lib/types';
import { channelsStore } from '../workspace/channels';
import { listControl, workspace } from '../workspace/store';
import { ListPane } from './ListPane';
import { fakeGo } from '../../test/bindings';

const boot = {
  me: { id: 1, name: 'Anna', avatarUrl: '', isMe: true },
  managers: [],
  locale: 'en',
  theme: 'light',
  defaultTab: 'all',
  firstPage: { rows: [], nextCursor: '' },
  counts: { important: 0, all: 0, unread: 0 },
  channels: [],
  facets: { plans: null, tags: null, tools: null, sources: null },
  savedFilters: null,
  lastChatId: 0,
} as Bootstrap;
const bot: Channel = {
  id: 7,
  kind: 'telegram',
  name: 'Sales bot',
  externalId: '5150',
  username: 'sales_bot',
  avatarUrl: '',
  apiUrl: '',
  enabled: true,
  createdAt: 0,
};
const vera = {
  personId: 3,
  chatId: 30,
  name: 'Vera',
  channelKind: 'telegram',
  channels: ['telegram'],
  unread: 1,
  lastMessageAt: Date.now(),
  preview: 'hi',
} as unknown as ListRow;

let people: ListRow[] = [];
beforeEach(() => {
  // jsdom does not scroll; the list asks to start a new query at the top.
  Element.prototype.scrollTo ??= () => undefined;
  people = [];
  window.go = fakeGo({
    ListPeople: vi.fn(async () => ({ rows: people, nextCursor: '' })),
    TabCounts: vi.fn(async () => ({ important: 0, all: people.length, unread: people.length })),
    ReportReady: vi.fn(async () => undefined),
  });
});
afterEach(() => {
  delete window.go;
  workspace.reset();
  channelsStore.reset();
});

const renderPane = () =>
  render(
    <I18nProvider value={{ locale: 'en', t: makeT('en') }}>
      <ListPane boot={boot} onFirstRender={() => undefined} />
    </I18nProvider>,
  );

describe('ListPane on an empty workspace', () => {
  it('with no channel, says how to connect one and opens Settings → Channels', () => {
    renderPane();
    const empty = screen.getByTestId('inbox-empty');
    expect(empty.getAttribute('data-state')).toBe('no-channels');
    expect(empty.textContent).toMatch(/Telegram bot or a VK community/);
    fireEvent.click(screen.getByTestId('inbox-connect'));
    expect(workspace.get().settings).toBe('channels');
  });

  it('with a channel, waits for the first client, who then appears live', async () => {
    channelsStore.set({ channels: [bot] });
    renderPane();
    expect(screen.getByTestId('inbox-empty').getAttribute('data-state')).toBe('waiting');
    expect(screen.getByTestId('inbox-empty').textContent).toMatch(/Sales bot/);
    // A client writes: the store reports a change, the workspace refreshes the list.
    people = [vera];
    act(() => listControl().refresh());
    await waitFor(() => expect(screen.getByTestId('tab-count-all').textContent).toBe('1'));
    expect(screen.queryByTestId('inbox-empty')).toBeNull();
    await waitFor(() =>
      expect(
        listControl()
          .rows()
          .map((r) => r.name),
      ).toEqual(['Vera']),
    );
  });
});

describe('tab badges', () => {
  const renderIn = (locale: 'en' | 'ru') =>
    render(
      <I18nProvider value={{ locale, t: makeT(locale) }}>
        <ListPane boot={{ ...boot, channels: [bot] }} onFirstRender={() => undefined} />
      </I18nProvider>,
    );
  // A search over many people: the store stopped counting All and Unread at its cap.
  const capped = { important: 3, all: 1000, unread: 1000, allCapped: true, unreadCapped: true };
  // Important may be a lower bound below the cap too (the store examined as many people as a count may).

  it('words a count the store stopped at its cap, in English', async () => {
    people = [vera];
    window.go = fakeGo({
      ListPeople: vi.fn(async () => ({ rows: people, nextCursor: '' })),
      TabCounts: vi.fn(async () => ({ ...capped, unread: 1234, unreadCapped: false })),
      ReportReady: vi.fn(async () => undefined),
    });
    renderIn('en');
    act(() => listControl().refresh());
    await waitFor(() => expect(screen.getByTestId('tab-count-all').textContent).toBe('1,000+'));
    expect(screen.getByTestId('tab-count-all').getAttribute('title')).toBe('At least 1,000');
    // An exact count groups its thousands and says nothing more.
    expect(screen.getByTestId('tab-count-unread').textContent).toBe('1,234');
    expect(screen.getByTestId('tab-count-unread').getAttribute('title')).toBeNull();
    expect(screen.getByTestId('tab-count-important').textContent).toBe('3');
  });

  it('words a count the store stopped at its cap, in Russian', async () => {
    people = [vera];
    window.go = fakeGo({
      ListPeople: vi.fn(async () => ({ rows: people, nextCursor: '' })),
      TabCounts: vi.fn(async () => ({ ...capped, important: 37, importantCapped: true })),
      ReportReady: vi.fn(async () => undefined),
    });
    renderIn('ru');
    act(() => listControl().refresh());
    await waitFor(() => expect(screen.getByTestId('tab-count-unread').textContent).toBe('1\u00a0000+'));
    expect(screen.getByTestId('tab-count-unread').getAttribute('title')).toBe('Не меньше 1\u00a0000');
    expect(screen.getByTestId('tab-count-all').getAttribute('data-capped')).toBe('true');
    expect(screen.getByTestId('tab-count-important').textContent).toBe('37+');
  });
});
