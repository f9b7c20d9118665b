// Settings → Company → Company actions → "Read all messages". It cannot be undone, so the
// confirmation asks the manager to type a word rather than click through a yes/no. On a team
// hub's desktop it is the hub's to do, and an admin's only.
import { useState, type FormEvent } from 'react';
import { settingsApi } from '../../lib/settingsApi';
import { AdminOnlyNote } from './AdminOnlyNote';
import { Dialog } from './Dialog';
import { useSettingsT } from './settings-i18n';
import { useCompanyReadOnly } from './useCompanyReadOnly';
import { useSettingsError } from './useSettingsError';

export function CompanySection({ onAllRead }: { onAllRead?: () => void }) {
  const { t } = useSettingsT();
  const errText = useSettingsError();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState<number | null>(null);
  const readOnly = useCompanyReadOnly();
  const editable = readOnly === false; // unknown yet: neither the button nor the note
  const word = t('co.word');
  // The word in bold inside the sentence, wherever the language puts it.
  const typePrompt = t('co.typeToConfirm', { word: '\u0000' }).split('\u0000');
  const matches = typed.trim().toLocaleUpperCase() === word.toLocaleUpperCase();

  const close = () => {
    setOpen(false);
    setTyped('');
    setError('');
  };

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    if (!matches) return;
    setBusy(true);
    setError('');
    try {
      setDone((await settingsApi.MarkAllRead()) ?? 0);
      close();
      onAllRead?.();
    } catch (err) {
      setError(errText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sb-set-section" aria-labelledby="sb-set-co-h" data-testid="settings-company" data-read-only={readOnly || undefined}>
      <h2 id="sb-set-co-h">{t('nav.company')}</h2>
      <div className="sb-set-card">
        <h3>{t('co.actions')}</h3>
        <div className="sb-set-action-row">
          <div>
            <strong>{t('co.readAll')}</strong>
            <p className="sb-set-muted">{t('co.readAllHint')}</p>
          </div>
          {editable && (
            <button
              type="button"
              className="sb-set-btn danger"
              onClick={() => {
                setDone(null);
                setOpen(true);
              }}
              data-testid="read-all"
            >
              {t('co.readAll')}
            </button>
          )}
        </div>
        {readOnly && <AdminOnlyNote testid="company-read-only" />}
        {done !== null && (
          <p className="sb-set-notice" role="status" data-testid="read-all-done">
            {t('co.done', { n: done })}
          </p>
        )}
      </div>
      {open && (
        <Dialog title={t('co.readAll')} onClose={close} testid="read-all-dialog" tone="danger">
          <form className="sb-set-form" onSubmit={(e) => void confirm(e)}>
            <p className="sb-set-callout error">{t('co.readAllWarn')}</p>
            <label className="sb-set-field">
              <span>
                {typePrompt[0]}
                <strong className="sb-set-mono">{word}</strong>
                {typePrompt[1]}
              </span>
              <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} data-testid="read-all-input" />
            </label>
            {error && (
              <p className="sb-set-error" role="alert">
                {error}
              </p>
            )}
            <div className="sb-set-actions">
              <button type="button" className="sb-set-btn" onClick={close} data-testid="read-all-cancel">
                {t('settings.cancel')}
              </button>
              <button type="submit" className="sb-set-btn danger primary" disabled={!matches || busy} data-testid="read-all-confirm">
                {busy ? t('co.working') : t('co.readAllYes')}
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </section>
  );
}
