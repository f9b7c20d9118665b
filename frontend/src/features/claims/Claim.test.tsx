import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import { ToastProvider } from '../../lib/toast';
import type { Chat, Locale, Manager } from '../../lib/types';
import { fakeGo } from '../../test/bindings';
import { ClaimControl, OwnerLine } from './Claim';

const me: Manager = { id: 1, name: 'Ольга', avatarUrl: '', isMe: true };
const anna: Manager = { id: 2, name: 'Анна <i>Смирнова</i>', avatarUrl: '', isMe: false };
const managers = new Map([me, anna].map((m) => [m.id, m]));
const chat = (ownerId: number): Chat => ({
  id: 5,
  personId: 7,
  channelId: 1,
  channelKind: 'telegram',
  channelName: 'Shop',
  externalChatId: '1',
  username: '',
  tunnelOff: false,
  botOff: false,
  unread: 0,
  lastMessageAt: 0,
  preview: '',
  hasDraft: false,
  ownerId,
});

function renderClaim(ownerId: number, locale: Locale = 'en', onChanged = vi.fn()) {
  render(
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <ToastProvider>
        <ClaimControl chat={chat(ownerId)} me={me} managers={managers} onChanged={onChanged} />
        <OwnerLine chat={chat(ownerId)} me={me} managers={managers} />
      </ToastProvider>
    </I18nProvider>,
  );
  return onChanged;
}

afterEach(() => {
  delete window.go;
});

describe('claims', () => {
  it('takes an unassigned chat expecting nobody, and says nothing above the composer', async () => {
    const calls: unknown[][] = [];
    window.go = fakeGo({ ClaimChat: async (id: number, expected: number) => void calls.push([id, expected]) });
    const onChanged = renderClaim(0);
    expect(screen.getByTestId('chat-owner').textContent).toBe('Unassigned');
    expect(screen.queryByTestId('owner-line')).toBeNull();
    fireEvent.click(screen.getByTestId('claim-take'));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(calls).toEqual([[5, 0]]);
  });

  it('releases my own chat expecting me', async () => {
    const calls: unknown[][] = [];
    window.go = fakeGo({ ReleaseChat: async (id: number, expected: number) => void calls.push([id, expected]) });
    renderClaim(1, 'ru');
    expect(screen.getByTestId('chat-owner').textContent).toBe('Ваш чат');
    expect(screen.queryByTestId('owner-line')).toBeNull();
    fireEvent.click(screen.getByTestId('claim-release'));
    await waitFor(() => expect(calls).toEqual([[5, 1]]));
  });

  it('names someone else’s chat above the composer, as text, in both languages', () => {
    renderClaim(2);
    expect(screen.getByTestId('owner-line').textContent).toBe('Анна <i>Смирнова</i> owns this chat: you are replying in someone else’s chat.');
    expect(screen.getByTestId('chat-owner').textContent).toBe('Owner: Анна <i>Смирнова</i>');
    expect(document.querySelector('i')).toBeNull();
    screen.getByTestId('owner-line').remove();
    renderClaim(2, 'ru');
    expect(screen.getAllByTestId('owner-line').at(-1)!.textContent).toBe('Ответственный за этот чат — Анна <i>Смирнова</i>: вы отвечаете в чужом чате.');
  });

  it('a lost race shows who won and reloads the chat', async () => {
    window.go = fakeGo({
      ClaimChat: async () => {
        throw { code: 'claimed', message: 'store: chat 5 is owned by manager 2', params: { owner: 'Анна', ownerId: '2' } };
      },
    });
    const onChanged = renderClaim(0, 'ru');
    fireEvent.click(screen.getByTestId('claim-take'));
    await waitFor(() => expect(document.body.textContent).toContain('Этот чат уже взял(а) Анна.'));
    expect(onChanged).toHaveBeenCalled();
  });

  it('takes over someone else’s chat expecting them (an admin’s reassignment)', async () => {
    const calls: unknown[][] = [];
    window.go = fakeGo({ ClaimChat: async (id: number, expected: number) => void calls.push([id, expected]) });
    renderClaim(2);
    fireEvent.click(screen.getByTestId('claim-take'));
    await waitFor(() => expect(calls).toEqual([[5, 2]]));
  });
});
