import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Manager, Message } from '../../lib/types';
import { MessageItem } from './MessageItem';

const me: Manager = { id: 1, name: 'Anna Manager', avatarUrl: '', isMe: true };
const boris: Manager = { id: 2, name: 'Boris', avatarUrl: '', isMe: false };
const managers = new Map([
  [1, me],
  [2, boris],
]);

function msg(patch: Partial<Message>): Message {
  return {
    id: 1,
    chatId: 1,
    kind: 'message',
    externalId: '10',
    sender: 'client',
    senderName: '',
    managerId: 0,
    text: 'hi',
    attachments: null,
    replyToId: 0,
    status: 'received',
    error: '',
    edited: false,
    deleted: false,
    createdAt: Date.now(),
    editedAt: 0,
    ...patch,
  };
}

function renderMsg(m: Message, locale: 'en' | 'ru' = 'en') {
  const actions = { onReply: vi.fn(), onEdit: vi.fn(), onDelete: vi.fn(), onRetry: vi.fn() };
  const r = render(
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <MessageItem m={m} personName="Client <i>X</i>" personId={5} me={me} managers={managers} channelKind="telegram" {...actions} />
    </I18nProvider>,
  );
  return { ...r, actions };
}

describe('MessageItem', () => {
  it('renders hostile client text as text', () => {
    const { container } = renderMsg(msg({ text: '<b>bold</b><img src=x onerror=alert(1)>' }));
    expect(screen.getByTestId('msg-text').textContent).toBe('<b>bold</b><img src=x onerror=alert(1)>');
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('i')).toBeNull();
    expect(container.querySelector('.msg-left')).not.toBeNull();
  });

  it('puts our messages on the right with "You" and a status', () => {
    const { container } = renderMsg(msg({ sender: 'manager', managerId: 1, status: 'queued', externalId: '' }));
    expect(container.querySelector('.msg-right')).not.toBeNull();
    expect(screen.getByText('You')).toBeTruthy();
    expect(screen.getByTestId('msg-status').getAttribute('data-status')).toBe('queued');
  });

  it('shows the error and a Retry button for a failed message', () => {
    const { actions } = renderMsg(msg({ sender: 'manager', managerId: 1, status: 'failed', error: 'blocked', externalId: '' }));
    expect(screen.getByTestId('msg-error').textContent).toContain('The client has blocked the bot');
    fireEvent.click(screen.getByTestId('retry'));
    expect(actions.onRetry).toHaveBeenCalled();
  });

  it('labels a note invisible to the client with the tagged managers', () => {
    renderMsg(msg({ kind: 'note', sender: 'manager', managerId: 1, mentions: [2], text: 'please help' }), 'ru');
    expect(screen.getByText('Внутренний комментарий, клиент его не видит')).toBeTruthy();
    expect(screen.getByText('Отмечены: Boris')).toBeTruthy();
  });

  it('shows indicator details', () => {
    renderMsg(
      msg({ kind: 'indicator', sender: 'system', text: '', indicator: { type: 'subscription', tunnel: 'Webinar', source: 'Instagram', tool: 'Quiz' } }),
    );
    const ind = screen.getByTestId('indicator');
    expect(ind.textContent).toContain('Subscribed');
    expect(ind.textContent).toContain('Webinar');
    expect(ind.textContent).toContain('Instagram');
    expect(ind.textContent).toContain('Quiz');
  });

  it('words a client rating (kind + params) in both languages', () => {
    const ind = { type: 'client_rating' as const, score: 4, dialogue: 7, cycle: 2 };
    const { unmount } = renderMsg(msg({ kind: 'indicator', sender: 'system', text: '', indicator: ind }), 'en');
    let el = screen.getByTestId('indicator');
    expect(el.querySelector('.ind-title')!.textContent).toBe('The client rated the dialogue');
    expect(screen.getByTestId('ind-score').getAttribute('data-score')).toBe('4');
    expect(screen.getByTestId('ind-score').textContent).toBe('★★★★☆ 4 of 5');
    expect(el.textContent).toContain('#7, cycle 2');
    unmount();
    renderMsg(msg({ kind: 'indicator', sender: 'system', text: '', indicator: ind }), 'ru');
    el = screen.getByTestId('indicator');
    expect(el.querySelector('.ind-title')!.textContent).toBe('Клиент оценил диалог');
    expect(screen.getByTestId('ind-score').textContent).toBe('★★★★☆ 4 из 5');
    expect(el.textContent).toContain('№7, цикл 2');
  });

  it('words an indicator reason code in the chosen language and shows names as data', () => {
    const ind = { type: 'payment_failed' as const, offer: 'Starter pack', amount: '$29', reason: 'card_declined' };
    const { unmount } = renderMsg(msg({ kind: 'indicator', sender: 'system', text: '', indicator: ind }), 'ru');
    let el = screen.getByTestId('indicator');
    expect(el.querySelector('.ind-title')!.textContent).toBe('Проваленная оплата');
    expect(screen.getByTestId('ind-reason').textContent).toBe('карта отклонена');
    expect([...el.querySelectorAll('[data-param]')].map((e) => e.textContent)).toEqual(['Starter pack', '$29']);
    unmount();
    renderMsg(msg({ kind: 'indicator', sender: 'system', text: '', indicator: { type: 'unsubscription', reason: 'blocked_bot' } }), 'en');
    el = screen.getByTestId('indicator');
    expect(el.querySelector('.ind-title')!.textContent).toBe('Unsubscribed');
    expect(screen.getByTestId('ind-reason').textContent).toBe('blocked the bot or denied messages');
    expect(el.textContent).not.toMatch(/[А-Яа-яЁё]/);
  });

  it('disables Delete past the Telegram window with the reason, keeps Edit', () => {
    renderMsg(msg({ sender: 'manager', managerId: 1, status: 'sent', createdAt: Date.now() - 49 * 3600_000 }));
    fireEvent.click(screen.getByTestId('msg-menu'));
    const [edit, del] = screen.getAllByRole('menuitem');
    expect(edit!.hasAttribute('disabled')).toBe(false);
    expect(del!.hasAttribute('disabled')).toBe(true);
    expect(screen.getByText(/48 h/)).toBeTruthy();
  });

  it('shows quotes, edited and deleted marks, reactions and attachments', () => {
    renderMsg(
      msg({
        edited: true,
        replyTo: { id: 9, sender: 'bot', senderName: '', text: 'earlier <u>question</u>' },
        reactions: [{ emoji: '👍', count: 2 }],
        attachments: [
          { kind: 'document', fileName: 'price.pdf', size: 2048 },
          { kind: 'location', lat: 55.75, lon: 37.61 },
        ],
      }),
    );
    expect(screen.getByTestId('quote').textContent).toContain('earlier <u>question</u>');
    expect(screen.getByText('edited')).toBeTruthy();
    expect(screen.getByText(/👍/)).toBeTruthy();
    const atts = screen.getAllByTestId('attachment');
    expect(atts[0]!.textContent).toContain('price.pdf');
    expect(atts[0]!.textContent).toContain('2 KB');
    expect(atts[1]!.textContent).toContain('55.75000, 37.61000');
  });
});
