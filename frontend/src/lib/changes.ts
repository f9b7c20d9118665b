// Coalesces "store:changed" events: a burst of commits (a poller batch, an outbox run) becomes one
// refetch per listener instead of a storm. Listeners get the union of what changed.
import { useEffect, useRef } from 'react';
import { events } from './api';
import type { StoreChanged } from './types';

export interface ChangeSet {
  kinds: Set<string>;
  chatIds: Set<number>;
  personIds: Set<number>;
}

type Listener = (c: ChangeSet) => void;

export class ChangeCoalescer {
  private pending: ChangeSet | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();
  constructor(private readonly delayMs = 50) {}

  push(e: StoreChanged): void {
    const p = (this.pending ??= { kinds: new Set(), chatIds: new Set(), personIds: new Set() });
    for (const k of e.kinds ?? []) p.kinds.add(k);
    for (const id of e.chatIds ?? []) p.chatIds.add(id);
    for (const id of e.personIds ?? []) p.personIds.add(id);
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    this.timer = null;
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    for (const l of this.listeners) l(p);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }
}

let shared: { c: ChangeCoalescer; off: () => void; users: number } | null = null;

/** Calls cb with coalesced store changes while the component is mounted. */
export function useStoreChanges(cb: Listener): void {
  const ref = useRef(cb);
  useEffect(() => {
    ref.current = cb;
  });
  useEffect(() => {
    if (!shared) {
      const c = new ChangeCoalescer();
      const off = events.onStoreChanged((e) => c.push(e));
      shared = { c, off, users: 0 };
    }
    const s = shared;
    s.users++;
    const unsub = s.c.subscribe((c) => ref.current(c));
    return () => {
      unsub();
      s.users--;
      // The last user stops the event subscription and any pending timer.
      if (s.users === 0) {
        s.off();
        s.c.stop();
        if (shared === s) shared = null;
      }
    };
  }, []);
}
