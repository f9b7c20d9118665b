// "Tag a manager / comment" (Ctrl+Shift+A): pick managers and/or write a comment; both optional,
// but not both empty. Becomes an internal note invisible to the client.
import { useState } from 'react';
import { api } from '../../lib/api';
import { errorText } from '../../lib/errors';
import { useI18n } from '../../lib/i18n';
import { useComposerT } from './composer-i18n';
import { Modal } from '../../lib/Modal';
import type { Manager } from '../../lib/types';

interface Props {
  chatId: number;
  managers: Manager[];
  onClose: () => void;
}

export function NoteForm({ chatId, managers, onClose }: Props) {
  const { t, locale } = useI18n();
  const w = useComposerT().t;
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={w('note.title')} onClose={onClose} testid="note-form">
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          if (picked.size === 0 && !text.trim()) {
            setError(w('note.needSomething'));
            return;
          }
          setBusy(true);
          try {
            await api.AddNote(chatId, text.trim(), [...picked]);
            onClose();
          } catch (err) {
            setError(errorText(err, locale));
          } finally {
            setBusy(false);
          }
        }}
      >
        <fieldset className="managers">
          <legend>{w('note.managers')}</legend>
          {/* Tagging is for bringing in someone else; the author is on the note already. */}
          {managers
            .filter((m) => !m.isMe)
            .map((m) => (
              <label key={m.id} className="check">
                <input
                  type="checkbox"
                  checked={picked.has(m.id)}
                  onChange={() =>
                    setPicked((s) => {
                      const n = new Set(s);
                      if (n.has(m.id)) n.delete(m.id);
                      else n.add(m.id);
                      return n;
                    })
                  }
                />
                {m.name}
              </label>
            ))}
        </fieldset>
        <label className="field">
          <span>{w('note.comment')}</span>
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} data-testid="note-text" />
        </label>
        {error && (
          <div className="composer-error" role="alert">
            {error}
          </div>
        )}
        <div className="row-end">
          <button type="button" className="btn" onClick={onClose}>
            {t('composer.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="note-submit">
            {w('note.add')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
