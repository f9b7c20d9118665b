// "Merge people": the same client who wrote to two bots, recognised by the manager, becomes one
// person with both chats. The other person is found with the list's own quick search.
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { useWords } from '../../lib/i18n';
import { listWords } from '../list/list-i18n';
import { cardWords } from './card-i18n';
import { ChannelIcon } from '../../lib/icons';
import { useReportError } from '../../lib/toast';
import type { ListRow } from '../../lib/types';

export function MergePeople({ personId, personName, onMerged }: { personId: number; personName: string; onMerged: () => void }) {
  const { t } = useWords(cardWords);
  const listT = useWords(listWords).t; // the same search words as the list's
  const report = useReportError();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<ListRow[]>([]);
  const [pick, setPick] = useState<ListRow | null>(null);

  useEffect(() => {
    if (!open || search.trim().length < 2) {
      setRows([]);
      return;
    }
    let live = true;
    const id = setTimeout(() => {
      api
        .ListPeople({ tab: 'all', search, filter: {}, oldestFirst: false, cursor: '', limit: 8 })
        .then((p) => live && setRows((p.rows ?? []).filter((r) => r.personId !== personId)), report);
    }, 120);
    return () => {
      live = false;
      clearTimeout(id);
    };
  }, [open, search, personId, report]);

  if (!open) {
    return (
      <button type="button" className="btn btn-small" data-testid="merge-open" onClick={() => setOpen(true)}>
        {t('merge.open')}
      </button>
    );
  }
  return (
    <div className="merge" data-testid="merge">
      <p className="muted">{t('merge.hint', { name: personName })}</p>
      <input
        value={search}
        placeholder={listT('list.search')}
        aria-label={t('merge.search')}
        data-testid="merge-search"
        onChange={(e) => {
          setSearch(e.target.value);
          setPick(null);
        }}
      />
      <ul className="merge-results">
        {rows.map((r) => (
          <li key={r.personId}>
            <button type="button" className={`merge-row${pick?.personId === r.personId ? ' on' : ''}`} data-testid="merge-candidate" onClick={() => setPick(r)}>
              {(r.channels ?? [r.channelKind]).map((k) => (
                <ChannelIcon key={k} kind={k} />
              ))}{' '}
              {r.name}
            </button>
          </li>
        ))}
      </ul>
      {pick && (
        <div className="merge-confirm" role="alert">
          <span>{t('merge.confirm', { other: pick.name, name: personName })}</span>
          <button
            type="button"
            className="btn btn-small btn-danger"
            data-testid="merge-confirm"
            onClick={() =>
              api.MergePeople(personId, pick.personId).then(() => {
                setOpen(false);
                setPick(null);
                setSearch('');
                onMerged();
              }, report)
            }
          >
            {t('merge.do')}
          </button>
        </div>
      )}
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(false)}>
        {t('merge.cancel')}
      </button>
    </div>
  );
}
