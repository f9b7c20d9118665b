// The dialogue bar above a chat's history: the chat's current dialogue in one compact line
// (status, type, reasons, components, managers, both ratings of its current cycle) with its
// actions, or a button to start one. It refetches the chat's dialogues when the store reports a
// dialogue's change in this chat (a client's tap arrives as one); an action of its own shows the
// dialogue the call answered. The admin's lists are the window's one copy (optionsStore).
import { useCallback, useEffect, useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { useWords } from '../../lib/i18n';
import { useStoreChanges } from '../../lib/changes';
import { dialoguesApi } from '../../lib/dialoguesApi';
import { useReportError } from '../../lib/toast';
import { dialogueStatuses, type Dialogue, type DialogueStatus, type Manager } from '../../lib/types';
import { dialoguesWords } from './dialogues-i18n';
import { CloseDialogueForm, DialogueForm } from './DialogueForms';
import { clientRatingState, currentCycle, currentDialogue, withDialogue } from './model';
import { useDialogueOptions } from './optionsStore';
import { STAR_OFF, STAR_ON, Stars } from './Stars';
import './dialogues.css';

/** Every dialogue of the chat with each cycle's span and both ratings, newest dialogue first. */
function DialogueHistory({ dialogues }: { dialogues: Dialogue[] }) {
  const { t, locale } = useWords(dialoguesWords);
  const rating = (n: number) => (n > 0 ? t('dlg.stars', { n }) : '—');
  return (
    <table className="dlg-history" data-testid="dialogue-history">
      <thead>
        <tr>
          <th>{t('dlg.label')}</th>
          <th>{t('dlg.cycleCol')}</th>
          <th>{t('dlg.opened')}</th>
          <th>{t('dlg.closed')}</th>
          <th>{t('dlg.clientRating')}</th>
          <th>{t('dlg.managerRatingShort')}</th>
        </tr>
      </thead>
      <tbody>
        {dialogues.flatMap((d) =>
          [...(d.cycles ?? [])].reverse().map((c) => (
            <tr key={c.id} data-testid="dialogue-history-row" data-cycle={c.number} data-client-score={c.clientRating}>
              <td>
                #{d.id} {d.type ? <span data-param>{d.type}</span> : t('dlg.noType')}
              </td>
              <td>{c.number}</td>
              <td>{formatDateTime(c.openedAt, locale)}</td>
              <td>{c.closedAt ? formatDateTime(c.closedAt, locale) : t(`dlg.status.${d.status}`)}</td>
              <td>{c.clientRating > 0 ? rating(c.clientRating) : c.ratingRequestedAt > 0 ? t('dlg.ratingAsked') : '—'}</td>
              <td>{rating(c.managerRating)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

export function DialoguePanel({ chatId, me, managers }: { chatId: number; me: Manager; managers: Map<number, Manager> }) {
  const { t } = useWords(dialoguesWords);
  const report = useReportError();
  const [dialogues, setDialogues] = useState<Dialogue[] | null>(null);
  const options = useDialogueOptions(report) ?? [];
  const [form, setForm] = useState<'new' | 'edit' | 'close' | null>(null);
  const [showHistory, setShowHistory] = useState(false);

  const load = useCallback(async () => {
    try {
      setDialogues((await dialoguesApi.ChatDialogues(chatId)) ?? []);
    } catch (e) {
      setDialogues([]);
      report(e);
    }
  }, [chatId, report]);

  useEffect(() => {
    setDialogues(null);
    setForm(null);
    void load();
  }, [load]);

  useStoreChanges((c) => {
    // A message in this chat is not a dialogue's change: only dialogue.changed reloads it.
    if (c.kinds.has('dialogue.changed') && c.chatIds.has(chatId)) void load();
  });

  // The call's answer is the dialogue as it now is: shown at once, without asking again (the
  // store's dialogue.changed that follows reloads once, and brings what others did meanwhile).
  const took = (d: Dialogue) => {
    if (d.chatId === chatId) setDialogues((ds) => withDialogue(ds ?? [], d));
  };
  const act = (p: Promise<Dialogue>) => {
    p.then(took).catch(report);
  };
  const done = (d: Dialogue) => {
    setForm(null);
    took(d);
  };

  if (dialogues === null) return <div className="dlg-bar" aria-busy="true" data-testid="dialogue-bar" />;
  const d = currentDialogue(dialogues);
  const cycle = d ? currentCycle(d) : null;
  const rating = d ? clientRatingState(d) : null;
  const cycles = dialogues.reduce((n, x) => n + (x.cycles?.length ?? 0), 0);
  const names = (d?.managers ?? []).map((id) => managers.get(id)?.name ?? (id === me.id ? me.name : `#${id}`));

  return (
    <div className="dlg-bar" role="region" aria-label={t('dlg.label')} data-testid="dialogue-bar" data-dialogue-id={d?.id ?? 0} data-status={d?.status ?? ''}>
      {!d ? (
        <span className="dlg-none">{t('dlg.none')}</span>
      ) : (
        <>
          <select
            className={`dlg-status dlg-status-${d.status}`}
            aria-label={t('dlg.status')}
            value={d.status}
            data-testid="dialogue-status"
            onChange={(e) => {
              const s = e.target.value as DialogueStatus;
              if (s === 'closed') setForm('close');
              else act(dialoguesApi.SetDialogueStatus(d.id, s));
            }}
          >
            {dialogueStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`dlg.status.${s}`)}
              </option>
            ))}
          </select>
          {cycle && cycle.number > 1 && <span className="dlg-muted">{t('dlg.cycle', { n: cycle.number })}</span>}
          <span className="dlg-type" data-testid="dialogue-type-shown" data-param={d.type ? '' : undefined}>
            {d.type || t('dlg.noType')}
          </span>
          {(d.reasons ?? []).length > 0 && (
            <span className="dlg-chips" title={t('dlg.reasons')} data-testid="dialogue-reasons-shown">
              {(d.reasons ?? []).map((r) => (
                <span key={r} className="dlg-chip" data-param>
                  {r}
                </span>
              ))}
            </span>
          )}
          {(d.components ?? []).length > 0 && (
            <span className="dlg-chips dlg-chips-components" title={t('dlg.components')} data-testid="dialogue-components-shown">
              {(d.components ?? []).map((c) => (
                <span key={c} className="dlg-chip" data-param>
                  {c}
                </span>
              ))}
            </span>
          )}
          {names.length > 0 && (
            <span className="dlg-muted" title={t('dlg.managers')} data-testid="dialogue-managers-shown" data-param>
              {names.join(', ')}
            </span>
          )}
          <span className="dlg-rating" title={t('dlg.clientRating')}>
            <span className="dlg-rating-label">{t('dlg.clientRating')}:</span>{' '}
            {rating?.kind === 'rated' ? (
              <Stars score={rating.score} words={t('dlg.stars', { n: rating.score })} testid="dialogue-client-rating" />
            ) : (
              <span className="dlg-muted" data-testid="dialogue-client-rating" data-score={0}>
                {rating?.kind === 'asked' ? t('dlg.ratingAsked') : t('dlg.notRated')}
              </span>
            )}
          </span>
          <span
            className="dlg-rating"
            role="group"
            aria-label={t('dlg.managerRating')}
            data-testid="dialogue-manager-rating"
            data-score={cycle?.managerRating ?? 0}
          >
            <span className="dlg-rating-label">{t('dlg.managerRating')}:</span>
            {[1, 2, 3, 4, 5].map((n) => (
              <button
                key={n}
                type="button"
                className={`dlg-star${(cycle?.managerRating ?? 0) >= n ? ' on' : ''}`}
                aria-label={t('dlg.rateN', { n })}
                aria-pressed={(cycle?.managerRating ?? 0) === n}
                title={t('dlg.rateN', { n })}
                data-testid={`dialogue-rate-${n}`}
                onClick={() => act(dialoguesApi.RateClient(d.id, n))}
              >
                {(cycle?.managerRating ?? 0) >= n ? STAR_ON : STAR_OFF}
              </button>
            ))}
          </span>
        </>
      )}
      <span className="spacer" />
      {cycles > 1 && (
        <button
          type="button"
          className={`btn btn-small${showHistory ? ' on' : ''}`}
          aria-expanded={showHistory}
          onClick={() => setShowHistory((v) => !v)}
          data-testid="dialogue-history-toggle"
        >
          {t('dlg.history', { n: cycles })}
        </button>
      )}
      {d && (
        <button type="button" className="btn btn-small" onClick={() => setForm('edit')} data-testid="dialogue-edit">
          {t('dlg.edit')}
        </button>
      )}
      {d && d.status !== 'closed' && (
        <button type="button" className="btn btn-small" onClick={() => setForm('close')} data-testid="dialogue-close">
          {t('dlg.close')}
        </button>
      )}
      {d && d.status === 'closed' && (
        <button type="button" className="btn btn-small" onClick={() => act(dialoguesApi.ReopenDialogue(d.id))} data-testid="dialogue-reopen">
          {t('dlg.reopen')}
        </button>
      )}
      {(!d || d.status === 'closed') && (
        <button type="button" className="btn btn-small btn-primary" onClick={() => setForm('new')} data-testid="dialogue-new">
          {t('dlg.new')}
        </button>
      )}
      {(form === 'new' || (form === 'edit' && d)) && (
        <DialogueForm
          chatId={chatId}
          initial={form === 'edit' ? d : null}
          options={options}
          managers={managers}
          me={me}
          onDone={done}
          onClose={() => setForm(null)}
        />
      )}
      {showHistory && cycles > 1 && <DialogueHistory dialogues={dialogues} />}
      {form === 'close' && d && <CloseDialogueForm dialogue={d} onDone={done} onClose={() => setForm(null)} />}
    </div>
  );
}
