// Client text can carry bidirectional controls: U+202E (RIGHT-TO-LEFT OVERRIDE) turns
// "invoice‮fdp.exe" into what reads as "invoiceexe.pdf". Names and other client text are shown
// in isolating elements (styles.css: .bidi-isolate), so a control cannot leak into what follows;
// file names additionally lose the controls, since inside its own isolate a name can still lie
// about its extension.

// Embeddings, overrides, isolates and the invisible direction marks.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A file name as it may be shown: without bidirectional controls. */
export function plainFileName(name: string): string {
  return name.replace(BIDI_CONTROLS, '');
}
