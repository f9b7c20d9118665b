// The line a team's manager reads above the company's settings they cannot change.
import { useSettingsT } from './settings-i18n';

export function AdminOnlyNote({ testid }: { testid: string }) {
  const { t } = useSettingsT();
  return (
    <p className="sb-set-notice" role="note" data-testid={testid}>
      {t('settings.adminOnly')}
    </p>
  );
}
