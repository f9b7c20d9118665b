// Inserting at the caret of a textarea: templates and emoji go where the manager is typing,
// replacing a selection if there is one, and the caret ends up after what was inserted.

export interface Inserted {
  text: string;
  caret: number;
}

/** insertAt returns text with insert put over [start, end) and where the caret goes. */
export function insertAt(text: string, start: number, end: number, insert: string): Inserted {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  return { text: text.slice(0, s) + insert + text.slice(e), caret: s + insert.length };
}

/**
 * insertIntoTextarea inserts at el's caret (the end when el is missing or was never focused)
 * and returns the new value; setValue stores it, and the caret is restored after React renders.
 */
export function insertIntoTextarea(el: HTMLTextAreaElement | null, value: string, insert: string, setValue: (v: string) => void): void {
  const start = el ? el.selectionStart : value.length;
  const end = el ? el.selectionEnd : value.length;
  const r = insertAt(value, start, end, insert);
  setValue(r.text);
  if (el) {
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(r.caret, r.caret);
    });
  }
}
