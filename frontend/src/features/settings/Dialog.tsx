// Dialogs inside Settings. Esc closes the innermost one: each open dialog pushes its onClose on a
// stack that the Settings screen's key handler pops, so one Esc never closes two layers.
import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useSettingsT } from './settings-i18n';

// The open dialogs' close functions, innermost last. A module-level list rather than a React
// context: the UI runs on Preact, whose providers keep earlier trees alive (lib/i18n.ts), and
// there is one Settings screen at a time.
const openDialogs: (() => void)[] = [];

/** closeTopDialog closes the innermost open dialog; it returns false when none is open. */
export function closeTopDialog(): boolean {
  const top = openDialogs[openDialogs.length - 1];
  if (!top) return false;
  top();
  return true;
}

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testid?: string;
  tone?: 'danger';
}

export function Dialog({ title, onClose, children, testid, tone }: Props) {
  const { t } = useSettingsT();
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  const titleId = useId();
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const close = () => closeRef.current();
    openDialogs.push(close);
    return () => {
      const i = openDialogs.lastIndexOf(close);
      if (i >= 0) openDialogs.splice(i, 1);
    };
  }, []);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && !el.contains(document.activeElement)) {
      const first = el.querySelector<HTMLElement>('input, textarea, select, button.primary');
      (first ?? el).focus();
    }
  }, []);
  return (
    <div className="sb-set-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={`sb-set-dialog${tone === 'danger' ? ' sb-set-dialog-danger' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={testid}
      >
        <div className="sb-set-dialog-head">
          <h3 id={titleId}>{title}</h3>
          <button type="button" className="sb-set-x" aria-label={t('settings.cancel')} onClick={onClose}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

interface ConfirmProps {
  title: string;
  text: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
  onCancel: () => void;
  busy?: boolean;
  testid?: string;
}

/** A yes/no question about something destructive. */
export function ConfirmDialog({ title, text, confirmLabel, onConfirm, onCancel, busy, testid }: ConfirmProps) {
  const { t } = useSettingsT();
  return (
    <Dialog title={title} onClose={onCancel} testid={testid ?? 'confirm-dialog'} tone="danger">
      <p className="sb-set-dialog-text">{text}</p>
      <div className="sb-set-actions">
        <button type="button" className="sb-set-btn" onClick={onCancel} data-testid="confirm-cancel">
          {t('settings.cancel')}
        </button>
        <button type="button" className="sb-set-btn danger primary" disabled={busy} onClick={() => void onConfirm()} data-testid="confirm-yes">
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
