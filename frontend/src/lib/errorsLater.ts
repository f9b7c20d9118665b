// The error table (errors.ts: every code's words in both languages, ~14 KB of script) is not part
// of the first screen's script: no error shows before the people list is painted, and in
// WebKitGTK's JavaScript interpreter every byte parsed before the first paint costs. The table is
// fetched right after the first paint (lazyParts.ts, preloadLaterParts) or by the first error
// that needs it, whichever comes first; what the first screen's modules word (a toast, the
// start-up error, the replica's reason) waits for it, so an early error is never shown unworded.
// The panes and dialogs loaded later import errors.ts directly.
import { useEffect, useState } from 'react';

type ErrorsModule = typeof import('./errors');

let loaded: ErrorsModule | null = null;
let loading: Promise<ErrorsModule> | null = null;

/** Loads the error table once; later calls get the same module. */
export function loadErrors(): Promise<ErrorsModule> {
  loading ??= import('./errors').then((m) => (loaded = m));
  return loading;
}

/** The error table when it has loaded, else null; asks for it and re-renders once it is in. */
export function useErrors(wanted = true): ErrorsModule | null {
  const [m, setM] = useState(loaded);
  useEffect(() => {
    if (!m && wanted) void loadErrors().then(setM);
  }, [m, wanted]);
  return m ?? loaded;
}
