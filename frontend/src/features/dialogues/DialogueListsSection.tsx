// Settings → Dialogues: the admin's lists of dialogue types, reasons and components. Each entry
// can be added, renamed in place and removed; dialogues keep the names they already chose. On a
// team hub's desktop they are the company's: a manager reads them, an admin changes them. They
// are the window's one copy (optionsStore): a change here shows what its call answered.
import { AdminOnlyNote } from '../settings/AdminOnlyNote';
import { useState, type FormEvent } from 'react';
import { dialoguesApi } from '../../lib/dialoguesApi';
import { errorText } from '../../lib/errors';
import { useWords } from '../../lib/i18n';
import { useToast } from '../../lib/toast';
import type { DialogueOption, DialogueOptionKind } from '../../lib/types';
import { ConfirmDialog } from '../settings/Dialog';
import { useCompanyReadOnly } from '../settings/useCompanyReadOnly';
import { dialoguesWords, type DialoguesKey } from './dialogues-i18n';
import { optionDeleted, optionSaved, useDialogueOptions } from './optionsStore';
import './dialogues.css';

const lists: { kind: DialogueOptionKind; title: DialoguesKey }[] = [
  { kind: 'type', title: 'lists.type' },
  { kind: 'reason', title: 'lists.reason' },
  { kind: 'component', title: 'lists.component' },
];

function OptionRow({ option, onDelete }: { option: DialogueOption; onDelete: () => void }) {
  const { t, locale } = useWords(dialoguesWords);
  const { notify } = useToast();
  const [name, setName] = useState(option.name);
  const changed = name.trim() !== option.name;
  const rename = async (e: FormEvent) => {
    e.preventDefault();
    try {
      optionSaved(await dialoguesApi.SaveDialogueOption({ id: option.id, kind: option.kind, name }));
    } catch (err) {
      notify(errorText(err, locale), 'error');
    }
  };
  return (
    <li className="sb-set-template" data-testid="dlg-option">
      <form className="sb-set-template-main dlg-option-form" onSubmit={(e) => void rename(e)}>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} aria-label={t('lists.rename')} data-testid="dlg-option-name" />
        {changed && (
          <button type="submit" className="sb-set-btn" data-testid="dlg-option-rename">
            {t('lists.rename')}
          </button>
        )}
      </form>
      <div className="sb-set-row-actions">
        <button type="button" className="sb-set-btn danger" onClick={onDelete} data-testid="dlg-option-delete">
          {t('lists.delete')}
        </button>
      </div>
    </li>
  );
}

function ReadOnlyRow({ option }: { option: DialogueOption }) {
  return (
    <li className="sb-set-template" data-testid="dlg-option">
      <span className="sb-set-template-main" data-testid="dlg-option-text">
        {option.name}
      </span>
    </li>
  );
}

function OptionList({ kind, title, items, readOnly }: { kind: DialogueOptionKind; title: DialoguesKey; items: DialogueOption[]; readOnly: boolean }) {
  const { t, locale } = useWords(dialoguesWords);
  const { notify } = useToast();
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [deleting, setDeleting] = useState<DialogueOption | null>(null);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      optionSaved(await dialoguesApi.SaveDialogueOption({ id: 0, kind, name }));
      setName('');
      setError('');
    } catch (err) {
      setError(errorText(err, locale));
    }
  };
  return (
    <div className="dlg-list" data-testid={`dlg-list-${kind}`}>
      <h3>{t(title)}</h3>
      {items.length === 0 ? (
        <p className="sb-set-empty">{t('lists.empty')}</p>
      ) : (
        <ul className="sb-set-list">
          {items.map((o) =>
            readOnly ? <ReadOnlyRow key={o.id} option={o} /> : <OptionRow key={`${o.id}:${o.name}`} option={o} onDelete={() => setDeleting(o)} />,
          )}
        </ul>
      )}
      {!readOnly && (
        <form className="sb-set-toolbar" onSubmit={(e) => void add(e)}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            placeholder={t('lists.newName')}
            aria-label={t('lists.newName')}
            data-testid={`dlg-add-name-${kind}`}
          />
          <button type="submit" className="sb-set-btn primary" disabled={!name.trim()} data-testid={`dlg-add-${kind}`}>
            {t('lists.add')}
          </button>
        </form>
      )}
      {error && (
        <p className="sb-set-error" role="alert">
          {error}
        </p>
      )}
      {deleting && (
        <ConfirmDialog
          title={t(title)}
          text={t('lists.deleteConfirm', { name: deleting.name })}
          confirmLabel={t('lists.delete')}
          onConfirm={async () => {
            try {
              await dialoguesApi.DeleteDialogueOption(deleting.id);
              optionDeleted(deleting.id);
              setDeleting(null);
            } catch (err) {
              notify(errorText(err, locale), 'error');
            }
          }}
          onCancel={() => setDeleting(null)}
        />
      )}
    </div>
  );
}

export function DialogueListsSection() {
  const { t, locale } = useWords(dialoguesWords);
  const [error, setError] = useState('');
  // A failed first read leaves the lists unknown: the section says why instead of "loading".
  const items = useDialogueOptions((e) => setError(errorText(e, locale)));
  const readOnly = useCompanyReadOnly();
  const editable = readOnly === false; // unknown yet: neither the forms nor the note
  return (
    <section className="sb-set-section" aria-labelledby="sb-set-dlg-h" data-testid="settings-dialogues" data-read-only={readOnly || undefined}>
      <h2 id="sb-set-dlg-h">{t('lists.title')}</h2>
      <p className="sb-set-intro">{t('lists.intro')}</p>
      {readOnly && <AdminOnlyNote testid="dlg-read-only" />}
      {items === null ? (
        error ? (
          <p className="sb-set-error" role="alert">
            {error}
          </p>
        ) : (
          <p className="sb-set-muted">{t('lists.loading')}</p>
        )
      ) : (
        lists.map((l) => <OptionList key={l.kind} kind={l.kind} title={l.title} items={items.filter((o) => o.kind === l.kind)} readOnly={!editable} />)
      )}
    </section>
  );
}
