// This desktop's own presence, as the composer reports it: whether the manager types in a chat
// and whether a voice note is being recorded there. The presence bar reads it to word "You are
// typing…" (solo too) and to tell Go (team mode), which passes it to the other desktops.
//
// A keystroke is not a write: the store changes only when the state does (typing starts, lapses,
// the message goes, another chat). The last keystroke's time is kept beside it, and one timer per
// burst of typing ends the state TYPING_LINGER_MS after it; while keys keep coming the timer
// finds a later keystroke and waits again. So typing re-renders nothing per key, and Go hears
// typing once, then the bar's refresh every 2 s (REFRESH_MS) while it lasts.
import { createStore } from '../../lib/smallStore';
import type { PresenceState } from '../../lib/presenceApi';

/** How long after the last keystroke the manager still counts as typing. */
export const TYPING_LINGER_MS = 4000;

interface Local {
  chatId: number;
  typing: boolean;
  recording: boolean;
}

export const localPresence = createStore<Local>({ chatId: 0, typing: false, recording: false });

let lastKeystroke = 0;
let lapse: ReturnType<typeof setTimeout> | null = null;

function stopLapse(): void {
  if (lapse !== null) clearTimeout(lapse);
  lapse = null;
}

/** Ends the typing TYPING_LINGER_MS after the last keystroke, waiting again while keys came since. */
function lapseLater(): void {
  stopLapse();
  lapse = setTimeout(
    () => {
      lapse = null;
      if (Date.now() - lastKeystroke < TYPING_LINGER_MS) lapseLater();
      else localPresence.set({ typing: false });
    },
    Math.max(0, lastKeystroke + TYPING_LINGER_MS - Date.now()),
  );
}

/** A keystroke (or any change of the text) in chatId's composer. */
export function noteTyping(chatId: number): void {
  lastKeystroke = Date.now();
  const s = localPresence.get();
  if (s.chatId === chatId && s.typing) return; // still typing there: its timer looks at lastKeystroke
  localPresence.set({ chatId, typing: true, recording: s.chatId === chatId && s.recording });
  lapseLater();
}

/** The message was sent: the manager no longer types in chatId. */
export function stopTyping(chatId: number): void {
  if (localPresence.get().chatId !== chatId) return;
  stopLapse();
  localPresence.set({ typing: false });
}

/** A voice note starts or stops being recorded in chatId. */
export function noteRecording(chatId: number, on: boolean): void {
  const s = localPresence.get();
  if (s.chatId !== chatId) stopLapse();
  localPresence.set({ chatId, recording: on, typing: s.chatId === chatId && s.typing });
}

/** The state of a chat from what the composer reported. */
export function localState(s: Local, chatId: number): Exclude<PresenceState, 'idle'> {
  if (s.chatId !== chatId) return 'viewing';
  if (s.recording) return 'recording';
  if (s.typing) return 'typing';
  return 'viewing';
}

/** This desktop's state in chatId, live; a component re-renders only when it changes. */
export function useLocalState(chatId: number): Exclude<PresenceState, 'idle'> {
  return localPresence.use((s) => localState(s, chatId));
}

/** Back to nobody typing anywhere (tests). */
export function resetLocalPresence(): void {
  stopLapse();
  lastKeystroke = 0;
  localPresence.reset();
}
