// The "…" menu of a message near the bottom of the history opens upwards (issue 13: the newest
// message's menu opened past the bottom, so "Delete" could not be reached).
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Manager, Message } from '../../lib/types';
import { MessageItem } from './MessageItem';
import { menuPlacement } from './menuPlacement';

describe('menuPlacement', () => {
  const bounds = { top: 100, bottom: 700 };
  it('opens downwards when the menu fits below its button', () => {
    expect(menuPlacement({ top: 200, bottom: 226 }, 120, bounds)).toBe('down');
  });
  it('flips upwards when it would pass the bottom and there is more room above', () => {
    expect(menuPlacement({ top: 650, bottom: 676 }, 120, bounds)).toBe('up');
  });
  it('stays down when there is even less room above', () => {
    expect(menuPlacement({ top: 120, bottom: 146 }, 700, bounds)).toBe('down');
  });
});

const me: Manager = { id: 1, name: 'Anna Manager', avatarUrl: '', isMe: true };
const m: Message = {
  id: 1,
  chatId: 1,
  kind: 'message',
  externalId: '10',
  sender: 'manager',
  senderName: '',
  managerId: 1,
  text: 'our message',
  attachments: null,
  replyToId: 0,
  status: 'sent',
  error: '',
  edited: false,
  deleted: false,
  createdAt: Date.now(),
  editedAt: 0,
};

// jsdom lays nothing out: each element gets the box the test gives its test id or class.
function boxes(byClass: Record<string, { top: number; height: number }>) {
  return vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const key = Object.keys(byClass).find((k) => this.classList.contains(k));
    const b = key ? byClass[key]! : { top: 0, height: 0 };
    return { top: b.top, bottom: b.top + b.height, height: b.height, left: 0, right: 100, width: 100, x: 0, y: b.top, toJSON: () => ({}) } as DOMRect;
  });
}

function renderIn() {
  return render(
    <I18nProvider value={{ locale: 'en', t: makeT('en') }}>
      <div className="history" style={{ overflowY: 'auto' }}>
        <MessageItem
          m={m}
          personName="Client"
          personId={5}
          me={me}
          managers={new Map([[1, me]])}
          channelKind="telegram"
          onReply={vi.fn()}
          onEdit={vi.fn()}
          onDelete={vi.fn()}
          onRetry={vi.fn()}
        />
      </div>
    </I18nProvider>,
  );
}

describe('the message menu', () => {
  afterEach(() => vi.restoreAllMocks());

  it('opens upwards on the newest message at the bottom of the history', () => {
    boxes({ history: { top: 60, height: 600 }, 'msg-actions': { top: 620, height: 26 }, menu: { top: 646, height: 110 } });
    renderIn();
    fireEvent.click(screen.getByTestId('msg-menu'));
    const menu = screen.getByTestId('msg-menu-popup');
    expect(menu.getAttribute('data-placement')).toBe('up');
    expect(menu.classList.contains('menu-up')).toBe(true);
    expect(screen.getByRole('menuitem', { name: 'Delete' })).toBeTruthy();
  });

  it('opens downwards with room below', () => {
    boxes({ history: { top: 60, height: 600 }, 'msg-actions': { top: 120, height: 26 }, menu: { top: 146, height: 110 } });
    renderIn();
    fireEvent.click(screen.getByTestId('msg-menu'));
    expect(screen.getByTestId('msg-menu-popup').getAttribute('data-placement')).toBe('down');
  });
});
