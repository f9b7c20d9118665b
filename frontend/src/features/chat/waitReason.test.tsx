// A queued message says why it waits when its channel cannot send (issue 13), in both languages.
import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Channel, ChannelStatus, Manager, Message } from '../../lib/types';
import { MessageItem } from '../history/MessageItem';
import { waitReason } from './waitReason';

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
const status = (state: ChannelStatus['state'], retryIn = 0): Map<number, ChannelStatus> =>
  new Map([[7, { channelId: 7, state, retryIn, lastError: '', webhook: false, at: 0 }]]);
const en = makeT('en');
const ru = makeT('ru');

describe('waitReason', () => {
  it('says nothing while the channel is up', () => {
    expect(waitReason(7, [bot], status('polling'), en)).toBe('');
    expect(waitReason(7, [bot], status('connected'), en)).toBe('');
  });
  it('names a channel without a token or stopped', () => {
    expect(waitReason(7, [bot], status('stopped'), en)).toMatch(/Sales bot is not connected \(no token or stopped\)/);
    expect(waitReason(7, [bot], status('stopped'), ru)).toMatch(/Канал Sales bot не подключён/);
  });
  it('says when the channel was removed, the token revoked or the network is down', () => {
    expect(waitReason(7, [{ ...bot, enabled: false }], new Map(), en)).toMatch(/Sales bot is not connected/);
    expect(waitReason(8, [bot], new Map(), en)).toMatch(/was removed/);
    expect(waitReason(7, [bot], status('revoked'), en)).toMatch(/token of Sales bot was revoked/);
    expect(waitReason(7, [bot], status('offline', 12), en)).toBe('No connection to Sales bot: trying again in 12 s.');
    expect(waitReason(7, [bot], status('offline', 12), ru)).toBe('Нет связи с Sales bot: повтор через 12 с.');
  });
});

describe('a queued message in a chat whose channel is not connected', () => {
  const me: Manager = { id: 1, name: 'Anna', avatarUrl: '', isMe: true };
  const queued: Message = {
    id: 1,
    chatId: 1,
    kind: 'message',
    externalId: '',
    sender: 'manager',
    senderName: '',
    managerId: 1,
    text: 'hello',
    attachments: null,
    replyToId: 0,
    status: 'queued',
    error: '',
    edited: false,
    deleted: false,
    createdAt: Date.now(),
    editedAt: 0,
  };
  const renderWith = (m: Message, reason: string, waitInline = true) =>
    render(
      <I18nProvider value={{ locale: 'en', t: en }}>
        <MessageItem
          waitInline={waitInline}
          m={m}
          personName="C"
          personId={5}
          me={me}
          managers={new Map()}
          channelKind="telegram"
          onReply={vi.fn()}
          onEdit={vi.fn()}
          onDelete={vi.fn()}
          onRetry={vi.fn()}
          queuedReason={reason}
        />
      </I18nProvider>,
    );

  it('says why it waits, inline and on the clock', () => {
    const reason = waitReason(7, [bot], status('stopped'), en);
    renderWith(queued, reason);
    expect(screen.getByTestId('msg-wait').textContent).toBe(reason);
    expect(screen.getByTestId('msg-status').getAttribute('title')).toBe(`Queued: ${reason}`);
  });

  it('says it on hover only for the older queued messages (the newest says it inline)', () => {
    const reason = waitReason(7, [bot], status('stopped'), en);
    renderWith(queued, reason, false);
    expect(screen.queryByTestId('msg-wait')).toBeNull();
    expect(screen.getByTestId('msg-status').getAttribute('title')).toBe(`Queued: ${reason}`);
  });

  it('shows only the clock when the channel is up', () => {
    renderWith(queued, '');
    expect(screen.queryByTestId('msg-wait')).toBeNull();
    expect(screen.getByTestId('msg-status').getAttribute('title')).toBe('Queued');
  });
});
