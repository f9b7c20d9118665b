// A curated grid of common emoji. Keyboard: arrows move, Enter/Space inserts, Esc closes. The
// grid keeps one tab stop (roving tabindex), as a grid widget should.
import './composer.css';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useComposerT } from './composer-i18n';

export const EMOJI: readonly string[] = [
  '😀',
  '😃',
  '😄',
  '😁',
  '😊',
  '🙂',
  '😉',
  '😍',
  '😘',
  '🤗',
  '🤔',
  '😐',
  '😅',
  '😂',
  '🤣',
  '😢',
  '😭',
  '😡',
  '😱',
  '😎',
  '🥳',
  '😴',
  '🙏',
  '👍',
  '👎',
  '👌',
  '👏',
  '🙌',
  '🤝',
  '💪',
  '👋',
  '✌️',
  '❤️',
  '🧡',
  '💛',
  '💚',
  '💙',
  '💜',
  '💔',
  '🔥',
  '⭐',
  '✨',
  '🎉',
  '🎁',
  '💰',
  '💳',
  '📦',
  '🚚',
  '📞',
  '📧',
  '📅',
  '⏰',
  '✅',
  '❌',
  '⚠️',
  '❓',
  '💡',
  '📌',
  '📎',
  '🛒',
  '🏷️',
  '☕',
  '🌹',
  '😇',
];

const COLS = 8;

interface Props {
  onInsert: (emoji: string) => void;
}

export function EmojiPicker({ onInsert }: Props) {
  const { t } = useComposerT();
  const [open, setOpen] = useState(false);
  const [focus, setFocus] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const cells = useRef<(HTMLButtonElement | null)[]>([]);

  // Focus moves in the same task as the render that opened the grid (a layout effect), so the
  // keys pressed right after the click already reach it.
  useLayoutEffect(() => {
    if (!open) return;
    cells.current[focus]?.focus();
  }, [open, focus]);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const move = (d: number) => setFocus((f) => Math.max(0, Math.min(EMOJI.length - 1, f + d)));

  return (
    <div className="cx-pop-anchor" ref={box}>
      <button
        type="button"
        className={`icon-btn${open ? ' on' : ''}`}
        aria-label={t('emoji.button')}
        title={t('emoji.button')}
        aria-expanded={open}
        data-testid="emoji-button"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true" className="cx-glyph">
          ☺
        </span>
      </button>
      {open && (
        <div
          className="cx-pop cx-emoji"
          role="grid"
          aria-label={t('emoji.title')}
          data-testid="emoji-grid"
          onKeyDown={(e) => {
            const k = e.key;
            if (k === 'ArrowRight') move(1);
            else if (k === 'ArrowLeft') move(-1);
            else if (k === 'ArrowDown') move(COLS);
            else if (k === 'ArrowUp') move(-COLS);
            else if (k === 'Home') setFocus(0);
            else if (k === 'End') setFocus(EMOJI.length - 1);
            else if (k === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            } else return;
            e.preventDefault();
          }}
        >
          {Array.from({ length: EMOJI.length / COLS }, (_, r) => (
            <div role="row" key={r} className="cx-emoji-row">
              {EMOJI.slice(r * COLS, r * COLS + COLS).map((em, c) => {
                const i = r * COLS + c;
                return (
                  <button
                    key={em}
                    ref={(el) => {
                      cells.current[i] = el;
                    }}
                    type="button"
                    role="gridcell"
                    className="cx-emoji-cell"
                    tabIndex={i === focus ? 0 : -1}
                    aria-label={em}
                    data-testid="emoji-cell"
                    onClick={() => {
                      setFocus(i);
                      setOpen(false);
                      onInsert(em);
                    }}
                  >
                    {em}
                  </button>
                );
              })}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
