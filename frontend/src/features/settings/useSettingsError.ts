import { useCallback } from 'react';
import { errorText } from '../../lib/errors';
import { useI18n } from '../../lib/i18n';

/** Returns a function giving any failed Settings call its words in the manager's language. */
export function useSettingsError(): (e: unknown) => string {
  const { locale } = useI18n();
  return useCallback((e: unknown) => errorText(e, locale), [locale]);
}
