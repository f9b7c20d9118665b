// Left pane: tabs with counts, quick search, the sales-plan and active-dialogue filters, the
// filter panel and the virtualised list of people (only visible rows are in the DOM).
import { Suspense, memo, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { makeT, useWords } from '../../lib/i18n';
import { listWords } from './list-i18n';
import { formatCount } from '../../lib/format';
import { IconChats, IconFilter, IconPlans, IconSearch, IconSort } from '../../lib/icons';
import type { Facets, ListFilter, ListRow, SavedFilter, Tab, TabCounts } from '../../lib/types';
import { FilterPanel } from '../../lazyParts';
import { ListRowView } from './ListRowView';
import { useRowWindow } from './useRowWindow';

export const ROW_HEIGHT = 64;
// No wait beyond one macrotask (which still folds a paste or an IME burst into one query):
// usePeopleList drops answers to superseded queries, and a store search takes a few ms.
const SEARCH_DEBOUNCE_MS = 0;

interface Props {
  tab: Tab;
  onTab: (t: Tab) => void;
  counts: TabCounts | null;
  search: string;
  onSearch: (s: string) => void;
  oldestFirst: boolean;
  onOldestFirst: (v: boolean) => void;
  quickPlan: string;
  onQuickPlan: (p: string) => void;
  activeDialogues: boolean;
  onActiveDialogues: (v: boolean) => void;
  filter: ListFilter;
  onFilter: (f: ListFilter) => void;
  facets: Facets;
  saved: SavedFilter[];
  onSaveFilter: (name: string, f: ListFilter) => void;
  onDeleteSaved: (id: number) => void;
  rows: ListRow[];
  loading: boolean;
  /** The rows and counts answer the current query (aria-busy otherwise). */
  settled: boolean;
  hasMore: boolean;
  loadMore: () => void;
  selectedPersonId: number;
  onSelect: (row: ListRow) => void;
  onVisibleRange: (first: number, last: number) => void;
  onFirstRender: () => void;
  /** What an empty list says instead of "Nobody here" (a workspace with nobody in it yet). */
  empty?: ReactNode;
}

const TABS: Tab[] = ['important', 'all', 'unread'];

/** A tab's badge: its count, or "1,000+" where the store stopped counting (a lower bound). */
function TabCount({ counts, tab }: { counts: TabCounts | null; tab: Tab }) {
  const { t, locale } = useWords(listWords);
  const capped = !!counts?.[`${tab}Capped`];
  const n = counts ? formatCount(counts[tab], locale) : '';
  return (
    <span
      className="tab-count"
      data-testid={`tab-count-${tab}`}
      data-capped={capped ? 'true' : undefined}
      title={capped ? t('tabs.countCappedTitle', { n }) : undefined}
    >
      {capped ? t('tabs.countCapped', { n }) : n}
    </span>
  );
}

export const PeopleList = memo(function PeopleList(p: Props) {
  const { t, locale } = useWords(listWords);
  const app = makeT(locale);
  const [text, setText] = useState(p.search);
  const [plansOpen, setPlansOpen] = useState(!!p.quickPlan);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [now, setNow] = useState(() => Date.now());

  // "Today" moves on: refresh the clock once a minute so HH:MM rows become dates after midnight.
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(id);
  }, []);

  const { onSearch } = p;
  useEffect(() => {
    if (text === p.search) return;
    const id = setTimeout(() => onSearch(text), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [text, p.search, onSearch]);

  const rowWindow = useRowWindow(scrollRef, p.rows.length, ROW_HEIGHT, 8);
  const firstIdx = rowWindow.first;
  const lastIdx = rowWindow.last;

  const { loadMore, hasMore, onVisibleRange, onFirstRender, loading } = p;
  useEffect(() => {
    if (hasMore && lastIdx >= p.rows.length - 10) loadMore();
  }, [lastIdx, p.rows.length, hasMore, loadMore]);
  useEffect(() => {
    onVisibleRange(firstIdx, lastIdx);
  }, [firstIdx, lastIdx, onVisibleRange]);
  // A layout effect: the rows are in the DOM now, so the report's animation frame is the first one
  // after they rendered (a passive effect would run only after that frame).
  const reported = useRef(false);
  useLayoutEffect(() => {
    if (!reported.current && !loading && (p.rows.length > 0 || !hasMore)) {
      reported.current = true;
      onFirstRender();
    }
  }, [loading, p.rows.length, hasMore, onFirstRender]);

  // Keep the selected person in view (Ctrl+Shift+Up/Down may move past the visible rows).
  const selIdx = p.rows.findIndex((r) => r.personId === p.selectedPersonId);
  useEffect(() => {
    if (selIdx >= 0) rowWindow.scrollToIndex(selIdx);
    // Only when the selection moves, not on every refetch of the rows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.selectedPersonId]);

  // A new query starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [p.tab, p.search, p.filter, p.oldestFirst]);

  const filterCount = Object.keys(p.filter).length;

  return (
    <aside className="pane pane-list" aria-label={t('list.label')}>
      <div className="tabs" role="tablist" aria-label={t('tabs.label')}>
        {TABS.map((tb) => (
          <button
            key={tb}
            type="button"
            role="tab"
            aria-selected={p.tab === tb}
            data-testid={`tab-${tb}`}
            className={`tab${p.tab === tb ? ' tab-active' : ''}`}
            onClick={() => p.onTab(tb)}
          >
            {t(`tabs.${tb}`)}
            <TabCount counts={p.counts} tab={tb} />
          </button>
        ))}
      </div>
      <div className="list-tools">
        <label className="search">
          <IconSearch size={15} />
          <input
            type="search"
            value={text}
            placeholder={t('list.search')}
            aria-label={t('list.search')}
            data-testid="search"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <button
          type="button"
          className={`icon-btn${plansOpen ? ' on' : ''}`}
          aria-pressed={plansOpen}
          aria-label={t('list.plansToggle')}
          title={t('list.plansToggle')}
          data-testid="plans-toggle"
          onClick={() => {
            if (plansOpen && p.quickPlan) p.onQuickPlan('');
            setPlansOpen((o) => !o);
          }}
        >
          <IconPlans />
        </button>
        <button
          type="button"
          className={`icon-btn${p.activeDialogues ? ' on' : ''}`}
          aria-pressed={p.activeDialogues}
          aria-label={t('list.activeDialogues')}
          title={t('list.activeDialogues')}
          data-testid="active-dialogues"
          onClick={() => p.onActiveDialogues(!p.activeDialogues)}
        >
          <IconChats />
        </button>
        <button
          type="button"
          className={`icon-btn${filtersOpen || filterCount > 0 ? ' on' : ''}`}
          aria-expanded={filtersOpen}
          aria-label={t('list.filters')}
          title={t('list.filters')}
          data-testid="filters-toggle"
          onClick={() => setFiltersOpen((o) => !o)}
        >
          <IconFilter />
          {filterCount > 0 && <span className="dot-count">{filterCount}</span>}
        </button>
      </div>
      {plansOpen && (
        <div className="plans-row">
          <select value={p.quickPlan} aria-label={t('list.plansToggle')} data-testid="plans-select" onChange={(e) => p.onQuickPlan(e.target.value)}>
            <option value="">{t('list.plansAll')}</option>
            {(p.facets.plans ?? []).map((pl) => (
              <option key={pl} value={pl}>
                {pl}
              </option>
            ))}
          </select>
        </div>
      )}
      {filtersOpen && (
        // Its code loads after the first paint (lazyParts.ts), usually long before the first click.
        <Suspense fallback={null}>
          <FilterPanel applied={p.filter} facets={p.facets} saved={p.saved} onApply={p.onFilter} onSave={p.onSaveFilter} onDeleteSaved={p.onDeleteSaved} />
        </Suspense>
      )}
      {p.tab === 'unread' && (
        <div className="sort-row">
          <button
            type="button"
            className="link-btn"
            data-testid="unread-order"
            aria-label={t('list.sortToggle', { order: p.oldestFirst ? t('list.oldestFirst') : t('list.newestFirst') })}
            onClick={() => p.onOldestFirst(!p.oldestFirst)}
          >
            <IconSort size={14} /> {p.oldestFirst ? t('list.oldestFirst') : t('list.newestFirst')}
          </button>
        </div>
      )}
      <div
        className="list-scroll"
        ref={scrollRef}
        role="listbox"
        aria-label={t('list.label')}
        aria-busy={!p.settled}
        data-search={p.search}
        data-testid="people-list"
      >
        <div style={{ height: rowWindow.totalHeight, position: 'relative' }}>
          {rowWindow.indexes.map((i) => {
            const row = p.rows[i];
            if (!row) return null;
            return (
              <div key={row.personId} className="vrow" style={{ transform: `translateY(${i * ROW_HEIGHT}px)`, height: ROW_HEIGHT }}>
                <ListRowView row={row} selected={row.personId === p.selectedPersonId} now={now} onSelect={p.onSelect} t={t} app={app} locale={locale} />
              </div>
            );
          })}
        </div>
        {!p.loading && p.rows.length === 0 && (p.empty ?? <div className="empty">{t('list.empty')}</div>)}
        {(p.loading || p.hasMore) && p.rows.length > 0 && lastIdx >= p.rows.length - 2 && <div className="muted small center">{t('list.loadingMore')}</div>}
      </div>
    </aside>
  );
});
