import { useCallback } from 'react';
import { errorText } from '../../lib/errors';
import { useI18n } from '../../lib/i18n';
import { settingsErrorText } from './model';
import { useSettingsT } from './settings-i18n';

/** Returns a function giving any failed Settings call its words in the manager's language. */
export function useSettingsError(): (e: unknown) => string {
  const { t: appT } = useI18n();
  const { t } = useSettingsT();
  return useCallback((e: unknown) => settingsErrorText(e, t, (x) => errorText(x, appT)), [t, appT]);
}
