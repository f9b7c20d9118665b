// The header's report button: opens the dialogues report, which is loaded (with its words) when
// first opened; the button's label is the shell's word.
import { Suspense, lazy, useState } from 'react';
import { useI18n } from '../../lib/i18n';
import { IconReport } from '../../lib/icons';

const ReportScreen = lazy(() => import('./ReportScreen').then((m) => ({ default: m.ReportScreen })));

export function ReportButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="icon-btn"
        aria-label={t('header.openReport')}
        title={t('header.openReport')}
        onClick={() => setOpen(true)}
        data-testid="open-report"
      >
        <IconReport size={18} />
      </button>
      {open && (
        <Suspense fallback={null}>
          <ReportScreen onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
