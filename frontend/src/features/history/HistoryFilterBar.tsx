// The message filter: narrows the open chat's history by sender kind, client actions only,
// attachments, or words (full-text in this chat).
import { useState } from 'react';
import { useI18n } from '../../lib/i18n';
import type { HistoryFilter, SenderKind } from '../../lib/types';

const SENDERS: SenderKind[] = ['client', 'bot', 'admin', 'manager'];

interface Props {
  value: HistoryFilter;
  onChange: (f: HistoryFilter) => void;
}

export function HistoryFilterBar({ value, onChange }: Props) {
  const { t } = useI18n();
  const [words, setWords] = useState(value.words ?? '');
  const senders = new Set(value.senders ?? []);
  const toggle = (s: SenderKind) => {
    const next = new Set(senders);
    if (next.has(s)) next.delete(s);
    else next.add(s);
    onChange({ ...value, senders: next.size ? [...next] : undefined });
  };
  return (
    <div className="history-filter" data-testid="history-filter">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ ...value, words: words.trim() || undefined });
        }}
      >
        <input
          type="search"
          value={words}
          placeholder={t('history.filterWords')}
          aria-label={t('history.filterWords')}
          data-testid="history-filter-words"
          onChange={(e) => setWords(e.target.value)}
        />
      </form>
      <span className="muted small">{t('history.filterSenders')}:</span>
      {SENDERS.map((s) => (
        <label key={s} className="check">
          <input type="checkbox" checked={senders.has(s)} onChange={() => toggle(s)} data-testid={`history-filter-${s}`} />
          {t(`sender.${s}`)}
        </label>
      ))}
      <label className="check">
        <input type="checkbox" checked={!!value.indicatorsOnly} onChange={(e) => onChange({ ...value, indicatorsOnly: e.target.checked || undefined })} />
        {t('history.filterIndicators')}
      </label>
      <label className="check">
        <input type="checkbox" checked={!!value.attachments} onChange={(e) => onChange({ ...value, attachments: e.target.checked || undefined })} />
        {t('history.filterAttachments')}
      </label>
      <button
        type="button"
        className="link-btn"
        onClick={() => {
          setWords('');
          onChange({});
        }}
      >
        {t('history.filterClear')}
      </button>
    </div>
  );
}
