// The header's report button: opens the dialogues report, which is loaded when first opened.
import { Suspense, lazy, useState } from 'react';
import { useWords } from '../../lib/i18n';
import { reportWords } from './report-i18n';

const ReportScreen = lazy(() => import('./ReportScreen').then((m) => ({ default: m.ReportScreen })));

export function ReportButton() {
  const { t } = useWords(reportWords);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="icon-btn" aria-label={t('report.open')} title={t('report.open')} onClick={() => setOpen(true)} data-testid="open-report">
        <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden="true">
          <path d="M4 20h16" />
          <path d="M7 16v-5M12 16V6M17 16v-8" />
        </svg>
      </button>
      {open && (
        <Suspense fallback={null}>
          <ReportScreen onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
