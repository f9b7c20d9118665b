import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NotificationItem } from '../../lib/types';
import { NotificationBell } from './NotificationBell';
import { fakeGo } from '../../test/bindings';

const hostile: NotificationItem = {
  id: 1,
  kind: 'mention',
  title: '<img src=x onerror=alert(1)>Oleg',
  body: '<b>look</b> <script>alert(2)</script>',
  chatId: 42,
  personId: 7,
  messageId: 9,
  at: Date.now(),
};

function fakeBackend(initial: NotificationItem[]) {
  const listeners = new Map<string, ((...d: unknown[]) => void)[]>();
  const dismissed: number[] = [];
  window.go = fakeGo({
    Notifications: async () => initial,
    DismissNotification: async (id: number) => {
      dismissed.push(id);
    },
  });
  window.runtime = {
    EventsOn: (name: string, cb: (...d: unknown[]) => void) => {
      listeners.set(name, [...(listeners.get(name) ?? []), cb]);
      return () => undefined;
    },
    EventsOff: () => undefined,
  };
  return { dismissed, emit: (name: string, data: unknown) => (listeners.get(name) ?? []).forEach((cb) => cb(data)) };
}

afterEach(() => {
  delete window.go;
  delete window.runtime;
});

describe('NotificationBell', () => {
  it('lists the feed as text and opens the chat', async () => {
    fakeBackend([hostile]);
    const onOpen = vi.fn();
    const { container } = render(<NotificationBell onOpenChat={onOpen} />);
    fireEvent.click(screen.getByTestId('notify-bell'));
    await waitFor(() => expect(screen.getAllByTestId('notify-item')).toHaveLength(1));
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>Oleg');
    expect(container.textContent).toContain('<script>alert(2)</script>');
    expect(container.querySelector('img, b, script')).toBeNull();
    fireEvent.click(screen.getByTestId('notify-open'));
    expect(onOpen).toHaveBeenCalledWith(42);
    expect(screen.queryByTestId('notify-panel')).toBeNull();
  });

  it('counts new notifications until opened, and dismisses one', async () => {
    const be = fakeBackend([]);
    render(<NotificationBell onOpenChat={() => undefined} />);
    await act(async () => {
      be.emit('notify:new', { ...hostile, id: 2, kind: 'message', title: 'Anna', body: 'hi' });
      be.emit('notify:new', { ...hostile, id: 3, kind: 'message', title: 'Ivan', body: 'hello' });
    });
    expect(screen.getByTestId('notify-count').textContent).toBe('2');
    fireEvent.click(screen.getByTestId('notify-bell'));
    expect(screen.queryByTestId('notify-count')).toBeNull();
    expect(screen.getAllByTestId('notify-item').map((li) => li.querySelector('.notify-title')?.textContent)).toEqual(['Ivan', 'Anna']);
    fireEvent.click(screen.getAllByText('Dismiss')[0]!);
    expect(screen.getAllByTestId('notify-item')).toHaveLength(1);
    expect(be.dismissed).toEqual([3]);
  });
});
