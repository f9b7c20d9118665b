// Typed calls of presence (app/presence.go, window.go.app.Workspace): who else types, records or
// views which chat in team mode, and this desktop's own. Presence is never stored; in solo mode
// Presence is empty and SetPresence does nothing.
import { call } from './api';

export type PresenceState = 'typing' | 'recording' | 'viewing' | 'idle';

/** One other manager's presence in one chat (replica.Presence). */
export interface Presence {
  chatId: number;
  managerId: number;
  state: Exclude<PresenceState, 'idle'>;
}

/** The event Go sends with the whole list (every chat) on every change. */
export const PRESENCE_EVENT = 'presence:changed';

export const presenceApi = {
  Presence: () => call<Presence[]>('Workspace', 'Presence'),
  SetPresence: (chatId: number, state: PresenceState) => call<void>('Workspace', 'SetPresence', chatId, state),
};
