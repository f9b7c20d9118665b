// The header's report button: opens the dialogues report, which is loaded when first opened.
import { Suspense, lazy, useState } from 'react';
import { useWords } from '../../lib/i18n';
import { IconReport } from '../../lib/icons';
import { reportWords } from './report-i18n';

const ReportScreen = lazy(() => import('./ReportScreen').then((m) => ({ default: m.ReportScreen })));

export function ReportButton() {
  const { t } = useWords(reportWords);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="icon-btn" aria-label={t('report.open')} title={t('report.open')} onClick={() => setOpen(true)} data-testid="open-report">
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
