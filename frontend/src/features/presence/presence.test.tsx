import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Presence } from '../../lib/presenceApi';
import type { Locale, Manager } from '../../lib/types';
import { fakeGo } from '../../test/bindings';
import { localPresence, noteRecording, noteTyping, resetLocalPresence, stopTyping, TYPING_LINGER_MS } from './localPresence';
import { PresenceBar } from './PresenceBar';
import { presenceWords } from './presence-i18n';
import { presenceLines } from './presenceLine';
import { setPresenceForTest } from './presenceStore';

const names: Record<number, string> = { 2: 'Anna', 3: 'Bob', 4: 'Анна' };
const nameOf = (id: number) => names[id] ?? '';
const say = (locale: Locale, mine: Parameters<typeof presenceLines>[0], others: Presence[]) =>
  presenceLines(mine, others, nameOf, presenceWords.t[locale]('presence.someone')).lines.map((l) => presenceWords.t[locale](l.key, { names: l.names }));
const p = (managerId: number, state: Presence['state'], chatId = 5): Presence => ({ chatId, managerId, state });

describe('the presence line words', () => {
  it('words the seed’s sentences in English and Russian', () => {
    expect(say('en', 'viewing', [])).toEqual([]);
    expect(say('en', 'typing', [])).toEqual(['You are typing…']);
    expect(say('ru', 'typing', [])).toEqual(['Вы печатаете…']);
    expect(say('en', 'typing', [p(2, 'typing')])).toEqual(['You, Anna are typing…']);
    expect(say('ru', 'typing', [p(4, 'typing')])).toEqual(['Вы, Анна печатают…']);
    expect(say('en', 'viewing', [p(2, 'typing')])).toEqual(['Anna is typing…']);
    expect(say('ru', 'viewing', [p(4, 'typing')])).toEqual(['Анна печатает…']);
    expect(say('en', 'viewing', [p(3, 'typing'), p(2, 'typing')])).toEqual(['Anna, Bob are typing…']);
    expect(say('en', 'viewing', [p(2, 'recording')])).toEqual(['Anna is recording a voice note…']);
    expect(say('ru', 'viewing', [p(4, 'recording')])).toEqual(['Анна записывает голосовое сообщение…']);
    expect(say('en', 'recording', [])).toEqual(['You are recording a voice note…']);
    expect(say('en', 'typing', [p(2, 'recording')])).toEqual(['You are typing…', 'Anna is recording a voice note…']);
    expect(say('en', 'viewing', [p(99, 'typing')])).toEqual(['A colleague is typing…']);
    expect(say('ru', 'viewing', [p(99, 'typing')])).toEqual(['Коллега печатает…']);
  });

  it('lists who only has the chat open apart, by name', () => {
    const { viewers, lines } = presenceLines('viewing', [p(3, 'viewing'), p(2, 'viewing'), p(4, 'typing')], nameOf, 'someone');
    expect(viewers).toEqual([
      { id: 2, name: 'Anna' },
      { id: 3, name: 'Bob' },
    ]);
    expect(lines).toEqual([{ key: 'presence.oneTyping', names: 'Анна' }]);
  });
});

describe('PresenceBar', () => {
  const me: Manager = { id: 1, name: 'Me', avatarUrl: '', isMe: true };
  const hostile: Manager = { id: 2, name: '<img src=x onerror=alert(1)> Anna', avatarUrl: '', isMe: false };
  const bob: Manager = { id: 3, name: 'Bob', avatarUrl: '', isMe: false };
  const managers = new Map([me, hostile, bob].map((m) => [m.id, m]));
  let told: [number, string][];
  let toldAt: number[];

  beforeEach(() => {
    vi.useFakeTimers();
    told = [];
    toldAt = [];
    window.go = fakeGo({
      SetPresence: (chatId: number, state: string) => {
        told.push([chatId, state]);
        toldAt.push(Date.now());
        return Promise.resolve();
      },
      Presence: () => Promise.resolve([]),
    });
    resetLocalPresence();
    setPresenceForTest([]);
  });
  afterEach(() => {
    vi.useRealTimers();
    delete window.go;
  });

  const renderBar = (locale: Locale = 'en', chatId = 5) =>
    render(
      <I18nProvider value={{ locale, t: makeT(locale) }}>
        <PresenceBar chatId={chatId} managers={managers} />
      </I18nProvider>,
    );

  it('says "You are typing…" while the manager types and stops a few seconds after, telling Go each time', () => {
    const { unmount } = renderBar();
    expect(screen.queryByTestId('presence-bar')).toBeNull();
    expect(told).toEqual([[5, 'viewing']]);
    act(() => noteTyping(5));
    expect(screen.getByTestId('presence-line').textContent).toBe('You are typing…');
    expect(told.at(-1)).toEqual([5, 'typing']);
    // Still typing: the state is told again every 2 s.
    act(() => vi.advanceTimersByTime(2000));
    expect(told.filter(([, s]) => s === 'typing').length).toBe(2);
    act(() => vi.advanceTimersByTime(TYPING_LINGER_MS));
    expect(screen.queryByTestId('presence-bar')).toBeNull();
    expect(told.at(-1)).toEqual([5, 'viewing']);
    // Sending ends the typing at once.
    act(() => noteTyping(5));
    expect(screen.getByTestId('presence-line').textContent).toBe('You are typing…');
    act(() => stopTyping(5));
    expect(screen.queryByTestId('presence-bar')).toBeNull();
    // Typing in another chat says nothing here.
    act(() => noteTyping(6));
    expect(screen.queryByTestId('presence-bar')).toBeNull();
    unmount();
    expect(told.at(-1)).toEqual([5, 'idle']);
  });

  it('writes the store and tells Go when typing starts and ends, not on every keystroke, and the line stays while the keys come', () => {
    renderBar();
    let writes = 0;
    const off = localPresence.subscribe(() => writes++);
    const started = told.length;
    // Ten seconds of typing, a key every 150 ms.
    for (let t = 0; t < 10_000; t += 150) {
      act(() => noteTyping(5));
      act(() => vi.advanceTimersByTime(150));
      expect(screen.getByTestId('presence-line').textContent).toBe('You are typing…');
    }
    expect(writes).toBe(1);
    const pings = toldAt.slice(started);
    expect(told.slice(started).every(([chat, state]) => chat === 5 && state === 'typing')).toBe(true);
    // Typing lasts 6 s at the hub: a ping every 2 s keeps it, and none comes sooner.
    expect(pings.length).toBe(6);
    for (let i = 1; i < pings.length; i++) expect(pings[i]! - pings[i - 1]!).toBeGreaterThanOrEqual(2000);
    // The keys stop: the line stays for TYPING_LINGER_MS after the last one, then goes, with one write.
    act(() => vi.advanceTimersByTime(TYPING_LINGER_MS - 150 - 1));
    expect(screen.getByTestId('presence-line').textContent).toBe('You are typing…');
    act(() => vi.advanceTimersByTime(1));
    expect(screen.queryByTestId('presence-bar')).toBeNull();
    expect(writes).toBe(2);
    expect(told.at(-1)).toEqual([5, 'viewing']);
    off();
  });

  it('tells Go idle while the window is hidden, and viewing again when it is shown', () => {
    renderBar();
    const hidden = (on: boolean) =>
      act(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (on ? 'hidden' : 'visible') });
        document.dispatchEvent(new Event('visibilitychange'));
      });
    hidden(true);
    expect(told.at(-1)).toEqual([5, 'idle']);
    act(() => vi.advanceTimersByTime(30000));
    expect(told.at(-1)).toEqual([5, 'idle']);
    hidden(false);
    expect(told.at(-1)).toEqual([5, 'viewing']);
  });

  it('shows the others from the team, names as text, in Russian too', () => {
    setPresenceForTest([p(2, 'typing'), p(3, 'viewing'), p(3, 'typing', 9)]);
    renderBar('ru');
    act(() => noteTyping(5));
    expect(screen.getByTestId('presence-line').textContent).toBe('Вы, <img src=x onerror=alert(1)> Anna печатают…');
    expect(screen.getByTestId('presence-viewers').textContent).toBe('Также в чате:BBob');
    expect(document.querySelector('.presence-bar img')).toBeNull();
    act(() => noteRecording(5, true));
    expect(screen.getAllByTestId('presence-line').map((e) => e.textContent)).toEqual([
      '<img src=x onerror=alert(1)> Anna печатает…',
      'Вы записываете голосовое сообщение…',
    ]);
    expect(told.at(-1)).toEqual([5, 'recording']);
  });
});
