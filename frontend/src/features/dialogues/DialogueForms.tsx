// The dialogue panel's two forms: create/edit (type, reasons, components, status, managers, all
// picked from the admin's lists) and close (optionally with a one-tap rating request). Each hands
// onDone the dialogue its call answered.
import { useState, type FormEvent } from 'react';
import { Modal } from '../../lib/Modal';
import { errorText } from '../../lib/errors';
import { useWords } from '../../lib/i18n';
import { dialoguesApi } from '../../lib/dialoguesApi';
import type { Dialogue, DialogueInput, DialogueOption, DialogueStatus, Manager } from '../../lib/types';
import { dialoguesWords } from './dialogues-i18n';
import { optionNames, withKept } from './model';

function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

function CheckList({
  legend,
  names,
  picked,
  onChange,
  testid,
}: {
  legend: string;
  names: string[];
  picked: string[];
  onChange: (v: string[]) => void;
  testid: string;
}) {
  if (names.length === 0) return null;
  return (
    <fieldset className="dlg-field" data-testid={testid}>
      <legend>{legend}</legend>
      {names.map((n) => (
        <label key={n} className="dlg-check">
          <input type="checkbox" checked={picked.includes(n)} onChange={() => onChange(toggle(picked, n))} /> {n}
        </label>
      ))}
    </fieldset>
  );
}

export function DialogueForm({
  chatId,
  initial,
  options,
  managers,
  me,
  onDone,
  onClose,
}: {
  chatId: number;
  initial: Dialogue | null;
  options: DialogueOption[];
  managers: Map<number, Manager>;
  me: Manager;
  onDone: (d: Dialogue) => void;
  onClose: () => void;
}) {
  const { t, locale } = useWords(dialoguesWords);
  const [type, setType] = useState(initial?.type ?? '');
  const [reasons, setReasons] = useState<string[]>(initial?.reasons ?? []);
  const [components, setComponents] = useState<string[]>(initial?.components ?? []);
  const [status, setStatus] = useState<DialogueStatus>('open');
  const [picked, setPicked] = useState<number[]>(initial?.managers?.length ? initial.managers : [me.id]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const types = withKept(optionNames(options, 'type'), initial?.type ? [initial.type] : []);
  const allReasons = withKept(optionNames(options, 'reason'), initial?.reasons);
  const allComponents = withKept(optionNames(options, 'component'), initial?.components);
  const people = managers.size > 0 ? [...managers.values()] : [me];

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    const input: DialogueInput = { type, reasons, components, status: initial ? '' : status, managers: picked };
    try {
      onDone(initial ? await dialoguesApi.EditDialogue(initial.id, input) : await dialoguesApi.CreateDialogue(chatId, input));
    } catch (err) {
      setError(errorText(err, locale));
      setBusy(false);
    }
  };

  return (
    <Modal title={initial ? t('dlg.editTitle') : t('dlg.newTitle')} onClose={onClose} testid="dialogue-form">
      <form className="dlg-form" onSubmit={(e) => void save(e)}>
        {options.length === 0 && <p className="dlg-hint">{t('dlg.emptyLists')}</p>}
        <label className="dlg-field">
          <span>{t('dlg.type')}</span>
          <select value={type} onChange={(e) => setType(e.target.value)} data-testid="dialogue-type">
            <option value="">{t('dlg.noType')}</option>
            {types.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <CheckList legend={t('dlg.reasons')} names={allReasons} picked={reasons} onChange={setReasons} testid="dialogue-reasons" />
        <CheckList legend={t('dlg.components')} names={allComponents} picked={components} onChange={setComponents} testid="dialogue-components" />
        {!initial && (
          <label className="dlg-field">
            <span>{t('dlg.status')}</span>
            <select value={status} onChange={(e) => setStatus(e.target.value as DialogueStatus)} data-testid="dialogue-status-new">
              {(['open', 'in_progress', 'waiting'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`dlg.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        <fieldset className="dlg-field" data-testid="dialogue-managers">
          <legend>{t('dlg.managers')}</legend>
          {people.map((m) => (
            <label key={m.id} className="dlg-check">
              <input type="checkbox" checked={picked.includes(m.id)} onChange={() => setPicked(toggle(picked, m.id))} /> {m.name}
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="dlg-error" role="alert">
            {error}
          </p>
        )}
        <div className="dlg-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('dlg.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="dialogue-save">
            {initial ? t('dlg.save') : t('dlg.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function CloseDialogueForm({ dialogue, onDone, onClose }: { dialogue: Dialogue; onDone: (d: Dialogue) => void; onClose: () => void }) {
  const { t, locale } = useWords(dialoguesWords);
  const [ask, setAsk] = useState(true);
  const [text, setText] = useState(() => t('dlg.requestDefault'));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (ask && !text.trim()) {
      setError(t('dlg.needText'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      onDone(await dialoguesApi.CloseDialogue(dialogue.id, ask ? text : ''));
    } catch (err) {
      setError(errorText(err, locale));
      setBusy(false);
    }
  };

  return (
    <Modal title={t('dlg.closeTitle')} onClose={onClose} testid="dialogue-close-form">
      <form className="dlg-form" onSubmit={(e) => void submit(e)}>
        <label className="dlg-check">
          <input type="checkbox" checked={ask} onChange={(e) => setAsk(e.target.checked)} data-testid="dialogue-ask-rating" /> {t('dlg.askRating')}
        </label>
        {ask && (
          <label className="dlg-field">
            <span>{t('dlg.requestText')}</span>
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} maxLength={4000} data-testid="dialogue-request-text" />
          </label>
        )}
        {error && (
          <p className="dlg-error" role="alert">
            {error}
          </p>
        )}
        <div className="dlg-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('dlg.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="dialogue-close-confirm">
            {t('dlg.closeConfirm')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
