// The chat templates button: a list of the "chat template" variables from Settings. Hovering
// (or focusing) a template shows its value; clicking inserts it at the caret with the client's
// name and the rest filled in by the backend (ExpandTemplate).
import './composer.css';
import { useEffect, useRef, useState } from 'react';
import { composeApi, type Template } from '../../lib/composeApi';
import { useComposerT } from './composer-i18n';
import { errorText } from '../../lib/errors';

interface Props {
  chatId: number;
  onInsert: (text: string) => void;
  onError: (text: string) => void;
  /** Injected in tests; the real API otherwise. */
  api?: Pick<typeof composeApi, 'Templates' | 'ExpandTemplate'>;
}

export function TemplatePicker({ chatId, onInsert, onError, api = composeApi }: Props) {
  const { t, locale } = useComposerT();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Template[] | null>(null);
  const [hover, setHover] = useState<Template | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    api.Templates().then(
      (ts) => live && setItems(ts),
      (e: unknown) => {
        if (!live) return;
        setItems([]);
        onError(errorText(e, locale));
      },
    );
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => {
      live = false;
      document.removeEventListener('mousedown', close);
    };
  }, [open, api, onError, t, locale]);

  const pick = async (tpl: Template) => {
    try {
      const text = await api.ExpandTemplate(chatId, tpl.id);
      setOpen(false);
      setHover(null);
      onInsert(text);
    } catch (e) {
      onError(errorText(e, locale));
    }
  };

  return (
    <div className="cx-pop-anchor" ref={box}>
      <button
        type="button"
        className={`icon-btn${open ? ' on' : ''}`}
        aria-label={t('tpl.button')}
        title={t('tpl.button')}
        aria-expanded={open}
        data-testid="templates-button"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true" className="cx-glyph">
          {'{…}'}
        </span>
      </button>
      {open && (
        <div
          className="cx-pop cx-templates"
          role="menu"
          aria-label={t('tpl.title')}
          data-testid="templates-menu"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <div className="cx-pop-title">{t('tpl.title')}</div>
          {items === null ? null : items.length === 0 ? (
            <div className="cx-empty" data-testid="templates-empty">
              {t('tpl.empty')}
            </div>
          ) : (
            <ul className="cx-tpl-list">
              {items.map((tpl) => (
                <li key={tpl.id}>
                  <button
                    type="button"
                    role="menuitem"
                    className="cx-tpl"
                    data-testid="template-item"
                    aria-label={t('tpl.insert', { name: tpl.name })}
                    onMouseEnter={() => setHover(tpl)}
                    onMouseLeave={() => setHover((h) => (h?.id === tpl.id ? null : h))}
                    onFocus={() => setHover(tpl)}
                    onBlur={() => setHover((h) => (h?.id === tpl.id ? null : h))}
                    onClick={() => void pick(tpl)}
                  >
                    {tpl.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {hover && (
            <div className="cx-tooltip" role="tooltip" data-testid="template-tooltip">
              {hover.value}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
