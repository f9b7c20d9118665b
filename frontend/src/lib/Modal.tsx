import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { useI18n } from './i18n';
import { IconClose } from './icons';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  testid?: string;
}

// A dialog with a backdrop; it takes focus so Esc reaches it first.
export function Modal({ title, onClose, children, wide, testid }: Props) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  // A layout effect: focus is inside the dialog before the next key can be pressed.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && !el.contains(document.activeElement)) {
      const first = el.querySelector<HTMLElement>('textarea, input, select');
      (first ?? el).focus();
    }
  }, []);
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={`modal${wide ? ' modal-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        tabIndex={-1}
        data-testid={testid}
        onKeyDown={(e) => {
          // Esc closes the top-most dialog only; the app's own Esc (close the card) must not also fire.
          if (e.key === 'Escape') {
            e.stopPropagation();
            e.nativeEvent.stopImmediatePropagation();
            onClose();
          }
        }}
      >
        <div className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="icon-btn" aria-label={t('card.close')} title={t('card.close')} onClick={onClose} data-testid="modal-close">
            <IconClose />
          </button>
        </div>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}
