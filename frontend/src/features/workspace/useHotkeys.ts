// The workspace's global hotkeys (lib/hotkeys.ts). Handlers inside the composer run first and
// mark what they handled; Settings covers the workspace and handles its own keys.
import { useEffect } from 'react';
import { api } from '../../lib/api';
import { matchHotkey } from '../../lib/hotkeys';
import { useReportError } from '../../lib/toast';
import { markRead, moveSelection, workspace } from './store';

export function useHotkeys(): void {
  const report = useReportError();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const a = matchHotkey(e);
      if (!a) return;
      const s = workspace.get();
      if (s.settings) return;
      const inDialog = !!(e.target instanceof Element && e.target.closest('[role="dialog"]'));
      switch (a) {
        case 'markRead':
          if (inDialog || !s.sel) return;
          e.preventDefault();
          markRead().catch(report);
          break;
        case 'prevChat':
        case 'nextChat':
          if (inDialog) return;
          e.preventDefault();
          moveSelection(a === 'nextChat' ? 1 : -1);
          break;
        case 'fullCard':
          if (!s.sel) return;
          e.preventDefault();
          workspace.set({ fullOpen: true });
          break;
        case 'note':
          if (!s.sel) return;
          e.preventDefault();
          workspace.set({ noteOpen: true });
          break;
        case 'close':
          if (s.noteOpen) workspace.set({ noteOpen: false });
          else if (s.fullOpen) workspace.set({ fullOpen: false });
          else if (s.replyTo) workspace.set({ replyTo: null });
          break;
        case 'send':
          // Ctrl+Enter outside the composer takes the manager to it.
          if (inDialog) return;
          document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')?.focus();
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [report]);
}

/** Tells Go whether the window is focused (desktop notifications only while it is not) and when
 * the network is back (the pollers and the outbox retry at once). */
export function useWindowSignals(): void {
  useEffect(() => {
    const focus = () => api.SetFocused(document.hasFocus() && document.visibilityState === 'visible').catch(() => undefined);
    const online = () => api.NetworkOnline().catch(() => undefined);
    window.addEventListener('focus', focus);
    window.addEventListener('blur', focus);
    document.addEventListener('visibilitychange', focus);
    window.addEventListener('online', online);
    focus();
    return () => {
      window.removeEventListener('focus', focus);
      window.removeEventListener('blur', focus);
      document.removeEventListener('visibilitychange', focus);
      window.removeEventListener('online', online);
    };
  }, []);
}
