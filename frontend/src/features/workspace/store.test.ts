// The workspace store's actions: what the panes share moves through here, not through props from
// App or a context provider.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientCard, ListRow } from '../../lib/types';
import { listControl, markRead, moveSelection, registerList, selectChat, selectRow, workspace } from './store';
import { fakeGo } from '../../test/bindings';

const row = (id: number) => ({ personId: id, chatId: id * 10, name: `P${id}`, unread: 2 }) as unknown as ListRow;
const card = (id: number) => ({ person: { id, name: `P${id}` }, chats: [], tasks: [], logs: [] }) as unknown as ClientCard;

let go: Record<string, ReturnType<typeof vi.fn>>;
beforeEach(() => {
  go = {
    SetSetting: vi.fn(async () => undefined),
    MarkRead: vi.fn(async () => undefined),
    ClientCard: vi.fn(async (id: number) => card(id)),
  };
  window.go = fakeGo(go);
});
afterEach(() => {
  delete window.go;
  workspace.reset();
});

describe('workspace store', () => {
  it('opening a row selects it, drops the reply and the other person’s card, and remembers the chat', () => {
    workspace.set({ card: card(1), replyTo: { id: 5 } as never });
    selectRow(row(2));
    expect(workspace.get().sel).toEqual({ personId: 2, chatId: 20, name: 'P2' });
    expect(workspace.get().card).toBeNull();
    expect(workspace.get().replyTo).toBeNull();
    expect(go.SetSetting).toHaveBeenCalledWith('last_chat', '20');
    selectChat(21);
    expect(workspace.get().sel?.chatId).toBe(21);
  });

  it('moves the selection through the registered list and asks for more near its end', () => {
    const rows = [row(1), row(2), row(3)];
    const loadMore = vi.fn();
    const off = registerList({ rows: () => rows, refresh: vi.fn(), patchRow: vi.fn(), loadMore });
    moveSelection(1);
    expect(workspace.get().sel?.personId).toBe(1);
    moveSelection(1);
    expect(workspace.get().sel?.personId).toBe(2);
    moveSelection(-1);
    expect(workspace.get().sel?.personId).toBe(1);
    expect(loadMore).toHaveBeenCalled();
    off();
    expect(listControl().rows()).toEqual([]);
  });

  it('mark as read clears the row’s badge, refreshes the list and reloads the card', async () => {
    const patchRow = vi.fn();
    const refresh = vi.fn();
    const off = registerList({ rows: () => [row(4)], refresh, patchRow, loadMore: vi.fn() });
    selectRow(row(4));
    await markRead();
    expect(go.MarkRead).toHaveBeenCalledWith(40);
    expect(patchRow).toHaveBeenCalledWith(4, { unread: 0 });
    expect(refresh).toHaveBeenCalled();
    expect(workspace.get().card?.person.id).toBe(4);
    off();
  });
});
