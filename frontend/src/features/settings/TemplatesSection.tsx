// Settings → Chat templates: variables of the "chat template" type (name, value). The composer's
// template button lists them; placeholders are filled when one is inserted.
import { AdminOnlyNote } from './AdminOnlyNote';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useStoreChanges } from '../../lib/changes';
import { useToast } from '../../lib/toast';
import { settingsApi, type Template } from '../../lib/settingsApi';
import { ConfirmDialog, Dialog } from './Dialog';
import { usedPlaceholders } from './model';
import { useSettingsT } from './settings-i18n';
import { useCompanyReadOnly } from './useCompanyReadOnly';
import { useSettingsError } from './useSettingsError';

function TemplateForm({ initial, onSaved, onClose }: { initial: Template; onSaved: () => void; onClose: () => void }) {
  const { t } = useSettingsT();
  const errText = useSettingsError();
  const [name, setName] = useState(initial.name);
  const [value, setValue] = useState(initial.value);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const used = usedPlaceholders(value);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !value.trim()) {
      setError(t('tpl.needBoth'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await settingsApi.SaveTemplate({ id: initial.id, name: name.trim(), value });
      onSaved();
    } catch (err) {
      setError(errText(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={initial.id ? t('tpl.editTitle') : t('tpl.new')} onClose={onClose} testid="template-dialog">
      <form className="sb-set-form" onSubmit={(e) => void save(e)}>
        <label className="sb-set-field">
          <span>{t('tpl.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} data-testid="tpl-name" />
        </label>
        <label className="sb-set-field">
          <span>{t('tpl.value')}</span>
          <textarea value={value} onChange={(e) => setValue(e.target.value)} rows={6} maxLength={4096} data-testid="tpl-value" />
          <small>{t('tpl.placeholders')}</small>
        </label>
        {used.length > 0 && (
          <div className="sb-set-chips" data-testid="tpl-used">
            {used.map((p) => (
              <code key={p} className="sb-set-chip">{`{${p}}`}</code>
            ))}
          </div>
        )}
        {error && (
          <p className="sb-set-error" role="alert">
            {error}
          </p>
        )}
        <div className="sb-set-actions">
          <button type="button" className="sb-set-btn" onClick={onClose}>
            {t('settings.cancel')}
          </button>
          <button type="submit" className="sb-set-btn primary" disabled={busy} data-testid="tpl-save">
            {t('settings.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function TemplatesSection() {
  const { t } = useSettingsT();
  const errText = useSettingsError();
  const { notify } = useToast();
  const [items, setItems] = useState<Template[] | null>(null);
  const [editing, setEditing] = useState<Template | null>(null);
  const [deleting, setDeleting] = useState<Template | null>(null);
  const [error, setError] = useState('');
  const readOnly = useCompanyReadOnly();
  const editable = readOnly === false; // unknown yet: neither the forms nor the note

  const load = useCallback(async () => {
    try {
      setItems((await settingsApi.Templates()) ?? []);
      setError('');
    } catch (e) {
      setItems([]);
      setError(errText(e));
    }
  }, [errText]);

  useEffect(() => {
    void load();
  }, [load]);

  // Another desktop of the team (an admin's) may change them.
  useStoreChanges((c) => {
    if (c.kinds.has('templates.changed')) void load();
  });

  const remove = async () => {
    if (!deleting) return;
    try {
      await settingsApi.DeleteTemplate(deleting.id);
      setDeleting(null);
      await load();
    } catch (e) {
      notify(errText(e), 'error');
    }
  };

  return (
    <section className="sb-set-section" aria-labelledby="sb-set-tpl-h" data-testid="settings-templates" data-read-only={readOnly || undefined}>
      <h2 id="sb-set-tpl-h">{t('nav.templates')}</h2>
      <p className="sb-set-intro">{t('tpl.intro')}</p>
      <p className="sb-set-hint">{t('tpl.placeholders')}</p>
      {readOnly && <AdminOnlyNote testid="tpl-read-only" />}
      {editable && (
        <div className="sb-set-toolbar">
          <button type="button" className="sb-set-btn primary" onClick={() => setEditing({ id: 0, name: '', value: '' })} data-testid="tpl-add">
            {t('tpl.add')}
          </button>
        </div>
      )}
      {error && (
        <p className="sb-set-error" role="alert">
          {error}
        </p>
      )}
      {items === null ? (
        <p className="sb-set-muted">{t('settings.loading')}</p>
      ) : items.length === 0 ? (
        <p className="sb-set-empty">{t('tpl.none')}</p>
      ) : (
        <ul className="sb-set-list" data-testid="tpl-list">
          {items.map((it) => (
            <li key={it.id} className="sb-set-template" data-testid="tpl-row">
              <div className="sb-set-template-main">
                <strong data-testid="tpl-row-name">{it.name}</strong>
                <p className="sb-set-template-value">{it.value}</p>
              </div>
              {editable && (
                <div className="sb-set-row-actions">
                  <button type="button" className="sb-set-btn" onClick={() => setEditing(it)} data-testid="tpl-edit">
                    {t('settings.edit')}
                  </button>
                  <button type="button" className="sb-set-btn danger" onClick={() => setDeleting(it)} data-testid="tpl-delete">
                    {t('settings.delete')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <TemplateForm
          initial={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            notify(t('tpl.saved'), 'info');
            void load();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('nav.templates')}
          text={t('tpl.deleteText', { name: deleting.name })}
          confirmLabel={t('settings.delete')}
          onConfirm={remove}
          onCancel={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
