// The About line under the Settings sections: which version this is, for a bug report.
import { useEffect, useState } from 'react';
import { settingsApi } from '../../lib/settingsApi';
import { useSettingsT } from './settings-i18n';

export function AboutLine() {
  const { t } = useSettingsT();
  const [version, setVersion] = useState('');
  useEffect(() => {
    let live = true;
    // An older backend without the binding, or no backend (a unit test): no line, no error.
    settingsApi.AppVersion().then(
      (v) => live && setVersion(v),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (!version) return null;
  return (
    <p className="sb-set-about" data-testid="settings-about">
      {t('about.version', { version })}
    </p>
  );
}
