// What the workspace's panes share: the open chat, its person's card, the reply being written,
// the history filter and which dialog is open. Panes read it with workspace.use(...) and change it
// through the actions below; none of it goes through props from App or a context provider
// (lib/smallStore.ts says why).
import { api } from '../../lib/api';
import { createStore } from '../../lib/smallStore';
import type { ChatRef, ClientCard, HistoryFilter, ListRow, Message } from '../../lib/types';
import type { SettingsSectionId } from '../settings/SettingsScreen';

export interface Selection {
  personId: number;
  chatId: number;
  name: string;
}

export interface WorkspaceState {
  sel: Selection | null;
  /** The selected person's card, once loaded (null while it loads). */
  card: ClientCard | null;
  replyTo: Message | null;
  histFilter: HistoryFilter;
  histFilterOpen: boolean;
  fullOpen: boolean;
  noteOpen: boolean;
  /** The open Settings section, or null when Settings is closed. */
  settings: SettingsSectionId | null;
}

export const workspace = createStore<WorkspaceState>({
  sel: null,
  card: null,
  replyTo: null,
  histFilter: {},
  histFilterOpen: false,
  fullOpen: false,
  noteOpen: false,
  settings: null,
});

/** The people list as the rest of the workspace may drive it (registered by ListPane). */
export interface ListControl {
  rows: () => ListRow[];
  refresh: () => void;
  patchRow: (personId: number, patch: Partial<ListRow>) => void;
  loadMore: () => void;
}

const noList: ListControl = { rows: () => [], refresh: () => undefined, patchRow: () => undefined, loadMore: () => undefined };
let list = noList;

export function registerList(c: ListControl): () => void {
  list = c;
  return () => {
    if (list === c) list = noList;
  };
}

export function listControl(): ListControl {
  return list;
}

function remember(chatId: number) {
  api.SetSetting('last_chat', String(chatId)).catch(() => undefined);
}

function open(sel: Selection) {
  const cur = workspace.get();
  // A new person's card is loaded by useCardSync; until then the old one must not show.
  workspace.set({ sel, replyTo: null, card: cur.sel?.personId === sel.personId ? cur.card : null });
  remember(sel.chatId);
}

/** Opens a row's chat. */
export function selectRow(row: ListRow): void {
  open({ personId: row.personId, chatId: row.chatId, name: row.name });
}

/** Opens any chat by id (a notification), wherever its person is in the list. */
export function openChat(chatId: number): Promise<void> {
  return api.OpenChatRef(chatId).then((r: ChatRef) => open({ personId: r.personId, chatId: r.chatId, name: r.name }));
}

/** Reopens the last chat of the previous session unless the manager has opened one meanwhile. */
export function restoreChat(chatId: number): void {
  api.OpenChatRef(chatId).then(
    (r) => {
      if (!workspace.get().sel) workspace.set({ sel: { personId: r.personId, chatId: r.chatId, name: r.name }, card: null });
    },
    () => undefined,
  );
}

/** Switches to another chat (channel) of the open person. */
export function selectChat(chatId: number): void {
  const { sel } = workspace.get();
  if (!sel) return;
  workspace.set({ sel: { ...sel, chatId }, replyTo: null });
  remember(chatId);
}

/** Loads (again) a person's card; an answer for a person no longer open is dropped. */
export function loadCard(personId: number): Promise<void> {
  return api.ClientCard(personId).then((c) => {
    if (workspace.get().sel?.personId === c.person.id) workspace.set({ card: c });
  });
}

/** Marks the open chat read and updates the list and the card at once. */
export function markRead(): Promise<void> {
  const { sel } = workspace.get();
  if (!sel) return Promise.resolve();
  const { chatId, personId } = sel;
  return api.MarkRead(chatId).then(() => {
    list.patchRow(personId, { unread: 0 });
    list.refresh();
    return loadCard(personId);
  });
}

/** Moves the selection delta rows down (or up) the list, loading more near its end. */
export function moveSelection(delta: number): void {
  const rows = list.rows();
  if (rows.length === 0) return;
  const sel = workspace.get().sel;
  const i = sel ? rows.findIndex((r) => r.personId === sel.personId) : -1;
  const next = rows[Math.min(rows.length - 1, Math.max(0, i < 0 ? 0 : i + delta))];
  if (next) selectRow(next);
  if (i + delta >= rows.length - 5) list.loadMore();
}

export const setReplyTo = (replyTo: Message | null) => workspace.set({ replyTo });
export const openSettings = (section: SettingsSectionId = 'channels') => workspace.set({ settings: section });
