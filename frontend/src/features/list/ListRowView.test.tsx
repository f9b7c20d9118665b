import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeT } from '../../lib/i18n';
import type { ListRow } from '../../lib/types';
import { listWords } from './list-i18n';
import { ListRowView } from './ListRowView';

// The words a row gets from the list (PeopleList), in English.
const words = { t: listWords.t.en, app: makeT('en'), locale: 'en' as const };

const hostile = '<img src=x onerror=alert(1)>Hacker';

function row(patch: Partial<ListRow> = {}): ListRow {
  return {
    personId: 7,
    chatId: 70,
    name: hostile,
    avatarUrl: '',
    status: 'subscribed',
    channels: ['telegram', 'vk'],
    channelKind: 'telegram',
    preview: '<b>bold?</b> <script>alert(2)</script>',
    lastMessageAt: Date.now(),
    unread: 3,
    hasDraft: true,
    ...patch,
  };
}

describe('ListRowView', () => {
  it('renders a hostile name and preview as text, creating no elements from them', () => {
    const { container } = render(<ListRowView row={row()} selected={false} now={Date.now()} onSelect={() => undefined} {...words} />);
    expect(screen.getByTestId('row-name').textContent).toBe(hostile);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.textContent).toContain('<script>alert(2)</script>');
  });

  it('shows the unread badge, draft mark, channel icons and selection', () => {
    const onSelect = vi.fn();
    render(<ListRowView row={row()} selected now={Date.now()} onSelect={onSelect} {...words} />);
    expect(screen.getByTestId('unread-badge').textContent).toBe('3');
    expect(screen.getByTestId('row-draft')).toBeTruthy();
    expect(screen.getByRole('option').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByLabelText('Telegram')).toBeTruthy();
    expect(screen.getByLabelText('VK')).toBeTruthy();
    fireEvent.click(screen.getByRole('option'));
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ personId: 7 }));
  });

  it('hides the badge when everything is read and caps big counts', () => {
    const { rerender } = render(
      <ListRowView row={row({ unread: 0, hasDraft: false })} selected={false} now={Date.now()} onSelect={() => undefined} {...words} />,
    );
    expect(screen.queryByTestId('unread-badge')).toBeNull();
    expect(screen.queryByTestId('row-draft')).toBeNull();
    rerender(<ListRowView row={row({ unread: 250 })} selected={false} now={Date.now()} onSelect={() => undefined} {...words} />);
    expect(screen.getByTestId('unread-badge').textContent).toBe('99+');
  });
});
