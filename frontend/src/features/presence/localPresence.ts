// This desktop's own presence, as the composer reports it: the last keystroke in a chat and
// whether a voice note is being recorded there. The presence bar reads it to word "You are
// typing…" (solo too) and to tell Go (team mode), which passes it to the other desktops.
import { useEffect, useState } from 'react';
import { createStore } from '../../lib/smallStore';
import type { PresenceState } from '../../lib/presenceApi';

/** How long after the last keystroke the manager still counts as typing. */
export const TYPING_LINGER_MS = 4000;

interface Local {
  chatId: number;
  typedAt: number; // ms; 0 = not typing
  recording: boolean;
}

export const localPresence = createStore<Local>({ chatId: 0, typedAt: 0, recording: false });

/** A keystroke (or any change of the text) in chatId's composer. */
export function noteTyping(chatId: number, now = Date.now()): void {
  localPresence.set((s) => ({ chatId, typedAt: now, recording: s.chatId === chatId && s.recording }));
}

/** The message was sent: the manager no longer types in chatId. */
export function stopTyping(chatId: number): void {
  localPresence.set((s) => (s.chatId === chatId ? { typedAt: 0 } : {}));
}

/** A voice note starts or stops being recorded in chatId. */
export function noteRecording(chatId: number, on: boolean): void {
  localPresence.set((s) => ({ chatId, recording: on, typedAt: s.chatId === chatId ? s.typedAt : 0 }));
}

/** The state of a chat from what the composer reported, at time now. */
export function localState(s: Local, chatId: number, now: number): Exclude<PresenceState, 'idle'> {
  if (s.chatId !== chatId) return 'viewing';
  if (s.recording) return 'recording';
  if (s.typedAt > 0 && now - s.typedAt < TYPING_LINGER_MS) return 'typing';
  return 'viewing';
}

/** This desktop's state in chatId, live: typing turns back into viewing TYPING_LINGER_MS after the last keystroke. */
export function useLocalState(chatId: number): Exclude<PresenceState, 'idle'> {
  const s = localPresence.use((x) => x);
  const [now, setNow] = useState(() => Date.now());
  const state = localState(s, chatId, now);
  useEffect(() => {
    setNow(Date.now());
    if (s.chatId !== chatId || s.typedAt === 0) return;
    const left = s.typedAt + TYPING_LINGER_MS - Date.now();
    if (left <= 0) return;
    const t = setTimeout(() => setNow(Date.now()), left + 20);
    return () => clearTimeout(t);
  }, [s, chatId]);
  return state;
}
