// The seed's hotkeys as a pure function of a keyboard event, so they are tested without a DOM.
export type HotkeyAction =
  | 'markRead' // Shift+Enter
  | 'send' // Ctrl+Enter
  | 'fullCard' // Ctrl+Shift+S
  | 'close' // Esc
  | 'prevChat' // Ctrl+Shift+Up
  | 'nextChat' // Ctrl+Shift+Down
  | 'note'; // Ctrl+Shift+A

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function matchHotkey(e: KeyLike): HotkeyAction | null {
  // Cmd on macOS stands in for Ctrl, as managers on a Mac expect.
  const ctrl = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  // Letters are matched by physical key too: with a Russian layout e.key is "Ы"/"Ф", not "S"/"A".
  const letter = e.code?.startsWith('Key') ? e.code.slice(3).toLowerCase() : e.key.toLowerCase();
  if (e.key === 'Escape' && !ctrl && !e.shiftKey) return 'close';
  if (e.key === 'Enter') {
    if (ctrl && !e.shiftKey) return 'send';
    if (e.shiftKey && !ctrl) return 'markRead';
    return null;
  }
  if (ctrl && e.shiftKey) {
    if (e.key === 'ArrowUp') return 'prevChat';
    if (e.key === 'ArrowDown') return 'nextChat';
    if (letter === 's') return 'fullCard';
    if (letter === 'a') return 'note';
  }
  return null;
}
