// A small module-level store read with useSyncExternalStore. The UI shares state this way rather
// than through React context providers: under Preact (vite.config.ts) providers kept every earlier
// tree of what they wrap in memory (preactjs/preact#4909; README, Performance). One window has
// one workspace, so a module-level value loses nothing.
import { useCallback, useRef, useSyncExternalStore } from 'react';

export interface SmallStore<T> {
  get: () => T;
  /** Replaces the state with a patch over it; listeners run only when something changed. */
  set: (patch: Partial<T> | ((s: T) => Partial<T>)) => void;
  subscribe: (l: () => void) => () => void;
  /**
   * The selected part of the state; the component re-renders when that part changes: by
   * Object.is, or by isEqual, which keeps the part last returned while it says the same.
   */
  use: <U>(select: (s: T) => U, isEqual?: (a: U, b: U) => boolean) => U;
  /** Back to the first state (tests, a new workspace). */
  reset: () => void;
}

export function createStore<T extends object>(initial: T): SmallStore<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  const get = () => state;
  const subscribe = (l: () => void) => {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  };
  const set: SmallStore<T>['set'] = (patch) => {
    const p = typeof patch === 'function' ? patch(state) : patch;
    let changed = false;
    for (const k in p) {
      if (!Object.is(p[k], state[k])) changed = true;
    }
    if (!changed) return;
    state = { ...state, ...p };
    for (const l of listeners) l();
  };
  const use = <U>(select: (s: T) => U, isEqual: (a: U, b: U) => boolean = Object.is): U => {
    // One snapshot function per reader for its life, reading the latest select and isEqual:
    // a new function each render would re-run useSyncExternalStore's layout effect every render.
    const latest = useRef({ select, isEqual });
    latest.current = { select, isEqual };
    const kept = useRef<{ value: U } | null>(null);
    const snapshot = useCallback(() => {
      const next = latest.current.select(state);
      if (kept.current && latest.current.isEqual(kept.current.value, next)) return kept.current.value;
      kept.current = { value: next };
      return next;
    }, []);
    return useSyncExternalStore(subscribe, snapshot);
  };
  const reset = () => {
    state = initial;
    for (const l of listeners) l();
  };
  return { get, set, subscribe, use, reset };
}
