// Drafts: every chat keeps what the manager is writing on disk (SaveDraft), saved ~400 ms after
// the last change, at once when the chat changes, and before the window unloads, so a restart
// or a crash loses at most the last few keystrokes. Opening a chat restores its draft.
import { useCallback, useEffect, useRef } from 'react';
import { composeApi, type Draft } from '../../lib/composeApi';

export const DRAFT_DEBOUNCE_MS = 400;

export interface DraftState {
  text: string;
  /** JSON of the unfinished constructor message, '' when none. (Not called "constructor":
   * every object literal already has that property, from Object.prototype.) */
  constructorJson: string;
  replyToId: number;
}

interface Pending extends DraftState {
  chatId: number;
}

type DraftApi = Pick<typeof composeApi, 'Draft' | 'SaveDraft'>;

export interface UseDraft {
  /** Records the current state; it reaches disk after the debounce (or a flush). */
  save: (s: DraftState) => void;
  /** Writes a pending change now. */
  flush: () => void;
  /** Forgets the draft (after a send), on disk too. */
  clear: (keep?: Partial<DraftState>) => void;
}

/**
 * useDraft restores chatId's draft through onRestore when the chat opens (unless the manager
 * already typed in it) and saves changes given to save().
 */
export function useDraft(chatId: number, onRestore: (d: DraftState) => void, onError: (e: unknown) => void, api: DraftApi = composeApi): UseDraft {
  const pending = useRef<Pending | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const typed = useRef(false);
  const restore = useRef(onRestore);
  const report = useRef(onError);
  restore.current = onRestore;
  report.current = onError;

  const write = useCallback(() => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const p = pending.current;
    pending.current = null;
    if (!p) return;
    api.SaveDraft(p.chatId, p.text, p.constructorJson, p.replyToId).catch((e: unknown) => report.current(e));
  }, [api]);

  // Open a chat: restore its draft; leaving it (or unmounting) writes what is pending.
  useEffect(() => {
    typed.current = false;
    let live = true;
    api.Draft(chatId).then(
      (d: Draft) => {
        if (!live || typed.current) return;
        restore.current({ text: d.text ?? '', constructorJson: d.constructor ?? '', replyToId: d.replyToId ?? 0 });
      },
      (e: unknown) => live && report.current(e),
    );
    return () => {
      live = false;
      write();
    };
  }, [chatId, api, write]);

  // The window closing (or reloading) must not lose the last keystrokes.
  useEffect(() => {
    const onHide = () => write();
    window.addEventListener('beforeunload', onHide);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('beforeunload', onHide);
      window.removeEventListener('pagehide', onHide);
    };
  }, [write]);

  const save = useCallback(
    (s: DraftState) => {
      typed.current = true;
      pending.current = { chatId, ...s };
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(write, DRAFT_DEBOUNCE_MS);
    },
    [chatId, write],
  );

  const clear = useCallback(
    (keep?: Partial<DraftState>) => {
      typed.current = true;
      pending.current = { chatId, text: keep?.text ?? '', constructorJson: keep?.constructorJson ?? '', replyToId: keep?.replyToId ?? 0 };
      write();
    },
    [chatId, write],
  );

  return { save, flush: write, clear };
}
