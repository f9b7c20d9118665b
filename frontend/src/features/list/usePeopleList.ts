// The people list's data: keyset pages from ListPeople, loaded on scroll, refetched in place on
// store changes (only the pages the person can see), and the tab counts for the same query.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../lib/api';
import { mark } from '../../lib/startupTrace';
import type { ListFilter, ListPage, ListQuery, ListRow, Tab, TabCounts } from '../../lib/types';

export const PAGE_SIZE = 50;

export interface ListParams {
  tab: Tab;
  search: string;
  filter: ListFilter;
  oldestFirst: boolean;
}

interface Page {
  cursor: string; // the cursor this page was fetched with
  rows: ListRow[];
  next: string;
}

export interface PeopleListState {
  rows: ListRow[];
  loading: boolean;
  /** The rows and the counts shown both answer the current query (the end-to-end tests wait for it). */
  settled: boolean;
  hasMore: boolean;
  counts: TabCounts | null;
  loadMore: () => void;
  refreshVisible: (first: number, last: number) => void;
  patchRow: (personId: number, patch: Partial<ListRow>) => void;
}

function flatten(pages: Page[]): ListRow[] {
  // A person may move between pages while they are refetched separately: keep the first copy.
  const seen = new Set<number>();
  const out: ListRow[] = [];
  for (const p of pages) {
    for (const r of p.rows) {
      if (seen.has(r.personId)) continue;
      seen.add(r.personId);
      out.push(r);
    }
  }
  return out;
}

/**
 * initialPage, when given, is the answer to the first query (the page came with it, see
 * lib/inlineBoot.ts): the first render shows its rows and the first query is not asked again.
 */
export function usePeopleList(params: ListParams, initialCounts: TabCounts | null, onError: (e: unknown) => void, initialPage?: ListPage): PeopleListState {
  const [pages, setPages] = useState<Page[]>(() => (initialPage ? [{ cursor: '', rows: initialPage.rows ?? [], next: initialPage.nextCursor }] : []));
  const [loading, setLoading] = useState(!initialPage);
  const seeded = useRef(!!initialPage); // the first query's answer is already in pages
  const [counts, setCounts] = useState<TabCounts | null>(initialCounts);
  const gen = useRef(0); // bumps when the query changes so late answers to an old query are dropped
  const loadingMore = useRef(false);
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const errRef = useRef(onError);
  errRef.current = onError;

  const query = useCallback(
    (cursor: string, limit = PAGE_SIZE): ListQuery => ({
      tab: params.tab,
      search: params.search,
      filter: params.filter,
      oldestFirst: params.oldestFirst,
      cursor,
      limit,
    }),
    [params.tab, params.search, params.filter, params.oldestFirst],
  );
  // Which query the rows and the counts on screen answer (the query function stands for its params).
  const [rowsFor, setRowsFor] = useState<typeof query | null>(() => (initialPage ? query : null));
  const [countsFor, setCountsFor] = useState<typeof query | null>(() => (initialCounts !== null ? query : null));

  const loadCounts = useCallback(() => {
    const g = gen.current;
    api.TabCounts(query('')).then(
      (c) => {
        if (g !== gen.current) return;
        setCounts(c);
        setCountsFor(() => query);
      },
      (e) => {
        if (g === gen.current) setCountsFor(() => query);
        errRef.current(e);
      },
    );
  }, [query]);

  // Bootstrap already counted the first view: the first query needs no second count.
  const countsFresh = useRef(initialCounts !== null);
  useEffect(() => {
    const g = ++gen.current;
    const fresh = countsFresh.current;
    countsFresh.current = false;
    if (seeded.current) {
      seeded.current = false;
      return;
    }
    setLoading(true);
    loadingMore.current = false;
    // The badges are counted after the page is on screen, so the rows the manager waits for
    // do not share the cores with three index walks.
    mark('pageRequested');
    api.ListPeople(query('')).then(
      (p) => {
        if (g !== gen.current) return;
        mark('pageReceived');
        setPages([{ cursor: '', rows: p.rows ?? [], next: p.nextCursor }]);
        setLoading(false);
        setRowsFor(() => query);
        if (fresh) setCountsFor(() => query);
        // After the rows are painted, so the counts do not compete with the paint.
        if (!fresh) requestAnimationFrame(() => setTimeout(loadCounts, 0));
      },
      (e) => {
        if (g !== gen.current) return;
        setPages([]);
        setLoading(false);
        setRowsFor(() => query);
        setCountsFor(() => query);
        errRef.current(e);
      },
    );
  }, [query, loadCounts]);

  const loadMore = useCallback(() => {
    const ps = pagesRef.current;
    const last = ps[ps.length - 1];
    if (!last || !last.next || loadingMore.current) return;
    loadingMore.current = true;
    const g = gen.current;
    api.ListPeople(query(last.next)).then(
      (p) => {
        loadingMore.current = false;
        if (g !== gen.current) return;
        setPages((cur) => (cur[cur.length - 1]?.next === last.next ? [...cur, { cursor: last.next, rows: p.rows ?? [], next: p.nextCursor }] : cur));
      },
      (e) => {
        loadingMore.current = false;
        errRef.current(e);
      },
    );
  }, [query]);

  const refreshVisible = useCallback(
    (first: number, lastIdx: number) => {
      const ps = pagesRef.current;
      const g = gen.current;
      // Find the pages that hold rows first..last and refetch just those, each from its own cursor.
      const targets: number[] = [];
      let start = 0;
      ps.forEach((p, i) => {
        const end = start + p.rows.length - 1;
        if (end >= first && start <= lastIdx) targets.push(i);
        start += p.rows.length;
      });
      // When the end of the list is in view (an empty list always is), its last page is
      // refetched too: an empty page holds no visible row, yet new people arrive into it.
      const lastPage = Math.max(0, ps.length - 1);
      if (lastIdx >= start - 1 && !targets.includes(lastPage)) targets.push(lastPage);
      for (const i of targets) {
        const cursor = ps[i]?.cursor ?? '';
        api.ListPeople(query(cursor)).then(
          (p) => {
            if (g !== gen.current) return;
            setPages((cur) => {
              if (cur.length === 0) return [{ cursor: '', rows: p.rows ?? [], next: p.nextCursor }];
              if (cur[i]?.cursor !== cursor) return cur;
              const copy = cur.slice();
              copy[i] = { cursor, rows: p.rows ?? [], next: p.nextCursor };
              return copy;
            });
          },
          (e) => errRef.current(e),
        );
      }
      loadCounts();
    },
    [query, loadCounts],
  );

  const patchRow = useCallback((personId: number, patch: Partial<ListRow>) => {
    setPages((cur) => cur.map((p) => ({ ...p, rows: p.rows.map((r) => (r.personId === personId ? { ...r, ...patch } : r)) })));
  }, []);

  const rows = useFlattened(pages);
  const last = pages[pages.length - 1];
  const settled = !loading && rowsFor === query && countsFor === query;
  return { rows, loading, settled, hasMore: !!last?.next, counts, loadMore, refreshVisible, patchRow };
}

function useFlattened(pages: Page[]): ListRow[] {
  const memo = useRef<{ pages: Page[]; rows: ListRow[] }>({ pages: [], rows: [] });
  if (memo.current.pages !== pages) memo.current = { pages, rows: flatten(pages) };
  return memo.current.rows;
}
