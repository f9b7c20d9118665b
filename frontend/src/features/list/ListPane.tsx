// The left pane's state and data: the list query (tab, search, filters, order), the saved
// filters, the pages of people (usePeopleList), live refetches on store changes, and the empty
// state. PeopleList draws it; the rest of the workspace drives it through registerList.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../lib/api';
import { useStoreChanges } from '../../lib/changes';
import { useReportError } from '../../lib/toast';
import type { Bootstrap, ListFilter, SavedFilter, Tab } from '../../lib/types';
import { registerList, selectRow, workspace } from '../workspace/store';
import { InboxEmpty } from './InboxEmpty';
import { PeopleList } from './PeopleList';
import { usePeopleList } from './usePeopleList';

interface Props {
  boot: Bootstrap;
  /** Called once, when the first page of people is on screen (start-up, for `make bench`). */
  onFirstRender: (rows: number) => void;
}

export function ListPane({ boot, onFirstRender }: Props) {
  const report = useReportError();
  const [tab, setTab] = useState<Tab>(boot.defaultTab || (boot.counts.important > 0 ? 'important' : 'all'));
  const [search, setSearch] = useState('');
  const [panelFilter, setPanelFilter] = useState<ListFilter>({});
  const [oldestFirst, setOldestFirst] = useState(false);
  const [quickPlan, setQuickPlan] = useState('');
  const [activeDialogues, setActiveDialogues] = useState(false);
  const [saved, setSaved] = useState<SavedFilter[]>(boot.savedFilters ?? []);
  const selectedPersonId = workspace.use((s) => s.sel?.personId ?? 0);

  const filter = useMemo<ListFilter>(() => {
    const f: ListFilter = { ...panelFilter };
    if (quickPlan) f.plans = [quickPlan];
    if (activeDialogues) f.activeDialogues = true;
    return f;
  }, [panelFilter, quickPlan, activeDialogues]);
  const params = useMemo(() => ({ tab, search, filter, oldestFirst }), [tab, search, filter, oldestFirst]);
  const list = usePeopleList(params, boot.counts, report, boot.firstPage);
  const visible = useRef<[number, number]>([0, 30]);
  const onVisibleRange = useCallback((a: number, b: number) => {
    visible.current = [a, b];
  }, []);

  const { refreshVisible, patchRow, loadMore } = list;
  const rowsRef = useRef(list.rows);
  rowsRef.current = list.rows;
  useEffect(
    () =>
      registerList({
        rows: () => rowsRef.current,
        refresh: () => refreshVisible(visible.current[0], visible.current[1]),
        patchRow,
        loadMore,
      }),
    [refreshVisible, patchRow, loadMore],
  );

  useStoreChanges(() => refreshVisible(visible.current[0], visible.current[1]));
  // The Important tab holds tasks due by the end of today: at midnight tomorrow's become today's
  // without any change in the store, so the list and its counts are asked again then.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      const midnight = new Date();
      midnight.setHours(24, 0, 1, 0);
      timer = setTimeout(() => {
        refreshVisible(visible.current[0], visible.current[1]);
        arm();
      }, midnight.getTime() - Date.now());
    };
    arm();
    return () => clearTimeout(timer);
  }, [refreshVisible]);

  const onSaveFilter = useCallback(
    (name: string, f: ListFilter) => {
      api.SaveFilter(name, f).then((s) => setSaved((cur) => [...cur.filter((x) => x.id !== s.id), s]), report);
    },
    [report],
  );
  const onDeleteSaved = useCallback(
    (id: number) => {
      api.DeleteSavedFilter(id).then(() => setSaved((cur) => cur.filter((x) => x.id !== id)), report);
    },
    [report],
  );
  const firstRendered = useRef(onFirstRender);
  const onFirst = useCallback(() => firstRendered.current(rowsRef.current.length), []);

  // Nobody at all (no search, no filter, every tab empty): say what to do next instead.
  const unfiltered = !search && Object.keys(filter).length === 0;
  const workspaceEmpty = unfiltered && list.counts !== null && list.counts.all === 0 && list.counts.important === 0 && list.counts.unread === 0;

  return (
    <PeopleList
      tab={tab}
      onTab={setTab}
      counts={list.counts}
      search={search}
      onSearch={setSearch}
      oldestFirst={oldestFirst}
      onOldestFirst={setOldestFirst}
      quickPlan={quickPlan}
      onQuickPlan={setQuickPlan}
      activeDialogues={activeDialogues}
      onActiveDialogues={setActiveDialogues}
      filter={panelFilter}
      onFilter={setPanelFilter}
      facets={boot.facets}
      saved={saved}
      onSaveFilter={onSaveFilter}
      onDeleteSaved={onDeleteSaved}
      rows={list.rows}
      loading={list.loading}
      settled={list.settled}
      hasMore={list.hasMore}
      loadMore={list.loadMore}
      selectedPersonId={selectedPersonId}
      onSelect={selectRow}
      onVisibleRange={onVisibleRange}
      onFirstRender={onFirst}
      empty={workspaceEmpty ? <InboxEmpty /> : undefined}
    />
  );
}
