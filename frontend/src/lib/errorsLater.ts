// The error table (errors.ts: every code's words in both languages, ~14 KB of script) is not part
// of the first screen's script: no error shows before the people list is painted, and in
// WebKitGTK's JavaScript interpreter every byte parsed before the first paint costs. The table is
// fetched right after the first paint (lazyParts.ts, preloadLaterParts) or by the first error
// that needs it, whichever comes first; what the first screen's modules word (a toast, the
// start-up error, the replica's reason) waits for it, so an early error is never shown unworded.
// The panes and dialogs loaded later import errors.ts directly.
import { useEffect, useState } from 'react';
import { makeT } from './i18n';
import type { Locale } from './types';

type ErrorsModule = typeof import('./errors');

let loaded: ErrorsModule | null = null;
let loading: Promise<ErrorsModule> | null = null;

/** Loads the error table once; later calls get the same module. A failed load is tried again by the next call. */
export function loadErrors(): Promise<ErrorsModule> {
  loading ??= import('./errors').then(
    (m) => (loaded = m),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/**
 * The words for e in locale, once the table is in. Should the table itself not load (the app's
 * own files damaged), the app's own words say so rather than the error going unshown.
 */
export function errorWords(e: unknown, locale: Locale): Promise<string> {
  return loadErrors().then(
    (m) => m.errorText(e, locale),
    () => makeT(locale)('app.partMissing'),
  );
}

/**
 * The error table when it has loaded; null while it loads; false when it could not be loaded.
 * Asks for it and re-renders once it is in.
 */
export function useErrors(wanted = true): ErrorsModule | null | false {
  const [m, setM] = useState<ErrorsModule | null | false>(() => loaded);
  useEffect(() => {
    if (m === null && wanted) loadErrors().then(setM, () => setM(false));
  }, [m, wanted]);
  return m;
}
