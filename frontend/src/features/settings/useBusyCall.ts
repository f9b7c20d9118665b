import { useCallback, useState } from 'react';
import { useSettingsError } from './useSettingsError';

/**
 * One call behind a form's button: busy while it runs (the button says so and stays disabled),
 * and its failure worded in the manager's language.
 */
export function useBusyCall(): { busy: boolean; error: string; run: (call: () => Promise<void>) => Promise<void> } {
  const errText = useSettingsError();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = useCallback(
    async (call: () => Promise<void>) => {
      setBusy(true);
      setError('');
      try {
        await call();
      } catch (e) {
        setError(errText(e));
      } finally {
        setBusy(false);
      }
    },
    [errText],
  );
  return { busy, error, run };
}
