// The edit/delete rules of backend/core/rules.go, mirrored so the menu can disable an action
// with its reason before asking Go (which checks again).
import { DELETE_WINDOW_MS, type ChannelKind, type Message } from './types';

export type ChangeBlock = null | 'not_ours' | 'window';

export function canEdit(m: Message): ChangeBlock {
  if (m.kind !== 'message' || m.sender === 'client' || !m.externalId || m.deleted) return 'not_ours';
  return null;
}

export function canDelete(kind: ChannelKind, m: Message, now: number): ChangeBlock {
  const e = canEdit(m);
  if (e) return e;
  if (now - m.createdAt >= DELETE_WINDOW_MS[kind]) return 'window';
  return null;
}
