// The other managers' presence (team mode), every chat: asked once, then kept by the event Go
// sends on every change. One subscription for the window, made by the first reader.
import { useMemo } from 'react';
import { on } from '../../lib/api';
import { PRESENCE_EVENT, presenceApi, type Presence } from '../../lib/presenceApi';
import { createStore } from '../../lib/smallStore';

const presenceStore = createStore<{ all: Presence[] }>({ all: [] });
let following = false;

function follow(): void {
  if (following) return;
  following = true;
  let heard = false;
  on<Presence[] | null>(PRESENCE_EVENT, (ps) => {
    heard = true;
    presenceStore.set({ all: ps ?? [] });
  });
  presenceApi
    .Presence()
    .then((ps) => {
      if (!heard) presenceStore.set({ all: ps ?? [] });
    })
    // An app without the binding (an older backend) has nobody else to show.
    .catch(() => undefined);
}

/** The others' presence in chatId. */
export function usePresenceOf(chatId: number): Presence[] {
  follow();
  const all = presenceStore.use((s) => s.all);
  return useMemo(() => all.filter((p) => p.chatId === chatId), [all, chatId]);
}

/** Replaces what is known (tests). */
export function setPresenceForTest(all: Presence[]): void {
  following = true;
  presenceStore.set({ all });
}
